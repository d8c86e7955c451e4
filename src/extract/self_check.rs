//! Reading a 附件1 专项整治自查表 from a recognised sheet: the header line (project, company,
//! fill date), the six items matched by 序号 then by focus wording, every other non-empty cell
//! reported rather than lost.

use super::recognise::key;
use super::sheet_reader::SheetReader;
use crate::clean::{self, Deadline};
use crate::findings::{At, Code, Severity};
use crate::forms::{DeadlineValue, FocusNo, Item, ItemStatus, SelfCheck};
use crate::grid::Value;
use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// Read the form whose table header is `header_row`. `fallback_year` stands in for the fill
/// date's year when the date line is blank.
pub fn extract(rd: &mut SheetReader, header_row: u32, fallback_year: i32) -> SelfCheck {
    mark_titles(rd, header_row);
    let cols = columns(rd, header_row);
    report_missing_columns(rd, &cols, header_row);
    let line = header_line(rd, header_row);
    let project = header_value(rd, &line.project, "物业项目", header_row);
    let company = header_value(rd, &line.company, "物业公司名称", header_row);
    let fill_date = fill_date(rd, &line.fill_date, header_row);
    let year = fill_date.map_or(fallback_year, |d| d.year());
    let mut items = read_items(rd, &cols, header_row, year);
    report_missing_items(rd, &items);
    items.sort_by_key(|i| (i.item_no, i.row));
    SelfCheck { source: rd.place().clone(), project: clean::display_text(&project), company, fill_date, items }
}

/// The 附件1 label and the title above the table are part of the form.
fn mark_titles(rd: &mut SheetReader, header_row: u32) {
    let titles: Vec<(u32, u32)> = rd
        .sheet
        .cells
        .iter()
        .filter(|(&(r, _), v)| {
            r < header_row && {
                let k = key(v);
                k.contains("自查表") || k == "附件1" || k == "附件"
            }
        })
        .map(|(&pos, _)| pos)
        .collect();
    for (r, c) in titles {
        rd.mark(r, c);
    }
}

/// The columns of the item table, found from the header row.
#[derive(Debug, Default)]
struct Columns {
    no: Option<u32>,
    focus: Option<u32>,
    description: Option<u32>,
    responsible: Option<u32>,
    deadline: Option<u32>,
    extra: Vec<(u32, String)>,
}

fn columns(rd: &mut SheetReader, header_row: u32) -> Columns {
    let mut cols = Columns::default();
    for (c, v) in rd.sheet.row(header_row) {
        let k = key(v);
        if k == "序号" || k == "编号" {
            cols.no = Some(c);
        } else if k.contains("整改重点") || k.contains("重点") {
            cols.focus = Some(c);
        } else if k.contains("问题描述") || k.contains("问题") {
            cols.description = Some(c);
        } else if k.contains("责任人") || k.contains("联系方式") {
            cols.responsible = Some(c);
        } else if k.contains("期限") || k.contains("时限") || k.contains("完成时间") {
            cols.deadline = Some(c);
        } else {
            cols.extra.push((c, clean::display_text(&v.display())));
        }
    }
    rd.mark_row(header_row);
    cols
}

fn report_missing_columns(rd: &mut SheetReader, cols: &Columns, header_row: u32) {
    let at = At::cell(header_row, 0);
    for (part, col) in [("问题描述", cols.description), ("整改责任人及联系方式", cols.responsible), ("整改完成期限", cols.deadline)] {
        if col.is_none() {
            rd.report(Code::FormColumnMissing, at, part, "", format!("第{}行表头中找不到“{part}”列：请按附件1原表的列填写", header_row + 1));
        }
    }
    if cols.no.is_none() {
        rd.report_as(
            Severity::Warning,
            Code::FormColumnMissing,
            at,
            "序号",
            "",
            format!("第{}行表头中找不到“序号”列，已按“整改重点”的文字匹配各行", header_row + 1),
        );
    }
}

/// Project, company and fill date from the rows above the table: the value and its cell.
#[derive(Debug, Default)]
struct HeaderLine {
    project: Option<(String, At)>,
    company: Option<(String, At)>,
    fill_date: Option<(String, At)>,
}

static LABELS: LazyLock<[(Regex, usize); 3]> = LazyLock::new(|| {
    [
        (Regex::new(r"(?:物业项目|项目名称|小区名称)(?:名称)?\s*[:：]?").expect("valid regex"), 0),
        (Regex::new(r"物业(?:服务)?(?:公司|企业)(?:名称)?\s*(?:[(（]\s*盖章\s*[)）])?\s*[:：]?").expect("valid regex"), 1),
        (Regex::new(r"填报(?:日期|时间)\s*[:：]?").expect("valid regex"), 2),
    ]
});

/// Find the labels in the rows above the header, in one merged cell or split over cells,
/// with the value in the same cell after the colon or in the next cell.
fn header_line(rd: &mut SheetReader, header_row: u32) -> HeaderLine {
    let mut line = HeaderLine::default();
    for r in 0..header_row {
        let cells: Vec<(u32, String)> = rd.sheet.row(r).map(|(c, v)| (c, clean::display_text(&v.display()))).collect();
        if !cells.iter().any(|(_, t)| LABELS.iter().any(|(l, _)| l.is_match(t))) {
            continue;
        }
        rd.mark_row(r);
        read_labelled_row(r, &cells, &mut line);
    }
    line
}

/// Concatenate a row's cells, remembering where each starts, then cut between labels.
fn read_labelled_row(r: u32, cells: &[(u32, String)], line: &mut HeaderLine) {
    let mut joined = String::new();
    let mut starts = Vec::new();
    for (c, t) in cells {
        starts.push((joined.len(), *c));
        joined.push_str(t);
        joined.push_str("  ");
    }
    let mut marks: Vec<(usize, usize, usize)> = LABELS.iter().filter_map(|(re, slot)| re.find(&joined).map(|m| (m.start(), m.end(), *slot))).collect();
    marks.sort();
    for (i, &(_, end, slot)) in marks.iter().enumerate() {
        let stop = marks.get(i + 1).map_or(joined.len(), |m| m.0);
        let segment = &joined[end..stop];
        let value = segment.trim().trim_matches('_').trim().to_string();
        let value_pos = end + segment.find(|c: char| !c.is_whitespace() && c != '_').unwrap_or(0);
        let cell_col = starts.iter().rev().find(|(s, _)| *s <= value_pos).map_or(0, |(_, c)| *c);
        let found = Some((value, At::cell(r, cell_col)));
        let slot = match slot {
            0 => &mut line.project,
            1 => &mut line.company,
            _ => &mut line.fill_date,
        };
        if slot.is_none() {
            *slot = found;
        }
    }
}

fn header_value(rd: &mut SheetReader, found: &Option<(String, At)>, field: &str, header_row: u32) -> String {
    match found {
        Some((v, _)) if !v.is_empty() => v.clone(),
        Some((_, at)) => {
            rd.report(Code::HeaderMissing, *at, field, "", format!("未填写“{field}”：请在表头填写"));
            String::new()
        }
        None => {
            rd.report(Code::HeaderMissing, At::cell(header_row.saturating_sub(1), 0), field, "", format!("表头中找不到“{field}”：请按附件1原表填写表头"));
            String::new()
        }
    }
}

fn fill_date(rd: &mut SheetReader, found: &Option<(String, At)>, header_row: u32) -> Option<NaiveDate> {
    let Some((raw, at)) = found else {
        rd.report(Code::HeaderFillDateMissing, At::cell(header_row.saturating_sub(1), 0), "填报日期", "", "表头缺少“填报日期”：请填写填报日期");
        return None;
    };
    match clean::parse_fill_date(raw) {
        clean::FillDate::Date(d) => Some(d),
        clean::FillDate::Blank => {
            rd.report(Code::HeaderFillDateMissing, *at, "填报日期", raw, "未填写填报日期：请填写完整的填报日期（年月日），重复报送时以填报日期判断哪份最新");
            None
        }
        clean::FillDate::Impossible(why) => {
            rd.report(Code::HeaderFillDateInvalid, *at, "填报日期", raw, format!("填报日期有误：{why}"));
            None
        }
    }
}

/// The item rows under the header: a row is an item when its 序号 or its focus wording says
/// which one; notes and stray rows are left for the unused-cell report.
fn read_items(rd: &mut SheetReader, cols: &Columns, header_row: u32, year: i32) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let last_row = rd.sheet.max_row().unwrap_or(header_row);
    for r in header_row + 1..=last_row {
        if rd.sheet.row(r).next().is_none() {
            continue;
        }
        let Some(item_no) = item_of_row(rd, cols, r) else { continue };
        if items.iter().any(|i| i.item_no == item_no) {
            rd.report(
                Code::ItemDuplicate,
                At::cell(r, cols.no.or(cols.focus).unwrap_or(0)),
                "序号",
                &item_no.to_string(),
                format!("第{item_no}项出现了不止一次：请每项只填一行"),
            );
        }
        for c in [cols.no, cols.focus].into_iter().flatten() {
            rd.mark(r, c);
        }
        items.push(read_item(rd, r, item_no, cols, year));
    }
    items
}

/// Which item a row is: its 序号, else its focus wording; a disagreement is reported.
fn item_of_row(rd: &mut SheetReader, cols: &Columns, r: u32) -> Option<FocusNo> {
    let no = cols.no.and_then(|c| rd.get(r, c)).and_then(item_number);
    let focus_text = cols.focus.and_then(|c| rd.get(r, c)).map(|v| v.display()).unwrap_or_default();
    let by_focus = FocusNo::from_wording_key(&clean::header_key(&focus_text));
    if let (Some(n), Some(f), Some(focus_col)) = (no, by_focus, cols.focus) {
        if n != f {
            rd.report(
                Code::ItemFocusMismatch,
                At::cell(r, focus_col),
                "整改重点",
                &focus_text,
                format!("序号为{n}，但整改重点的文字像第{f}项：已按序号{n}读取，请核对"),
            );
        }
    }
    no.or(by_focus)
}

fn item_number(v: &Value) -> Option<FocusNo> {
    let n = match v {
        Value::Number(n) if n.fract() == 0.0 => *n as i64,
        Value::Text(s) => {
            let t = clean::header_key(s).trim_end_matches(['.', '、']).to_string();
            t.parse::<i64>().ok().or_else(|| clean::chinese_numeral(&t))?
        }
        _ => return None,
    };
    u8::try_from(n).ok().and_then(FocusNo::new)
}

fn report_missing_items(rd: &mut SheetReader, items: &[Item]) {
    for n in FocusNo::all() {
        if !items.iter().any(|i| i.item_no == n) {
            rd.report(
                Code::ItemRowMissing,
                At::Whole,
                "序号",
                &n.to_string(),
                format!("表中缺少第{n}项（{}）：请按原表填写全部六项，没有问题的填“无”", n.def().label),
            );
        }
    }
}

/// Words that mean "nothing found" in a description cell.
pub fn says_no_problem(text: &str) -> bool {
    let t: String = clean::header_key(text).trim_end_matches(['。', '.', '!', '！']).to_string();
    matches!(t.as_str(), "" | "无" | "/" | "-" | "—" | "——" | "没有" | "暂无" | "否" | "不存在" | "无问题")
        || ["未发现", "无此类问题", "不存在此类", "没有发现", "无此类情况"].iter().any(|w| t.contains(w))
}

/// A cell of an item row: its text and the cell that holds it. A responsible person or
/// deadline merged down over several items applies to each of them; the finding points at
/// the merged cell that holds the value.
struct ItemCell<'a> {
    value: Option<&'a Value>,
    raw: String,
    at: At,
}

fn item_cell<'a>(rd: &mut SheetReader<'a>, r: u32, col: Option<u32>) -> ItemCell<'a> {
    let Some(c) = col else { return ItemCell { value: None, raw: String::new(), at: At::Whole } };
    rd.mark(r, c);
    match rd.shown(r, c) {
        Some((v, vr, vc)) => ItemCell { value: Some(v), raw: v.display(), at: At::cell(vr, vc) },
        None => ItemCell { value: None, raw: String::new(), at: At::cell(r, c) },
    }
}

fn read_item(rd: &mut SheetReader, r: u32, item_no: FocusNo, cols: &Columns, year: i32) -> Item {
    let desc = item_cell(rd, r, cols.description);
    let resp = item_cell(rd, r, cols.responsible);
    let deadline_cell = item_cell(rd, r, cols.deadline);
    let description = clean::display_text(&desc.raw);
    let has_problem = !says_no_problem(&description) || (description.is_empty() && (!resp.raw.trim().is_empty() || !deadline_cell.raw.trim().is_empty()));
    if description.is_empty() && has_problem {
        rd.report(
            Code::ItemDescriptionMissing,
            desc.at,
            "问题描述",
            "",
            format!("第{item_no}项填了责任人或期限，但问题描述为空：请写明问题，没有问题的填“无”"),
        );
    }
    let described_done = clean::says_done(&description);
    let facts = ItemFacts { no: item_no, has_problem, described_done };
    let responsible = read_responsible(rd, &resp, has_problem);
    let deadline = read_deadline(rd, &deadline_cell, year, &facts);
    let extra = read_extra(rd, r, cols);
    if has_problem && responsible.name.is_empty() {
        if deadline == DeadlineValue::Done || described_done {
            rd.report_as(
                Severity::Info,
                Code::ItemResponsibleMissing,
                resp.at,
                "整改责任人",
                &resp.raw,
                format!("第{item_no}项已整改，但未写整改责任人：请补填责任人姓名和电话，便于核查"),
            );
        } else {
            rd.report(
                Code::ItemResponsibleMissing,
                resp.at,
                "整改责任人",
                &resp.raw,
                format!("第{item_no}项报告了问题但未写整改责任人：请填写责任人姓名和电话"),
            );
        }
    }
    Item {
        row: rd.row_number(r),
        item_no,
        description,
        has_problem,
        described_done,
        responsible: responsible.name,
        phone: responsible.phone,
        deadline,
        deadline_raw: clean::display_text(&deadline_cell.raw),
        extra,
        status: ItemStatus::NoProblem,
        days_overdue: None,
        description_at: desc.at,
        deadline_at: deadline_cell.at,
    }
}

fn read_responsible(rd: &mut SheetReader, cell: &ItemCell, has_problem: bool) -> clean::Responsible {
    let responsible = clean::parse_responsible(&cell.raw);
    for bad in &responsible.malformed {
        rd.report(
            Code::ResponsiblePhoneInvalid,
            cell.at,
            "联系方式",
            &cell.raw,
            format!("联系电话“{bad}”不是有效的手机号（11位，1开头）或固定电话（8位，可加区号027-）：请核对"),
        );
    }
    if has_problem && !responsible.name.is_empty() && responsible.phone.is_empty() && responsible.malformed.is_empty() {
        rd.report(Code::ResponsiblePhoneMissing, cell.at, "联系方式", &cell.raw, "责任人未留联系电话：请补充手机号或固定电话");
    }
    responsible
}

/// Extra columns (such as 备注) are kept with the item and said so.
fn read_extra(rd: &mut SheetReader, r: u32, cols: &Columns) -> Vec<(String, String)> {
    let mut extra = Vec::new();
    for (c, header) in &cols.extra {
        if let Some(v) = rd.take(r, *c) {
            extra.push((header.clone(), v.display()));
            rd.report(Code::FormExtraColumn, At::cell(r, *c), header, &v.display(), format!("“{header}”列不在附件1原表中，内容已保留在整改台账中"));
        }
    }
    extra
}

/// What is known about an item before its deadline is read.
struct ItemFacts {
    no: FocusNo,
    has_problem: bool,
    /// The description itself says the work is finished.
    described_done: bool,
}

fn read_deadline(rd: &mut SheetReader, cell: &ItemCell, year: i32, facts: &ItemFacts) -> DeadlineValue {
    let (raw, at, item_no, has_problem) = (cell.raw.as_str(), cell.at, facts.no, facts.has_problem);
    let parsed = match cell.value {
        None => Deadline::Empty,
        Some(Value::Date(d)) => Deadline::Date(*d, None),
        Some(Value::Number(n)) => clean::excel_serial_to_date(*n).map_or(Deadline::Unreadable, |d| Deadline::Date(d, None)),
        Some(Value::Error(e)) => {
            rd.report(Code::CellFormulaError, at, "整改完成期限", e, format!("单元格是公式错误值 {e}：请填写具体日期"));
            return DeadlineValue::None;
        }
        Some(Value::Bool(_)) => Deadline::Unreadable,
        Some(Value::Text(t)) => clean::parse_deadline(t, year),
    };
    match parsed {
        Deadline::Empty => {
            // A reported problem needs a deadline; without a column the header finding says so.
            if has_problem && !facts.described_done && at != At::Whole {
                rd.report(
                    Code::ItemDeadlineMissing,
                    at,
                    "整改完成期限",
                    raw,
                    format!("第{item_no}项报告了问题但未写整改期限：请填写具体日期（如“2021年10月15日”），已整改的填“已整改”，长期坚持的填“长期坚持”"),
                );
            }
            DeadlineValue::None
        }
        Deadline::Done => DeadlineValue::Done,
        Deadline::LongTerm => DeadlineValue::LongTerm,
        Deadline::Date(d, note) => {
            if let Some(note) = note {
                rd.report(
                    Code::DeadlineInferred,
                    at,
                    "整改完成期限",
                    raw,
                    format!("整改期限按{}计（{note}）：如不对请写明具体日期", d.format("%Y年%-m月%-d日")),
                );
            }
            DeadlineValue::Date(d)
        }
        Deadline::Impossible(why) => {
            rd.report(Code::DeadlineImpossible, at, "整改完成期限", raw, format!("第{item_no}项整改期限{why}：请改为正确的日期"));
            DeadlineValue::None
        }
        Deadline::Unreadable => {
            let severity = if has_problem { Severity::Error } else { Severity::Warning };
            rd.report_as(
                severity,
                Code::DeadlineUnreadable,
                at,
                "整改完成期限",
                raw,
                format!("第{item_no}项整改期限“{}”无法识别为日期：请写成“2021年10月15日”这样的日期", clean::clean_text(raw)),
            );
            DeadlineValue::None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Sheet;

    #[test]
    fn no_problem_words() {
        for t in ["", "无", "无。", "/", "未发现此类问题", "经自查，无此类问题", "没有"] {
            assert!(says_no_problem(t), "{t}");
        }
        for t in ["3栋地下车库被用于堆放杂物经营", "无人值守导致电梯停运"] {
            assert!(!says_no_problem(t), "{t}");
        }
    }

    fn line(text: &str) -> HeaderLine {
        let mut sheet = Sheet::default();
        for (c, t) in text.split('|').enumerate() {
            sheet.cells.insert((0, c as u32), Value::Text(t.to_string()));
        }
        let mut rd = SheetReader::new(&sheet, "a.xlsx");
        header_line(&mut rd, 1)
    }

    #[test]
    fn header_line_in_all_its_shapes() {
        let get = |h: &HeaderLine| (h.project.clone().unwrap().0, h.company.clone().unwrap().0, h.fill_date.clone().unwrap().0);
        let want = ("东湖春树里".to_string(), "武汉东湖物业服务有限公司".to_string(), "2021年9月25日".to_string());
        assert_eq!(get(&line("物业项目：东湖春树里        物业公司名称（盖章）：武汉东湖物业服务有限公司        填报日期：2021年9月25日")), want);
        assert_eq!(get(&line("物业项目：|东湖春树里|物业公司名称（盖章）：|武汉东湖物业服务有限公司|填报日期：2021年9月25日")), want);
        assert_eq!(get(&line("物业项目：东湖春树里|物业公司名称（盖章）：武汉东湖物业服务有限公司|填报日期：|2021年9月25日")), want);
        assert_eq!(get(&line("项目名称:东湖春树里 物业服务企业名称：武汉东湖物业服务有限公司 填报时间：2021年9月25日")), want);
        let h = line("物业项目：__________  物业公司名称（盖章）：  填报日期：2021年    月   日");
        assert_eq!(h.project.unwrap().0, "");
        assert_eq!(h.company.unwrap().0, "");
        // The value's cell is the one that holds it.
        let h = line("物业项目：|东湖春树里|物业公司名称（盖章）：|武汉东湖物业服务有限公司|填报日期：2021年9月25日");
        assert_eq!(h.project.unwrap().1.a1(), "B1");
        assert_eq!(h.company.unwrap().1.a1(), "D1");
        assert_eq!(h.fill_date.unwrap().1.a1(), "E1");
    }

    #[test]
    fn item_numbers() {
        let no = |v: Value| item_number(&v).map(FocusNo::get);
        assert_eq!(no(Value::Number(3.0)), Some(3));
        assert_eq!(no(Value::Text("４".into())), Some(4));
        assert_eq!(no(Value::Text("五".into())), Some(5));
        assert_eq!(no(Value::Text("2.".into())), Some(2));
        assert_eq!(no(Value::Number(7.0)), None);
        assert_eq!(no(Value::Number(-1.0)), None);
        assert_eq!(no(Value::Text("备注".into())), None);
    }

    fn form_sheet(rows: &[[&str; 3]]) -> Sheet {
        let mut sheet = Sheet::default();
        let mut put = |r: u32, c: u32, t: &str| {
            if !t.is_empty() {
                sheet.cells.insert((r, c), Value::Text(t.to_string()));
            }
        };
        put(0, 0, "物业项目：梨园小区  物业公司名称（盖章）：万家物业  填报日期：2021年10月20日");
        for (c, h) in ["序号", "整改重点", "问题描述", "整改责任人及联系方式", "整改完成期限"].iter().enumerate() {
            put(1, c as u32, h);
        }
        for (i, [desc, resp, deadline]) in rows.iter().enumerate() {
            let r = 2 + i as u32;
            put(r, 0, &(i + 1).to_string());
            put(r, 2, desc);
            put(r, 3, resp);
            put(r, 4, deadline);
        }
        sheet
    }

    #[test]
    fn a_reported_problem_without_deadline_or_responsible_has_a_finding_at_that_cell() {
        let sheet = form_sheet(&[
            ["楼道堆放杂物", "王芳 13812345678", ""],
            ["违规张贴广告", "", "已整改"],
            ["骚扰业主", "", "2021年12月1日"],
            ["无", "", ""],
            ["未公示收费标准", "王芳 13812345678", "/"],
            ["提价问题已整改完毕", "", ""],
        ]);
        let mut rd = SheetReader::new(&sheet, "a.xlsx");
        let form = extract(&mut rd, 1, 2021);
        let findings = rd.finish();
        let at = |code: Code| -> Vec<(String, Severity)> { findings.iter().filter(|f| f.code == code).map(|f| (f.location.columns().1, f.severity)).collect() };
        assert_eq!(at(Code::ItemDeadlineMissing), [("E3".to_string(), Severity::Warning), ("E7".to_string(), Severity::Warning)]);
        assert_eq!(
            at(Code::ItemResponsibleMissing),
            [("D4".to_string(), Severity::Info), ("D5".to_string(), Severity::Warning), ("D8".to_string(), Severity::Info)]
        );
        assert_eq!(form.items.iter().filter(|i| i.has_problem).count(), 5);
    }
}
