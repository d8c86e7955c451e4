//! The names one run writes and a later run reads back, defined once for both sides: the list
//! sheets of the district workbook where the clerk types marks (their names and headers,
//! written by `output::report`, read by `carry::marks`) and the stored tables (their names and
//! columns, written by `output::frames`, read by `carry::history`). Renaming a header here
//! renames it for the writer and the reader together. `docs/contract.md` lists them.

/// Headers that both sides name.
pub mod header {
    pub const FILE: &str = "文件";
    pub const SHA256: &str = "SHA-256";
    pub const CODE: &str = "代码";
    pub const SHEET: &str = "工作表";
    pub const CELL: &str = "单元格";
    pub const VALUE: &str = "原始内容";
    pub const PROJECT: &str = "物业项目";
    /// The project or unit whose return a finding is about.
    pub const SUBMITTER: &str = "报送方";
    pub const ITEM_NO: &str = "序号";
    pub const ITEM_ID: &str = "问题编号";
    /// The clerk's drop-down: 已核实, 已销号, 退回修改.
    pub const MARK: &str = "处理";
    /// The clerk's free text beside it.
    pub const MARK_NOTE: &str = "处理说明";
    pub const COMPANY: &str = "物业公司";
    pub const DESCRIPTION: &str = "问题描述";
    pub const FIRST_REPORTED: &str = "首次报告";
    pub const FIRST_DEADLINE: &str = "最初期限";
    pub const DEADLINE: &str = "整改期限";
    pub const STATUS: &str = "状态";
    pub const EXTENSIONS: &str = "推迟次数";
    pub const MONTHS_OPEN: &str = "已开放月数";
    pub const CLOSED_MONTH: &str = "销号月份";
    pub const CLOSED_BY: &str = "销号方式";
    pub const SOURCE: &str = "来源文件";
    pub const RESPONSIBLE: &str = "整改责任人";
    pub const PHONE: &str = "联系电话";
    pub const OVERDUE_DAYS: &str = "逾期天数";
    pub const RECORD_WHAT: &str = "对象";
    pub const RECORD_MARKED: &str = "标记于";
    pub const RECORD_LAST_SEEN: &str = "最后出现";
}

use header::*;

/// A list sheet of the district workbook: its name, its headers in order, and the headers the
/// next run reads back from it (each one of `headers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListSheet {
    pub name: &'static str,
    pub headers: &'static [&'static str],
    pub read_back: &'static [&'static str],
}

/// Internal keys kept in the list sheets for the next run and for filtering, hidden from the
/// printed page: each file's SHA-256, the finding codes, the problem ids.
pub const HIDDEN_COLUMNS: [&str; 3] = [SHA256, CODE, ITEM_ID];

/// The last column of a printed problem list (整改台账, 督办清单): a reader of the A4 page
/// needs who, what, by when and how late; the history columns after it (extensions, closing,
/// source file, the clerk's marks) stay on screen and out of the print area.
pub const PRINT_LAST: &str = OVERDUE_DAYS;

/// The two columns every marked list ends with.
pub const CLERK_HEADERS: [&str; 2] = [MARK, MARK_NOTE];

/// 数据问题: every finding, with the clerk's columns.
pub const FINDINGS: ListSheet = ListSheet {
    name: "数据问题",
    headers: &["级别", CODE, FILE, SUBMITTER, SHEET, CELL, "栏目", VALUE, "说明（请按此修改）", MARK, MARK_NOTE],
    read_back: &[CODE, FILE, SHEET, CELL, VALUE, MARK, MARK_NOTE],
};

/// The columns of 整改台账 and 督办清单: the problem, who answers for it this month, its
/// deadline history and how it was closed. 状态 stays the tenth column, as in the item tables.
const LEDGER_HEADERS: &[&str] = &[
    PROJECT,
    COMPANY,
    ITEM_NO,
    DESCRIPTION,
    RESPONSIBLE,
    PHONE,
    FIRST_REPORTED,
    FIRST_DEADLINE,
    DEADLINE,
    STATUS,
    OVERDUE_DAYS,
    EXTENSIONS,
    MONTHS_OPEN,
    CLOSED_MONTH,
    CLOSED_BY,
    SOURCE,
    ITEM_ID,
    "其他列（如备注）",
    MARK,
    MARK_NOTE,
];
const ITEM_READ_BACK: &[&str] = &[PROJECT, ITEM_NO, ITEM_ID, MARK, MARK_NOTE];

/// 整改台账: one row per problem ever reported.
pub const LEDGER: ListSheet = ListSheet { name: "整改台账", headers: LEDGER_HEADERS, read_back: ITEM_READ_BACK };

/// 整改台账 read back whole, to rebuild a month's ledger when its history partition is lost.
pub const LEDGER_WHOLE: ListSheet = ListSheet {
    name: "整改台账",
    headers: LEDGER_HEADERS,
    read_back: &[
        PROJECT,
        COMPANY,
        ITEM_NO,
        DESCRIPTION,
        RESPONSIBLE,
        PHONE,
        FIRST_REPORTED,
        FIRST_DEADLINE,
        DEADLINE,
        STATUS,
        EXTENSIONS,
        MONTHS_OPEN,
        CLOSED_MONTH,
        CLOSED_BY,
        SOURCE,
        ITEM_ID,
        MARK,
        MARK_NOTE,
    ],
};

/// 督办清单: the open problems to chase, in the ledger's columns.
pub const CHASE: ListSheet = ListSheet { name: "督办清单", headers: LEDGER_HEADERS, read_back: ITEM_READ_BACK };

/// 文件清单: every input file; the next run reads each file's SHA-256 to know a marked
/// finding's file by its content.
pub const FILES: ListSheet =
    ListSheet {
        name: "文件清单", headers: &[FILE, "格式", "字节数", "处理结果", "识别出的表格", "原因/说明", SHA256], read_back: &[FILE, SHA256]
    };

/// 处理记录: the marks whose finding or problem no longer appears, carried from workbook to
/// workbook.
pub const RECORD: ListSheet = ListSheet {
    name: "处理记录",
    headers: &[RECORD_WHAT, MARK, MARK_NOTE, RECORD_MARKED, RECORD_LAST_SEEN, "结果"],
    read_back: &[RECORD_WHAT, MARK, MARK_NOTE, RECORD_MARKED, RECORD_LAST_SEEN],
};

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
pub fn is_part_of(name: &str, base: &str) -> bool {
    name == base || name.strip_prefix(base).and_then(|r| r.strip_prefix("（续")).and_then(|r| r.strip_suffix('）')).is_some_and(|n| n.parse::<usize>().is_ok())
}

/// The sheet of every unit's 附件2 side by side: row 1 a unit per pair of columns from column C
/// (`UNIT_NOT_REPORTED` after the name when it sent none, the district's total last), row 2
/// 本月/累积, then one row per indicator with its code in column A.
pub const UNIT_SHEET: &str = "分单位明细";
pub const UNIT_NOT_REPORTED: &str = "（未报送）";

/// The sheet of the official 附件2 (the district's, or a unit's).
pub const OFFICIAL_SHEET: &str = "月度汇总表";

/// The workbook for the city: only the official 附件2, named
/// `{district}专项整治月度工作汇总表_{YYYY}年{M}月（报送）.xlsx`.
pub fn report_name(district: &str, month: crate::forms::Month) -> String {
    format!("{district}{REPORT_STEM}{}{REPORT_SUFFIX}", month.label())
}

const REPORT_STEM: &str = "专项整治月度工作汇总表_";
const REPORT_SUFFIX: &str = "（报送）.xlsx";

/// Whether a file name is that of a workbook for the city the run wrote.
pub fn is_report_name(name: &str) -> bool {
    name.contains(REPORT_STEM) && name.ends_with(REPORT_SUFFIX)
}

/// The overview sheet, and the label of its row that holds the month (read back to know a
/// district workbook by what it is, whatever the clerk renamed it).
pub const OVERVIEW: &str = "概览";
pub const OVERVIEW_MONTH: &str = "汇总月份";

/// The district workbook's file name: `{district}物业专项整治汇总_{YYYY}年{M}月.xlsx`.
pub fn workbook_name(district: &str, month: crate::forms::Month) -> String {
    format!("{district}{WORKBOOK_STEM}{}.xlsx", month.label())
}

const WORKBOOK_STEM: &str = "物业专项整治汇总_";

/// The month of a district workbook from its file name, whatever the district, the extension
/// or what the clerk added after the month (`…汇总_2021年9月（已核）.ods`).
pub fn month_of_workbook_name(name: &str) -> Option<crate::forms::Month> {
    let rest = &name[name.find(WORKBOOK_STEM)? + WORKBOOK_STEM.len()..];
    let (year, rest) = rest.split_once('年')?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if !rest[digits.len()..].starts_with('月') {
        return None;
    }
    crate::forms::Month::new(year.parse().ok()?, digits.parse().ok()?)
}

/// A table of the history store and of `OUTPUT/tables/`: one Parquet file each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Files,
    Items,
    Monthly,
    District,
    Findings,
    Missing,
    Ledger,
}

/// The columns of the tables the next run reads back, in order, destructured by the writer
/// and the reader alike.
pub const MONTHLY_COLUMNS: [&str; 8] = ["path", "sheet", "unit", "month", "indicator", "this_month", "cumulative", "cell"];
pub const DISTRICT_COLUMNS: [&str; 5] = ["month", "indicator", "this_month", "cumulative", "units"];
pub const LEDGER_COLUMNS: [&str; 17] = [
    "item_id",
    "project",
    "company",
    "item_no",
    "description",
    "first_month",
    "first_deadline",
    "deadline",
    "extensions",
    "status",
    "closed_month",
    "closed_by",
    "months_open",
    "path",
    "note",
    "responsible",
    "phone",
];

/// Columns a table written by an earlier version may lack (read as empty).
pub const ADDED_COLUMNS: [&str; 2] = ["responsible", "phone"];

impl Table {
    /// Every table, in the order they are written.
    pub const ALL: [Table; 7] = [Table::Files, Table::Items, Table::Monthly, Table::District, Table::Findings, Table::Missing, Table::Ledger];

    /// The file's stem: `ledger` for `ledger.parquet`.
    pub fn name(self) -> &'static str {
        match self {
            Table::Files => "files",
            Table::Items => "items",
            Table::Monthly => "monthly",
            Table::District => "district",
            Table::Findings => "findings",
            Table::Missing => "missing",
            Table::Ledger => "ledger",
        }
    }

    /// Its columns, in order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Files => &["path", "format", "bytes", "sha256", "status", "forms", "reason"],
            Table::Items => &[
                "path",
                "sheet",
                "row",
                "project",
                "company",
                "fill_date",
                "item_no",
                "description",
                "has_problem",
                "responsible",
                "phone",
                "deadline",
                "deadline_raw",
                "status",
                "days_overdue",
            ],
            Table::Monthly => &MONTHLY_COLUMNS,
            Table::District => &DISTRICT_COLUMNS,
            Table::Findings => &["severity", "code", "path", "sheet", "cell", "field", "value", "message"],
            Table::Missing => &["kind", "name", "detail"],
            Table::Ledger => &LEDGER_COLUMNS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_header_read_back_is_one_the_sheet_has() {
        for sheet in [FILES, FINDINGS, LEDGER, LEDGER_WHOLE, CHASE, RECORD] {
            for h in sheet.read_back {
                assert!(sheet.headers.contains(h), "{} reads back {h}, which it does not write", sheet.name);
            }
        }
        for sheet in [FINDINGS, LEDGER, CHASE] {
            assert!(sheet.headers.ends_with(&CLERK_HEADERS), "{}: the clerk's columns come last", sheet.name);
        }
        assert_eq!(LEDGER.headers.iter().position(|h| *h == "状态"), Some(9), "状态 is the tenth column, as in the item tables");
    }

    #[test]
    fn the_report_for_the_city_is_named_apart() {
        let oct = crate::forms::Month::new(2021, 10).unwrap();
        let name = report_name("东湖风景区", oct);
        assert_eq!(name, "东湖风景区专项整治月度工作汇总表_2021年10月（报送）.xlsx");
        assert!(is_report_name(&name) && !is_report_name(&workbook_name("东湖风景区", oct)));
        assert_eq!(month_of_workbook_name(&name), None, "never taken for the working workbook");
    }

    #[test]
    fn workbook_names_carry_their_month() {
        let oct = crate::forms::Month::new(2021, 10).unwrap();
        assert_eq!(workbook_name("东湖风景区", oct), "东湖风景区物业专项整治汇总_2021年10月.xlsx");
        assert_eq!(month_of_workbook_name(&workbook_name("洪山区", oct)), Some(oct));
        assert_eq!(month_of_workbook_name("东湖风景区物业专项整治汇总_2021年9月（已核）.ods"), crate::forms::Month::new(2021, 9));
        assert_eq!(month_of_workbook_name("名册.xlsx"), None);
        assert_eq!(month_of_workbook_name("物业专项整治汇总_2021年.xlsx"), None);
    }

    #[test]
    fn continued_lists_are_named_and_recognised() {
        assert_eq!((part_name("整改台账", 1), part_name("整改台账", 2)), ("整改台账".to_string(), "整改台账（续2）".to_string()));
        assert!(is_part_of("整改台账（续12）", "整改台账") && is_part_of("整改台账", "整改台账"));
        assert!(!is_part_of("整改台账（续）", "整改台账") && !is_part_of("整改台账2", "整改台账") && !is_part_of("督办清单（续2）", "整改台账"));
    }

    #[test]
    fn table_names_and_columns_are_distinct() {
        let mut names: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 7);
        for t in Table::ALL {
            let mut cols = t.columns().to_vec();
            cols.sort_unstable();
            cols.dedup();
            assert_eq!(cols.len(), t.columns().len(), "{}: a column named twice", t.name());
        }
    }
}
