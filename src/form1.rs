//! Reading a 附件1 专项整治自查表 from a recognised sheet: the header line (project, company,
//! fill date), the six items matched by 序号 then by focus wording, and every other non-empty
//! cell reported rather than lost.

use crate::clean::{self, Deadline};
use crate::model::{DeadlineValue, Finding, Item, ItemStatus, Place, SelfCheck, Severity};
use crate::recognise::key;
use crate::workbook::{a1, Sheet, Value};
use chrono::Datelike;
use std::collections::BTreeSet;

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

fn columns(sheet: &Sheet, header_row: u32) -> Columns {
    let mut cols = Columns::default();
    for (c, v) in sheet.row(header_row) {
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
            cols.extra.push((c, clean::clean_text(&v.display())));
        }
    }
    cols
}

/// Keywords that identify each focus area when 序号 is missing (SPEC §2 wording, shortened).
const FOCUS_WORDS: [(u8, &[&str]); 6] = [
    (1, &["断供", "中断", "供水", "供电", "供气", "供热", "限时限量", "水电气热"]),
    (2, &["共用部位", "共用设施", "广告", "违规经营", "未制止", "劝阻"]),
    (3, &["泄露", "骚扰", "恐吓", "打击报复", "暴力"]),
    (4, &["撤离", "交接", "移交", "停止物业服务"]),
    (5, &["未公示", "公示"]),
    (6, &["提价", "提高", "加价", "转供电", "不合理费用"]),
];

/// The focus area a wording names, if exactly one scores best.
pub fn focus_of(text: &str) -> Option<u8> {
    let k = clean::header_key(text);
    let mut best: Option<(u8, usize)> = None;
    let mut tie = false;
    for (no, words) in FOCUS_WORDS {
        let score = words.iter().filter(|w| k.contains(*w)).count();
        if score == 0 {
            continue;
        }
        match best {
            Some((_, s)) if s > score => {}
            Some((_, s)) if s == score => tie = true,
            _ => {
                best = Some((no, score));
                tie = false;
            }
        }
    }
    if tie {
        None
    } else {
        best.map(|(n, _)| n)
    }
}

fn item_number(v: &Value) -> Option<u8> {
    let n = match v {
        Value::Number(n) if n.fract() == 0.0 => *n as i64,
        Value::Text(s) => {
            let t = clean::header_key(s).trim_end_matches(['.', '、']).to_string();
            t.parse::<i64>().ok().or_else(|| clean::chinese_numeral(&t))?
        }
        _ => return None,
    };
    (1..=6).contains(&n).then_some(n as u8)
}

/// Words that mean "nothing found" in a description cell.
pub fn says_no_problem(text: &str) -> bool {
    let t: String = clean::header_key(text).trim_end_matches(['。', '.', '!', '！']).to_string();
    matches!(t.as_str(), "" | "无" | "/" | "-" | "—" | "——" | "没有" | "暂无" | "否" | "不存在" | "无问题")
        || t.contains("未发现")
        || t.contains("无此类问题")
        || t.contains("不存在此类")
        || t.contains("没有发现")
        || t.contains("无此类情况")
}

/// Project, company and fill date from the rows above the table.
#[derive(Debug, Default)]
struct HeaderLine {
    project: Option<(String, String)>,
    company: Option<(String, String)>,
    fill_date: Option<(String, String)>,
}

static LABELS: std::sync::LazyLock<[(regex::Regex, usize); 3]> = std::sync::LazyLock::new(|| {
    [
        (regex::Regex::new(r"(?:物业项目|项目名称|小区名称)(?:名称)?\s*:?").unwrap(), 0),
        (regex::Regex::new(r"物业(?:服务)?(?:公司|企业)(?:名称)?\s*(?:\(盖章\))?\s*:?").unwrap(), 1),
        (regex::Regex::new(r"填报(?:日期|时间)\s*:?").unwrap(), 2),
    ]
});

/// Find the labels in the rows above the header, in one merged cell or split over cells,
/// with the value in the same cell after the colon or in the next cell.
fn header_line(sheet: &Sheet, header_row: u32, used: &mut BTreeSet<(u32, u32)>) -> HeaderLine {
    let mut line = HeaderLine::default();
    for r in 0..header_row {
        let cells: Vec<(u32, String)> = sheet.row(r).map(|(c, v)| (c, clean::clean_text(&v.display()))).collect();
        if !cells.iter().any(|(_, t)| LABELS.iter().any(|(l, _)| l.is_match(t))) {
            continue;
        }
        // Concatenate the row's cells, remembering where each starts, then cut between labels.
        let mut joined = String::new();
        let mut starts = Vec::new();
        for (c, t) in &cells {
            starts.push((joined.len(), *c));
            joined.push_str(t);
            joined.push_str("  ");
            used.insert((r, *c));
        }
        let mut marks: Vec<(usize, usize, usize)> = LABELS
            .iter()
            .filter_map(|(re, slot)| re.find(&joined).map(|m| (m.start(), m.end(), *slot)))
            .collect();
        marks.sort();
        for (i, &(_, end, slot)) in marks.iter().enumerate() {
            let stop = marks.get(i + 1).map_or(joined.len(), |m| m.0);
            let segment = &joined[end..stop];
            let value = segment.trim().trim_matches('_').trim().to_string();
            let value_pos = end + segment.find(|c: char| !c.is_whitespace() && c != '_').unwrap_or(0);
            let cell_col = starts.iter().rev().find(|(s, _)| *s <= value_pos).map_or(0, |(_, c)| *c);
            let found = Some((value, a1(r, cell_col)));
            match slot {
                0 => line.project = line.project.take().or(found),
                1 => line.company = line.company.take().or(found),
                _ => line.fill_date = line.fill_date.take().or(found),
            }
        }
    }
    line
}

/// Read the form on `sheet` whose table header is `header_row`. `fallback_year` stands in for
/// the fill date's year when the date line is blank.
pub fn extract(sheet: &Sheet, header_row: u32, place: &Place, fallback_year: i32) -> (SelfCheck, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut used: BTreeSet<(u32, u32)> = BTreeSet::new();
    for (&(r, c), v) in &sheet.cells {
        let k = key(v);
        if r < header_row && (k.contains("自查表") || k == "附件1" || k == "附件") {
            used.insert((r, c));
        }
    }
    let cols = columns(sheet, header_row);
    for (c, _) in sheet.row(header_row) {
        used.insert((header_row, c));
    }
    for (part, col) in [("问题描述", cols.description), ("整改责任人及联系方式", cols.responsible), ("整改完成期限", cols.deadline)] {
        if col.is_none() {
            findings.push(place.finding(
                Severity::Error,
                "form.column_missing",
                &a1(header_row, 0),
                part,
                "",
                format!("第{}行表头中找不到“{part}”列：请按附件1原表的列填写", header_row + 1),
            ));
        }
    }
    if cols.no.is_none() {
        findings.push(place.finding(
            Severity::Warning,
            "form.column_missing",
            &a1(header_row, 0),
            "序号",
            "",
            format!("第{}行表头中找不到“序号”列，已按“整改重点”的文字匹配各行", header_row + 1),
        ));
    }

    let line = header_line(sheet, header_row, &mut used);
    let project = header_value(&line.project, "物业项目", place, &mut findings, header_row);
    let company = header_value(&line.company, "物业公司名称", place, &mut findings, header_row);
    let fill_date = match &line.fill_date {
        Some((raw, cell)) => match clean::parse_fill_date(raw) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                findings.push(place.finding(Severity::Warning, "header.fill_date_missing", cell, "填报日期", raw,
                    "未填写填报日期：请填写完整的填报日期（年月日），重复报送时以填报日期判断哪份最新".into()));
                None
            }
            Err(why) => {
                findings.push(place.finding(Severity::Error, "header.fill_date_invalid", cell, "填报日期", raw,
                    format!("填报日期有误：{why}")));
                None
            }
        },
        None => {
            findings.push(place.finding(Severity::Warning, "header.fill_date_missing", &a1(header_row.saturating_sub(1), 0), "填报日期", "",
                "表头缺少“填报日期”：请填写填报日期".into()));
            None
        }
    };
    let year = fill_date.map_or(fallback_year, |d| d.year());

    let mut items: Vec<Item> = Vec::new();
    let last_row = sheet.max_row().unwrap_or(header_row);
    for r in header_row + 1..=last_row {
        let row_cells: Vec<(u32, &Value)> = sheet.row(r).collect();
        if row_cells.is_empty() {
            continue;
        }
        let text_of = |col: Option<u32>| col.and_then(|c| sheet.get(r, c));
        let no = text_of(cols.no).and_then(item_number);
        let focus_text = text_of(cols.focus).map(|v| v.display()).unwrap_or_default();
        let by_focus = focus_of(&focus_text);
        let Some(item_no) = no.or(by_focus) else {
            continue; // notes and stray rows are reported with the unused cells below
        };
        if let (Some(n), Some(f), Some(focus_col)) = (no, by_focus, cols.focus) {
            if n != f {
                findings.push(place.finding(Severity::Warning, "item.focus_mismatch", &a1(r, focus_col), "整改重点", &focus_text,
                    format!("序号为{n}，但整改重点的文字像第{f}项：已按序号{n}读取，请核对")));
            }
        }
        if items.iter().any(|i| i.item_no == item_no) {
            findings.push(place.finding(Severity::Warning, "item.duplicate", &a1(r, cols.no.or(cols.focus).unwrap_or(0)), "序号", &item_no.to_string(),
                format!("第{item_no}项出现了不止一次：请每项只填一行")));
        }
        for c in [cols.no, cols.focus].into_iter().flatten() {
            used.insert((r, c));
        }
        items.push(read_item(sheet, r, item_no, &cols, year, place, &mut findings, &mut used));
    }
    for n in 1..=6u8 {
        if !items.iter().any(|i| i.item_no == n) {
            findings.push(place.finding(Severity::Warning, "item.row_missing", "", "序号", &n.to_string(),
                format!("表中缺少第{n}项（{}）：请按原表填写全部六项，没有问题的填“无”", focus_short(n))));
        }
    }
    items.sort_by_key(|i| (i.item_no, i.row));
    report_unused(sheet, &used, place, &mut findings);
    (SelfCheck { path: place.path.clone(), sheet: place.sheet.clone(), project, company, fill_date, items }, findings)
}

fn focus_short(n: u8) -> &'static str {
    match n {
        1 => "断供（水电气热）",
        2 => "共用部位违规经营/未制止违法行为",
        3 => "泄露信息/骚扰恐吓",
        4 => "擅自撤离/拒不交接",
        5 => "未公示收费等信息",
        _ => "擅自提价/转供电加价",
    }
}

fn header_value(found: &Option<(String, String)>, field: &str, place: &Place, findings: &mut Vec<Finding>, header_row: u32) -> String {
    match found {
        Some((v, _)) if !v.is_empty() => v.clone(),
        Some((_, cell)) => {
            findings.push(place.finding(Severity::Error, "header.missing", cell, field, "", format!("未填写“{field}”：请在表头填写")));
            String::new()
        }
        None => {
            findings.push(place.finding(Severity::Error, "header.missing", &a1(header_row.saturating_sub(1), 0), field, "",
                format!("表头中找不到“{field}”：请按附件1原表填写表头")));
            String::new()
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn read_item(sheet: &Sheet, r: u32, item_no: u8, cols: &Columns, year: i32, place: &Place, findings: &mut Vec<Finding>, used: &mut BTreeSet<(u32, u32)>) -> Item {
    // A responsible person or deadline merged down over several items applies to each of
    // them; the finding points at the merged cell that holds the value.
    let mut cell_text = |col: Option<u32>| -> (String, String) {
        match col {
            Some(c) => {
                used.insert((r, c));
                match sheet.shown(r, c) {
                    Some((v, vr, vc)) => (v.display(), a1(vr, vc)),
                    None => (String::new(), a1(r, c)),
                }
            }
            None => (String::new(), String::new()),
        }
    };
    let (desc_raw, desc_cell) = cell_text(cols.description);
    let (resp_raw, resp_cell) = cell_text(cols.responsible);
    let (deadline_raw, deadline_cell) = cell_text(cols.deadline);
    let description = clean::clean_text(&desc_raw);
    let no_problem = says_no_problem(&description);
    let has_problem = !no_problem || (description.is_empty() && (!resp_raw.trim().is_empty() || !deadline_raw.trim().is_empty()));
    if description.is_empty() && has_problem {
        findings.push(place.finding(Severity::Warning, "item.description_missing", &desc_cell, "问题描述", "",
            format!("第{item_no}项填了责任人或期限，但问题描述为空：请写明问题，没有问题的填“无”")));
    }

    let responsible = clean::parse_responsible(&resp_raw);
    for bad in &responsible.malformed {
        findings.push(place.finding(Severity::Warning, "responsible.phone_invalid", &resp_cell, "联系方式", &resp_raw,
            format!("联系电话“{bad}”不是有效的手机号（11位，1开头）或固定电话（8位，可加区号027-）：请核对")));
    }
    if has_problem && !responsible.name.is_empty() && responsible.phone.is_empty() && responsible.malformed.is_empty() {
        findings.push(place.finding(Severity::Info, "responsible.phone_missing", &resp_cell, "联系方式", &resp_raw,
            "责任人未留联系电话：请补充手机号或固定电话".into()));
    }

    let deadline_value = sheet.shown(r, cols.deadline.unwrap_or(u32::MAX)).map(|(v, _, _)| v);
    let deadline = read_deadline(deadline_value, &deadline_raw, year, &deadline_cell, item_no, has_problem, place, findings);

    let mut extra = Vec::new();
    for (c, header) in &cols.extra {
        if let Some(v) = sheet.get(r, *c) {
            used.insert((r, *c));
            extra.push((header.clone(), v.display()));
            findings.push(place.finding(Severity::Info, "form.extra_column", &a1(r, *c), header, &v.display(),
                format!("“{header}”列不在附件1原表中，内容已保留在整改台账中")));
        }
    }
    let described_done = clean::says_done(&description);
    if has_problem && responsible.name.is_empty() && deadline != DeadlineValue::Done && !described_done {
        findings.push(place.finding(Severity::Warning, "item.responsible_missing", &resp_cell, "整改责任人", &resp_raw,
            format!("第{item_no}项报告了问题但未写整改责任人：请填写责任人姓名和电话")));
    }
    Item {
        row: r + 1,
        item_no,
        description,
        has_problem,
        described_done,
        responsible: responsible.name,
        phone: responsible.phone,
        deadline,
        deadline_raw: clean::clean_text(&deadline_raw),
        extra,
        status: ItemStatus::NoProblem,
        days_overdue: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn read_deadline(value: Option<&Value>, raw: &str, year: i32, cell: &str, item_no: u8, has_problem: bool, place: &Place, findings: &mut Vec<Finding>) -> DeadlineValue {
    let parsed = match value {
        None => Deadline::Empty,
        Some(Value::Date(d)) => Deadline::Date(*d, None),
        Some(Value::Number(n)) => match clean::excel_serial_to_date(*n) {
            Some(d) => Deadline::Date(d, None),
            None => Deadline::Unreadable,
        },
        Some(Value::Error(e)) => {
            findings.push(place.finding(Severity::Error, "cell.formula_error", cell, "整改完成期限", e,
                format!("单元格是公式错误值 {e}：请填写具体日期")));
            return DeadlineValue::None;
        }
        Some(Value::Bool(_)) => Deadline::Unreadable,
        Some(Value::Text(t)) => clean::parse_deadline(t, year),
    };
    match parsed {
        Deadline::Empty => DeadlineValue::None,
        Deadline::Done => DeadlineValue::Done,
        Deadline::LongTerm => DeadlineValue::LongTerm,
        Deadline::Date(d, note) => {
            if let Some(note) = note {
                findings.push(place.finding(Severity::Info, "deadline.inferred", cell, "整改完成期限", raw,
                    format!("整改期限按{}计（{note}）：如不对请写明具体日期", d.format("%Y年%-m月%-d日"))));
            }
            DeadlineValue::Date(d)
        }
        Deadline::Impossible(why) => {
            findings.push(place.finding(Severity::Error, "deadline.impossible", cell, "整改完成期限", raw,
                format!("第{item_no}项整改期限{why}：请改为正确的日期")));
            DeadlineValue::None
        }
        Deadline::Unreadable => {
            let severity = if has_problem { Severity::Error } else { Severity::Warning };
            findings.push(place.finding(severity, "deadline.unreadable", cell, "整改完成期限", raw,
                format!("第{item_no}项整改期限“{}”无法识别为日期：请写成“2021年10月15日”这样的日期", clean::clean_text(raw))));
            DeadlineValue::None
        }
    }
}

/// Every non-empty cell not read into a field becomes an info finding: nothing is lost.
pub fn report_unused(sheet: &Sheet, used: &BTreeSet<(u32, u32)>, place: &Place, findings: &mut Vec<Finding>) {
    for (&(r, c), v) in &sheet.cells {
        if used.contains(&(r, c)) {
            continue;
        }
        let text = v.display();
        let k = clean::header_key(&text);
        if k.is_empty() {
            continue;
        }
        findings.push(place.finding(Severity::Info, "cell.unused", &a1(r, c), "", &text,
            "此单元格内容不属于表格的任何一栏，未计入汇总（已原样列出供核对）".into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_wording_full_and_shortened() {
        assert_eq!(focus_of("以业主拖欠物业服务费、不配合管理为由，中断或以限时限量等方式变相中断供水、供电、供气、供热等损害业主合法权益的行为"), Some(1));
        assert_eq!(focus_of("擅自允许他人利用共用部位、共用设施设备进行广告、宣传、经营等活动，对物业区域内违法违规行为，未及时劝阻、制止，并向业主委员会和有关主管部门履行报告义务"), Some(2));
        assert_eq!(focus_of("泄露业主信息，与业委会共同侵害业主合法权益，对业主进行骚扰、恐吓、打击报复、采取暴力等违法行为"), Some(3));
        assert_eq!(focus_of("擅自撤离物业管理区域、停止物业服务；物业服务合同终止后，拒不撤离物业服务项目，不按规定办理交接手续并移交物业服务用房和有关资料等行为"), Some(4));
        assert_eq!(focus_of("未在住宅小区显著位置公示物业服务、停车及其他有偿服务的收费项目、收费标准、收费方式和投诉电话、公共收益收支、特种设备维保单位及联系方式等信息等行为"), Some(5));
        assert_eq!(focus_of("擅自提高物业服务收费标准，以及转供电代收加价等违规收取不合理费用行为"), Some(6));
        assert_eq!(focus_of("中断供水供电等"), Some(1));
        assert_eq!(focus_of("共用部位违规经营"), Some(2));
        assert_eq!(focus_of("泄露业主信息"), Some(3));
        assert_eq!(focus_of("擅自撤离"), Some(4));
        assert_eq!(focus_of("未公示收费信息"), Some(5));
        assert_eq!(focus_of("擅自提价"), Some(6));
        assert_eq!(focus_of("备注：本表一式两份"), None);
    }

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
        header_line(&sheet, 1, &mut BTreeSet::new())
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
        assert_eq!(h.project.unwrap().1, "B1");
        assert_eq!(h.company.unwrap().1, "D1");
        assert_eq!(h.fill_date.unwrap().1, "E1");
    }

    #[test]
    fn item_numbers() {
        assert_eq!(item_number(&Value::Number(3.0)), Some(3));
        assert_eq!(item_number(&Value::Text("４".into())), Some(4));
        assert_eq!(item_number(&Value::Text("五".into())), Some(5));
        assert_eq!(item_number(&Value::Text("2.".into())), Some(2));
        assert_eq!(item_number(&Value::Number(7.0)), None);
        assert_eq!(item_number(&Value::Text("备注".into())), None);
    }
}
