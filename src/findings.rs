//! Findings: what huizong says about one file, sheet or cell. A finding has a stable [`Code`]
//! (which carries its usual severity and its documentation, the source of `docs/findings.md`),
//! a [`Location`] and a Chinese message that tells the submitter what to write instead.

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    /// The name used in the tables: `error`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// The Chinese label: `错误`.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

/// Defines [`Code`] and its documentation table from one list: variant = (code, usual
/// severity, severities as documented, meaning, where the finding points).
macro_rules! codes {
    ($($variant:ident = ($code:literal, $severity:ident, $levels:literal, $meaning:literal, $location:literal),)*) => {
        /// Every finding code. Codes are a contract for other tools: never renamed once
        /// released, only added.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in the order of `docs/findings.md` (alphabetical).
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable text code: `count.blank`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// The severity a finding of this code has unless the rule says otherwise (the
            /// documentation names the exceptions).
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// The documentation: severities, meaning, where the finding points.
            pub fn doc(self) -> (&'static str, &'static str, &'static str) {
                match self {
                    $(Code::$variant => ($levels, $meaning, $location),)*
                }
            }
        }
    };
}

codes! {
    CellFormulaError = ("cell.formula_error", Error, "error", "单元格是公式错误值（如 `#REF!`），无法取数", "该单元格"),
    CellUnused = ("cell.unused", Info, "info", "表格内的非空单元格不属于任何一栏（如表下备注），原样列出，未计入汇总", "该单元格"),
    CountBlank = ("count.blank", Warning, "warning", "附件2数量未填写；空白不按 0 计", "该单元格"),
    CountChineseNumeral = ("count.chinese_numeral", Warning, "warning", "数量写成中文数字（`十二`、`两`），已换算", "该单元格"),
    CountDashAsZero = ("count.dash_as_zero", Info, "info", "数量填 `/`、`—`、`无`，按 0 计", "该单元格"),
    CountInvalid = ("count.invalid", Error, "error", "数量为负数、小数、`是/否` 或无法识别；或非指标5带括号“其中”数", "该单元格"),
    CountReformatted = ("count.reformatted", Info, "info", "数量带千位分隔符（`1,200`）或写成整数的小数（`12.0`），已按整数读取", "该单元格"),
    CountUnitStripped = ("count.unit_stripped", Info, "info", "数量带单位（`12件`），已去掉单位", "该单元格"),
    DeadlineImpossible = ("deadline.impossible", Error, "error", "整改期限是不存在的日期（`9月31日`），不猜测", "该单元格"),
    DeadlineInferred = ("deadline.inferred", Info, "info", "整改期限部分推定：无年份取填报年份，`月底`/`中旬`/`上旬`/`年底前`/`国庆前`/时间段取结束日", "该单元格"),
    DeadlineUnreadable = ("deadline.unreadable", Error, "error（有问题时）/ warning", "整改期限无法识别为日期（如“尽快”）", "该单元格"),
    DistrictStockConflict = ("district.stock_conflict", Info, "info", "某单位的存量指标（1、2、3、13）填了与来源单位不同的非零数；全区数以来源单位为准，仅供经办人核对，不退回", "该单位的单元格"),
    DistrictStockSourceMissing = ("district.stock_source_missing", Warning, "warning", "存量指标的来源单位本月未报送，全区存量指标为空", "—"),
    FileIgnored = ("file.ignored", Info, "info", "文件未读取：Office 临时文件、名册、不是表格的文件（如 `.txt`）", "文件"),
    FileUnreadable = ("file.unreadable", Error, "error", "文件无法读取：空文件、损坏、截断、加密、扩展名是表格但内容不是", "文件"),
    FileUnrecognized = ("file.unrecognized", Warning, "warning", "文件能打开，但没有找到附件1或附件2", "文件"),
    FormColumnMissing = ("form.column_missing", Error, "error / warning", "表头缺少某列（问题描述、责任人、期限；序号缺失为 warning；附件2 缺“本月/累积”）", "表头行"),
    FormExtraColumn = ("form.extra_column", Info, "info", "附件1 多出的列（如“备注”），内容已保留", "该单元格"),
    FormUnlocated = ("form.unlocated", Error, "error", "工作表有表格标题，但找不到表头行；说明缺哪部分、在哪里找过", "工作表"),
    HeaderFillDateInvalid = ("header.fill_date_invalid", Error, "error", "填报日期不存在", "表头单元格"),
    HeaderFillDateMissing = ("header.fill_date_missing", Warning, "warning", "未填填报日期（重复报送时无法按日期判断新旧）", "表头单元格"),
    HeaderMissing = ("header.missing", Error, "error", "未填物业项目或物业公司名称", "表头单元格"),
    HeaderMonthMismatch = ("header.month_mismatch", Warning, "warning", "附件2 表头的月份与文件名中的月份不同（按表头汇总）", "月份单元格"),
    HeaderMonthMissing = ("header.month_missing", Warning, "warning / error", "附件2 未写月份（从文件名取到为 warning，取不到为 error）", "月份单元格"),
    HeaderUnitMissing = ("header.unit_missing", Warning, "warning", "附件2 未写报送单位", "单位行"),
    IndicatorDuplicate = ("indicator.duplicate", Warning, "warning", "同一指标出现两次，取第一次", "该行"),
    IndicatorRowMissing = ("indicator.row_missing", Warning, "warning", "附件2 缺某个指标行", "—"),
    ItemDeadlineExtended = ("item.deadline_extended", Info, "info", "较上月台账中的同一问题，整改期限推迟了；写明原期限和新期限（经办人核对，不退回）", "期限单元格"),
    ItemDeadlineMissing = ("item.deadline_missing", Warning, "warning", "报告了问题（未写已整改）但整改期限为空（或填 `/`、`无`）", "期限单元格"),
    ItemDescriptionMissing = ("item.description_missing", Warning, "warning", "填了责任人或期限，但问题描述为空", "该单元格"),
    ItemDuplicate = ("item.duplicate", Warning, "warning", "附件1 同一序号出现两次", "该行"),
    ItemFocusMismatch = ("item.focus_mismatch", Warning, "warning", "序号与整改重点文字不符，按序号读取", "整改重点单元格"),
    ItemReopened = ("item.reopened", Info, "info", "已销号的问题又被报告，作为新问题列入台账", "问题描述单元格"),
    ItemResponsibleMissing = ("item.responsible_missing", Warning, "warning / info", "报告了问题但未写整改责任人（已整改的为 info，请补填）", "责任人单元格"),
    ItemRowMissing = ("item.row_missing", Warning, "warning", "附件1 缺某一项（1–6）", "—"),
    ItemSilentlyDropped = ("item.silently_dropped", Warning, "warning", "尚未销号的问题在新一次报送中变成“无”或空白，却没有写已整改；写明原问题", "问题描述单元格"),
    MonthlyCumulativeBelowMonth = ("monthly.cumulative_below_month", Error, "error", "累积数小于本月数", "本月:累积"),
    MonthlyCumulativeMismatch = ("monthly.cumulative_mismatch", Warning, "warning", "本月累积 ≠ 上月累积 + 本月（上月报表在输入中时）", "本月:累积"),
    MonthlyFinalMissing = ("monthly.final_missing", Warning, "warning", "活动结束月的附件2中指标13（只在结束月填报）未填写；结束月之前空着不算问题", "本月:累积"),
    MonthlyFinalOnlyEarly = ("monthly.final_only_early", Warning, "warning", "指标13 在活动结束月之前就填了", "本月:累积"),
    MonthlyPartExceedsWhole = ("monthly.part_exceeds_whole", Error, "error", "5.1（其中未公示）大于 5", "5.1 单元格"),
    MonthlySumMismatch = ("monthly.sum_mismatch", Error, "error", "指标2 + 指标3 ≠ 指标1", "指标1 单元格"),
    ReportSheetsSkipped = ("report.sheets_skipped", Info, "info", "huizong 生成的汇总工作簿：只读取其中的月度汇总表（附件2），其余工作表（概览、台账等）是汇总结果，已跳过", "文件"),
    ResponsiblePhoneInvalid = ("responsible.phone_invalid", Warning, "warning", "联系电话不是有效手机号（11 位，1[3-9] 开头）或固定电话（8 位，可加区号）", "责任人单元格"),
    ResponsiblePhoneMissing = ("responsible.phone_missing", Info, "info", "责任人没有留电话", "责任人单元格"),
    RosterUnknownProject = ("roster.unknown_project", Warning, "warning", "报送的项目不在名册中（名称按去空格、全半角、括号规整后比较）", "工作表"),
    SheetHidden = ("sheet.hidden", Info, "info", "表格在隐藏工作表中，已照常读取", "工作表"),
    SheetTooLarge = ("sheet.too_large", Error, "error", "工作表超过读取上限，只读了前面部分", "工作表"),
    TextCodepageGuessed = ("text.codepage_guessed", Warning, "warning", "文字是按错误编码保存/读取的 GBK 中文，已纠正（旧版 `.xls` 编码标记有误时整个文件按 GBK 重读；乱码的 8 位字符串逐格纠正，原文和纠正后的文字都写明）：请核对", "该单元格（整个文件重读时为文件）"),
    TextGarbled = ("text.garbled", Error, "error", "文字确定是乱码（含替换字符 `�`，或同一文件中已确认有 GBK 乱码而此格无法纠正）；其他语言的文字不算乱码", "该单元格"),
    UnitUnknown = ("unit.unknown", Warning, "warning", "附件2 的报送单位不在配置的单位名单中", "单位行"),
}

impl Code {
    /// The row of `docs/findings.md` that documents this code.
    pub fn doc_row(self) -> String {
        let (levels, meaning, location) = self.doc();
        format!("| `{}` | {levels} | {meaning} | {location} |", self.as_str())
    }
}

/// A cell of a grid, 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cell {
    pub row: u32,
    pub col: u32,
}

impl Cell {
    pub fn new(row: u32, col: u32) -> Cell {
        Cell { row, col }
    }

    /// `A1`-style name.
    pub fn a1(self) -> String {
        crate::grid::a1(self.row, self.col)
    }
}

/// Where in a grid: nowhere in particular, one cell, or a rectangle (`C10:D10`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum At {
    #[default]
    Whole,
    Cell(Cell),
    Range(Cell, Cell),
}

impl At {
    pub fn cell(row: u32, col: u32) -> At {
        At::Cell(Cell::new(row, col))
    }

    /// The `cell` column: `C10`, `C10:D10`, or empty.
    pub fn a1(self) -> String {
        match self {
            At::Whole => String::new(),
            At::Cell(c) => c.a1(),
            At::Range(a, b) => format!("{}:{}", a.a1(), b.a1()),
        }
    }
}

/// The part of a file a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Part {
    /// The whole file.
    #[default]
    File,
    /// A worksheet, by name.
    Sheet(String),
    /// A table of a Word document with the paragraphs around it (`docs/contract.md`, "The forms read"): named `表N`; cells
    /// are counted from the table's first row, and a paragraph outside it has no cell.
    Table { name: String, rows: crate::grid::TableRows },
}

/// Where a finding points: a file, a part of it, and a place in that part.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Location {
    /// The file's path relative to INPUT (empty for a district-level finding).
    pub path: String,
    pub part: Part,
    pub at: At,
}

impl Location {
    /// The whole file at `path`.
    pub fn file(path: &str) -> Location {
        Location { path: path.to_string(), part: Part::File, at: At::Whole }
    }

    /// A sheet of the file at `path`.
    pub fn sheet(path: &str, sheet: &str) -> Location {
        Location { path: path.to_string(), part: Part::Sheet(sheet.to_string()), at: At::Whole }
    }

    /// The part a grid read from the file at `path` is: a worksheet, or a Word table.
    pub fn of_sheet(path: &str, sheet: &crate::grid::Sheet) -> Location {
        let part = match sheet.table {
            Some(rows) => Part::Table { name: sheet.name.clone(), rows },
            None => Part::Sheet(sheet.name.clone()),
        };
        Location { path: path.to_string(), part, at: At::Whole }
    }

    /// The same part, another place in it.
    pub fn at(&self, at: At) -> Location {
        Location { at, ..self.clone() }
    }

    /// The name of the part: a sheet's name, or empty for the whole file.
    pub fn part_name(&self) -> &str {
        match &self.part {
            Part::File => "",
            Part::Sheet(name) | Part::Table { name, .. } => name,
        }
    }

    /// The `sheet` and `cell` columns of the tables and the workbook: the one place a
    /// location becomes text. In a Word table the cell is counted from the table's first row;
    /// a paragraph outside the table has no cell.
    pub fn columns(&self) -> (String, String) {
        let cell = match &self.part {
            Part::Table { rows, .. } => match self.in_table(rows) {
                Some(at) => at.a1(),
                None => String::new(),
            },
            _ => self.at.a1(),
        };
        (self.part_name().to_string(), cell)
    }

    /// The place inside a Word table, rows counted from the table's first row, or `None` for
    /// a paragraph outside it (or a range that leaves it).
    fn in_table(&self, rows: &crate::grid::TableRows) -> Option<At> {
        let inside = |c: Cell| rows.contains(c.row).then(|| Cell::new(c.row - rows.first_row, c.col));
        match self.at {
            At::Whole => Some(At::Whole),
            At::Cell(c) => inside(c).map(At::Cell),
            At::Range(a, b) => Some(At::Range(inside(a)?, inside(b)?)),
        }
    }

    /// Where it is, in words for a person: `“Sheet1”E6`, `“Sheet1”`, `文件`, or in a Word table
    /// `第1个表格第3行第4列`.
    pub fn place_text(&self) -> String {
        if let Some(word) = self.word_place() {
            return word;
        }
        match self.columns() {
            (sheet, _) if sheet.is_empty() => "文件".to_string(),
            (sheet, cell) if cell.is_empty() => format!("“{sheet}”"),
            (sheet, cell) => format!("“{sheet}”{cell}"),
        }
    }

    /// Where a submitter finds a Word table's cell, in words (`第1个表格第3行第4列`), or `None`
    /// for any other place.
    pub fn word_place(&self) -> Option<String> {
        let Part::Table { rows, .. } = &self.part else { return None };
        let words = |c: Cell| format!("第{}行第{}列", c.row + 1, c.col + 1);
        let n = rows.index;
        match self.in_table(rows)? {
            At::Whole => None,
            At::Cell(c) => Some(format!("第{n}个表格{}", words(c))),
            At::Range(a, b) => Some(format!("第{n}个表格{}至{}", words(a), words(b))),
        }
    }
}

/// One problem, located: the file, sheet and cell, the raw value and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub location: Location,
    pub severity: Severity,
    pub code: Code,
    /// What the value is (`填报日期`, `指标4本月`).
    pub field: String,
    /// The raw text as the submitter wrote it.
    pub value: String,
    /// A Chinese sentence that says what to write instead.
    pub message: String,
}

impl Finding {
    /// A finding of `code` at `location`, with the code's usual severity.
    pub fn new(code: Code, location: Location, field: &str, value: &str, message: impl Into<String>) -> Finding {
        Finding { location, severity: code.severity(), code, field: field.to_string(), value: value.to_string(), message: message.into() }
    }

    /// The message as the outputs show it: for a Word table's cell, led by where to find it
    /// in Word (`第1个表格第3行第4列：…`).
    pub fn message_text(&self) -> String {
        match self.location.word_place() {
            Some(place) => format!("{place}：{}", self.message),
            None => self.message.clone(),
        }
    }

    /// The same finding with another severity (for the codes documented with two).
    pub fn with_severity(self, severity: Severity) -> Finding {
        Finding { severity, ..self }
    }
}

/// Put one file's findings in the order a person reads its sheets: sheet by sheet, row by
/// row, left to right (`C8` before `C10`), whole-file findings first.
pub fn reading_order<F: std::borrow::Borrow<Finding>>(findings: &mut [F]) {
    findings.sort_by_cached_key(|f| {
        let f: &Finding = f.borrow();
        let (row, col) = match f.location.at {
            At::Whole => (0, 0),
            At::Cell(c) | At::Range(c, _) => (c.row + 1, c.col),
        };
        (f.location.path.clone(), f.location.part_name().to_string(), row, col)
    });
}

/// Put findings in the order they are listed in (by file, then sheet and cell as written —
/// `C10` before `C6` — then severity, code, field, value and message) and drop exact repeats.
/// The sort key holds the rendered `sheet`/`cell` columns, so it is built once per finding,
/// not twice per comparison.
pub fn sort_and_dedup(findings: &mut Vec<Finding>) {
    let mut keyed: Vec<(String, String, Finding)> = findings
        .drain(..)
        .map(|f| {
            let (sheet, cell) = f.location.columns();
            (sheet, cell, f)
        })
        .collect();
    type Key<'a> = (&'a str, &'a str, &'a str, Severity, &'static str, &'a str, &'a str, &'a str);
    fn key((sheet, cell, f): &(String, String, Finding)) -> Key<'_> {
        (&f.location.path, sheet, cell, f.severity, f.code.as_str(), &f.field, &f.value, &f.message)
    }
    keyed.sort_by(|a, b| key(a).cmp(&key(b)));
    findings.extend(keyed.into_iter().map(|(_, _, f)| f));
    findings.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sorted_as_documented() {
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(names, sorted);
    }

    #[test]
    fn the_documented_levels_start_with_the_usual_severity() {
        for c in Code::ALL {
            assert!(c.doc().0.starts_with(c.severity().name()), "{}", c.as_str());
        }
    }

    #[test]
    fn locations_become_sheet_and_cell_columns() {
        let sheet = Location::sheet("a.xlsx", "Sheet1");
        assert_eq!(sheet.columns(), ("Sheet1".to_string(), String::new()));
        assert_eq!(sheet.at(At::cell(9, 2)).columns().1, "C10");
        assert_eq!(sheet.at(At::Range(Cell::new(9, 2), Cell::new(9, 3))).columns().1, "C10:D10");
        assert_eq!(Location::file("a.xlsx").columns(), (String::new(), String::new()));
    }

    #[test]
    fn findings_sort_by_place_as_written() {
        let at = |cell: At| Finding::new(Code::CountBlank, Location::sheet("a.xlsx", "S").at(cell), "", "", "");
        let mut f = vec![at(At::cell(9, 2)), at(At::cell(5, 2)), at(At::Whole), at(At::cell(5, 2))];
        sort_and_dedup(&mut f);
        let cells: Vec<String> = f.iter().map(|f| f.location.columns().1).collect();
        // String order, as the tables have always listed them: "" < "C10" < "C6".
        assert_eq!(cells, ["", "C10", "C6"]);
    }
}
