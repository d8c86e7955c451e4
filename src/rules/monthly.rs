//! The consistency rules of 附件2, read from the indicator table: a total equals the sum of
//! its parts (1 = 2 + 3), 累积 ≥ 本月, a “其中” part never exceeds its whole (5.1 ≤ 5), a
//! final-month indicator (13) is not filled early, and 累积 carries over from last month.

use crate::findings::{Code, Finding, Location};
use crate::forms::{Month, Monthly, INDICATORS};

fn place(m: &Monthly, value: &crate::forms::IndicatorValue) -> Location {
    m.source.at(value.at)
}

/// Consistency of one 附件2 on its own.
pub fn check_monthly(m: &Monthly, final_month: Month) -> Vec<Finding> {
    let mut findings = Vec::new();
    sums(m, &mut findings);
    for ind in &m.indicators {
        if let (Some(t), Some(c)) = (ind.this_month, ind.cumulative) {
            if c < t {
                let code = ind.id.code();
                findings.push(Finding::new(
                    Code::MonthlyCumulativeBelowMonth,
                    place(m, ind),
                    &format!("指标{code}"),
                    &format!("{t}/{c}"),
                    format!("指标{code}的累积数({c})小于本月数({t})：累积数应包含本月，请核对"),
                ));
            }
        }
    }
    parts(m, &mut findings);
    final_only(m, final_month, &mut findings);
    findings
}

/// A total and its parts (本月 or 数量): 1 = 2 + 3.
fn sums(m: &Monthly, findings: &mut Vec<Finding>) {
    for whole in INDICATORS.iter().filter(|d| !d.sum_of.is_empty()) {
        let value = |id| m.get(id).and_then(|i| i.this_month);
        let Some(total) = value(whole.id) else { continue };
        let Some(parts) = whole.sum_of.iter().map(|p| value(*p)).collect::<Option<Vec<i64>>>() else { continue };
        let sum: i64 = parts.iter().sum();
        if sum == total {
            continue;
        }
        let named: Vec<String> = whole.sum_of.iter().zip(&parts).map(|(p, v)| format!("{}({v})", p.def().short)).collect();
        let last = whole.sum_of.last().map_or("", |p| p.code());
        let values: Vec<String> = std::iter::once(total).chain(parts.iter().copied()).map(|v| v.to_string()).collect();
        let at = m.get(whole.id).map(|i| place(m, i)).unwrap_or_else(|| m.source.clone());
        findings.push(Finding::new(
            Code::MonthlySumMismatch,
            at,
            &format!("指标{}-{last}", whole.code),
            &values.join("/"),
            format!("{} = {sum}，不等于{}({total})：请核对指标{}-{last}", named.join(" + "), whole.short, whole.code),
        ));
    }
}

/// A “其中” part never exceeds its whole, in 本月 and in 累积.
fn parts(m: &Monthly, findings: &mut Vec<Finding>) {
    for part_def in INDICATORS.iter().filter(|d| d.part_of.is_some()) {
        let (Some(whole), Some(part)) = (part_def.part_of.and_then(|w| m.get(w)), m.get(part_def.id)) else { continue };
        for (label, w, s) in [("本月", whole.this_month, part.this_month), ("累积", whole.cumulative, part.cumulative)] {
            if let (Some(w), Some(s)) = (w, s) {
                if s > w {
                    findings.push(Finding::new(
                        Code::MonthlyPartExceedsWhole,
                        place(m, part),
                        &format!("指标{}", part_def.code),
                        &format!("{w}({s})"),
                        format!("{label}{}({s})大于{}({w})：“其中”数不能超过总数", part_def.short, whole.id.def().short),
                    ));
                }
            }
        }
    }
}

/// An indicator filled only in the campaign's final month: filled before it, or left blank in
/// it (the extractor does not call a blank 13 `count.blank`: before the final month a blank is
/// what the notice asks for).
fn final_only(m: &Monthly, final_month: Month, findings: &mut Vec<Finding>) {
    let Some(month) = m.month else { return };
    if month >= final_month {
        for d in INDICATORS.iter().filter(|d| d.final_month_only) {
            let Some(ind) = m.get(d.id) else { continue };
            let blank: Vec<&str> = [(ind.this_month, "本月"), (ind.cumulative, "累积")].iter().filter(|(v, _)| v.is_none()).map(|(_, n)| *n).collect();
            if !blank.is_empty() {
                findings.push(Finding::new(
                    Code::MonthlyFinalMissing,
                    place(m, ind),
                    &format!("指标{}", d.code),
                    "",
                    format!("{month}是活动结束月，指标{}{}的{}未填写：请按实际填写（没有请填0）", d.code, d.short, blank.join("、")),
                ));
            }
        }
        return;
    }
    for d in INDICATORS.iter().filter(|d| d.final_month_only) {
        let Some(ind) = m.get(d.id) else { continue };
        if ind.this_month.unwrap_or(0) > 0 || ind.cumulative.unwrap_or(0) > 0 {
            findings.push(Finding::new(
                Code::MonthlyFinalOnlyEarly,
                place(m, ind),
                &format!("指标{}", d.code),
                &format!("{:?}/{:?}", ind.this_month, ind.cumulative),
                format!("指标{}{}在活动结束时（{}）才填报，{}不应填写：请核对", d.code, d.short, final_month.label(), month.label()),
            ));
        }
    }
}

/// This month's 累积 = last month's 累积 + this month's 本月, when last month is known.
pub fn check_month_over_month(this: &Monthly, last: &Monthly) -> Vec<Finding> {
    let mut findings = Vec::new();
    for ind in &this.indicators {
        if ind.id.single_column() || ind.id.def().final_month_only {
            continue;
        }
        let Some(prev) = last.get(ind.id).and_then(|i| i.cumulative) else { continue };
        if let (Some(t), Some(c)) = (ind.this_month, ind.cumulative) {
            if prev + t != c {
                let code = ind.id.code();
                findings.push(Finding::new(
                    Code::MonthlyCumulativeMismatch,
                    place(this, ind),
                    &format!("指标{code}"),
                    &format!("{t}/{c}"),
                    format!("指标{code}：上月累积{prev} + 本月{t} = {}，但本月累积填的是{c}（上月见 {}）：请核对", prev + t, last.source.path),
                ));
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monthly(values: &[(&str, Option<i64>, Option<i64>)], month: &str) -> Monthly {
        crate::rules::testing::monthly("a.xlsx", "区经发局", Month::parse_iso(month), values)
    }

    fn codes(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.code.as_str()).collect()
    }

    fn nov() -> Month {
        Month::new(2021, 11).unwrap()
    }

    #[test]
    fn stock_sum_must_add_up() {
        let ok = monthly(&[("1", Some(10), None), ("2", Some(6), None), ("3", Some(4), None)], "2021-10");
        assert!(check_monthly(&ok, nov()).is_empty());
        let bad = monthly(&[("1", Some(10), None), ("2", Some(6), None), ("3", Some(5), None)], "2021-10");
        let f = check_monthly(&bad, nov());
        assert_eq!(codes(&f), ["monthly.sum_mismatch"]);
        assert_eq!(f[0].message, "公示小区数(6) + 未公示小区数(5) = 11，不等于专业化物业管理小区数(10)：请核对指标1-3");
        assert_eq!((f[0].field.as_str(), f[0].value.as_str()), ("指标1-3", "10/6/5"));
        // A part not reported: nothing to check.
        let partial = monthly(&[("1", Some(10), None), ("2", Some(6), None), ("3", None, None)], "2021-10");
        assert!(check_monthly(&partial, nov()).is_empty());
    }

    #[test]
    fn cumulative_part_and_final_month_rules() {
        let m = monthly(&[("4", Some(5), Some(3)), ("5", Some(2), Some(4)), ("5.1", Some(3), Some(3)), ("13", Some(1), Some(1))], "2021-10");
        let f = check_monthly(&m, nov());
        assert_eq!(codes(&f), ["monthly.cumulative_below_month", "monthly.part_exceeds_whole", "monthly.final_only_early"]);
        assert_eq!(f[1].message, "本月“其中查处未公示”数(3)大于查处问题小区数(2)：“其中”数不能超过总数");
        assert_eq!(f[2].message, "指标13“美好家园”项目数在活动结束时（2021年11月）才填报，2021年10月不应填写：请核对");
        let final_month = monthly(&[("13", Some(1), Some(1))], "2021-11");
        assert!(check_monthly(&final_month, nov()).is_empty());
        // Blank before the final month is what the notice asks; blank in it is a finding.
        assert!(check_monthly(&monthly(&[("13", None, None)], "2021-10"), nov()).is_empty());
        let blank = check_monthly(&monthly(&[("13", Some(2), None)], "2021-11"), nov());
        assert_eq!(codes(&blank), ["monthly.final_missing"]);
        assert_eq!(blank[0].message, "2021-11是活动结束月，指标13“美好家园”项目数的累积未填写：请按实际填写（没有请填0）");
    }

    #[test]
    fn month_over_month_cumulative() {
        let last = monthly(&[("4", Some(2), Some(2)), ("6", Some(1), Some(1)), ("13", Some(0), Some(5))], "2021-09");
        let this = monthly(&[("4", Some(3), Some(5)), ("6", Some(1), Some(3)), ("13", Some(0), Some(0))], "2021-10");
        let f = check_month_over_month(&this, &last);
        assert_eq!(codes(&f), ["monthly.cumulative_mismatch"]);
        assert_eq!(f[0].field, "指标6");
    }
}
