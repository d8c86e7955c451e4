//! Deadlines and fill dates as people type them: full dates, dates without a year, month
//! parts (`10月底`, `中旬`), ranges, Excel serials; an impossible date is an error, never a guess.

use super::{chinese_numeral, clean_text, header_key};
use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

/// What a deadline cell says.
#[derive(Debug, Clone, PartialEq)]
pub enum Deadline {
    /// Nothing written.
    Empty,
    /// A date, with a note when part of it was inferred (year taken from the fill date,
    /// `月底` read as the last day...).
    Date(NaiveDate, Option<String>),
    /// The cell says the work is finished (`已整改`, `已于9月25日整改完毕`).
    Done,
    /// The cell says the work is continuous (`长期坚持`, `持续整改`).
    LongTerm,
    /// A date that does not exist (`9月31日`): an error, never a guess.
    Impossible(String),
    /// Text that is not a date.
    Unreadable,
}

const DONE_WORDS: [&str; 9] = ["已整改", "已完成", "立行立改", "整改完毕", "已办结", "已处理", "已解决", "整改完成", "已落实"];
const LONG_TERM_WORDS: [&str; 5] = ["长期坚持", "持续整改", "长期", "持续", "常态化"];

/// True when a text says the rectification is finished.
pub fn says_done(text: &str) -> bool {
    let t = header_key(text);
    DONE_WORDS.iter().any(|w| t.contains(w)) && !t.contains("未完成") && !t.contains("未整改")
}

/// True when a text says the rectification is continuous, never overdue.
pub fn says_long_term(text: &str) -> bool {
    let t = header_key(text);
    LONG_TERM_WORDS.iter().any(|w| t.contains(w))
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

fn ymd(year: i32, month: u32, day: u32, raw: &str) -> Result<NaiveDate, Deadline> {
    if !(1..=12).contains(&month) {
        return Err(Deadline::Impossible(format!("月份“{month}”不存在")));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| Deadline::Impossible(format!("“{raw}”不是真实存在的日期（{year}年{month}月没有{day}日）")))
}

/// Excel's serial day numbers (1900 system) for 1990..2100: a number in this range in a date
/// column is a date stored without a date format.
pub fn excel_serial_to_date(serial: f64) -> Option<NaiveDate> {
    if !(32874.0..=73051.0).contains(&serial) || serial.fract() != 0.0 {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(serial as u64))
}

static RE_FULL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?").unwrap());
static RE_COMPACT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{4})(\d{2})(\d{2})$").unwrap());
static RE_MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]").unwrap());
static RE_DOTTED_MD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{1,2})[./](\d{1,2})(?:前|之前)?$").unwrap());
static RE_MONTH_PART: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:(\d{4})\s*年)?\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份?\s*(上旬|中旬|下旬|底|末|中|初|前|份)?").unwrap());
static RE_YEAR_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:(\d{4})\s*年)?(年底|年末|年内)").unwrap());
static RE_RANGE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(.+?[日号])\s*(?:-|~|～|至|到|—|–)+\s*(.+)$").unwrap());
static RE_NATIONAL_DAY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"国庆节?").unwrap());
static RE_CN_YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"([〇○零一二三四五六七八九]{4})年").unwrap());
static RE_CN_MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"([一二三四五六七八九十]{1,3})([月日号])").unwrap());
static RE_WEEKDAY_OR_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[(（]?(?:星期|周|礼拜)[一二三四五六日天][)）]?|\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?|\d{1,2}[时点](?:\d{1,2}分)?(?:\d{1,2}秒)?)").unwrap()
});

/// Words that may stand before a deadline without changing it (`于2021年10月15日`).
const LEADING: [&str; 9] = ["", "于", "在", "截止", "截至", "截止到", "截止于", "最迟", "最晚"];
/// Words that may follow it (`…前完成`), after any weekday in brackets or time of day.
const TRAILING: [&str; 14] =
    ["", "前", "之前", "以前", "前完成", "之前完成", "完成", "止", "为止", "前完成整改", "完成整改", "前整改完成", "前整改到位", "整改到位"];

/// The text around a date that was understood is only words that do not change it: a date is
/// read whole or not at all (`2021年10月15日左右` is not 15 October).
fn only_additions(t: &str, found: &regex::Match) -> bool {
    let mut after = &t[found.end()..];
    while let Some(m) = RE_WEEKDAY_OR_TIME.find(after) {
        after = &after[m.end()..];
    }
    LEADING.contains(&&t[..found.start()]) && TRAILING.contains(&after)
}

/// Dates in the official-document style, with Chinese numerals (`二〇二一年十月十五日`,
/// `二零二一年十一月一日`, `十月十五日`), rewritten with digits.
fn arabic_dates(t: &str) -> String {
    let t = RE_CN_YEAR.replace_all(t, |c: &regex::Captures| {
        let digits: String = c[1]
            .chars()
            .map(|d| {
                if matches!(d, '〇' | '○' | '零') {
                    '0'
                } else {
                    char::from_digit(chinese_numeral(&d.to_string()).unwrap_or(0) as u32, 10).unwrap_or('0')
                }
            })
            .collect();
        format!("{digits}年")
    });
    RE_CN_MONTH_DAY
        .replace_all(&t, |c: &regex::Captures| match chinese_numeral(&c[1]) {
            Some(n) => format!("{n}{}", &c[2]),
            None => c[0].to_string(),
        })
        .into_owned()
}

/// Parse a deadline as people type it. `default_year` is the fill date's year, used when the
/// text has no year.
pub fn parse_deadline(raw: &str, default_year: i32) -> Deadline {
    let text = clean_text(raw);
    if text.is_empty() || matches!(text.as_str(), "/" | "-" | "—" | "无") {
        return Deadline::Empty;
    }
    if says_done(&text) {
        return Deadline::Done;
    }
    if says_long_term(&text) {
        return Deadline::LongTerm;
    }
    let compact: String = arabic_dates(&text.chars().filter(|c| !c.is_whitespace()).collect::<String>());
    if let Some(caps) = RE_RANGE.captures(&compact) {
        // `9月20日-10月15日`: the work must be finished by the end of the range.
        let end = caps[2].to_string();
        let start_year = RE_FULL.captures(&caps[1]).and_then(|c| c[1].parse().ok());
        return match parse_deadline(&end, start_year.unwrap_or(default_year)) {
            Deadline::Date(d, _) => Deadline::Date(d, Some(format!("按时间段“{compact}”的结束日期计"))),
            other => other,
        };
    }
    match parse_date_text(&compact, default_year) {
        Ok(found) => found,
        Err(bad) => bad,
    }
}

fn parse_date_text(t: &str, default_year: i32) -> Result<Deadline, Deadline> {
    let num = |s: &str| -> u32 { s.parse().unwrap_or(0) };
    // An Excel serial that lost its date format on the way (`44484` typed or pasted as text).
    if t.len() == 5 && t.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(d) = excel_serial_to_date(num(t) as f64) {
            return Ok(Deadline::Date(d, Some(format!("“{t}”是Excel日期序号"))));
        }
    }
    // A pattern found in the text counts only if the rest of the text changes nothing.
    let whole = |re: &Regex| -> Result<Option<regex::Captures>, Deadline> {
        match re.captures(t) {
            Some(c) if !only_additions(t, &c.get(0).expect("a match")) => Err(Deadline::Unreadable),
            found => Ok(found),
        }
    };
    if let Some(c) = whole(&RE_FULL)?.or_else(|| RE_COMPACT.captures(t)) {
        return Ok(Deadline::Date(ymd(num(&c[1]) as i32, num(&c[2]), num(&c[3]), t)?, None));
    }
    if let Some(c) = whole(&RE_MONTH_DAY)?.or_else(|| RE_DOTTED_MD.captures(t)) {
        let d = ymd(default_year, num(&c[1]), num(&c[2]), t)?;
        return Ok(Deadline::Date(d, Some(format!("未写年份，按填报年份{default_year}年计"))));
    }
    if let Some(c) = whole(&RE_YEAR_END)? {
        let year = c.get(1).map_or(default_year, |y| num(y.as_str()) as i32);
        return Ok(Deadline::Date(ymd(year, 12, 31, t)?, Some(format!("“{}”按{year}年12月31日计", &c[2]))));
    }
    if whole(&RE_NATIONAL_DAY)?.is_some() {
        let d = ymd(default_year, 10, 1, t)?;
        return Ok(Deadline::Date(d, Some(format!("“国庆前”按{default_year}年10月1日计"))));
    }
    match whole(&RE_MONTH_PART)? {
        Some(c) => month_part(t, &c, default_year),
        None => Err(Deadline::Unreadable),
    }
}

/// `10月底`, `十月中旬`, `2021年11月上旬`: a day stands for the part of the month.
fn month_part(t: &str, c: &regex::Captures, default_year: i32) -> Result<Deadline, Deadline> {
    let year = c.get(1).map_or(default_year, |y| y.as_str().parse().unwrap_or(0));
    let month_text = &c[2];
    let month = month_text.parse::<u32>().ok().or_else(|| chinese_numeral(month_text).map(|m| m as u32)).unwrap_or(0);
    if !(1..=12).contains(&month) {
        return Err(Deadline::Impossible(format!("月份“{month_text}”不存在")));
    }
    let (day, label) = match c.get(3).map_or("", |m| m.as_str()) {
        "上旬" | "初" => (10, "上旬按10日计"),
        "中旬" | "中" => (20, "中旬按20日计"),
        _ => (0, "按当月最后一天计"),
    };
    let d = if day == 0 { last_day_of_month(year, month) } else { NaiveDate::from_ymd_opt(year, month, day) };
    let d = d.ok_or(Deadline::Unreadable)?;
    let mut note = format!("“{t}”{label}");
    if c.get(1).is_none() {
        note.push_str(&format!("，未写年份按{year}年计"));
    }
    Ok(Deadline::Date(d, Some(note)))
}

/// What a fill date cell says.
#[derive(Debug, Clone, PartialEq)]
pub enum FillDate {
    /// No complete date (blank, `2021年  月  日`, words).
    Blank,
    Date(NaiveDate),
    /// A date that does not exist, and why.
    Impossible(String),
}

/// Parse a fill date (`填报日期：2021年9月25日`, `2021.10.28`): only complete dates count.
pub fn parse_fill_date(raw: &str) -> FillDate {
    // Blanks of a printed form are spaces or underlines (`2021年__10__月__15__日`), both dropped.
    let t = arabic_dates(&clean_text(raw).chars().filter(|c| !c.is_whitespace() && !matches!(c, '_' | '＿')).collect::<String>());
    if t.is_empty() || !t.chars().any(|c| c.is_ascii_digit()) || t == "2021年月日" {
        return FillDate::Blank;
    }
    match parse_date_text(&t, 0) {
        Ok(Deadline::Date(d, None)) => FillDate::Date(d),
        Err(Deadline::Impossible(why)) => FillDate::Impossible(why),
        Ok(_) | Err(_) => FillDate::Blank,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn date_of(raw: &str) -> NaiveDate {
        match parse_deadline(raw, 2021) {
            Deadline::Date(d, _) => d,
            other => panic!("{raw:?} gave {other:?}"),
        }
    }

    #[test]
    fn every_spec_date_form() {
        assert_eq!(date_of("2021年10月15日"), d(2021, 10, 15));
        assert_eq!(date_of("2021.10.15"), d(2021, 10, 15));
        assert_eq!(date_of("2021/10/15"), d(2021, 10, 15));
        assert_eq!(date_of("2021-10-15"), d(2021, 10, 15));
        assert_eq!(date_of("20211015"), d(2021, 10, 15));
        assert_eq!(date_of("２０２１年１０月１５日"), d(2021, 10, 15));
        assert_eq!(date_of("2021.12.5"), d(2021, 12, 5));
        assert_eq!(date_of("2021年10月15号"), d(2021, 10, 15));
        assert_eq!(date_of("44484"), d(2021, 10, 15));
        assert_eq!(parse_deadline("12345", 2021), Deadline::Unreadable);
    }

    #[test]
    fn dates_without_year_take_the_fill_year() {
        assert_eq!(parse_deadline("10月15日", 2022), Deadline::Date(d(2022, 10, 15), Some("未写年份，按填报年份2022年计".into())));
        assert_eq!(date_of("10.15"), d(2021, 10, 15));
    }

    #[test]
    fn month_parts() {
        assert_eq!(date_of("10月底"), d(2021, 10, 31));
        assert_eq!(date_of("11月底前"), d(2021, 11, 30));
        assert_eq!(date_of("10月中旬"), d(2021, 10, 20));
        assert_eq!(date_of("10月上旬"), d(2021, 10, 10));
        assert_eq!(date_of("10月下旬"), d(2021, 10, 31));
        assert_eq!(date_of("2021年12月底"), d(2021, 12, 31));
        assert_eq!(date_of("2月底"), d(2021, 2, 28));
        assert_eq!(date_of("年底前"), d(2021, 12, 31));
        assert_eq!(date_of("十月底"), d(2021, 10, 31));
        assert_eq!(date_of("2021年10月"), d(2021, 10, 31));
        assert_eq!(date_of("国庆前"), d(2021, 10, 1));
    }

    #[test]
    fn ranges_take_their_end() {
        assert_eq!(date_of("9月20日-10月15日"), d(2021, 10, 15));
        assert_eq!(date_of("2021年9月20日至2021年10月15日"), d(2021, 10, 15));
    }

    #[test]
    fn impossible_dates_are_errors_not_guesses() {
        assert!(matches!(parse_deadline("2021年9月31日", 2021), Deadline::Impossible(_)));
        assert!(matches!(parse_deadline("9月31日", 2021), Deadline::Impossible(_)));
        assert!(matches!(parse_deadline("2021.13.01", 2021), Deadline::Impossible(_)));
        assert!(matches!(parse_deadline("2021年2月29日", 2021), Deadline::Impossible(_)));
    }

    #[test]
    fn status_words_in_the_deadline_cell() {
        assert_eq!(parse_deadline("已整改", 2021), Deadline::Done);
        assert_eq!(parse_deadline("已于9月25日整改完毕", 2021), Deadline::Done);
        assert_eq!(parse_deadline("立行立改", 2021), Deadline::Done);
        assert_eq!(parse_deadline("长期坚持", 2021), Deadline::LongTerm);
        assert_eq!(parse_deadline("持续整改", 2021), Deadline::LongTerm);
        assert_eq!(parse_deadline("", 2021), Deadline::Empty);
        assert_eq!(parse_deadline("尽快", 2021), Deadline::Unreadable);
    }

    #[test]
    fn excel_serials() {
        assert_eq!(excel_serial_to_date(44484.0), Some(d(2021, 10, 15)));
        assert_eq!(excel_serial_to_date(12.0), None);
        assert_eq!(excel_serial_to_date(44484.5), None);
    }

    #[test]
    fn fill_dates() {
        assert_eq!(parse_fill_date("2021年9月25日"), FillDate::Date(d(2021, 9, 25)));
        assert_eq!(parse_fill_date("2021年    月   日"), FillDate::Blank);
        // A printed form's blanks filled on the underlines, and left empty.
        assert_eq!(parse_fill_date("2021年__10__月__15__日"), FillDate::Date(d(2021, 10, 15)));
        assert_eq!(parse_fill_date("2021年＿＿月＿＿日"), FillDate::Blank);
        assert_eq!(parse_fill_date("2021年　10　月　15　日"), FillDate::Date(d(2021, 10, 15)));
        assert_eq!(parse_fill_date(""), FillDate::Blank);
        assert!(matches!(parse_fill_date("2021年9月31日"), FillDate::Impossible(_)));
    }

    #[test]
    fn official_document_style_with_chinese_numerals() {
        assert_eq!(date_of("二〇二一年十月十五日"), d(2021, 10, 15));
        assert_eq!(date_of("二零二一年十一月一日"), d(2021, 11, 1));
        assert_eq!(date_of("十月十五日"), d(2021, 10, 15));
        assert_eq!(date_of("二〇二一年十二月三十一日前"), d(2021, 12, 31));
        assert_eq!(parse_fill_date("二〇二一年九月二十五日"), FillDate::Date(d(2021, 9, 25)));
    }

    #[test]
    fn known_additions_are_understood() {
        for text in [
            "2021年10月15日前",
            "2021年10月15日之前",
            "2021年10月15日前完成",
            "于2021年10月15日前完成整改",
            "2021年10月15日（星期五）",
            "2021-10-15 00:00:00",
            "2021/10/15 17:30",
            "2021.10.15(周五)前",
            "截止2021年10月15日",
        ] {
            assert_eq!(parse_deadline(text, 2021), Deadline::Date(d(2021, 10, 15), None), "{text}");
        }
    }

    #[test]
    fn a_date_only_partly_understood_is_unreadable() {
        for text in ["2021年10月15日左右", "大约2021年10月15日", "10月15日或更晚", "2021年10月15日看情况", "争取10月底", "国庆后", "年底再说"]
        {
            assert_eq!(parse_deadline(text, 2021), Deadline::Unreadable, "{text}");
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Whatever text the parser takes for a date, the date printed plainly reads back
            /// as that date.
            #[test]
            fn an_accepted_date_prints_and_reads_back(t in "[0-9年月日号前之完成./ \\-底中上下旬初末十一二三〇零()星期五:]{1,16}") {
                if let Deadline::Date(d, _) = parse_deadline(&t, 2021) {
                    let printed = d.format("%Y年%-m月%-d日").to_string();
                    prop_assert_eq!(parse_deadline(&printed, 2021), Deadline::Date(d, None), "{} → {}", t, printed);
                }
            }

            /// A valid date with words around it that change its meaning is never taken.
            #[test]
            fn random_words_around_a_date_are_never_accepted(
                m in 1u32..=12, day in 1u32..=28,
                before in "[a-z大约争取请尽快再说看情况或更晚左右吧]{0,4}",
                after in "[a-z大约争取请尽快再说看情况或更晚左右吧]{1,4}",
            ) {
                for date in [format!("2021年{m}月{day}日"), format!("{m}月{day}日"), format!("2021-{m:02}-{day:02}")] {
                    let text = format!("{before}{date}{after}");
                    prop_assert_eq!(parse_deadline(&text, 2021), Deadline::Unreadable, "{}", text);
                }
            }
        }
    }
}
