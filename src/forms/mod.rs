//! What huizong knows about the two forms, at the centre of the program: the 附件2 indicator
//! table, the 附件1 focus table, the report month, and the records a form becomes once read.
//! Every stage speaks these types; no calamine, clap or polars type appears here.

pub mod campaign;
pub mod file;
pub mod focus;
pub mod indicators;
pub mod month;

pub use focus::{FocusNo, FOCUS};
pub use indicators::{IndicatorDef, IndicatorId, IndicatorKind, INDICATORS};
pub use month::Month;

/// A project expected to submit a 附件1 (a line of the roster).
#[derive(Debug, Clone)]
pub struct RosterEntry {
    pub project: String,
    pub company: String,
}

/// The defined name (named range) huizong puts in every district workbook it writes, so that
/// a folder of district workbooks is recognised as one level up (a city) when read again. A
/// defined name is kept by Excel, WPS and LibreOffice when they re-save the workbook as
/// `.xlsx`, `.xls` or `.ods`, and calamine reads it from all of them. Compared without regard
/// to case.
pub const REPORT_MARKER: &str = "HUIZONG_DISTRICT_REPORT";

use crate::findings::{At, Location};
use chrono::NaiveDate;

/// The status of one 附件1 item at the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

    /// The name used in the tables: `in_progress`.
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

    /// The Chinese label: `整改中`.
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

    /// Reported, but a deadline or a responsible person is missing.
    pub fn incomplete(self) -> bool {
        matches!(self, ItemStatus::MissingDeadline | ItemStatus::MissingResponsible)
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

impl DeadlineValue {
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            DeadlineValue::Date(d) => Some(*d),
            _ => None,
        }
    }
}

/// One row of a 附件1 form.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// 1-based row in its sheet (in a Word table, the row inside the table).
    pub row: u32,
    pub item_no: FocusNo,
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
    /// Where the description and the deadline sit in the form's grid, for findings about this
    /// item made after extraction (a version comparison).
    pub description_at: At,
    pub deadline_at: At,
}

/// A 附件1 专项整治自查表 as read from one sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SelfCheck {
    /// The file and sheet it was read from.
    pub source: Location,
    pub project: String,
    pub company: String,
    pub fill_date: Option<NaiveDate>,
    pub items: Vec<Item>,
}

/// The values of one indicator line of one 附件2.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    pub id: IndicatorId,
    pub this_month: Option<i64>,
    pub cumulative: Option<i64>,
    /// The cell(s) the values came from: `C10`, or `C10:D10`.
    pub at: At,
}

/// A 附件2 专项整治月度工作汇总表 as read from one sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Monthly {
    /// The file and sheet it was read from.
    pub source: Location,
    /// The configured unit the form was matched to (or the cleaned name as written).
    pub unit: String,
    pub unit_raw: String,
    /// `None` when neither the form nor its file name says which month.
    pub month: Option<Month>,
    pub compiler: String,
    pub contact: String,
    pub indicators: Vec<IndicatorValue>,
    pub cases: String,
    pub experience: String,
    /// Read from the official 附件2 of a district workbook huizong wrote ([`REPORT_MARKER`]):
    /// the unit is a district, one level up.
    pub from_report: bool,
}

impl Monthly {
    pub fn get(&self, id: IndicatorId) -> Option<&IndicatorValue> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The month as the tables write it (`2021-10`, or empty).
    pub fn month_text(&self) -> String {
        self.month.map(|m| m.to_string()).unwrap_or_default()
    }
}

/// A form found in a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Form {
    SelfCheck(SelfCheck),
    Monthly(Monthly),
}

impl Form {
    pub fn source(&self) -> &Location {
        match self {
            Form::SelfCheck(s) => &s.source,
            Form::Monthly(m) => &m.source,
        }
    }
}
