//! The clerk's marks read back from the previous district workbook in the output folder
//! (`docs/contract.md`, "The clerk's marks"), also after the clerk saved it in Excel, WPS or LibreOffice (as `.xlsx`, `.xls` or
//! `.ods`): columns are found by their header text, not by position, so a column the clerk
//! inserted or moved does not shift them.

use crate::forms::file::{is_lock_file, Format};
use crate::forms::ItemStatus;
use crate::forms::Month;
use crate::grid::{Limits, ReadError, Sheet, Value};
use crate::layout::{self, header as h, is_part_of, ListSheet};
use crate::read::format;
use crate::read::workbook;
use crate::rules::ledger::{ClosedBy, LedgerRow, LedgerState};
use crate::rules::marks::{Action, ClerkMarks, FindingKey, Mark, MarkedFinding, Resolved};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Why the previous workbook's marks cannot be read.
#[derive(Debug)]
pub enum MarksError {
    /// The file cannot be opened.
    Io(std::io::Error),
    /// The spreadsheet reader failed on it.
    Unreadable(ReadError),
    /// The spreadsheet reader panicked on it.
    Panicked,
}

impl std::fmt::Display for MarksError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MarksError::Io(e) => write!(f, "{e}"),
            MarksError::Unreadable(e) => write!(f, "{}", e.reason()),
            MarksError::Panicked => write!(f, "读取时发生内部错误"),
        }
    }
}

impl std::error::Error for MarksError {}

/// The district workbooks in `output` (not in its subfolders), with their months: known by
/// their name, or, for a spreadsheet named otherwise (a copy the clerk renamed, or saved as
/// `.xls` or `.ods` under another name), by what it is — huizong's marker and the month on its
/// overview. Lock files are skipped.
pub fn workbooks(output: &Path) -> Vec<(PathBuf, Month, std::time::SystemTime)> {
    let Ok(entries) = std::fs::read_dir(output) else { return Vec::new() };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() || is_lock_file(&name) || !Format::of_extension(&name).is_some_and(Format::is_spreadsheet) {
            continue;
        }
        let month = layout::month_of_workbook_name(&name).or_else(|| (meta.len() <= MAX_RECOGNISED_BYTES).then(|| month_of_content(&entry.path())).flatten());
        if let Some(month) = month {
            found.push((entry.path(), month, meta.modified().unwrap_or(std::time::UNIX_EPOCH)));
        }
    }
    found
}

/// A spreadsheet in OUTPUT larger than this is not opened to see whether it is a district
/// workbook under another name.
const MAX_RECOGNISED_BYTES: u64 = 256 << 20;

/// The month of a district workbook from its content: huizong's marker (a defined name the
/// office programs keep) and its overview's 汇总月份.
fn month_of_content(path: &Path) -> Option<Month> {
    let book = open(path).ok()?;
    if !book.names.iter().any(|n| n.eq_ignore_ascii_case(crate::forms::REPORT_MARKER)) {
        return None;
    }
    let overview = book.sheets.iter().find(|s| s.name == layout::OVERVIEW)?;
    (0..60)
        .find_map(|r| (overview.get(r, 0).map(text).as_deref() == Some(layout::OVERVIEW_MONTH)).then(|| overview.get(r, 1)).flatten())
        .and_then(|v| Month::find_in(&text(v)))
}

/// The workbook to read marks from: the newest district workbook in `output` of `month` or
/// before (the run's own month first, so a re-run keeps what the clerk typed into it); of
/// several of one month, the one saved last. With it, how many others of that month there are.
pub fn previous_workbook(output: &Path, month: Month) -> Option<(PathBuf, Month)> {
    previous_workbooks(output, month).map(|(p, m, _)| (p, m))
}

/// [`previous_workbook`], with the number of other workbooks of the same month.
pub fn previous_workbooks(output: &Path, month: Month) -> Option<(PathBuf, Month, usize)> {
    let mut all: Vec<(PathBuf, Month, std::time::SystemTime)> = workbooks(output).into_iter().filter(|(_, m, _)| *m <= month).collect();
    all.sort_by(|a, b| (a.1, a.2, &a.0).cmp(&(b.1, b.2, &b.0)));
    let (path, m, _) = all.last()?.clone();
    let others = all.iter().filter(|(_, om, _)| *om == m).count() - 1;
    Some((path, m, others))
}

/// The marks in the workbook at `path`, of `month`.
///
/// # Errors
/// Why the workbook cannot be read (its `Display` is Chinese).
pub fn read(path: &Path, month: Month) -> Result<ClerkMarks, MarksError> {
    let book = open(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    Ok(from_sheets(&book.sheets, &name, month))
}

/// The ledger a district workbook shows in 整改台账, to carry it on when the history partition
/// of its month is lost: every problem with its deadlines, state and note. A row whose state
/// cannot be told (a status label the program does not write) is left out.
///
/// # Errors
/// Why the workbook cannot be read.
pub fn ledger(path: &Path) -> Result<Vec<LedgerRow>, MarksError> {
    let book = open(path)?;
    let mut rows = Vec::new();
    for t in Table::find(&book.sheets, layout::LEDGER_WHOLE) {
        for (r, get) in t.rows() {
            let value = |h: &str| t.cols.get(h).and_then(|c| t.sheet.get(r, *c)).cloned();
            let date = |h: &str| match value(h) {
                Some(Value::Date(d)) => Some(d),
                Some(Value::Text(s)) => chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
                _ => None,
            };
            let number = |h: &str| get(h).parse::<u32>().ok();
            let (Some(first_month), Some(item_no)) = (Month::find_in(&get(h::FIRST_REPORTED)), number(h::ITEM_NO)) else { continue };
            let label = get(h::STATUS);
            let state = match ItemStatus::ALL.into_iter().find(|s| s.label() == label) {
                Some(status) => LedgerState::Open(status),
                None if label == "已销号" => {
                    let Some(month) = Month::find_in(&get(h::CLOSED_MONTH)) else { continue };
                    let by = if get(h::CLOSED_BY) == ClosedBy::Clerk.label() { ClosedBy::Clerk } else { ClosedBy::Return };
                    LedgerState::Closed { month, by }
                }
                None => continue,
            };
            let note = [get(h::MARK), get(h::MARK_NOTE)].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("：");
            rows.push(LedgerRow {
                item_id: get(h::ITEM_ID),
                project: get(h::PROJECT),
                company: get(h::COMPANY),
                item_no: item_no.clamp(1, 6) as u8,
                description: get(h::DESCRIPTION),
                responsible: get(h::RESPONSIBLE),
                phone: get(h::PHONE),
                first_month,
                first_deadline: date(h::FIRST_DEADLINE),
                deadline: date(h::DEADLINE),
                extensions: number(h::EXTENSIONS).unwrap_or(0),
                state,
                months_open: number(h::MONTHS_OPEN).unwrap_or(1),
                path: get(h::SOURCE),
                note,
            });
        }
    }
    Ok(rows)
}

/// Every unit's 附件2 of `month` as a district workbook shows them in 分单位明细, to compare
/// this month's 累积 with when the history partition of that month is lost. The units that sent
/// none, and the district's total, are left out.
///
/// # Errors
/// Why the workbook cannot be read.
pub fn monthlies(path: &Path, month: Month) -> Result<Vec<crate::forms::Monthly>, MarksError> {
    use crate::forms::{IndicatorId, IndicatorValue, Monthly};
    let book = open(path)?;
    let Some(sheet) = book.sheets.iter().find(|s| s.name == layout::UNIT_SHEET) else { return Ok(Vec::new()) };
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let heads: Vec<(u32, String)> = sheet.row(0).filter(|(c, _)| *c >= 2).map(|(c, v)| (c, text(v))).collect();
    let number = |r: u32, c: u32| match sheet.get(r, c) {
        Some(Value::Number(n)) if n.fract() == 0.0 => Some(*n as i64),
        Some(Value::Text(t)) => t.trim().parse().ok(),
        _ => None,
    };
    let mut out = Vec::new();
    // The last head is the district's total.
    for (col, unit) in heads.iter().take(heads.len().saturating_sub(1)) {
        if unit.is_empty() || unit.ends_with(layout::UNIT_NOT_REPORTED) {
            continue;
        }
        let indicators = (2..=sheet.max_row().unwrap_or(0))
            .filter_map(|r| {
                let id = IndicatorId::from_code(&text(sheet.get(r, 0)?))?;
                let (this_month, cumulative) = (number(r, *col), number(r, col + 1));
                // A line the unit left blank is no value to compare with.
                (this_month.is_some() || cumulative.is_some()).then_some(IndicatorValue { id, this_month, cumulative, at: crate::findings::At::Whole })
            })
            .collect();
        out.push(Monthly {
            source: crate::findings::Location::file(&format!("{name}（{}的工作簿）", month.label())),
            unit: unit.clone(),
            unit_raw: unit.clone(),
            month: Some(month),
            compiler: String::new(),
            contact: String::new(),
            indicators,
            cases: String::new(),
            experience: String::new(),
            from_report: false,
        });
    }
    Ok(out)
}

/// A district workbook read whole (it is as large as its findings list).
fn open(path: &Path) -> Result<crate::grid::Workbook, MarksError> {
    let bytes = std::fs::read(path).map_err(MarksError::Io)?;
    let format = format::sniff(&bytes);
    let limits = Limits { max_cells_per_sheet: 50_000_000, max_row: 2_000_000, deadline: None };
    std::panic::catch_unwind(|| workbook::read(&bytes, format, limits, None)).map_err(|_| MarksError::Panicked)?.map_err(MarksError::Unreadable)
}

/// A sheet's table: its header row (the first of the first five rows that has every header
/// the list sheet's layout reads back) and the column of each header.
struct Table<'a> {
    sheet: &'a Sheet,
    header_row: u32,
    cols: HashMap<String, u32>,
}

impl<'a> Table<'a> {
    /// The table of the list sheet and of each of its continuation sheets, in order.
    fn find(sheets: &'a [Sheet], list: ListSheet) -> Vec<Table<'a>> {
        let needed = list.read_back;
        sheets
            .iter()
            .filter(|s| is_part_of(&s.name, list.name))
            .filter_map(|sheet| {
                (0..5).find_map(|r| {
                    let cols: HashMap<String, u32> = sheet.row(r).map(|(c, v)| (v.display().trim().to_string(), c)).collect();
                    needed.iter().all(|h| cols.contains_key(*h)).then_some(Table { sheet, header_row: r, cols })
                })
            })
            .collect()
    }

    /// The rows below the header, with a getter for a column's text.
    fn rows(&self) -> impl Iterator<Item = (u32, impl Fn(&str) -> String + '_)> + '_ {
        let last = self.sheet.max_row().unwrap_or(self.header_row);
        (self.header_row + 1..=last).map(move |r| (r, move |h: &str| self.cols.get(h).and_then(|c| self.sheet.get(r, *c)).map(text).unwrap_or_default()))
    }
}

/// A cell as the sheet showed it: text as typed, a whole number without `.0`.
fn text(v: &Value) -> String {
    v.display().trim().to_string()
}

/// The marks of a workbook's sheets; `name` is the workbook's file name, for the record.
fn from_sheets(sheets: &[Sheet], name: &str, month: Month) -> ClerkMarks {
    let mut marks = ClerkMarks { workbook: name.to_string(), ..ClerkMarks::default() };
    let mark = |sheet: &str, r: u32, typed: String, note: String| Mark {
        action: Action::parse(&typed),
        typed,
        note,
        month,
        origin: format!("{name} {sheet} 第{}行", r + 1),
    };
    marks.files = Table::find(sheets, layout::FILES).iter().flat_map(|t| t.rows().map(|(_, get)| (get(h::FILE), get(h::SHA256)))).collect();
    let sha: HashMap<String, String> = marks.files.iter().cloned().collect();
    for t in Table::find(sheets, layout::FINDINGS) {
        let sheet = t.sheet.name.as_str();
        for (r, get) in t.rows() {
            let (typed, note) = (get(h::MARK), get(h::MARK_NOTE));
            if typed.is_empty() && note.is_empty() {
                continue;
            }
            let path = get(h::FILE);
            let key = FindingKey {
                content: sha.get(&path).filter(|s| !s.is_empty()).cloned().unwrap_or_else(|| path.clone()),
                code: get(h::CODE),
                sheet: get(h::SHEET),
                cell: get(h::CELL),
                value: get(h::VALUE),
            };
            let what = format!(
                "{} {} {} {}{}",
                layout::FINDINGS.name,
                key.code,
                path,
                key.sheet,
                if key.cell.is_empty() { String::new() } else { format!("!{}", key.cell) }
            );
            marks.findings.push(MarkedFinding { key, submitter: get(h::SUBMITTER), what, mark: mark(sheet, r, typed, note) });
        }
    }
    // The ledger first: where a problem is marked in both, 整改台账 is the clerk's record.
    for t in [layout::LEDGER, layout::CHASE].into_iter().flat_map(|list| Table::find(sheets, list)) {
        let sheet = t.sheet.name.as_str();
        for (r, get) in t.rows() {
            let (id, typed, note) = (get(h::ITEM_ID), get(h::MARK), get(h::MARK_NOTE));
            if id.is_empty() || (typed.is_empty() && note.is_empty()) || marks.items.iter().any(|(i, _, _)| *i == id) {
                continue;
            }
            let what = format!("{} {} 第{}项（{} {id}）", layout::LEDGER.name, get(h::PROJECT), get(h::ITEM_NO), h::ITEM_ID);
            marks.items.push((id, what, mark(sheet, r, typed, note)));
        }
    }
    for t in Table::find(sheets, layout::RECORD) {
        let sheet = t.sheet.name.as_str();
        for (r, get) in t.rows() {
            let typed = get(h::MARK);
            let last_seen = Month::parse_iso(&get(h::RECORD_LAST_SEEN)).unwrap_or(month);
            let earlier = Month::parse_iso(&get(h::RECORD_MARKED)).unwrap_or(month);
            let m = Mark { action: Action::parse(&typed), typed, note: get(h::MARK_NOTE), month: earlier, origin: format!("{name} {sheet} 第{}行", r + 1) };
            marks.resolved.push(Resolved { what: get(h::RECORD_WHAT), mark: m, last_seen });
        }
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn sheet(name: &str, rows: &[&[&str]]) -> Sheet {
        let mut cells = BTreeMap::new();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                cells.insert((r as u32, c as u32), Value::Text(v.to_string()));
            }
        }
        Sheet { name: name.into(), cells, ..Sheet::default() }
    }

    #[test]
    fn marks_are_found_by_header_whatever_the_column_order() {
        let month = Month::new(2021, 10).unwrap();
        let sheets = [
            sheet("文件清单", &[&["文件", "格式", "SHA-256"], &["a.xlsx", "xlsx", "abc"]]),
            // The clerk put 处理 first and inserted a column of their own.
            sheet(
                "数据问题",
                &[
                    &["处理", "我的备注", "级别", "代码", "文件", "工作表", "单元格", "栏目", "原始内容", "说明（请按此修改）", "处理说明"],
                    &["已核实", "x", "警告", "item.deadline_missing", "a.xlsx", "Sheet1", "E6", "整改期限", "", "…", "电话核实"],
                    &["", "", "警告", "count.blank", "a.xlsx", "Sheet1", "C7", "", "", "…", ""],
                ],
            ),
            sheet("整改台账", &[&["物业项目", "序号", "问题编号", "处理", "处理说明"], &["梨园小区", "2", "lyxq#2@2021-09", "已销号", "现场核查"]]),
            sheet("督办清单", &[&["物业项目", "序号", "问题编号", "处理", "处理说明"], &["梨园小区", "2", "lyxq#2@2021-09", "退回修改", ""]]),
        ];
        let marks = from_sheets(&sheets, "汇总_2021年10月.xlsx", month);
        assert_eq!(marks.files, [("a.xlsx".to_string(), "abc".to_string())], "the file list is kept");
        assert_eq!(marks.findings.len(), 1, "a row without a mark is no mark");
        let MarkedFinding { key, mark, .. } = &marks.findings[0];
        assert_eq!((key.content.as_str(), key.cell.as_str(), key.code.as_str()), ("abc", "E6", "item.deadline_missing"));
        assert_eq!((mark.action, mark.note.as_str(), mark.origin.as_str()), (Some(Action::Verified), "电话核实", "汇总_2021年10月.xlsx 数据问题 第2行"));
        assert_eq!(marks.items.len(), 1, "整改台账 wins over 督办清单 for the same problem");
        assert_eq!(marks.items[0].2.action, Some(Action::Closed));
    }

    #[test]
    fn marks_are_read_from_every_part_of_a_continued_list() {
        let month = Month::new(2021, 10).unwrap();
        let header: &[&str] = &["物业项目", "序号", "问题编号", "处理", "处理说明"];
        let sheets = [
            sheet("整改台账", &[header, &["甲", "1", "a#1@2021-10", "已核实", ""]]),
            sheet("整改台账（续2）", &[header, &["乙", "2", "b#2@2021-10", "已销号", "现场核查"]]),
            sheet(
                "数据问题（续2）",
                &[&["代码", "文件", "工作表", "单元格", "原始内容", "处理", "处理说明"], &["count.blank", "b.xlsx", "S", "C7", "", "已核实", ""]],
            ),
        ];
        let marks = from_sheets(&sheets, "汇总_2021年10月.xlsx", month);
        let items: Vec<(&str, &str)> = marks.items.iter().map(|(id, _, m)| (id.as_str(), m.origin.as_str())).collect();
        assert_eq!(items, [("a#1@2021-10", "汇总_2021年10月.xlsx 整改台账 第2行"), ("b#2@2021-10", "汇总_2021年10月.xlsx 整改台账（续2） 第2行")]);
        assert_eq!(marks.findings.len(), 1, "a continuation sheet is read even without its first part");
    }
}
