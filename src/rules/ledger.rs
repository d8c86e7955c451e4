//! The 销号 ledger (`docs/contract.md`, "The ledger"): one row per problem ever reported, carried from month to month.
//! A problem keeps its `item_id` (normalised project, focus number, the month it was first
//! reported) however its description is re-typed. It stays open until a return says it is done
//! (or, later, the clerk closes it); a problem open last month that no return mentions stays
//! open and becomes overdue once its deadline passes. Comparing this month's return with the
//! ledger gives the version findings: a later deadline (`item.deadline_extended`), a problem
//! turned into 无 or blank without being done (`item.silently_dropped`), a closed problem
//! reported again (`item.reopened`).

use crate::clean::match_key;
use crate::findings::{Code, Finding};
use crate::forms::{DeadlineValue, Item, ItemStatus, Month, SelfCheck};
use chrono::NaiveDate;
use std::collections::HashMap;

/// One problem's row of the ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerRow {
    pub item_id: String,
    pub project: String,
    pub company: String,
    pub item_no: u8,
    pub description: String,
    /// The responsible person and phone the latest return that named them gave: who to chase.
    pub responsible: String,
    pub phone: String,
    pub first_month: Month,
    pub first_deadline: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    /// Times the deadline moved later.
    pub extensions: u32,
    /// Open with its status, or closed (when and by whom).
    pub state: LedgerState,
    pub months_open: u32,
    /// The latest return that mentioned the problem.
    pub path: String,
    pub note: String,
}

/// How a problem stands in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerState {
    /// Still open, with the item status it has at the as-of date.
    Open(ItemStatus),
    /// Closed in `month`: by a return that says 已整改, or by the clerk's 已销号.
    Closed { month: Month, by: ClosedBy },
}

/// Who closed a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedBy {
    /// A return of the project says 已整改.
    Return,
    /// The clerk marked it 已销号 in the workbook.
    Clerk,
}

impl ClosedBy {
    /// The name in the `ledger` table's `closed_by` column.
    pub fn name(self) -> &'static str {
        match self {
            ClosedBy::Return => "return",
            ClosedBy::Clerk => "clerk",
        }
    }

    /// The Chinese label of 整改台账's 销号方式 column.
    pub fn label(self) -> &'static str {
        match self {
            ClosedBy::Return => "报表写明已整改",
            ClosedBy::Clerk => "人工销号",
        }
    }
}

impl LedgerState {
    /// The name in the `ledger` table's `status` column: an item status, or `closed`.
    pub fn name(self) -> &'static str {
        match self {
            LedgerState::Open(s) => s.name(),
            LedgerState::Closed { .. } => "closed",
        }
    }

    /// The Chinese label of 整改台账's 状态 column.
    pub fn label(self) -> &'static str {
        match self {
            LedgerState::Open(s) => s.label(),
            LedgerState::Closed { .. } => "已销号",
        }
    }

    pub fn closed_month(self) -> Option<Month> {
        match self {
            LedgerState::Open(_) => None,
            LedgerState::Closed { month, .. } => Some(month),
        }
    }

    pub fn closed_by(self) -> Option<ClosedBy> {
        match self {
            LedgerState::Open(_) => None,
            LedgerState::Closed { by, .. } => Some(by),
        }
    }

    /// The state a stored row's `status`, `closed_month` and `closed_by` columns describe, or
    /// `None` when they do not describe one (a damaged or foreign store).
    pub fn from_stored(status: &str, closed_month: Option<Month>, closed_by: &str) -> Option<LedgerState> {
        match (status, closed_month) {
            ("closed", Some(month)) => {
                let by = [ClosedBy::Return, ClosedBy::Clerk].into_iter().find(|b| b.name() == closed_by)?;
                Some(LedgerState::Closed { month, by })
            }
            (status, None) => ItemStatus::ALL.into_iter().find(|s| s.name() == status).map(LedgerState::Open),
            _ => None,
        }
    }
}

impl LedgerRow {
    pub fn is_open(&self) -> bool {
        matches!(self.state, LedgerState::Open(_))
    }

    /// The item status of an open problem.
    pub fn open_status(&self) -> Option<ItemStatus> {
        match self.state {
            LedgerState::Open(s) => Some(s),
            LedgerState::Closed { .. } => None,
        }
    }

    pub fn closed_by(&self) -> Option<ClosedBy> {
        self.state.closed_by()
    }

    /// Days past the deadline of an overdue problem, at the as-of date.
    pub fn days_overdue(&self, as_of: NaiveDate) -> Option<i64> {
        (self.open_status() == Some(ItemStatus::Overdue)).then(|| self.deadline.map(|d| (as_of - d).num_days())).flatten()
    }

    fn key(&self) -> (String, u8) {
        (match_key(&self.project), self.item_no)
    }
}

/// 督办清单: the open problems that are overdue or incomplete (no deadline, no responsible
/// person), carried ones included; the most overdue first, then by project and item.
pub fn chase_list(ledger: &[LedgerRow], as_of: NaiveDate) -> Vec<&LedgerRow> {
    let mut chased: Vec<&LedgerRow> = ledger.iter().filter(|r| r.open_status().is_some_and(|s| s == ItemStatus::Overdue || s.incomplete())).collect();
    chased.sort_by_cached_key(|r| (std::cmp::Reverse(r.days_overdue(as_of).unwrap_or(-1)), match_key(&r.project), r.item_no));
    chased
}

/// Months from `first` to `last`, both counted.
pub(super) fn months_between(first: Month, last: Month) -> u32 {
    let index = |m: Month| m.year() * 12 + m.month() as i32;
    (index(last) - index(first) + 1).max(1) as u32
}

/// The state of a problem no return mentions this month: it is overdue once its deadline passes.
fn carried_state(row: &LedgerRow, as_of: NaiveDate) -> LedgerState {
    match (row.state, row.deadline) {
        (LedgerState::Open(ItemStatus::InProgress | ItemStatus::MissingResponsible | ItemStatus::Overdue), Some(d)) if d < as_of => {
            LedgerState::Open(ItemStatus::Overdue)
        }
        (state, _) => state,
    }
}

/// This month's ledger from last month's and this month's live 附件1 forms, with the version
/// findings at the newer return's cells.
pub fn update(previous: &[LedgerRow], forms: &[&SelfCheck], month: Month, as_of: NaiveDate) -> (Vec<LedgerRow>, Vec<Finding>) {
    let mut rows: Vec<LedgerRow> = previous.to_vec();
    // The rows of each problem, oldest first, by (normalised project, item number): built once,
    // so the ledger costs one lookup per item however long it grows.
    let mut by_key: HashMap<(String, u8), Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        by_key.entry(r.key()).or_default().push(i);
    }
    let mut findings = Vec::new();
    for form in forms {
        let project = match_key(&form.project);
        for item in &form.items {
            let key = (project.clone(), item.item_no.get());
            // The newest row of this problem: an open one, else the last closed one. A form
            // that names no project (a header.missing error) cannot be followed across
            // returns: its problems are listed, never matched.
            let candidates: &[usize] = if key.0.is_empty() { &[] } else { by_key.get(&key).map_or(&[], Vec::as_slice) };
            let existing = candidates.iter().rev().copied().find(|&i| rows[i].is_open()).or_else(|| candidates.last().copied());
            let before = rows.len();
            match existing {
                Some(i) if rows[i].is_open() => continue_row(&mut rows[i], form, item, month, &mut findings),
                Some(i) if item.has_problem && item.status != ItemStatus::Done => {
                    let was = rows[i].state.closed_month().map(|m| m.label()).unwrap_or_default();
                    findings.push(Finding::new(
                        Code::ItemReopened,
                        form.source.at(item.description_at),
                        "问题描述",
                        &item.description,
                        format!("第{}项问题已于{was}销号，本月又报告了：作为新问题列入台账", item.item_no),
                    ));
                    rows.push(new_row(form, item, month));
                }
                Some(_) => {}
                None if item.has_problem => rows.push(new_row(form, item, month)),
                None => {}
            }
            if rows.len() > before {
                by_key.entry(key).or_default().push(before);
            }
        }
    }
    for row in &mut rows {
        if row.is_open() {
            row.state = carried_state(row, as_of);
            row.months_open = months_between(row.first_month, month);
        }
    }
    rows.sort_by_cached_key(|r| (match_key(&r.project), r.item_no, r.first_month));
    (rows, findings)
}

fn new_row(form: &SelfCheck, item: &Item, month: Month) -> LedgerRow {
    let deadline = item.deadline.date();
    let key = match_key(&form.project);
    let key = if key.is_empty() { format!("?{}", form.source.path) } else { key };
    let mut row = LedgerRow {
        item_id: format!("{key}#{}@{month}", item.item_no),
        project: form.project.clone(),
        company: form.company.clone(),
        item_no: item.item_no.get(),
        description: item.description.clone(),
        responsible: item.responsible.clone(),
        phone: item.phone.clone(),
        first_month: month,
        first_deadline: deadline,
        deadline,
        extensions: 0,
        state: LedgerState::Open(item.status),
        months_open: 1,
        path: form.source.path.clone(),
        note: String::new(),
    };
    if item.status == ItemStatus::Done {
        close(&mut row, month);
    }
    row
}

fn close(row: &mut LedgerRow, month: Month) {
    row.state = LedgerState::Closed { month, by: ClosedBy::Return };
    row.months_open = months_between(row.first_month, month);
}

/// An open problem meets this month's return of its project.
fn continue_row(row: &mut LedgerRow, form: &SelfCheck, item: &Item, month: Month, findings: &mut Vec<Finding>) {
    let before = std::mem::replace(&mut row.path, form.source.path.clone());
    row.company = form.company.clone();
    if item.status == ItemStatus::Done {
        close(row, month);
        return;
    }
    if !item.has_problem {
        let now = if item.description.is_empty() { "空白".to_string() } else { format!("“{}”", item.description) };
        findings.push(Finding::new(
            Code::ItemSilentlyDropped,
            form.source.at(item.description_at),
            "问题描述",
            &item.description,
            format!(
                "第{}项的问题“{}”（{}首次报告，上一版见“{before}”）尚未整改销号，本次却填为{now}：如已整改请写明“已整改”，否则请照实填写",
                item.item_no,
                row.description,
                row.first_month.label()
            ),
        ));
        return;
    }
    if !item.description.is_empty() {
        row.description = item.description.clone();
    }
    if !item.responsible.is_empty() {
        row.responsible = item.responsible.clone();
        row.phone = item.phone.clone();
    }
    if let (Some(was), Some(now)) = (row.deadline, item.deadline.date()) {
        if now > was {
            row.extensions += 1;
            findings.push(Finding::new(
                Code::ItemDeadlineExtended,
                form.source.at(item.deadline_at),
                "整改期限",
                &item.deadline_raw,
                format!(
                    "第{}项的整改期限由{was}（上一版见“{before}”{}）推迟到{now}（第{}次推迟）：请核实推迟原因",
                    item.item_no,
                    row.first_deadline.filter(|first| *first != was).map(|first| format!("，最初承诺{first}")).unwrap_or_default(),
                    row.extensions
                ),
            ));
        }
    }
    if !matches!(item.deadline, DeadlineValue::None) || row.deadline.is_none() {
        row.deadline = item.deadline.date().or(row.deadline);
    }
    row.state = LedgerState::Open(item.status);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{self, day, month};

    /// A 附件1 of 梨园小区 whose item 2 is `item`.
    fn form(item: crate::forms::Item) -> SelfCheck {
        testing::self_check("梨园.xlsx", "梨园小区", None, vec![item])
    }

    fn problem(deadline: DeadlineValue, status: ItemStatus) -> crate::forms::Item {
        crate::forms::Item { status, ..testing::item(2, true, "王芳", deadline) }
    }

    #[test]
    fn a_problem_is_carried_extended_and_closed_by_a_return() {
        let sep = form(problem(DeadlineValue::Date(day(10, 15)), ItemStatus::InProgress));
        let (ledger, f) = update(&[], &[&sep], month(9), day(10, 1));
        assert!(f.is_empty());
        assert_eq!(ledger.len(), 1);
        assert_eq!(ledger[0].item_id, format!("{}#2@2021-09", match_key("梨园小区")));

        // October: no return from 梨园小区; the deadline passed, so it is overdue.
        let (ledger, _) = update(&ledger, &[], month(10), day(10, 20));
        assert_eq!((ledger[0].state, ledger[0].months_open), (LedgerState::Open(ItemStatus::Overdue), 2));

        // November: the deadline moved later, with a re-typed description.
        let mut nov = problem(DeadlineValue::Date(day(11, 30)), ItemStatus::InProgress);
        nov.description = "问题（已部分整改）".into();
        let (ledger, f) = update(&ledger, &[&form(nov)], month(11), day(11, 20));
        assert_eq!(f.iter().map(|f| f.code).collect::<Vec<_>>(), [Code::ItemDeadlineExtended]);
        assert_eq!((ledger[0].first_deadline, ledger[0].deadline, ledger[0].extensions), (Some(day(10, 15)), Some(day(11, 30)), 1));
        assert_eq!(ledger[0].item_id, format!("{}#2@2021-09", match_key("梨园小区")), "the same problem");

        // December: done.
        let (ledger, _) = update(&ledger, &[&form(problem(DeadlineValue::Done, ItemStatus::Done))], month(12), day(12, 20));
        assert_eq!((ledger[0].state, ledger[0].months_open), (LedgerState::Closed { month: month(12), by: ClosedBy::Return }, 4));
        assert_eq!((ledger[0].state.name(), ledger[0].state.label()), ("closed", "已销号"));
    }

    #[test]
    fn the_chase_list_holds_overdue_and_incomplete_problems_most_overdue_first() {
        let at = |project: &str, no: u8, state: LedgerState, deadline: Option<NaiveDate>| LedgerRow {
            first_deadline: deadline,
            deadline,
            path: String::new(),
            ..crate::rules::testing::ledger_row(&format!("{project}#{no}"), project, no, state)
        };
        let open = LedgerState::Open;
        let ledger = [
            at("甲", 1, open(ItemStatus::Overdue), Some(day(11, 1))),
            at("乙", 2, open(ItemStatus::MissingDeadline), None),
            at("丙", 3, open(ItemStatus::InProgress), Some(day(12, 31))),
            at("丁", 4, open(ItemStatus::Overdue), Some(day(10, 1))),
            at("戊", 5, LedgerState::Closed { month: month(10), by: ClosedBy::Clerk }, Some(day(9, 1))),
            at("己", 6, open(ItemStatus::MissingResponsible), Some(day(12, 1))),
            at("庚", 1, open(ItemStatus::LongTerm), None),
        ];
        let as_of = day(11, 20);
        let ids: Vec<&str> = chase_list(&ledger, as_of).iter().map(|r| r.item_id.as_str()).collect();
        assert_eq!(&ids[..2], ["丁#4", "甲#1"], "50 days, then 19 days overdue");
        let mut rest = ids[2..].to_vec();
        rest.sort_unstable();
        assert_eq!(rest, ["乙#2", "己#6"], "incomplete ones follow; in progress, long-term and closed are not chased");
        assert_eq!(ledger[3].days_overdue(as_of), Some(50));
        assert_eq!(ledger[1].days_overdue(as_of), None);
    }

    #[test]
    fn a_stored_state_is_read_back_exactly_or_not_at_all() {
        let oct = Some(month(10));
        assert_eq!(LedgerState::from_stored("overdue", None, ""), Some(LedgerState::Open(ItemStatus::Overdue)));
        assert_eq!(LedgerState::from_stored("closed", oct, "clerk"), Some(LedgerState::Closed { month: month(10), by: ClosedBy::Clerk }));
        for state in [LedgerState::Open(ItemStatus::LongTerm), LedgerState::Closed { month: month(10), by: ClosedBy::Return }] {
            let by = state.closed_by().map_or("", ClosedBy::name);
            assert_eq!(LedgerState::from_stored(state.name(), state.closed_month(), by), Some(state), "round trip");
        }
        // What no run writes is not guessed (an unknown status used to show as 已销号).
        assert_eq!(LedgerState::from_stored("erledigt", None, ""), None);
        assert_eq!(LedgerState::from_stored("closed", None, "clerk"), None);
        assert_eq!(LedgerState::from_stored("closed", oct, ""), None);
        assert_eq!(LedgerState::from_stored("overdue", oct, ""), None);
    }

    #[test]
    fn dropped_without_being_done_stays_open_and_a_closed_problem_reopens_as_new() {
        let sep = form(problem(DeadlineValue::Date(day(12, 1)), ItemStatus::InProgress));
        let (ledger, _) = update(&[], &[&sep], month(9), day(10, 1));
        let dropped = form(testing::item(2, false, "", DeadlineValue::None));
        let (ledger, f) = update(&ledger, &[&dropped], month(10), day(10, 20));
        assert_eq!(f.iter().map(|f| f.code).collect::<Vec<_>>(), [Code::ItemSilentlyDropped]);
        assert!(ledger[0].is_open());

        let (ledger, _) = update(&ledger, &[&form(problem(DeadlineValue::Done, ItemStatus::Done))], month(11), day(11, 20));
        assert!(!ledger[0].is_open());
        let again = form(problem(DeadlineValue::Date(day(12, 31)), ItemStatus::InProgress));
        let (ledger, f) = update(&ledger, &[&again], month(12), day(12, 1));
        assert_eq!(f.iter().map(|f| f.code).collect::<Vec<_>>(), [Code::ItemReopened]);
        assert_eq!(ledger.len(), 2);
        assert!(ledger[1].item_id.ends_with("@2021-12"));
    }
}
