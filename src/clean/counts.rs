//! Counts in 附件2 as people type them: digits, units, full width, Chinese numerals, dashes,
//! an embedded “其中” part; blank is never zero.

use super::{chinese_numeral, clean_text};
use regex::Regex;
use std::sync::LazyLock;

/// How a count was read, for the finding that goes with it.
#[derive(Debug, Clone, PartialEq)]
pub enum CountNote {
    /// `12件`: the unit word was dropped (info).
    UnitStripped,
    /// `１２`: full-width digits folded (accepted without a finding).
    FullWidth,
    /// `十二`: a Chinese numeral (warning: please write digits).
    ChineseNumeral,
    /// `/`, `—`, `无`: read as 0 (info).
    DashAsZero,
    /// `1,200` or `12.0`: thousands separators or an integral decimal (info).
    Reformatted,
}

/// A cell of a count indicator.
#[derive(Debug, Clone, PartialEq)]
pub enum Count {
    /// Nothing written: not reported, never 0.
    Blank,
    /// A count, with an optional embedded part (`5（2）`, `5(其中2)`) and how it was read.
    Value { value: i64, part: Option<i64>, notes: Vec<CountNote> },
    /// Negative, fractional or unreadable: the message says which.
    Invalid(String),
}

const COUNT_UNITS: [&str; 10] = ["人次", "件", "个", "次", "份", "家", "起", "人", "户", "项"];

static RE_THOUSANDS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,3}(?:,\d{3})+$").unwrap());
static RE_DECIMAL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d+\.\d+$").unwrap());
static RE_WITH_PART: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(.+?)\((?:其中[:：,，]?)?(.+?)\)$").unwrap());

/// Read a count typed as text (see docs/contract.md, “附件2 的数量”).
pub fn parse_count_text(raw: &str) -> Count {
    let folded = clean_text(raw);
    if folded.is_empty() {
        return Count::Blank;
    }
    let mut notes = Vec::new();
    if raw.chars().any(|c| ('\u{FF10}'..='\u{FF19}').contains(&c)) {
        notes.push(CountNote::FullWidth);
    }
    let t: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    if matches!(t.as_str(), "/" | "-" | "—" | "——" | "无" | "--" | "–") {
        return Count::Value { value: 0, part: None, notes: vec![CountNote::DashAsZero] };
    }
    if let Some(c) = RE_WITH_PART.captures(&t) {
        let main = plain_count(&c[1], &mut notes);
        let part = plain_count(&c[2], &mut notes);
        return match (main, part) {
            (Ok(value), Ok(part)) => Count::Value { value, part: Some(part), notes },
            (Err(e), _) => invalid(&c[1], e),
            (_, Err(e)) => invalid(&c[2], e),
        };
    }
    match plain_count(&t, &mut notes) {
        Ok(value) => Count::Value { value, part: None, notes },
        Err(e) => invalid(&t, e),
    }
}

/// Why a typed count cannot be used; shown after the value as typed (`“2.5”带小数，…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadCount {
    /// `是`, `否`, `有`, `没有`.
    YesNo,
    Negative,
    Fractional,
    /// Infinite or not a number.
    NotFinite,
    /// Over a trillion: a pasted phone number or ID, not a count.
    TooLarge,
    /// Text that is no number at all (`若干`).
    Unreadable,
}

impl std::fmt::Display for BadCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BadCount::YesNo => "不是数量，请填写阿拉伯数字",
            BadCount::Negative => "是负数，数量不能为负",
            BadCount::Fractional => "带小数，数量应为整数",
            BadCount::NotFinite => "不是有效数字",
            BadCount::TooLarge => "大得不合理",
            BadCount::Unreadable => "无法识别为数量，请填写阿拉伯数字",
        })
    }
}

/// A count that cannot be used, with the text as typed.
fn invalid(t: &str, why: BadCount) -> Count {
    Count::Invalid(format!("“{t}”{why}"))
}

fn plain_count(t: &str, notes: &mut Vec<CountNote>) -> Result<i64, BadCount> {
    let mut s = t.trim();
    for unit in COUNT_UNITS {
        if let Some(stripped) = s.strip_suffix(unit) {
            s = stripped.trim();
            notes.push(CountNote::UnitStripped);
            break;
        }
    }
    if matches!(s, "是" | "否" | "有" | "没有") {
        return Err(BadCount::YesNo);
    }
    if let Ok(v) = s.parse::<i64>() {
        return if v < 0 { Err(BadCount::Negative) } else { Ok(v) };
    }
    if RE_THOUSANDS.is_match(s) {
        notes.push(CountNote::Reformatted);
        return s.replace(',', "").parse::<i64>().map_err(|_| BadCount::TooLarge);
    }
    // Only a plain decimal is a number here: `1e3`, `inf` or `0x10` are not what people type.
    if RE_DECIMAL.is_match(s) {
        let value = number_as_count(s.parse::<f64>().map_err(|_| BadCount::Unreadable)?)?;
        notes.push(CountNote::Reformatted);
        return Ok(value);
    }
    if s.starts_with('-') && RE_DECIMAL.is_match(&s[1..]) {
        return Err(BadCount::Negative);
    }
    if let Some(v) = chinese_numeral(s) {
        notes.push(CountNote::ChineseNumeral);
        return Ok(v);
    }
    Err(BadCount::Unreadable)
}

/// A count stored as a number cell.
pub fn number_as_count(f: f64) -> Result<i64, BadCount> {
    if !f.is_finite() {
        return Err(BadCount::NotFinite);
    }
    if f < 0.0 {
        return Err(BadCount::Negative);
    }
    if f.fract() != 0.0 {
        return Err(BadCount::Fractional);
    }
    if f > 1e12 {
        return Err(BadCount::TooLarge);
    }
    Ok(f as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_in_every_typed_shape() {
        let v = |raw: &str| match parse_count_text(raw) {
            Count::Value { value, part, notes } => (value, part, notes),
            other => panic!("{raw:?} gave {other:?}"),
        };
        assert_eq!(v("12"), (12, None, vec![]));
        assert_eq!(v(" 12 "), (12, None, vec![]));
        assert_eq!(v("12件"), (12, None, vec![CountNote::UnitStripped]));
        assert_eq!(v("１２"), (12, None, vec![CountNote::FullWidth]));
        assert_eq!(v("十二"), (12, None, vec![CountNote::ChineseNumeral]));
        assert_eq!(v("两个"), (2, None, vec![CountNote::UnitStripped, CountNote::ChineseNumeral]));
        assert_eq!(v("/"), (0, None, vec![CountNote::DashAsZero]));
        assert_eq!(v("—"), (0, None, vec![CountNote::DashAsZero]));
        assert_eq!(v("无"), (0, None, vec![CountNote::DashAsZero]));
        assert_eq!(v("5（2）"), (5, Some(2), vec![]));
        assert_eq!(v("5(其中2)"), (5, Some(2), vec![]));
        assert_eq!(v("21（11）"), (21, Some(11), vec![]));
        assert_eq!(v("12.0"), (12, None, vec![CountNote::Reformatted]), "said, no longer silent");
    }

    #[test]
    fn blank_is_not_zero_and_bad_counts_are_invalid() {
        assert_eq!(parse_count_text("  "), Count::Blank);
        assert!(matches!(parse_count_text("-3"), Count::Invalid(_)));
        assert!(matches!(parse_count_text("2.5"), Count::Invalid(_)));
        assert!(matches!(parse_count_text("是"), Count::Invalid(_)));
        assert!(matches!(parse_count_text("若干"), Count::Invalid(_)));
        assert_eq!(number_as_count(3.0), Ok(3));
        assert!(number_as_count(-1.0).is_err());
        assert!(number_as_count(1.5).is_err());
    }

    #[test]
    fn separators_and_integral_decimals_are_read_with_a_note() {
        assert_eq!(parse_count_text("1,200"), Count::Value { value: 1200, part: None, notes: vec![CountNote::Reformatted] });
        assert_eq!(parse_count_text("12.0"), Count::Value { value: 12, part: None, notes: vec![CountNote::Reformatted] });
        assert_eq!(parse_count_text("1,200件"), Count::Value { value: 1200, part: None, notes: vec![CountNote::UnitStripped, CountNote::Reformatted] });
    }

    #[test]
    fn a_text_only_partly_a_number_is_invalid() {
        for t in ["1e3", "inf", "NaN", "0x10", "1,20", "12个左右", "约12", "12-15", "3+2", "-2.5", "2.5"] {
            assert!(matches!(parse_count_text(t), Count::Invalid(_)), "{t}: {:?}", parse_count_text(t));
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Whatever text is taken for a count, the count printed plainly reads back as itself.
            #[test]
            fn an_accepted_count_prints_and_reads_back(t in "[0-9,.件个次十二三一 /—无-]{1,8}") {
                if let Count::Value { value, part: None, .. } = parse_count_text(&t) {
                    prop_assert_eq!(parse_count_text(&value.to_string()), Count::Value { value, part: None, notes: vec![] }, "{}", t);
                }
            }
        }
    }
}
