//! Pure rules over the records: item statuses at the as-of date, and the consistency checks of
//! 附件2 (SPEC §5). Everything returns findings; nothing here reads files.

use crate::clean::match_key;
use crate::model::{DeadlineValue, Finding, Item, ItemStatus, Monthly, Place, SelfCheck, Severity};
use chrono::NaiveDate;

/// The status and days overdue of one item at `as_of` (SPEC §4).
pub fn item_status(item: &Item, as_of: NaiveDate) -> (ItemStatus, Option<i64>) {
    if !item.has_problem {
        return (ItemStatus::NoProblem, None);
    }
    match item.deadline {
        DeadlineValue::Done => return (ItemStatus::Done, None),
        _ if item.described_done => return (ItemStatus::Done, None),
        DeadlineValue::LongTerm => return (ItemStatus::LongTerm, None),
        DeadlineValue::None => return (ItemStatus::MissingDeadline, None),
        DeadlineValue::Date(d) if d < as_of => return (ItemStatus::Overdue, Some((as_of - d).num_days())),
        DeadlineValue::Date(_) => {}
    }
    if item.responsible.is_empty() {
        return (ItemStatus::MissingResponsible, None);
    }
    (ItemStatus::InProgress, None)
}

/// Set every item's status at `as_of`.
pub fn apply_statuses(form: &mut SelfCheck, as_of: NaiveDate) {
    for item in &mut form.items {
        let (status, days) = item_status(item, as_of);
        item.status = status;
        item.days_overdue = days;
    }
}

/// Consistency of one 附件2: 2 + 3 = 1, 累积 ≥ 本月, 5.1 ≤ 5, 13 only in the final month.
pub fn check_monthly(m: &Monthly, final_month: &str) -> Vec<Finding> {
    let place = Place { path: m.path.clone(), sheet: m.sheet.clone() };
    let mut findings = Vec::new();
    let value = |id: &str| m.get(id).and_then(|i| i.this_month);
    if let (Some(a), Some(b), Some(c)) = (value("1"), value("2"), value("3")) {
        if b + c != a {
            let cell = m.get("1").map(|i| i.cell.clone()).unwrap_or_default();
            findings.push(place.finding(Severity::Error, "monthly.sum_mismatch", &cell, "指标1-3", &format!("{a}/{b}/{c}"),
                format!("公示小区数({b}) + 未公示小区数({c}) = {}，不等于专业化物业管理小区数({a})：请核对指标1-3", b + c)));
        }
    }
    for ind in &m.indicators {
        if let (Some(t), Some(c)) = (ind.this_month, ind.cumulative) {
            if c < t {
                findings.push(place.finding(Severity::Error, "monthly.cumulative_below_month", &ind.cell, &format!("指标{}", ind.id), &format!("{t}/{c}"),
                    format!("指标{}的累积数({c})小于本月数({t})：累积数应包含本月，请核对", ind.id)));
            }
        }
    }
    if let (Some(five), Some(part)) = (m.get("5"), m.get("5.1")) {
        for (label, whole, sub) in [("本月", five.this_month, part.this_month), ("累积", five.cumulative, part.cumulative)] {
            if let (Some(w), Some(s)) = (whole, sub) {
                if s > w {
                    findings.push(place.finding(Severity::Error, "monthly.part_exceeds_whole", &part.cell, "指标5.1", &format!("{w}({s})"),
                        format!("{label}“其中查处未公示”数({s})大于查处问题小区数({w})：“其中”数不能超过总数")));
                }
            }
        }
    }
    if !m.month.is_empty() && m.month.as_str() < final_month {
        if let Some(ind) = m.get("13") {
            if ind.this_month.unwrap_or(0) > 0 || ind.cumulative.unwrap_or(0) > 0 {
                findings.push(place.finding(Severity::Warning, "monthly.final_only_early", &ind.cell, "指标13", &format!("{:?}/{:?}", ind.this_month, ind.cumulative),
                    format!("指标13“美好家园”项目数在活动结束时（{final_month}）才填报，{}不应填写：请核对", m.month)));
            }
        }
    }
    findings
}

/// This month's 累积 = last month's 累积 + this month's 本月, when last month is known.
pub fn check_month_over_month(this: &Monthly, last: &Monthly) -> Vec<Finding> {
    let place = Place { path: this.path.clone(), sheet: this.sheet.clone() };
    let mut findings = Vec::new();
    for ind in &this.indicators {
        if crate::model::single_column(ind.id) || ind.id == "13" {
            continue;
        }
        let Some(prev) = last.get(ind.id).and_then(|i| i.cumulative) else { continue };
        if let (Some(t), Some(c)) = (ind.this_month, ind.cumulative) {
            if prev + t != c {
                findings.push(place.finding(Severity::Warning, "monthly.cumulative_mismatch", &ind.cell, &format!("指标{}", ind.id), &format!("{t}/{c}"),
                    format!("指标{}：上月累积{prev} + 本月{t} = {}，但本月累积填的是{c}（上月见 {}）：请核对", ind.id, prev + t, last.path)));
            }
        }
    }
    findings
}

/// The configured unit a written unit name means: `东湖风景区公安分局` → `区公安分局`.
pub fn canonical_unit(raw: &str, district: &str, units: &[String]) -> Option<String> {
    let core = unit_core(raw, district);
    if core.is_empty() {
        return None;
    }
    units
        .iter()
        .find(|u| {
            let uc = unit_core(u, district);
            !uc.is_empty() && (uc == core || core.contains(&uc) || uc.contains(&core))
        })
        .cloned()
}

/// A unit name without the district, the leading 区, bracketed parts and 盖章.
fn unit_core(raw: &str, district: &str) -> String {
    let mut s = crate::clean::clean_text(raw);
    let mut out = String::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = i32::max(depth - 1, 0),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    s = match_key(&out);
    // `东湖风景区公安分局` → `公安分局`; a longer official name (`东湖生态旅游风景区公安分局`)
    // still matches by containment in `canonical_unit`.
    let district = match_key(district);
    if !district.is_empty() && s.len() > district.len() {
        if let Some(rest) = s.strip_prefix(&district) {
            s = rest.to_string();
        }
    }
    s = s.replace("盖章", "");
    s.trim_start_matches('区').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Indicator;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn item(desc: bool, responsible: &str, deadline: DeadlineValue) -> Item {
        Item {
            row: 5,
            item_no: 1,
            description: if desc { "问题".into() } else { String::new() },
            has_problem: desc,
            described_done: false,
            responsible: responsible.into(),
            phone: String::new(),
            deadline,
            deadline_raw: String::new(),
            extra: vec![],
            status: ItemStatus::NoProblem,
            days_overdue: None,
        }
    }

    #[test]
    fn statuses_at_the_as_of_date() {
        let as_of = d(2021, 11, 20);
        assert_eq!(item_status(&item(false, "", DeadlineValue::None), as_of), (ItemStatus::NoProblem, None));
        assert_eq!(item_status(&item(true, "王", DeadlineValue::Done), as_of), (ItemStatus::Done, None));
        assert_eq!(item_status(&item(true, "王", DeadlineValue::LongTerm), as_of), (ItemStatus::LongTerm, None));
        assert_eq!(item_status(&item(true, "王", DeadlineValue::None), as_of), (ItemStatus::MissingDeadline, None));
        assert_eq!(item_status(&item(true, "王", DeadlineValue::Date(d(2021, 11, 10))), as_of), (ItemStatus::Overdue, Some(10)));
        assert_eq!(item_status(&item(true, "王", DeadlineValue::Date(as_of)), as_of), (ItemStatus::InProgress, None));
        assert_eq!(item_status(&item(true, "", DeadlineValue::Date(d(2021, 12, 1))), as_of), (ItemStatus::MissingResponsible, None));
        let mut done = item(true, "王", DeadlineValue::Date(d(2021, 10, 1)));
        done.described_done = true;
        assert_eq!(item_status(&done, as_of).0, ItemStatus::Done);
    }

    fn monthly(values: &[(&'static str, Option<i64>, Option<i64>)], month: &str) -> Monthly {
        Monthly {
            path: "a.xlsx".into(),
            sheet: "Sheet1".into(),
            unit: "区经发局".into(),
            unit_raw: String::new(),
            month: month.into(),
            compiler: String::new(),
            contact: String::new(),
            indicators: values.iter().map(|&(id, t, c)| Indicator { id, this_month: t, cumulative: c, cell: "C6".into() }).collect(),
            cases: String::new(),
            experience: String::new(),
        }
    }

    fn codes(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.code).collect()
    }

    #[test]
    fn stock_sum_must_add_up() {
        let ok = monthly(&[("1", Some(10), None), ("2", Some(6), None), ("3", Some(4), None)], "2021-10");
        assert!(check_monthly(&ok, "2021-11").is_empty());
        let bad = monthly(&[("1", Some(10), None), ("2", Some(6), None), ("3", Some(5), None)], "2021-10");
        assert_eq!(codes(&check_monthly(&bad, "2021-11")), ["monthly.sum_mismatch"]);
    }

    #[test]
    fn cumulative_part_and_final_month_rules() {
        let m = monthly(&[("4", Some(5), Some(3)), ("5", Some(2), Some(4)), ("5.1", Some(3), Some(3)), ("13", Some(1), Some(1))], "2021-10");
        assert_eq!(codes(&check_monthly(&m, "2021-11")), ["monthly.cumulative_below_month", "monthly.part_exceeds_whole", "monthly.final_only_early"]);
        let final_month = monthly(&[("13", Some(1), Some(1))], "2021-11");
        assert!(check_monthly(&final_month, "2021-11").is_empty());
    }

    #[test]
    fn month_over_month_cumulative() {
        let last = monthly(&[("4", Some(2), Some(2)), ("6", Some(1), Some(1))], "2021-09");
        let this = monthly(&[("4", Some(3), Some(5)), ("6", Some(1), Some(3))], "2021-10");
        let f = check_month_over_month(&this, &last);
        assert_eq!(codes(&f), ["monthly.cumulative_mismatch"]);
        assert_eq!(f[0].field, "指标6");
    }

    #[test]
    fn units_match_configured_names() {
        let units: Vec<String> = crate::config::Settings::default().units;
        let c = |raw: &str| canonical_unit(raw, "东湖风景区", &units);
        assert_eq!(c("东湖风景区公安分局").as_deref(), Some("区公安分局"));
        assert_eq!(c("东湖风景区建设（房管）局").as_deref(), Some("区建设（房管）局"));
        assert_eq!(c("东湖风景区城乡工作办事处").as_deref(), Some("区城乡工作办事处（民政）"));
        assert_eq!(c("区市场监管局").as_deref(), Some("区市场监管局"));
        assert_eq!(c("东湖风景区经发局").as_deref(), Some("区经发局"));
        assert_eq!(c("某某街道办事处"), None);
        assert_eq!(c("东湖生态旅游风景区公安分局").as_deref(), Some("区公安分局"));
        // One level up, the units are districts.
        let districts = vec!["东湖风景区".to_string(), "洪山区".to_string()];
        assert_eq!(canonical_unit("东湖风景区", "武汉市", &districts).as_deref(), Some("东湖风景区"));
        assert_eq!(canonical_unit("武汉市洪山区", "武汉市", &districts).as_deref(), Some("洪山区"));
        assert_eq!(c(""), None);
    }
}
