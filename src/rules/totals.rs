//! The district's 附件2: activity indicators summed over units (a total stays blank when no
//! unit reported a value: blank is not zero), stock indicators taken from the source unit
//! (or summed one level up), and a warning for every unit whose stock value differs.

use crate::config::{Settings, StockMode};
use crate::findings::{At, Code, Finding, Location};
use crate::forms::{IndicatorId, IndicatorKind, Month, Monthly, INDICATORS};

/// One line of the district 附件2.
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictRow {
    pub indicator: IndicatorId,
    pub this_month: Option<i64>,
    pub cumulative: Option<i64>,
    /// The units the value comes from, joined by `、`.
    pub units: String,
}

/// The district totals of this month's forms, and the stock conflicts found on the way.
pub fn district_totals(forms: &[&Monthly], settings: &Settings, month: Month) -> (Vec<DistrictRow>, Vec<Finding>) {
    let source = forms.iter().find(|m| m.unit == settings.stock_source_unit);
    let mut findings = Vec::new();
    let rows = INDICATORS
        .iter()
        .map(|d| match (d.kind, settings.stock_mode) {
            (IndicatorKind::Activity, _) | (IndicatorKind::Stock, StockMode::Sum) => summed(forms, d.id),
            (IndicatorKind::Stock, StockMode::Source) => {
                findings.extend(stock_conflicts(forms, source.copied(), d.id, settings));
                from_source(source.copied(), d.id, settings)
            }
        })
        .collect();
    if source.is_none() && !forms.is_empty() && settings.stock_mode == StockMode::Source {
        findings.push(Finding::new(
            Code::DistrictStockSourceMissing,
            Location::default(),
            "指标1-3、13",
            "",
            format!("{}未报送{}月度汇总表，全区存量指标（1、2、3、13）无法取数：请催报", settings.stock_source_unit, month.label()),
        ));
    }
    (rows, findings)
}

/// The sum of the values reported, `None` when none was.
fn sum(values: impl Iterator<Item = Option<i64>>) -> Option<i64> {
    values.flatten().fold(None, |total, v| Some(total.unwrap_or(0) + v))
}

fn summed(forms: &[&Monthly], id: IndicatorId) -> DistrictRow {
    let values: Vec<_> = forms.iter().filter_map(|m| m.get(id)).collect();
    let mut names: Vec<&str> =
        forms.iter().filter(|m| m.get(id).is_some_and(|i| i.this_month.is_some() || i.cumulative.is_some())).map(|m| m.unit.as_str()).collect();
    names.sort();
    names.dedup();
    DistrictRow {
        indicator: id,
        this_month: sum(values.iter().map(|i| i.this_month)),
        cumulative: sum(values.iter().map(|i| i.cumulative)),
        units: names.join("、"),
    }
}

fn from_source(source: Option<&Monthly>, id: IndicatorId, settings: &Settings) -> DistrictRow {
    let value = source.and_then(|m| m.get(id));
    DistrictRow {
        indicator: id,
        this_month: value.and_then(|i| i.this_month),
        cumulative: value.and_then(|i| i.cumulative),
        units: if value.is_some() { settings.stock_source_unit.clone() } else { String::new() },
    }
}

/// A unit's 本月 value of an indicator as 分单位统计 marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockRole {
    /// The stock source unit's value of a stock indicator: the district's value.
    Source,
    /// Another unit's value of a stock indicator that differs from the source's: a
    /// `district.stock_conflict` warning.
    Conflict,
    /// An activity indicator, stock summed (`stock_mode = sum`), or a value in agreement.
    Plain,
}

/// How `unit`'s 本月 `value` of indicator `id` stands against the stock source's
/// (`source_value`): the one rule behind the conflict warnings and the sheet's colours.
pub fn stock_role(settings: &Settings, id: IndicatorId, unit: &str, value: Option<i64>, source_value: Option<i64>) -> StockRole {
    if settings.stock_mode != StockMode::Source || id.def().kind != IndicatorKind::Stock {
        StockRole::Plain
    } else if unit == settings.stock_source_unit {
        StockRole::Source
    } else if matches!((value, source_value), (Some(v), Some(s)) if v != s && v != 0) {
        StockRole::Conflict
    } else {
        StockRole::Plain
    }
}

/// The findings a unit other than the stock source need not hear about: its stock indicators
/// (1, 2, 3 and 13) left blank, or written `/` — the district's figure is the source unit's, and
/// the template tells the other units so. Only with `stock_mode = source`.
pub fn excuse_stock_cells(findings: &mut Vec<Finding>, forms: &[&Monthly], settings: &Settings) {
    if settings.stock_mode != StockMode::Source {
        return;
    }
    let excused: Vec<Location> = forms
        .iter()
        .filter(|m| m.unit != settings.stock_source_unit)
        .flat_map(|m| m.indicators.iter().filter(|i| i.id.def().kind == IndicatorKind::Stock).map(move |i| m.source.at(i.at)))
        .collect();
    let inside = |cell: &Location, of: &Location| {
        cell.path == of.path
            && cell.part_name() == of.part_name()
            && match (cell.at, of.at) {
                (a, b) if a == b => true,
                (At::Cell(c), At::Range(a, b)) => (a.row..=b.row).contains(&c.row) && (a.col..=b.col).contains(&c.col),
                _ => false,
            }
    };
    findings.retain(|f| {
        !(matches!(f.code, Code::CountBlank | Code::CountDashAsZero | Code::MonthlyFinalMissing) && excused.iter().any(|loc| inside(&f.location, loc)))
    });
}

/// Every other unit whose value of a stock indicator differs from the source unit's.
fn stock_conflicts(forms: &[&Monthly], source: Option<&Monthly>, id: IndicatorId, settings: &Settings) -> Vec<Finding> {
    let Some(src) = source.and_then(|m| m.get(id)).and_then(|i| i.this_month) else { return vec![] };
    let (code, name, unit) = (id.code(), id.def().wording, &settings.stock_source_unit);
    forms
        .iter()
        .filter_map(|other| {
            let theirs = other.get(id)?;
            let role = stock_role(settings, id, &other.unit, theirs.this_month, Some(src));
            let value = theirs.this_month.filter(|_| role == StockRole::Conflict)?;
            Some(Finding::new(
                Code::DistrictStockConflict,
                other.source.at(theirs.at),
                &format!("指标{code}"),
                &value.to_string(),
                format!("{}填报的指标{code}“{name}”为{value}，与{unit}的{src}不一致：全区数以{unit}为准（供经办人核对，不退回）", other.unit),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stock_role_of_a_value() {
        let settings = Settings::default();
        let stock = IndicatorId::from_code("1").unwrap();
        let activity = IndicatorId::from_code("4").unwrap();
        let source = settings.stock_source_unit.clone();
        assert_eq!(stock_role(&settings, stock, &source, Some(5), Some(5)), StockRole::Source);
        assert_eq!(stock_role(&settings, stock, "区经发局", Some(4), Some(5)), StockRole::Conflict);
        assert_eq!(stock_role(&settings, stock, "区经发局", Some(5), Some(5)), StockRole::Plain);
        assert_eq!(stock_role(&settings, stock, "区经发局", None, Some(5)), StockRole::Plain, "blank is not a conflict");
        assert_eq!(stock_role(&settings, stock, "区经发局", Some(4), None), StockRole::Plain, "no source value, nothing to differ from");
        assert_eq!(stock_role(&settings, activity, "区经发局", Some(4), Some(5)), StockRole::Plain);
        let summed = Settings { stock_mode: StockMode::Sum, ..Settings::default() };
        assert_eq!(stock_role(&summed, stock, "区经发局", Some(4), Some(5)), StockRole::Plain);
    }

    fn form(unit: &str, values: &[(&str, Option<i64>, Option<i64>)]) -> Monthly {
        crate::rules::testing::monthly(&format!("{unit}.xlsx"), unit, Some(oct()), values)
    }

    fn oct() -> Month {
        Month::new(2021, 10).unwrap()
    }

    fn row(rows: &[DistrictRow], code: &str) -> DistrictRow {
        rows.iter().find(|r| r.indicator.code() == code).unwrap().clone()
    }

    #[test]
    fn activities_are_summed_and_blank_is_not_zero() {
        let a = form("区经发局", &[("4", Some(2), Some(5)), ("6", None, None)]);
        let b = form("区公安分局", &[("4", Some(3), None), ("6", None, None)]);
        let (rows, findings) = district_totals(&[&a, &b], &Settings::default(), oct());
        assert_eq!(rows.len(), 15);
        let four = row(&rows, "4");
        assert_eq!((four.this_month, four.cumulative), (Some(5), Some(5)));
        assert_eq!(four.units, "区公安分局、区经发局");
        let six = row(&rows, "6");
        assert_eq!((six.this_month, six.cumulative, six.units.as_str()), (None, None, ""));
        // No source unit this month: said once.
        assert_eq!(findings.iter().map(|f| f.code).collect::<Vec<_>>(), [Code::DistrictStockSourceMissing]);
    }

    #[test]
    fn stock_comes_from_the_source_unit_and_conflicts_are_warned() {
        let source = form("区建设（房管）局", &[("1", Some(40), None), ("2", Some(30), None)]);
        let other = form("区经发局", &[("1", Some(41), None), ("2", Some(30), None)]);
        let (rows, findings) = district_totals(&[&source, &other], &Settings::default(), oct());
        assert_eq!(row(&rows, "1").this_month, Some(40));
        assert_eq!(row(&rows, "1").units, "区建设（房管）局");
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, Code::DistrictStockConflict);
        assert_eq!(findings[0].location.path, "区经发局.xlsx");
        assert_eq!(findings[0].value, "41");
    }

    #[test]
    fn one_level_up_stock_is_summed() {
        let settings = Settings { stock_mode: StockMode::Sum, ..Settings::default() };
        let a = form("东湖风景区", &[("1", Some(40), None)]);
        let b = form("洪山区", &[("1", Some(60), None)]);
        let (rows, findings) = district_totals(&[&a, &b], &settings, oct());
        assert_eq!(row(&rows, "1").this_month, Some(100));
        assert!(findings.is_empty());
    }
}
