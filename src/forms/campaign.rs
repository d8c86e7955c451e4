//! The campaign calendar (`docs/contract.md`, "Configuration"): its phases and their dates, the notice's defaults.

use super::Month;
use chrono::NaiveDate;

/// One phase of the campaign, both dates included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phase {
    pub name: &'static str,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, m, d).expect("a real date")
}

/// The notice's phases: 动员部署 until 09-07, 自查自纠 09-07..09-30, 集中整治 10-01..11-14,
/// 总结巩固 11-15..11-30. (动员部署 starts with the notice; its start is not a date of the plan.)
pub fn phases() -> [Phase; 4] {
    [
        Phase { name: "动员部署", start: date(8, 1), end: date(9, 7) },
        Phase { name: "自查自纠", start: date(9, 7), end: date(9, 30) },
        Phase { name: "集中整治", start: date(10, 1), end: date(11, 14) },
        Phase { name: "总结巩固", start: date(11, 15), end: date(11, 30) },
    ]
}

/// The phases a month falls in, as the overview names them (`集中整治（10月1日—11月14日）`),
/// or that it lies outside the campaign.
pub fn describe(month: Month) -> String {
    let first = NaiveDate::from_ymd_opt(month.year(), month.month(), 1).expect("a month's first day");
    let next = month_after(month);
    let last = next.pred_opt().expect("a day before");
    let words: Vec<String> = phases()
        .iter()
        .filter(|p| p.start <= last && p.end >= first)
        .map(|p| format!("{}（{}—{}）", p.name, p.start.format("%-m月%-d日"), p.end.format("%-m月%-d日")))
        .collect();
    if words.is_empty() {
        "不在活动期内".to_string()
    } else {
        words.join("、")
    }
}

fn month_after(month: Month) -> NaiveDate {
    let (y, m) = if month.month() == 12 { (month.year() + 1, 1) } else { (month.year(), month.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).expect("a month's first day")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_month_names_its_phases() {
        let m = |mo| describe(Month::new(2021, mo).unwrap());
        assert_eq!(m(10), "集中整治（10月1日—11月14日）");
        assert_eq!(m(11), "集中整治（10月1日—11月14日）、总结巩固（11月15日—11月30日）");
        assert_eq!(m(9), "动员部署（8月1日—9月7日）、自查自纠（9月7日—9月30日）");
        assert_eq!(m(12), "不在活动期内");
    }
}
