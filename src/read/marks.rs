//! The clerk's marks read back from the previous district workbook in the output folder
//! (SPEC §7), also after the clerk saved it in Excel, WPS or LibreOffice (as `.xlsx`, `.xls` or
//! `.ods`): columns are found by their header text, not by position, so a column the clerk
//! inserted or moved does not shift them.

use super::format;
use super::workbook::{self, Limits, Sheet, Value};
use crate::forms::Month;
use crate::rules::marks::{Action, ClerkMarks, FindingKey, Mark, Resolved};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The sheet that lists marks already resolved, carried from workbook to workbook.
pub const RECORD_SHEET: &str = "处理记录";

/// The name of part `part` (from 1) of a list sheet: `整改台账`, then `整改台账（续2）`… A list
/// longer than Excel's rows continues on such sheets, and the marks are read from every part.
pub fn part_name(base: &str, part: usize) -> String {
    if part <= 1 {
        base.to_string()
    } else {
        format!("{base}（续{part}）")
    }
}

/// Whether `name` is `base` or one of its continuation sheets.
fn is_part_of(name: &str, base: &str) -> bool {
    name == base || name.strip_prefix(base).and_then(|r| r.strip_prefix("（续")).and_then(|r| r.strip_suffix('）')).is_some_and(|n| n.parse::<usize>().is_ok())
}
/// Its columns.
pub const RECORD_HEADERS: [&str; 6] = ["对象", "处理", "处理说明", "标记于", "最后出现", "结果"];

/// The month a district workbook is of, from its name (`…物业专项整治汇总_2021年10月….xlsx`).
fn month_of_name(name: &str) -> Option<Month> {
    let rest = &name[name.find("物业专项整治汇总_")? + "物业专项整治汇总_".len()..];
    let (year, rest) = rest.split_once('年')?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if !rest[digits.len()..].starts_with('月') {
        return None;
    }
    Month::new(year.parse().ok()?, digits.parse().ok()?)
}

/// The workbook to read marks from: the newest district workbook in `output` of `month` or
/// before (the run's own month first, so a re-run keeps what the clerk typed into it); of
/// several copies of one month, the one saved last. Lock files are skipped.
pub fn previous_workbook(output: &Path, month: Month) -> Option<(PathBuf, Month)> {
    let entries = std::fs::read_dir(output).ok()?;
    let mut best: Option<(Month, std::time::SystemTime, PathBuf)> = None;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let lower = name.to_lowercase();
        if name.starts_with("~$") || name.starts_with(".~lock") || ![".xlsx", ".xlsm", ".xls", ".ods"].iter().any(|e| lower.ends_with(e)) {
            continue;
        }
        let Some(m) = month_of_name(&name).filter(|m| *m <= month) else { continue };
        let modified = entry.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH);
        if best.as_ref().is_none_or(|(bm, bt, _)| (m, modified) > (*bm, *bt)) {
            best = Some((m, modified, entry.path()));
        }
    }
    best.map(|(m, _, p)| (p, m))
}

/// The marks in the workbook at `path`, of `month`.
///
/// # Errors
/// Why the workbook cannot be read, in Chinese.
pub fn read(path: &Path, month: Month) -> Result<ClerkMarks, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let format = format::sniff(&bytes);
    // A district workbook is as large as its findings list: read it whole.
    let limits = Limits { max_cells_per_sheet: 50_000_000, max_row: 2_000_000, deadline: None };
    let book =
        std::panic::catch_unwind(|| workbook::read(&bytes, format, limits, None)).map_err(|_| "读取时发生内部错误".to_string())?.map_err(|e| e.reason())?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    Ok(from_sheets(&book.sheets, &name, month))
}

/// A sheet's table: its header row (the first of the first five rows that has every one of
/// `needed`) and the column of each header.
struct Table<'a> {
    sheet: &'a Sheet,
    header_row: u32,
    cols: HashMap<String, u32>,
}

impl<'a> Table<'a> {
    /// The table of the sheet `name` and of each of its continuation sheets, in order.
    fn find(sheets: &'a [Sheet], name: &str, needed: &[&str]) -> Vec<Table<'a>> {
        sheets
            .iter()
            .filter(|s| is_part_of(&s.name, name))
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
    let sha: HashMap<String, String> =
        Table::find(sheets, "文件清单", &["文件", "SHA-256"]).iter().flat_map(|t| t.rows().map(|(_, get)| (get("文件"), get("SHA-256")))).collect();
    for t in Table::find(sheets, "数据问题", &["代码", "文件", "工作表", "单元格", "原始内容", "处理", "处理说明"]) {
        let sheet = t.sheet.name.as_str();
        for (r, get) in t.rows() {
            let (typed, note) = (get("处理"), get("处理说明"));
            if typed.is_empty() && note.is_empty() {
                continue;
            }
            let path = get("文件");
            let key = FindingKey {
                content: sha.get(&path).filter(|s| !s.is_empty()).cloned().unwrap_or_else(|| path.clone()),
                code: get("代码"),
                sheet: get("工作表"),
                cell: get("单元格"),
                value: get("原始内容"),
            };
            let what = format!("数据问题 {} {} {}{}", key.code, path, key.sheet, if key.cell.is_empty() { String::new() } else { format!("!{}", key.cell) });
            marks.findings.push((key, what, mark(sheet, r, typed, note)));
        }
    }
    // The ledger first: where a problem is marked in both, 整改台账 is the clerk's record.
    for t in ["整改台账", "督办清单"].iter().flat_map(|name| Table::find(sheets, name, &["问题编号", "处理", "处理说明"])) {
        let sheet = t.sheet.name.as_str();
        for (r, get) in t.rows() {
            let (id, typed, note) = (get("问题编号"), get("处理"), get("处理说明"));
            if id.is_empty() || (typed.is_empty() && note.is_empty()) || marks.items.iter().any(|(i, _, _)| *i == id) {
                continue;
            }
            let what = format!("整改台账 {} 第{}项（问题编号 {id}）", get("物业项目"), get("序号"));
            marks.items.push((id, what, mark(sheet, r, typed, note)));
        }
    }
    for t in Table::find(sheets, RECORD_SHEET, &RECORD_HEADERS) {
        let sheet = t.sheet.name.as_str();
        for (r, get) in t.rows() {
            let typed = get("处理");
            let last_seen = Month::parse_iso(&get("最后出现")).unwrap_or(month);
            let earlier = Month::parse_iso(&get("标记于")).unwrap_or(month);
            let m = Mark { action: Action::parse(&typed), typed, note: get("处理说明"), month: earlier, origin: format!("{name} {sheet} 第{}行", r + 1) };
            marks.resolved.push(Resolved { what: get("对象"), mark: m, last_seen });
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
    fn workbook_months_come_from_the_name() {
        assert_eq!(month_of_name("东湖风景区物业专项整治汇总_2021年10月.xlsx"), Month::new(2021, 10));
        assert_eq!(month_of_name("东湖风景区物业专项整治汇总_2021年9月（已核）.ods"), Month::new(2021, 9));
        assert_eq!(month_of_name("名册.xlsx"), None);
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
        assert_eq!(marks.findings.len(), 1, "a row without a mark is no mark");
        let (key, _, mark) = &marks.findings[0];
        assert_eq!((key.content.as_str(), key.cell.as_str(), key.code.as_str()), ("abc", "E6", "item.deadline_missing"));
        assert_eq!((mark.action, mark.note.as_str(), mark.origin.as_str()), (Some(Action::Verified), "电话核实", "汇总_2021年10月.xlsx 数据问题 第2行"));
        assert_eq!(marks.items.len(), 1, "整改台账 wins over 督办清单 for the same problem");
        assert_eq!(marks.items[0].2.action, Some(Action::Closed));
    }

    #[test]
    fn marks_are_read_from_every_part_of_a_continued_list() {
        assert_eq!((part_name("整改台账", 1), part_name("整改台账", 2)), ("整改台账".to_string(), "整改台账（续2）".to_string()));
        assert!(is_part_of("整改台账（续12）", "整改台账") && is_part_of("整改台账", "整改台账"));
        assert!(!is_part_of("整改台账（续）", "整改台账") && !is_part_of("整改台账2", "整改台账") && !is_part_of("督办清单（续2）", "整改台账"));
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
