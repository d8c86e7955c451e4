//! Records for the rules' tests, built in memory: one builder per record type, so each test
//! says only what matters to it.

use crate::findings::{At, Location};
use crate::forms::file::Format;
use crate::forms::file::{FileRecord, FileStatus};
use crate::forms::{DeadlineValue, FocusNo, Form, IndicatorId, IndicatorValue, Item, ItemStatus, Month, Monthly, SelfCheck};
use chrono::NaiveDate;

/// Item `no` (1–6); a problem (`问题`) or none (`无`); status not yet applied.
pub fn item(no: u8, problem: bool, responsible: &str, deadline: DeadlineValue) -> Item {
    Item {
        row: 4 + no as u32,
        item_no: FocusNo::new(no).expect("an item number 1–6"),
        description: if problem { "问题" } else { "无" }.into(),
        has_problem: problem,
        described_done: false,
        responsible: responsible.into(),
        phone: String::new(),
        deadline,
        deadline_raw: String::new(),
        extra: vec![],
        status: ItemStatus::NoProblem,
        days_overdue: None,
        description_at: At::cell(3 + no as u32, 2),
        deadline_at: At::cell(3 + no as u32, 4),
    }
}

/// A 附件1 of `project` on sheet `Sheet1` of `path`.
pub fn self_check(path: &str, project: &str, fill_date: Option<NaiveDate>, items: Vec<Item>) -> SelfCheck {
    SelfCheck { source: Location::sheet(path, "Sheet1"), project: project.into(), company: String::new(), fill_date, items }
}

/// A 附件2 of `unit` on sheet `Sheet1` of `path`; `values` are (indicator code, 本月, 累积), all
/// read from C6.
pub fn monthly(path: &str, unit: &str, month: Option<Month>, values: &[(&str, Option<i64>, Option<i64>)]) -> Monthly {
    Monthly {
        source: Location::sheet(path, "Sheet1"),
        unit: unit.into(),
        unit_raw: unit.into(),
        month,
        compiler: String::new(),
        contact: String::new(),
        indicators: values
            .iter()
            .map(|&(id, t, c)| IndicatorValue { id: IndicatorId::from_code(id).expect("an indicator code"), this_month: t, cumulative: c, at: At::cell(5, 2) })
            .collect(),
        cases: String::new(),
        experience: String::new(),
        from_report: false,
    }
}

/// A consolidated xlsx file at `rel` holding `forms`, none superseded yet.
pub fn record(rel: &str, forms: Vec<Form>) -> FileRecord {
    FileRecord {
        rel: rel.into(),
        format: Format::Xlsx,
        bytes: 1,
        sha256: String::new(),
        modified: 0,
        status: FileStatus::Consolidated,
        reason: String::new(),
        forms,
        findings: vec![],
    }
}

/// A month of 2021.
pub fn month(m: u32) -> Month {
    Month::new(2021, m).expect("a month of 2021")
}

/// A day of 2021.
pub fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, m, d).expect("a day of 2021")
}

/// A ledger row of a problem first reported in September 2021: open with `state`, described as
/// 问题, from `a.xlsx`, one month open, no deadline and no contact. Tests change what matters
/// to them with `LedgerRow { field, ..ledger_row(..) }`.
pub fn ledger_row(item_id: &str, project: &str, item_no: u8, state: crate::rules::ledger::LedgerState) -> crate::rules::ledger::LedgerRow {
    crate::rules::ledger::LedgerRow {
        item_id: item_id.into(),
        project: project.into(),
        company: String::new(),
        item_no,
        description: "问题".into(),
        responsible: String::new(),
        phone: String::new(),
        first_month: month(9),
        first_deadline: None,
        deadline: None,
        extensions: 0,
        state,
        months_open: 1,
        path: "a.xlsx".into(),
        note: String::new(),
    }
}
