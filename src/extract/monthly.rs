//! Reading a 附件2 专项整治月度工作汇总表 from a recognised sheet: the month and unit lines,
//! the indicator lines of the form table in every shape people lay them out, and the two text
//! blocks.

use super::recognise::key;
use super::sheet_reader::SheetReader;
use crate::clean::{self, Count, CountNote};
use crate::findings::{At, Cell, Code, Severity};
use crate::forms::{IndicatorId, IndicatorValue, Month, Monthly, INDICATORS};
use crate::grid::{a1, Value};
use regex::Regex;
use std::sync::LazyLock;

/// Read the form whose 序号/内容/数量 header is `header_row`; `file_name` backs up the month.
pub fn extract(rd: &mut SheetReader, header_row: u32, file_name: &str) -> Monthly {
    let mut cols = header_columns(rd, header_row);
    let head = head_lines(rd, header_row);
    let month = month(rd, &head, file_name);
    if head.unit_raw.is_empty() || head.unit_raw == "区" {
        rd.report(Code::HeaderUnitMissing, head.unit_at, "单位", &head.unit_raw, "未填写报送单位名称：请在“____区（盖章）”处填写单位全称");
    }
    let values = value_columns(rd, &mut cols, header_row);
    let (indicators, text_start) = indicator_rows(rd, &cols, values, header_row);
    let (cases, experience) = text_blocks(rd, text_start);
    Monthly {
        source: rd.place().clone(),
        unit: head.unit_raw.clone(),
        unit_raw: head.unit_raw,
        month,
        compiler: head.compiler,
        contact: head.contact,
        indicators,
        cases,
        experience,
        from_report: false,
    }
}

/// Columns of the indicator table.
#[derive(Debug, Default, Clone, Copy)]
struct Columns {
    no: u32,
    name: u32,
    quantity: Option<u32>,
    this_month: Option<u32>,
    cumulative: Option<u32>,
}

/// Where the values are read: 数量 for the single-column lines, 本月 and 累积 for the others.
#[derive(Debug, Clone, Copy)]
struct ValueColumns {
    quantity: u32,
    this_month: u32,
    cumulative: u32,
}

fn header_columns(rd: &mut SheetReader, header_row: u32) -> Columns {
    let mut cols = Columns::default();
    for (c, v) in rd.sheet.row(header_row) {
        match key(v).as_str() {
            "序号" => cols.no = c,
            "内容" => cols.name = c,
            "数量" => cols.quantity = Some(c),
            _ => {}
        }
    }
    rd.mark_row(header_row);
    cols
}

/// The lines above the table: month, unit, compiler and contact.
#[derive(Debug, Default)]
struct HeadLines {
    /// The month line: what it says, its text and cell.
    month: Option<(Option<Month>, String, At)>,
    unit_raw: String,
    unit_at: At,
    compiler: String,
    contact: String,
}

static RE_UNIT_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*?)\s*(?:\(盖章\)|盖章)?\s*(?:汇总人\s*:?\s*(.*?))?\s*(?:联系方式\s*:?\s*(.*))?$").expect("valid regex"));

fn head_lines(rd: &mut SheetReader, header_row: u32) -> HeadLines {
    let mut head = HeadLines::default();
    let sheet = rd.sheet;
    for (&(r, c), v) in sheet.cells.range(..(header_row, 0)) {
        let text = clean::clean_text(&v.display());
        let k = key(v);
        if k.contains("月度工作汇总表") || k == "附件2" || k == "附件" {
            rd.mark(r, c);
        } else if head.month.is_none() && k.contains('年') && k.contains('月') && k.chars().count() <= 14 {
            rd.mark(r, c);
            head.month = Some((Month::find_in(&text), text.clone(), At::cell(r, c)));
        } else if k.contains("盖章") || k.contains("汇总人") {
            // A split line (unit | 汇总人：x | 联系方式：y) is joined back before cutting.
            let joined: String = sheet.row(r).map(|(_, v)| clean::clean_text(&v.display())).collect::<Vec<_>>().join(" ");
            rd.mark_row(r);
            if let Some(caps) = RE_UNIT_LINE.captures(&joined) {
                let part = |i: usize| caps.get(i).map_or("", |m| m.as_str()).trim().trim_matches('_').trim().to_string();
                (head.unit_raw, head.compiler, head.contact) = (part(1), part(2), part(3));
            }
            head.unit_at = At::cell(r, c);
        }
    }
    head
}

/// The month the form reports: its own line, else its file name, checked against each other.
fn month(rd: &mut SheetReader, head: &HeadLines, file_name: &str) -> Option<Month> {
    let named = Month::find_in(file_name);
    if let Some((Some(m), raw, at)) = &head.month {
        // A September form re-saved as the October file (or the reverse) is a common slip.
        if let Some(f) = named.filter(|f| f != m) {
            rd.report(
                Code::HeaderMonthMismatch,
                *at,
                "月份",
                raw,
                format!("表头写的是{}，文件名却是{}：已按表头汇总，请确认报的是哪个月", m.label(), f.label()),
            );
        }
        return Some(*m);
    }
    let (raw, at) = head.month.as_ref().map(|(_, t, at)| (t.clone(), *at)).unwrap_or_default();
    match named {
        Some(m) => {
            rd.report(Code::HeaderMonthMissing, at, "月份", &raw, format!("表头未写明月份，已按文件名取 {}：请在表头“（2021年  月）”处填写月份", m.label()));
            Some(m)
        }
        None => {
            rd.report_as(Severity::Error, Code::HeaderMonthMissing, at, "月份", &raw, "表头未写明月份，文件名中也没有：请在“（2021年  月）”处填写月份");
            None
        }
    }
}

/// Where 本月 and 累积 sit; missing titles fall back to the columns after 内容.
fn value_columns(rd: &mut SheetReader, cols: &mut Columns, header_row: u32) -> ValueColumns {
    let mut split_row = None;
    let sheet = rd.sheet;
    for (&(r, c), v) in sheet.cells.range((header_row + 1, 0)..) {
        let k = key(v);
        if k == "本月" {
            cols.this_month = Some(c);
            split_row = Some(r);
            rd.mark(r, c);
        } else if k == "累积" || k == "累计" {
            cols.cumulative = Some(c);
            rd.mark(r, c);
        } else if k.contains("专项整治工作开展以来") {
            rd.mark(r, c);
        }
    }
    let quantity = cols.quantity.or(cols.this_month).unwrap_or(cols.name + 1);
    let this_month = cols.this_month.unwrap_or(quantity);
    let cumulative = cols.cumulative.unwrap_or(this_month + 1);
    if cols.this_month.is_none() || cols.cumulative.is_none() {
        rd.report_as(
            Severity::Warning,
            Code::FormColumnMissing,
            At::cell(split_row.unwrap_or(header_row), 0),
            "本月/累积",
            "",
            format!("找不到“本月”“累积”列标题，已按第{}列为本月、第{}列为累积读取：请核对", col_name(this_month), col_name(cumulative)),
        );
    }
    ValueColumns { quantity, this_month, cumulative }
}

fn col_name(c: u32) -> String {
    a1(0, c).trim_end_matches('1').to_string()
}

/// The indicator lines, down to the 典型案例 block (whose first row is returned).
fn indicator_rows(rd: &mut SheetReader, cols: &Columns, values: ValueColumns, header_row: u32) -> (Vec<IndicatorValue>, Option<u32>) {
    let mut indicators: Vec<IndicatorValue> = Vec::new();
    let last_row = rd.sheet.max_row().unwrap_or(header_row);
    for r in header_row + 1..=last_row {
        let label = rd.sheet.row(r).next().map(|(_, v)| key(v)).unwrap_or_default();
        if label.contains("典型案例") || label.contains("经验做法") || label == "项目" {
            return (finish_indicators(rd, indicators), Some(r));
        }
        let by_no = rd.get(r, cols.no).and_then(indicator_of_number);
        let by_text = rd.get(r, cols.name).and_then(|v| IndicatorId::from_wording_key(&clean::header_key(&v.display())));
        let Some(id) = by_no.or(by_text) else { continue };
        rd.mark(r, cols.no);
        rd.mark(r, cols.name);
        if indicators.iter().any(|i| i.id == id) {
            rd.report(Code::IndicatorDuplicate, At::cell(r, cols.no), "序号", id.code(), format!("指标{}出现了不止一次：已取第一次出现的值", id.code()));
            continue;
        }
        read_line(rd, r, id, values, &mut indicators);
    }
    (finish_indicators(rd, indicators), None)
}

/// One indicator line's values; 5's cell may carry 5.1 as `5（2）`.
fn read_line(rd: &mut SheetReader, r: u32, id: IndicatorId, values: ValueColumns, indicators: &mut Vec<IndicatorValue>) {
    if id.single_column() {
        let (value, _) = read_count(rd, r, values.quantity, id, "数量");
        indicators.push(IndicatorValue { id, this_month: value, cumulative: None, at: At::cell(r, values.quantity) });
        return;
    }
    let (tm, tm_part) = read_count(rd, r, values.this_month, id, "本月");
    let (cum, cum_part) = read_count(rd, r, values.cumulative, id, "累积");
    let at = At::Range(Cell::new(r, values.this_month), Cell::new(r, values.cumulative));
    indicators.push(IndicatorValue { id, this_month: tm, cumulative: cum, at });
    if tm_part.is_some() || cum_part.is_some() {
        if let Some(part) = INDICATORS.iter().find(|d| d.part_of == Some(id)) {
            indicators.push(IndicatorValue { id: part.id, this_month: tm_part, cumulative: cum_part, at });
        }
    }
}

/// A part on its own line replaces the one read from inside its whole's cell; every line of
/// the form must be there (a part may be missing: it is optional); form order.
fn finish_indicators(rd: &mut SheetReader, mut indicators: Vec<IndicatorValue>) -> Vec<IndicatorValue> {
    for part in INDICATORS.iter().filter(|d| d.part_of.is_some()) {
        let own: Vec<usize> = indicators.iter().enumerate().filter(|(_, i)| i.id == part.id).map(|(n, _)| n).collect();
        if own.len() > 1 {
            indicators.remove(own[0]);
        }
    }
    for d in INDICATORS.iter().filter(|d| d.part_of.is_none()) {
        if !indicators.iter().any(|i| i.id == d.id) {
            rd.report(Code::IndicatorRowMissing, At::Whole, "指标", d.code, format!("表中缺少指标{}“{}”这一行：请按附件2原表填写全部14项", d.code, d.wording));
        }
    }
    indicators.sort_by_key(|i| i.id);
    indicators
}

fn indicator_of_number(v: &Value) -> Option<IndicatorId> {
    let t = match v {
        Value::Number(n) => {
            if (n * 10.0).fract() != 0.0 {
                return None;
            }
            if n.fract() == 0.0 {
                format!("{}", *n as i64)
            } else {
                format!("{n}")
            }
        }
        Value::Text(s) => clean::header_key(s).trim_end_matches(['.', '、']).to_string(),
        _ => return None,
    };
    IndicatorId::from_code(&t)
}

/// The 典型案例 and 经验做法 blocks: every text to the right of the label, down to the next label.
fn text_blocks(rd: &mut SheetReader, start: Option<u32>) -> (String, String) {
    let Some(start) = start else { return (String::new(), String::new()) };
    let mut blocks: [Vec<String>; 2] = [Vec::new(), Vec::new()];
    let mut current: Option<usize> = None;
    let mut label_col = 0;
    let last = rd.sheet.max_row().unwrap_or(start);
    for r in start..=last {
        let row: Vec<(u32, &Value)> = rd.sheet.row(r).collect();
        if let Some(&(c, v)) = row.first() {
            let k = key(v);
            if k.contains("典型案例") || k.contains("经验做法") {
                rd.mark(r, c);
                label_col = c;
                current = Some(usize::from(!k.contains("典型案例")));
            } else if k == "项目" {
                rd.mark_row(r);
                continue;
            }
        }
        let Some(block) = current else { continue };
        for (c, v) in row.into_iter().filter(|(c, _)| *c > label_col) {
            rd.mark(r, c);
            let text = v.display().replace("（内容可另附）", "").replace("(内容可另附)", "");
            if !text.trim().is_empty() {
                blocks[block].push(text.trim().to_string());
            }
        }
    }
    let [cases, experience] = blocks;
    (cases.join("\n"), experience.join("\n"))
}

/// Read one count cell (marked used); returns the value and the embedded part (`5（2）`).
fn read_count(rd: &mut SheetReader, r: u32, col: u32, id: IndicatorId, field: &str) -> (Option<i64>, Option<i64>) {
    let v = rd.take(r, col);
    let at = At::cell(r, col);
    let what = format!("指标{}{field}", id.code());
    let raw = v.map(|v| v.display()).unwrap_or_default();
    let count = match v {
        None => Count::Blank,
        Some(Value::Number(n)) => match clean::number_as_count(*n) {
            Ok(value) => Count::Value { value, part: None, notes: vec![] },
            Err(e) => Count::Invalid(format!("“{raw}”{e}")),
        },
        Some(Value::Text(t)) => clean::parse_count_text(t),
        Some(Value::Error(e)) => {
            rd.report(Code::CellFormulaError, at, &what, e, format!("{what}是公式错误值 {e}：请填写数字"));
            return (None, None);
        }
        Some(Value::Date(_)) | Some(Value::Bool(_)) => Count::Invalid(format!("“{raw}”不是数量")),
    };
    match count {
        // 13 is filled in the final month only: whether its blank is a finding depends on the
        // month, which rules::monthly decides.
        Count::Blank if id.def().final_month_only => (None, None),
        Count::Blank => {
            rd.report(Code::CountBlank, at, &what, "", format!("{what}未填写（空白不按0计）：没有发生请填0"));
            (None, None)
        }
        Count::Invalid(why) => {
            rd.report(Code::CountInvalid, at, &what, &raw, format!("{what}{why}"));
            (None, None)
        }
        Count::Value { value, part, notes } => {
            for note in notes {
                let (code, msg) = match note {
                    CountNote::UnitStripped => (Code::CountUnitStripped, format!("{what}“{raw}”带有单位，已按{value}读取：只填数字即可")),
                    CountNote::FullWidth => continue,
                    CountNote::ChineseNumeral => (Code::CountChineseNumeral, format!("{what}“{raw}”是中文数字，已按{value}读取：请改用阿拉伯数字")),
                    CountNote::DashAsZero => (Code::CountDashAsZero, format!("{what}填的是“{raw}”，已按0计")),
                    CountNote::Reformatted => (Code::CountReformatted, format!("{what}“{raw}”已按{value}读取：只填整数即可")),
                };
                rd.report(code, at, &what, &raw, msg);
            }
            let may_have_part = INDICATORS.iter().any(|d| d.part_of == Some(id));
            if part.is_some() && !may_have_part {
                rd.report(Code::CountInvalid, at, &what, &raw, format!("{what}“{raw}”带括号数字，只有指标5可以这样填写“其中”数：请只填一个数字"));
                return (None, None);
            }
            (Some(value), part)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Sheet;

    #[test]
    fn indicator_numbers() {
        let id = |v: Value| indicator_of_number(&v).map(IndicatorId::code);
        assert_eq!(id(Value::Number(5.0)), Some("5"));
        assert_eq!(id(Value::Number(5.1)), Some("5.1"));
        assert_eq!(id(Value::Text("5.1".into())), Some("5.1"));
        assert_eq!(id(Value::Text("１４".into())), Some("14"));
        assert_eq!(id(Value::Number(15.0)), None);
    }

    fn monthly_sheet(month_line: &str) -> Sheet {
        let mut sheet = Sheet::default();
        let put = |s: &mut Sheet, r: u32, c: u32, t: &str| {
            s.cells.insert((r, c), Value::Text(t.into()));
        };
        put(&mut sheet, 0, 0, "专项整治月度工作汇总表");
        put(&mut sheet, 1, 0, month_line);
        put(&mut sheet, 2, 0, "东湖风景区经发局（盖章）   汇总人：杨帆   联系方式：18836428471");
        put(&mut sheet, 3, 0, "序号");
        put(&mut sheet, 3, 1, "内容");
        put(&mut sheet, 3, 2, "数量");
        sheet
    }

    fn read(month_line: &str, file_name: &str) -> (Monthly, Vec<crate::findings::Finding>) {
        let sheet = monthly_sheet(month_line);
        let mut rd = SheetReader::new(&sheet, "a.xlsx");
        let m = extract(&mut rd, 3, file_name);
        (m, rd.finish())
    }

    #[test]
    fn month_from_the_header_and_checked_against_the_file_name() {
        let (m, f) = read("（2021年10月）", "经发局_2021年9月_月度汇总表.xlsx");
        assert_eq!(m.month_text(), "2021-10");
        let mismatch: Vec<_> = f.iter().filter(|f| f.code == Code::HeaderMonthMismatch).collect();
        assert_eq!(mismatch.len(), 1);
        assert_eq!(mismatch[0].location.columns().1, "A2");
        let (_, f) = read("（2021年10月）", "经发局_2021年10月.xlsx");
        assert!(!f.iter().any(|f| f.code == Code::HeaderMonthMismatch));
        let (m, f) = read("（2021年  月）", "经发局_2021年9月.xlsx");
        assert_eq!(m.month_text(), "2021-09");
        assert!(f.iter().any(|f| f.code == Code::HeaderMonthMissing && f.severity == Severity::Warning));
        assert_eq!(m.unit_raw, "东湖风景区经发局");
        assert_eq!((m.compiler.as_str(), m.contact.as_str()), ("杨帆", "18836428471"));
        let (m, f) = read("（2021年  月）", "经发局.xlsx");
        assert_eq!(m.month, None);
        assert!(f.iter().any(|f| f.code == Code::HeaderMonthMissing && f.severity == Severity::Error));
    }

    #[test]
    fn every_line_missing_is_reported_but_the_optional_part() {
        let (m, f) = read("（2021年10月）", "a.xlsx");
        assert!(m.indicators.is_empty());
        let missing: Vec<&str> = f.iter().filter(|f| f.code == Code::IndicatorRowMissing).map(|f| f.value.as_str()).collect();
        assert_eq!(missing.len(), 14);
        assert!(!missing.contains(&"5.1"));
    }

    #[test]
    fn unit_line_split() {
        let c = RE_UNIT_LINE.captures("东湖风景区公安分局(盖章) 汇总人:赵磊 联系方式:15512001763").unwrap();
        assert_eq!(c.get(1).unwrap().as_str(), "东湖风景区公安分局");
        assert_eq!(c.get(2).unwrap().as_str(), "赵磊");
        assert_eq!(c.get(3).unwrap().as_str(), "15512001763");
    }
}
