//! The level a run consolidates at. A folder of returns from the district's units gives the
//! district's return. A folder of district workbooks written by huizong (their official 附件2
//! is read, marked `from_report`) gives the city's: the districts are the units, every one
//! that reported in a month read is expected, and the stock indicators (1, 2, 3, 13) are summed
//! because each district counts its own communities. A config that names the units or the
//! stock mode decides by itself.

use crate::config::{Settings, StockMode};
use crate::forms::file::{FileRecord, FileStatus};
use crate::forms::{Form, Monthly};
use std::collections::BTreeSet;

/// The name a city run goes by when no config names it.
pub const CITY: &str = "全市";

/// Why a district workbook in a folder of unit returns is left out.
pub(crate) const MIXED: &str = "这是 huizong 生成的区级汇总工作簿，与各单位的报表放在同一文件夹中：未计入本次汇总，以免重复计数。如要汇总全市，请把各区的汇总工作簿单独放在一个文件夹中运行";

/// The level a run consolidates at: its settings, and the files set aside.
#[derive(Debug, Clone)]
pub struct Level {
    pub settings: Settings,
    /// District workbooks among unit returns (by path): read, but consolidated as `ignored`.
    pub set_aside: BTreeSet<String>,
}

impl Level {
    /// The level the settings say, nothing set aside (one return checked on its own).
    pub fn of(settings: &Settings) -> Level {
        Level { settings: settings.clone(), set_aside: BTreeSet::new() }
    }
}

/// The level of the files read. With district workbooks and no unit returns, the city's (unless
/// the config names the units or the stock mode); with both, the district's, and each district
/// workbook that is not a configured unit is set aside (the consolidation lists it as ignored,
/// with the reason). The records stay as they were read.
pub fn settle(files: &[FileRecord], settings: &Settings) -> Level {
    let live = |f: &FileRecord| f.status == FileStatus::Consolidated;
    let monthlies = |files: &[FileRecord], report: bool| -> Vec<String> {
        files
            .iter()
            .filter(|f| live(f))
            .flat_map(|f| &f.forms)
            .filter_map(|form| monthly(form).filter(|m| m.from_report == report).map(|m| m.unit.clone()))
            .collect()
    };
    let districts: BTreeSet<String> = monthlies(files, true).into_iter().filter(|u| !u.is_empty()).collect();
    if districts.is_empty() {
        return Level::of(settings);
    }
    if !monthlies(files, false).is_empty() {
        // Unit returns are here: this is a district's folder. A district workbook counts only
        // as a unit the config names.
        let stray = |m: &Monthly| m.from_report && !settings.units.contains(&m.unit);
        let set_aside = files.iter().filter(|f| live(f) && f.forms.iter().any(|form| monthly(form).is_some_and(stray))).map(|f| f.rel.clone()).collect();
        return Level { settings: settings.clone(), set_aside };
    }
    if settings.is_configured("units") || settings.is_configured("stock_mode") {
        return Level::of(settings);
    }
    let mut city = settings.clone();
    city.units = districts.into_iter().collect();
    city.stock_mode = StockMode::Sum;
    city.stock_source_unit = String::new();
    if !settings.is_configured("district") {
        city.district = CITY.to_string();
    }
    Level { settings: city, set_aside: BTreeSet::new() }
}

fn monthly(form: &Form) -> Option<&Monthly> {
    match form {
        Form::Monthly(m) => Some(m),
        Form::SelfCheck(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::Month;
    use crate::rules::testing;

    fn district_report(path: &str, district: &str) -> FileRecord {
        let mut m = testing::monthly(path, district, Month::new(2021, 10), &[("1", Some(10), None)]);
        m.from_report = true;
        testing::record(path, vec![Form::Monthly(m)])
    }

    fn unit_return(path: &str, unit: &str) -> FileRecord {
        testing::record(path, vec![Form::Monthly(testing::monthly(path, unit, Month::new(2021, 10), &[("1", Some(10), None)]))])
    }

    #[test]
    fn district_workbooks_alone_make_a_city_run() {
        let files = vec![district_report("b.xlsx", "洪山区"), district_report("a.xlsx", "东湖风景区")];
        let level = settle(&files, &Settings::default());
        let city = &level.settings;
        assert_eq!(city.units, ["东湖风景区", "洪山区"]);
        assert_eq!((city.stock_mode, city.district.as_str()), (StockMode::Sum, CITY));
        assert!(level.set_aside.is_empty());
    }

    #[test]
    fn unit_returns_keep_the_district_level_and_set_district_workbooks_aside() {
        let files = vec![district_report("汇总.xlsx", "东湖风景区"), unit_return("经发局.xlsx", "区经发局")];
        let level = settle(&files, &Settings::default());
        assert_eq!(level.settings.units, Settings::default().units);
        assert_eq!(level.settings.stock_mode, StockMode::Source);
        assert_eq!(level.set_aside.iter().collect::<Vec<_>>(), ["汇总.xlsx"]);
        assert_eq!(files[0].forms.len(), 1, "the record stays as read");
    }

    #[test]
    fn a_config_naming_units_or_stock_mode_decides() {
        for key in ["units", "stock_mode"] {
            let files = vec![district_report("a.xlsx", "东湖风景区")];
            let mut settings = Settings::default();
            settings.configured.insert(key.to_string());
            let kept = settle(&files, &settings).settings;
            assert_eq!((kept.units, kept.stock_mode), (settings.units.clone(), settings.stock_mode), "{key}");
        }
        // A configured name is kept for the city.
        let files = vec![district_report("a.xlsx", "东湖风景区")];
        let mut settings = Settings { district: "武汉市".into(), ..Settings::default() };
        settings.configured.insert("district".into());
        assert_eq!(settle(&files, &settings).settings.district, "武汉市");
    }
}
