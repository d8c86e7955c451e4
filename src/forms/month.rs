//! The report month of a 附件2 and of a run: parsed once from what people write, printed the
//! one way the tables use (`2021-10`), labelled the way the forms do (`2021年10月`).

use regex::Regex;
use std::fmt;
use std::sync::LazyLock;

/// A calendar month, ordered in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    /// The month `month` (1–12) of `year`, or `None` for a month that does not exist.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// The first month named anywhere in a text as people write it: `（2021年10月）`,
    /// `2021年 9 月`, `2021年十月`, `2021-10`, `2021.10`, a file name `经发局_2021年9月.xlsx`.
    pub fn find_in(text: &str) -> Option<Month> {
        static RE: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"(20\d{2})\s*(?:年|-|\.|/)\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月?").expect("valid regex"));
        let t = crate::clean::clean_text(text);
        let c = RE.captures(&t)?;
        let year: i32 = c[1].parse().ok()?;
        let month = c[2].parse::<u32>().ok().or_else(|| crate::clean::chinese_numeral(&c[2]).map(|m| m as u32))?;
        Month::new(year, month)
    }

    /// Exactly `YYYY-MM`, as the command line and the configuration take it.
    pub fn parse_iso(text: &str) -> Option<Month> {
        let (y, m) = text.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        Month::new(y.parse().ok()?, m.parse().ok()?)
    }

    /// The month before: `2022-01` → `2021-12`.
    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month { year: self.year - 1, month: 12 }
        } else {
            Month { year: self.year, month: self.month - 1 }
        }
    }

    /// The Chinese label used in titles and file names: `2021年10月`.
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

/// `2021-10`: the form every table and `summary.json` uses.
impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

impl<'de> serde::Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let text = String::deserialize(d)?;
        Month::parse_iso(&text).ok_or_else(|| serde::de::Error::custom(format!("应写成 YYYY-MM，现为“{text}”")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(y: i32, mo: u32) -> Month {
        Month::new(y, mo).unwrap()
    }

    #[test]
    fn found_in_what_people_write() {
        assert_eq!(Month::find_in("（2021年10月）"), Some(m(2021, 10)));
        assert_eq!(Month::find_in("2021年 9 月"), Some(m(2021, 9)));
        assert_eq!(Month::find_in("２０２１年十月"), Some(m(2021, 10)));
        assert_eq!(Month::find_in("经发局_2021年9月_月度汇总表.xlsx"), Some(m(2021, 9)));
        assert_eq!(Month::find_in("2021.10"), Some(m(2021, 10)));
        assert_eq!(Month::find_in("（2021年  月）"), None);
        assert_eq!(Month::find_in("2021年13月"), None);
    }

    #[test]
    fn iso_is_strict() {
        assert_eq!(Month::parse_iso("2021-10"), Some(m(2021, 10)));
        for bad in ["2021-1", "2021-13", "21-10", "2021/10", "2021-10-01"] {
            assert_eq!(Month::parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn previous_label_and_order() {
        assert_eq!(m(2021, 10).previous(), m(2021, 9));
        assert_eq!(m(2022, 1).previous(), m(2021, 12));
        assert_eq!(m(2021, 10).label(), "2021年10月");
        assert_eq!(m(2021, 9).to_string(), "2021-09");
        assert!(m(2021, 12) < m(2022, 1));
    }
}
