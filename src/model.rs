//! Domain types at the centre of the program: forms, items, indicators, findings and statuses.
//! Every stage speaks these; no calamine, clap or polars type appears here.

use chrono::NaiveDate;
use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

/// One problem, located: the file, sheet and cell, the raw value and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub path: String,
    pub sheet: String,
    pub cell: String,
    pub severity: Severity,
    /// A stable code from `docs/findings.md`.
    pub code: &'static str,
    pub field: String,
    pub value: String,
    pub message: String,
}

/// Where in a file a finding is: built once per sheet and used for every cell in it.
#[derive(Debug, Clone)]
pub struct Place {
    pub path: String,
    pub sheet: String,
}

impl Place {
    pub fn finding(&self, severity: Severity, code: &'static str, cell: &str, field: &str, value: &str, message: String) -> Finding {
        Finding {
            path: self.path.clone(),
            sheet: self.sheet.clone(),
            cell: cell.to_string(),
            severity,
            code,
            field: field.to_string(),
            value: value.to_string(),
            message,
        }
    }
}

/// The status of one 附件1 item at the as-of date (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    NoProblem,
    Done,
    InProgress,
    Overdue,
    LongTerm,
    MissingDeadline,
    MissingResponsible,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 7] = [
        ItemStatus::NoProblem,
        ItemStatus::Done,
        ItemStatus::InProgress,
        ItemStatus::Overdue,
        ItemStatus::LongTerm,
        ItemStatus::MissingDeadline,
        ItemStatus::MissingResponsible,
    ];
    pub fn name(self) -> &'static str {
        match self {
            ItemStatus::NoProblem => "no_problem",
            ItemStatus::Done => "done",
            ItemStatus::InProgress => "in_progress",
            ItemStatus::Overdue => "overdue",
            ItemStatus::LongTerm => "long_term",
            ItemStatus::MissingDeadline => "missing_deadline",
            ItemStatus::MissingResponsible => "missing_responsible",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::NoProblem => "未发现问题",
            ItemStatus::Done => "已整改",
            ItemStatus::InProgress => "整改中",
            ItemStatus::Overdue => "已逾期",
            ItemStatus::LongTerm => "长期整改",
            ItemStatus::MissingDeadline => "缺整改期限",
            ItemStatus::MissingResponsible => "缺责任人",
        }
    }
}

/// What the deadline cell of an item held, after cleaning.
#[derive(Debug, Clone, PartialEq)]
pub enum DeadlineValue {
    None,
    Date(NaiveDate),
    Done,
    LongTerm,
}

/// One row of a 附件1 form.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// 1-based sheet row.
    pub row: u32,
    pub item_no: u8,
    pub description: String,
    pub has_problem: bool,
    /// The description itself says the work is finished.
    pub described_done: bool,
    pub responsible: String,
    pub phone: String,
    pub deadline: DeadlineValue,
    pub deadline_raw: String,
    /// Extra columns (such as 备注): header and value.
    pub extra: Vec<(String, String)>,
    pub status: ItemStatus,
    pub days_overdue: Option<i64>,
}

/// A 附件1 专项整治自查表 as read from one sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SelfCheck {
    pub path: String,
    pub sheet: String,
    pub project: String,
    pub company: String,
    pub fill_date: Option<NaiveDate>,
    pub items: Vec<Item>,
}

/// The 15 indicators of 附件2 in form order, with their kind.
pub const INDICATORS: [(&str, &str, IndicatorKind); 15] = [
    ("1", "专业化物业管理小区数（个）", IndicatorKind::Stock),
    ("2", "公示物业服务收费信息小区数（个）", IndicatorKind::Stock),
    ("3", "未公示物业服务收费信息小区数（个）", IndicatorKind::Stock),
    ("4", "新增公示物业服务收费信息小区数（个）", IndicatorKind::Activity),
    ("5", "查处问题小区数", IndicatorKind::Activity),
    ("5.1", "其中，查处未公示物业服务收费信息小区数", IndicatorKind::Activity),
    ("6", "开展检查和执法行动数（次）", IndicatorKind::Activity),
    ("7", "出动检查和执法人员数（次）", IndicatorKind::Activity),
    ("8", "处罚物业服务企业数（个）", IndicatorKind::Activity),
    ("9", "公开曝光案例数（个）", IndicatorKind::Activity),
    ("10", "发放政策法规宣传册数（份）", IndicatorKind::Activity),
    ("11", "受理群众投诉举报数（件）", IndicatorKind::Activity),
    ("12", "签订承诺书企业数（个）", IndicatorKind::Activity),
    ("13", "城市选树“美好家园”项目数（个）（活动结束时填报）", IndicatorKind::Stock),
    ("14", "小区为群众办实事数（件）", IndicatorKind::Activity),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorKind {
    /// A count of things that exist (taken from one source unit, never summed).
    Stock,
    /// A count of things done (summed over units).
    Activity,
}

/// Indicators 1–3 have a single 数量 column.
pub fn single_column(id: &str) -> bool {
    matches!(id, "1" | "2" | "3")
}

pub fn indicator_kind(id: &str) -> IndicatorKind {
    INDICATORS.iter().find(|(i, _, _)| *i == id).map_or(IndicatorKind::Activity, |(_, _, k)| *k)
}

pub fn indicator_name(id: &str) -> &'static str {
    INDICATORS.iter().find(|(i, _, _)| *i == id).map_or("", |(_, n, _)| n)
}

/// One indicator of one 附件2.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: &'static str,
    pub this_month: Option<i64>,
    pub cumulative: Option<i64>,
    /// The cell(s) the values came from, `C10` or `C10:D10`.
    pub cell: String,
}

/// A 附件2 专项整治月度工作汇总表 as read from one sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Monthly {
    pub path: String,
    pub sheet: String,
    /// The configured unit name the form was matched to (or the cleaned name as written).
    pub unit: String,
    pub unit_raw: String,
    /// `YYYY-MM`.
    pub month: String,
    pub compiler: String,
    pub contact: String,
    pub indicators: Vec<Indicator>,
    pub cases: String,
    pub experience: String,
}

impl Monthly {
    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }
}

/// A form found in a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Form {
    SelfCheck(SelfCheck),
    Monthly(Monthly),
}

/// What became of a file (SPEC §4.2 `files.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileStatus {
    Consolidated,
    Superseded,
    Unrecognized,
    Unreadable,
    Ignored,
}

impl FileStatus {
    pub const ALL: [FileStatus; 5] =
        [FileStatus::Consolidated, FileStatus::Superseded, FileStatus::Unrecognized, FileStatus::Unreadable, FileStatus::Ignored];
    pub fn name(self) -> &'static str {
        match self {
            FileStatus::Consolidated => "consolidated",
            FileStatus::Superseded => "superseded",
            FileStatus::Unrecognized => "unrecognized",
            FileStatus::Unreadable => "unreadable",
            FileStatus::Ignored => "ignored",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            FileStatus::Consolidated => "已汇总",
            FileStatus::Superseded => "已被替代",
            FileStatus::Unrecognized => "未识别",
            FileStatus::Unreadable => "无法读取",
            FileStatus::Ignored => "已忽略",
        }
    }
}

/// One input file and everything read from it.
#[derive(Debug, Clone)]
pub struct FileRecord {
    pub rel: String,
    pub format: String,
    pub bytes: u64,
    pub sha256: String,
    /// Modification time, seconds since the epoch: the tie-breaker between re-submissions.
    pub modified: i64,
    pub status: FileStatus,
    pub reason: String,
    pub forms: Vec<Form>,
    /// Per form: `Some(reason)` once it is superseded by a later one.
    pub superseded: Vec<Option<String>>,
    pub findings: Vec<Finding>,
}

impl FileRecord {
    /// A short list of the forms in the file, for the file list.
    pub fn forms_label(&self) -> String {
        self.forms
            .iter()
            .map(|f| match f {
                Form::SelfCheck(s) => format!("附件1:{}", s.project),
                Form::Monthly(m) => format!("附件2:{}:{}", m.unit, m.month),
            })
            .collect::<Vec<_>>()
            .join("；")
    }
}

/// A project expected to submit a 附件1 (a roster line).
#[derive(Debug, Clone)]
pub struct RosterEntry {
    pub project: String,
    pub company: String,
}

/// Something expected but not received.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Missing {
    /// `project` or `unit`.
    pub kind: &'static str,
    pub name: String,
    pub detail: String,
}
