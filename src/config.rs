//! Settings of a run: built-in defaults (the campaign notice's district, units and calendar),
//! optionally overridden by a TOML file.

use crate::error::Error;
use crate::forms::Month;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Everything a run can be configured with. Every field has a default from the campaign notice.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The district's name, used in titles and in the workbook's file name.
    pub district: String,
    /// The units expected to return a 附件2 every month.
    pub units: Vec<String>,
    /// The unit whose values of the stock indicators (1, 2, 3, 13) are the district's.
    pub stock_source_unit: String,
    /// How the district value of a stock indicator is formed: `source` (take the source
    /// unit's, for units reporting on the same communities) or `sum` (add up, one level up
    /// where each unit is a district of its own).
    pub stock_mode: StockMode,
    /// Who compiled the district's return, printed on its 附件2 (汇总人).
    pub compiler: String,
    /// The compiler's phone, printed on the district's 附件2 (联系方式).
    pub contact: String,
    /// The campaign's last month (`YYYY-MM`): indicator 13 is only filled then.
    pub final_month: Month,
    /// The roster of expected projects (`.xlsx`, `.xls` or `.csv`), relative to the config file.
    pub roster: Option<PathBuf>,
    /// Cells read per sheet at most.
    pub max_cells_per_sheet: usize,
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Largest total size a zip-based file (xlsx, ods) may unpack to, in bytes.
    pub max_unzipped_bytes: u64,
    /// Seconds spent reading one sheet's cells before the rest is skipped (xlsx).
    pub max_seconds_per_file: u64,
    /// The date by which a return sent back must come again (`YYYY-MM-DD`), printed on every
    /// 退回修改通知 and 催报 note; by default the 25th of the month after the report month.
    pub resubmit_by: Option<String>,
    /// Code page forced on legacy `.xls` files (936 = GBK).
    pub codepage: Option<u16>,
    /// The keys the config file set (empty without one). A config that names the units or the
    /// stock mode decides the level of the run; without one, a folder of district workbooks
    /// is consolidated as a city (see `rules::level`).
    #[serde(skip)]
    pub configured: BTreeSet<String>,
}

/// How stock indicators (1, 2, 3, 13) are consolidated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StockMode {
    Source,
    Sum,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            district: "东湖风景区".into(),
            units: ["区建设（房管）局", "区经发局", "区公安分局", "区城乡工作办事处（民政）", "区市场监管局"].map(String::from).to_vec(),
            stock_source_unit: "区建设（房管）局".into(),
            stock_mode: StockMode::Source,
            compiler: String::new(),
            contact: String::new(),
            final_month: Month::new(2021, 11).expect("a real month"),
            roster: None,
            max_cells_per_sheet: 200_000,
            max_file_bytes: 50 * 1024 * 1024,
            max_unzipped_bytes: 512 * 1024 * 1024,
            max_seconds_per_file: 60,
            codepage: None,
            resubmit_by: None,
            configured: BTreeSet::new(),
        }
    }
}

impl Settings {
    /// The date returns sent back for `month` must come again by: `resubmit_by`, else the
    /// 25th of the next month.
    pub fn resubmit_date(&self, month: Month) -> chrono::NaiveDate {
        self.resubmit_by.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).unwrap_or_else(|| {
            let (y, m) = if month.month() == 12 { (month.year() + 1, 1) } else { (month.year(), month.month() + 1) };
            chrono::NaiveDate::from_ymd_opt(y, m, 25).expect("the 25th exists")
        })
    }

    /// Whether the config file set `key`.
    pub fn is_configured(&self, key: &str) -> bool {
        self.configured.contains(key)
    }

    /// Read a TOML config file; relative paths inside it are taken from the file's folder.
    ///
    /// # Errors
    /// [`Error::Config`] naming the file and what is wrong with it.
    pub fn load(path: &Path) -> Result<Settings, Error> {
        let fail = |why: String| Error::Config { path: path.to_path_buf(), why };
        let text = std::fs::read_to_string(path).map_err(|e| fail(format!("无法读取：{e}")))?;
        let mut settings: Settings = toml::from_str(&text).map_err(|e| fail(format!("格式有误：{e}")))?;
        let keys: toml::Table = toml::from_str(&text).map_err(|e| fail(format!("格式有误：{e}")))?;
        settings.configured = keys.keys().cloned().collect();
        if let Some(roster) = &settings.roster {
            if roster.is_relative() {
                settings.roster = Some(path.parent().unwrap_or(Path::new(".")).join(roster));
            }
        }
        if settings.units.is_empty() {
            return Err(fail("中的配置项 units 不能为空".into()));
        }
        if let Some(date) = &settings.resubmit_by {
            if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
                return Err(fail(format!("中的配置项 resubmit_by 应写成 YYYY-MM-DD（如 2021-11-25），现为“{date}”")));
            }
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_spec() {
        let s = Settings::default();
        assert_eq!(s.units.len(), 5);
        assert_eq!(s.stock_source_unit, "区建设（房管）局");
        assert_eq!(s.district, "东湖风景区");
    }

    #[test]
    fn toml_overrides_and_rejects_unknown_keys() {
        let s: Settings = toml::from_str("district = \"洪山区\"\nunits = [\"区建设（房管）局\", \"某街道办事处\"]").unwrap();
        assert_eq!(s.district, "洪山区");
        assert_eq!(s.units.len(), 2);
        assert_eq!(s.final_month.to_string(), "2021-11");
        assert!(toml::from_str::<Settings>("final_month = \"2021年11月\"").is_err());
        assert!(toml::from_str::<Settings>("distrct = \"x\"").is_err());
        let city: Settings = toml::from_str("stock_mode = \"sum\"").unwrap();
        assert_eq!(city.stock_mode, StockMode::Sum);
    }
}
