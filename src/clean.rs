//! Pure normalisation of single cell values: text, dates, phone numbers and counts.
//!
//! Every function here takes what a person typed and returns a typed value plus the notes a
//! finding needs (what was accepted, what was guessed, what is wrong). Nothing here knows about
//! files or cells; the caller attaches the location. SPEC §5 is the source of every rule.

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// Fold full-width ASCII variants to ASCII, turn the ideographic space into a space,
/// trim, and collapse inner runs of whitespace to one space.
pub fn clean_text(raw: &str) -> String {
    let folded: String = raw.chars().map(fold_char).collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Full-width forms U+FF01..U+FF5E map one-to-one onto ASCII U+0021..U+007E.
fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' => ' ',
        _ => c,
    }
}

/// A key for matching names typed by different people: folded, without any whitespace,
/// brackets or punctuation, lower-case. `东湖 春树里（一期）` and `东湖春树里(一期)` agree.
pub fn match_key(raw: &str) -> String {
    clean_text(raw)
        .chars()
        .filter(|c| !c.is_whitespace() && !is_punct(*c))
        .flat_map(|c| c.to_lowercase())
        .collect()
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '、' | '。' | '，' | '；' | '：' | '“' | '”' | '‘' | '’' | '《' | '》' | '【' | '】' | '〔' | '〕' | '—' | '…' | '·'
        )
}

/// Header texts such as `序\n号` or `整改完\n成期限`: everything but the characters removed.
pub fn header_key(raw: &str) -> String {
    clean_text(raw).chars().filter(|c| !c.is_whitespace()).collect()
}

/// True when a text looks like Chinese decoded with the wrong code page: GBK bytes read as
/// Latin-1/Windows-1252 give runs like `¶«ºþ´ºÊ÷Àï`, never a CJK character; a decoder's
/// replacement character also counts.
pub fn looks_garbled(text: &str) -> bool {
    if text.contains('\u{FFFD}') {
        return true;
    }
    let mut latin_ext = 0usize;
    let mut letters = 0usize;
    for c in text.chars() {
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            return false;
        }
        if c.is_alphanumeric() || ('\u{00A1}'..='\u{00FF}').contains(&c) {
            letters += 1;
        }
        if ('\u{00A1}'..='\u{024F}').contains(&c) {
            latin_ext += 1;
        }
    }
    latin_ext >= 2 && latin_ext * 2 >= letters
}

/// Undo the usual mojibake: Chinese saved as GBK bytes and read back as Windows-1252 or
/// Latin-1. Returns the repaired text only if it decodes cleanly and reads as Chinese.
pub fn repair_gbk_mojibake(text: &str) -> Option<String> {
    let bytes: Vec<u8> = if text.chars().all(|c| (c as u32) <= 0xFF) {
        text.chars().map(|c| c as u32 as u8).collect()
    } else {
        let (bytes, _, had_errors) = encoding_rs::WINDOWS_1252.encode(text);
        if had_errors {
            return None;
        }
        bytes.into_owned()
    };
    let repaired = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(&bytes)?;
    let cjk = repaired.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    (cjk && !looks_garbled(&repaired)).then(|| repaired.into_owned())
}

// ---------------------------------------------------------------------------------------------
// Chinese numerals

/// Parse a Chinese numeral such as `三`, `十二`, `两`, `一百零五`, `二十`. Returns `None` for
/// anything that is not purely a numeral.
pub fn chinese_numeral(s: &str) -> Option<i64> {
    if s.is_empty() {
        return None;
    }
    let mut total: i64 = 0;
    let mut section: i64 = 0;
    let mut digit: Option<i64> = None;
    for c in s.chars() {
        let d = match c {
            '零' | '〇' => Some(0),
            '一' | '壹' => Some(1),
            '二' | '两' | '贰' => Some(2),
            '三' | '叁' => Some(3),
            '四' | '肆' => Some(4),
            '五' | '伍' => Some(5),
            '六' | '陆' => Some(6),
            '七' | '柒' => Some(7),
            '八' | '捌' => Some(8),
            '九' | '玖' => Some(9),
            _ => None,
        };
        if let Some(d) = d {
            digit = Some(d);
            continue;
        }
        let unit = match c {
            '十' | '拾' => 10,
            '百' | '佰' => 100,
            '千' | '仟' => 1000,
            '万' => 10_000,
            _ => return None,
        };
        if unit == 10_000 {
            section += digit.take().unwrap_or(0);
            total += section.max(1) * 10_000;
            section = 0;
        } else {
            section += digit.take().unwrap_or(1) * unit;
        }
    }
    Some(total + section + digit.unwrap_or(0))
}

// ---------------------------------------------------------------------------------------------
// Dates

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

const DONE_WORDS: [&str; 9] = [
    "已整改", "已完成", "立行立改", "整改完毕", "已办结", "已处理", "已解决", "整改完成", "已落实",
];
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
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        Deadline::Impossible(format!("“{raw}”不是真实存在的日期（{year}年{month}月没有{day}日）"))
    })
}

/// Excel's serial day numbers (1900 system) for 1990..2100: a number in this range in a date
/// column is a date stored without a date format.
pub fn excel_serial_to_date(serial: f64) -> Option<NaiveDate> {
    if !(32874.0..=73051.0).contains(&serial) || serial.fract() != 0.0 {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(serial as u64))
}

static RE_FULL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?").unwrap()
});
static RE_COMPACT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{4})(\d{2})(\d{2})$").unwrap());
static RE_MONTH_DAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]").unwrap());
static RE_DOTTED_MD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})[./](\d{1,2})(?:前|之前)?$").unwrap());
static RE_MONTH_PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(\d{4})\s*年)?\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份?\s*(上旬|中旬|下旬|底|末|中|初|前|份)?").unwrap()
});
static RE_YEAR_END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:(\d{4})\s*年)?(年底|年末|年内)").unwrap());
static RE_RANGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.+?[日号])\s*(?:-|~|～|至|到|—|–)+\s*(.+)$").unwrap());

/// Parse a deadline as people type it. `default_year` is the fill date's year (SPEC §5),
/// used when the text has no year.
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
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
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
    if let Some(c) = RE_FULL.captures(t) {
        let d = ymd(num(&c[1]) as i32, num(&c[2]), num(&c[3]), t)?;
        return Ok(Deadline::Date(d, None));
    }
    if let Some(c) = RE_COMPACT.captures(t) {
        let d = ymd(num(&c[1]) as i32, num(&c[2]), num(&c[3]), t)?;
        return Ok(Deadline::Date(d, None));
    }
    let inferred = Some(format!("未写年份，按填报年份{default_year}年计"));
    if let Some(c) = RE_MONTH_DAY.captures(t) {
        let d = ymd(default_year, num(&c[1]), num(&c[2]), t)?;
        return Ok(Deadline::Date(d, inferred));
    }
    if let Some(c) = RE_DOTTED_MD.captures(t) {
        let d = ymd(default_year, num(&c[1]), num(&c[2]), t)?;
        return Ok(Deadline::Date(d, inferred));
    }
    if let Some(c) = RE_YEAR_END.captures(t) {
        let year = c.get(1).map_or(default_year, |y| num(y.as_str()) as i32);
        let d = ymd(year, 12, 31, t)?;
        return Ok(Deadline::Date(d, Some(format!("“{}”按{year}年12月31日计", &c[2]))));
    }
    if t.contains("国庆") {
        let d = ymd(default_year, 10, 1, t)?;
        return Ok(Deadline::Date(d, Some(format!("“国庆前”按{default_year}年10月1日计"))));
    }
    if let Some(c) = RE_MONTH_PART.captures(t) {
        let year = c.get(1).map_or(default_year, |y| num(y.as_str()) as i32);
        let month_text = &c[2];
        let month = month_text
            .parse::<u32>()
            .ok()
            .or_else(|| chinese_numeral(month_text).map(|m| m as u32))
            .unwrap_or(0);
        if !(1..=12).contains(&month) {
            return Err(Deadline::Impossible(format!("月份“{month_text}”不存在")));
        }
        let part = c.get(3).map(|m| m.as_str()).unwrap_or("");
        let (day, label) = match part {
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
        return Ok(Deadline::Date(d, Some(note)));
    }
    Err(Deadline::Unreadable)
}

/// Parse a fill date (`填报日期：2021年9月25日`, `2021.10.28`): only complete dates count.
pub fn parse_fill_date(raw: &str) -> Result<Option<NaiveDate>, String> {
    let t: String = clean_text(raw).chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() || !t.chars().any(|c| c.is_ascii_digit()) || t == "2021年月日" {
        return Ok(None);
    }
    match parse_date_text(&t, 0) {
        Ok(Deadline::Date(d, None)) => Ok(Some(d)),
        Ok(_) => Ok(None),
        Err(Deadline::Impossible(why)) => Err(why),
        Err(_) => Ok(None),
    }
}

/// A report month from `（2021年10月）`, `2021年 9 月`, `2021-10`, `2021.10`.
pub fn parse_month(raw: &str) -> Option<(i32, u32)> {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(20\d{2})\s*(?:年|-|\.|/)\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月?").unwrap());
    let t = clean_text(raw);
    let c = RE.captures(&t)?;
    let year: i32 = c[1].parse().ok()?;
    let month = c[2].parse::<u32>().ok().or_else(|| chinese_numeral(&c[2]).map(|m| m as u32))?;
    (1..=12).contains(&month).then_some((year, month))
}

// ---------------------------------------------------------------------------------------------
// Responsible person and phone

/// A responsible-person cell split into its parts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Responsible {
    /// The name(s), without the phone numbers: `周杰（项目经理）`.
    pub name: String,
    /// Valid phone numbers, normalised (`18604806358`, `027-85807478`), joined by `、`.
    pub phone: String,
    /// Digit groups that look like a phone number but are not one.
    pub malformed: Vec<String>,
}

static RE_PHONE_CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    // Digits with the separators people type inside a number: spaces, dashes, brackets, `+`.
    Regex::new(r"(?:\+?\s*86\s*[-\s]?)?\(?\d[\d\s\-()]{4,}\d(?:\s*(?:转|ext\.?|-)\s*\d{1,5})?").unwrap()
});

/// Split `黄敏/18604806358`, `陈静 027-85807478`, `周杰（项目经理）15389672958`,
/// `赵磊 154 6997 3653` into name and phone (SPEC §5).
pub fn parse_responsible(raw: &str) -> Responsible {
    let text = clean_text(raw);
    let mut phones = Vec::new();
    let mut malformed = Vec::new();
    let mut name = text.clone();
    for m in RE_PHONE_CANDIDATE.find_iter(&text) {
        let candidate = m.as_str();
        match normalise_phone(candidate) {
            Some(p) => phones.push(p),
            None => malformed.push(candidate.trim().to_string()),
        }
        name = name.replacen(candidate, " ", 1);
    }
    let name = name
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | ':' | ',' | ';' | '、' | '，' | '；' | '|'))
        .filter(|p| !p.is_empty() && !matches!(*p, "电话" | "手机" | "联系电话" | "联系方式" | "Tel" | "tel"))
        .collect::<Vec<_>>()
        .join(" ");
    let name = name.trim_end_matches(['电', '话']).trim().to_string();
    Responsible { name, phone: phones.join("、"), malformed }
}

/// A phone number in its normalised form, or `None` if it is not a valid mobile or landline.
pub fn normalise_phone(candidate: &str) -> Option<String> {
    let (main, extension) = split_extension(candidate);
    let mut digits: String = main.chars().filter(|c| c.is_ascii_digit()).collect();
    let had_plus = main.trim_start().starts_with('+');
    if digits.len() == 13 && digits.starts_with("86") && (had_plus || digits[2..].starts_with('1')) {
        digits.drain(..2);
    } else if digits.len() >= 12 && digits.starts_with("86") && had_plus {
        digits.drain(..2);
        if !digits.starts_with('0') {
            digits.insert(0, '0');
        }
    }
    let mobile = digits.len() == 11 && digits.starts_with('1') && matches!(digits.as_bytes()[1], b'3'..=b'9');
    let local_landline = digits.len() == 8 && !digits.starts_with('0') && !digits.starts_with('1');
    let base = if mobile || local_landline {
        digits
    } else if digits.len() == 11 && (digits.starts_with("01") || digits.starts_with("02")) {
        // Beijing (010) and the 02x cities have three-digit area codes and 8-digit numbers.
        format!("{}-{}", &digits[..3], &digits[3..])
    } else if (digits.len() == 11 || digits.len() == 12) && digits.starts_with('0') && !digits.starts_with("01") && !digits.starts_with("02") {
        format!("{}-{}", &digits[..4], &digits[4..])
    } else {
        return None;
    };
    Some(match extension {
        Some(ext) => format!("{base}转{ext}"),
        None => base,
    })
}

fn split_extension(candidate: &str) -> (&str, Option<String>) {
    for sep in ["转", "ext.", "ext"] {
        if let Some(i) = candidate.find(sep) {
            let ext: String = candidate[i + sep.len()..].chars().filter(|c| c.is_ascii_digit()).collect();
            return (&candidate[..i], (!ext.is_empty()).then_some(ext));
        }
    }
    // `85807478-8012`: a dash after a full landline is an extension.
    let digits_only: String = candidate.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect();
    let parts: Vec<&str> = digits_only.split('-').filter(|p| !p.is_empty()).collect();
    if parts.len() >= 2 {
        let last = parts[parts.len() - 1];
        let before: String = parts[..parts.len() - 1].concat();
        if last.len() <= 5 && (before.len() == 8 || before.len() == 11) && !before.starts_with('1') {
            if let Some(i) = candidate.rfind('-') {
                return (&candidate[..i], Some(last.to_string()));
            }
        }
    }
    (candidate, None)
}

// ---------------------------------------------------------------------------------------------
// Counts in 附件2

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

static RE_WITH_PART: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.+?)\((?:其中[:：,，]?)?(.+?)\)$").unwrap());

/// Read a count typed as text (SPEC §5).
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
        let main = parse_plain_count(&c[1], &mut notes);
        let part = parse_plain_count(&c[2], &mut notes);
        return match (main, part) {
            (Ok(value), Ok(part)) => Count::Value { value, part: Some(part), notes },
            (Err(e), _) | (_, Err(e)) => Count::Invalid(e),
        };
    }
    match parse_plain_count(&t, &mut notes) {
        Ok(value) => Count::Value { value, part: None, notes },
        Err(e) => Count::Invalid(e),
    }
}

fn parse_plain_count(t: &str, notes: &mut Vec<CountNote>) -> Result<i64, String> {
    let mut s = t.trim();
    for unit in COUNT_UNITS {
        if let Some(stripped) = s.strip_suffix(unit) {
            s = stripped.trim();
            notes.push(CountNote::UnitStripped);
            break;
        }
    }
    if matches!(s, "是" | "否" | "有" | "没有") {
        return Err(format!("“{t}”不是数量，请填写阿拉伯数字"));
    }
    if let Ok(v) = s.parse::<i64>() {
        return if v < 0 { Err(format!("“{t}”是负数，数量不能为负")) } else { Ok(v) };
    }
    if let Ok(f) = s.parse::<f64>() {
        return number_as_count(f).map_err(|e| format!("“{t}”{e}"));
    }
    if let Some(v) = chinese_numeral(s) {
        notes.push(CountNote::ChineseNumeral);
        return Ok(v);
    }
    Err(format!("“{t}”无法识别为数量，请填写阿拉伯数字"))
}

/// A count stored as a number cell.
pub fn number_as_count(f: f64) -> Result<i64, String> {
    if !f.is_finite() {
        return Err("不是有效数字".into());
    }
    if f < 0.0 {
        return Err("是负数，数量不能为负".into());
    }
    if f.fract() != 0.0 {
        return Err("带小数，数量应为整数".into());
    }
    if f > 1e12 {
        return Err("大得不合理".into());
    }
    Ok(f as i64)
}

/// The year a date belongs to, for year inference.
pub fn year_of(d: NaiveDate) -> i32 {
    d.year()
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
    fn text_is_folded_trimmed_and_collapsed() {
        assert_eq!(clean_text("  东湖\u{3000}春树里  １２号  "), "东湖 春树里 12号");
        assert_eq!(clean_text("物业公司名称（盖章）："), "物业公司名称(盖章):");
        assert_eq!(clean_text("a\n\tb"), "a b");
    }

    #[test]
    fn match_key_ignores_spaces_brackets_and_width() {
        assert_eq!(match_key("东湖 春树里（一期）"), match_key("东湖春树里(一期)"));
        assert_eq!(match_key("落雁景苑 "), "落雁景苑");
        assert_ne!(match_key("梨园小区"), match_key("梨园"));
    }

    #[test]
    fn garbled_text_is_detected() {
        assert!(looks_garbled("¶«ºþ´ºÊ÷Àï ÎïÒµÏîÄ¿"), "GBK read as Windows-1252");
        assert!(looks_garbled("Çø¹«°²·Ö¾Ö"), "GBK read as Latin-1");
        assert!(looks_garbled("东湖\u{FFFD}\u{FFFD}"));
        assert!(!looks_garbled("东湖春树里"));
        assert!(!looks_garbled("Café résumé"));
        assert!(!looks_garbled("2021年10月15日"));
        assert!(!looks_garbled("12"));
    }

    #[test]
    fn gbk_mojibake_is_repaired() {
        assert_eq!(repair_gbk_mojibake("¶«ºþ´ºÊ÷Àï ÎïÒµÏîÄ¿").as_deref(), Some("东湖春树里 物业项目"));
        assert_eq!(repair_gbk_mojibake("Çø¹«°²·Ö¾Ö").as_deref(), Some("区公安分局"));
        assert_eq!(repair_gbk_mojibake("Café"), None, "not Chinese underneath");
        assert_eq!(repair_gbk_mojibake("东湖"), None);
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(chinese_numeral("三"), Some(3));
        assert_eq!(chinese_numeral("十二"), Some(12));
        assert_eq!(chinese_numeral("两"), Some(2));
        assert_eq!(chinese_numeral("二十"), Some(20));
        assert_eq!(chinese_numeral("一百零五"), Some(105));
        assert_eq!(chinese_numeral("十"), Some(10));
        assert_eq!(chinese_numeral("三个"), None);
        assert_eq!(chinese_numeral(""), None);
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
        assert_eq!(parse_fill_date("2021年9月25日"), Ok(Some(d(2021, 9, 25))));
        assert_eq!(parse_fill_date("2021年    月   日"), Ok(None));
        assert_eq!(parse_fill_date(""), Ok(None));
        assert!(parse_fill_date("2021年9月31日").is_err());
    }

    #[test]
    fn months() {
        assert_eq!(parse_month("（2021年10月）"), Some((2021, 10)));
        assert_eq!(parse_month("（2021年 9 月）"), Some((2021, 9)));
        assert_eq!(parse_month("2021-09"), Some((2021, 9)));
        assert_eq!(parse_month("（2021年    月）"), None);
    }

    #[test]
    fn responsible_split_in_every_shape() {
        let r = parse_responsible("黄敏/18604806358");
        assert_eq!((r.name.as_str(), r.phone.as_str()), ("黄敏", "18604806358"));
        let r = parse_responsible("陈静 027-85807478");
        assert_eq!((r.name.as_str(), r.phone.as_str()), ("陈静", "027-85807478"));
        let r = parse_responsible("周杰（项目经理）15389672958");
        assert_eq!((r.name.as_str(), r.phone.as_str()), ("周杰(项目经理)", "15389672958"));
        let r = parse_responsible("赵磊 154 6997 3653");
        assert_eq!((r.name.as_str(), r.phone.as_str()), ("赵磊", "15469973653"));
        let r = parse_responsible("李娜\n13609032240");
        assert_eq!((r.name.as_str(), r.phone.as_str()), ("李娜", "13609032240"));
        let r = parse_responsible("赵磊：19881345957");
        assert_eq!((r.name.as_str(), r.phone.as_str()), ("赵磊", "19881345957"));
        let r = parse_responsible("刘洋");
        assert_eq!((r.name.as_str(), r.phone.as_str()), ("刘洋", ""));
        assert!(r.malformed.is_empty());
    }

    #[test]
    fn phone_prefixes_extensions_and_landlines() {
        assert_eq!(parse_responsible("王芳 +86 138 0013 8000").phone, "13800138000");
        assert_eq!(parse_responsible("王芳 86-13800138000").phone, "13800138000");
        assert_eq!(parse_responsible("王芳 86779132").phone, "86779132");
        assert_eq!(parse_responsible("王芳 027-86779132转8012").phone, "027-86779132转8012");
        assert_eq!(parse_responsible("王芳 85807478-8012").phone, "85807478转8012");
        let r = parse_responsible("王芳13800138000，李强13900139000");
        assert_eq!(r.phone, "13800138000、13900139000");
        assert_eq!(r.name, "王芳 李强");
    }

    #[test]
    fn malformed_phones_are_reported() {
        let r = parse_responsible("李娜 1560185845");
        assert_eq!(r.name, "李娜");
        assert_eq!(r.phone, "");
        assert_eq!(r.malformed, vec!["1560185845".to_string()]);
        assert_eq!(parse_responsible("张伟 12345678901").malformed.len(), 1);
        // Found by fuzzing: a Wuhan number with a 9-digit local part is not a 4-digit area code.
        assert_eq!(normalise_phone("027-865579138转8012"), None);
        assert_eq!(normalise_phone("0710-3456789"), Some("0710-3456789".into()));
        assert_eq!(normalise_phone("0710-34567890"), Some("0710-34567890".into()));
    }

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
        assert_eq!(v("12.0"), (12, None, vec![]));
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

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn full_width(s: &str) -> String {
            s.chars().map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c }).collect()
        }

        proptest! {
            #[test]
            fn cleaners_never_panic(s in "\\PC{0,40}") {
                let _ = parse_deadline(&s, 2021);
                let _ = parse_responsible(&s);
                let _ = parse_count_text(&s);
                let _ = parse_fill_date(&s);
                let _ = parse_month(&s);
                let _ = chinese_numeral(&s);
            }

            #[test]
            fn clean_text_is_idempotent(s in "\\PC{0,40}") {
                let once = clean_text(&s);
                prop_assert_eq!(clean_text(&once), once);
            }

            #[test]
            fn every_written_date_form_reads_back(y in 2000i32..2100, m in 1u32..=12, d in 1u32..=31, fw in any::<bool>()) {
                let expected = NaiveDate::from_ymd_opt(y, m, d);
                for text in [format!("{y}年{m}月{d}日"), format!("{y}.{m}.{d}"), format!("{y}/{m}/{d}"), format!("{y}-{m:02}-{d:02}"), format!("{y}{m:02}{d:02}")] {
                    let text = if fw { full_width(&text) } else { text };
                    match (parse_deadline(&text, 2021), expected) {
                        (Deadline::Date(got, None), Some(want)) => prop_assert_eq!(got, want),
                        (Deadline::Impossible(_), None) => {}
                        (other, want) => prop_assert!(false, "{} gave {:?}, want {:?}", text, other, want),
                    }
                }
            }

            #[test]
            fn counts_read_back_whatever_the_habit(n in 0i64..100_000, unit in prop::sample::select(vec!["", "件", "个", "次", "份"]), fw in any::<bool>(), pad in any::<bool>()) {
                let mut text = format!("{n}{unit}");
                if fw { text = full_width(&text); }
                if pad { text = format!("  {text} "); }
                match parse_count_text(&text) {
                    Count::Value { value, part: None, .. } => prop_assert_eq!(value, n),
                    other => prop_assert!(false, "{} gave {:?}", text, other),
                }
            }

            #[test]
            fn mobiles_read_back_through_separators(second in 3u8..=9, rest in "[0-9]{9}", sep in prop::sample::select(vec!["", " ", "-"]), name in "[张王李赵][伟芳强]{1,2}", glue in prop::sample::select(vec![" ", "/", "：", "\n", ""])) {
                let number = format!("1{second}{rest}");
                let typed = format!("{}{sep}{}{sep}{}", &number[..3], &number[3..7], &number[7..]);
                let r = parse_responsible(&format!("{name}{glue}{typed}"));
                prop_assert_eq!(r.phone, number);
                prop_assert_eq!(r.name, name);
            }
        }
    }
}
