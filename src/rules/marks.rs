//! The clerk's marks (`docs/contract.md`, "History"): the 处理 and 处理说明 columns of 数据问题 and 整改台账, typed by
//! the clerk into a workbook huizong wrote, read back by the next run and carried to the same
//! finding or problem. A finding is the same when its file content (SHA-256), code, sheet, cell
//! and value are; a problem is the same when its `item_id` is. `已销号` on a problem closes it
//! (`closed_by = clerk`). A mark whose finding or problem is gone is kept as resolved, so
//! nothing the clerk typed is lost when the month changes.

use super::ledger::{ClosedBy, LedgerRow, LedgerState};
use super::Settled;
use crate::findings::Finding;
use crate::forms::Month;
use std::collections::HashMap;

/// What the clerk chose in the 处理 column's drop-down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// 已核实: checked, the finding stands but needs no more work; counted apart.
    Verified,
    /// 已销号: the problem is rectified, the clerk closes it.
    Closed,
    /// 退回修改: sent back to the submitter.
    Returned,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::Verified, Action::Closed, Action::Returned];

    /// The drop-down's text.
    pub fn label(self) -> &'static str {
        match self {
            Action::Verified => "已核实",
            Action::Closed => "已销号",
            Action::Returned => "退回修改",
        }
    }

    /// The action a typed 处理 cell names (spaces and full-width forms ignored).
    pub fn parse(text: &str) -> Option<Action> {
        let key = crate::clean::match_key(text);
        Action::ALL.into_iter().find(|a| a.label() == key)
    }
}

/// One mark as typed: the action (if the 处理 text is one of the three), the 处理 text as
/// typed, the 处理说明, and where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub action: Option<Action>,
    /// The 处理 cell as typed (kept even when it is not one of the three choices).
    pub typed: String,
    pub note: String,
    /// The month of the workbook it was read from.
    pub month: Month,
    /// `workbook.xlsx 数据问题 第5行`: where the clerk typed it.
    pub origin: String,
}

impl Mark {
    /// The 处理 column's text: the action, else what was typed.
    pub fn shown(&self) -> &str {
        match self.action {
            Some(a) => a.label(),
            None => &self.typed,
        }
    }

    /// The clerk has dealt with what it marks: checked (已核实) or closed (已销号). Such a
    /// finding is counted apart, no longer coloured, and brings no reply.
    pub fn is_handled(&self) -> bool {
        matches!(self.action, Some(Action::Verified | Action::Closed))
    }

    /// The ledger's `note`: the action and the 处理说明.
    fn ledger_note(&self) -> String {
        [self.shown(), self.note.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("：")
    }
}

/// What makes two findings the same across runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FindingKey {
    /// The file's SHA-256, or its path when the workbook does not list the file (a finding
    /// about the whole district has neither).
    pub content: String,
    pub code: String,
    pub sheet: String,
    pub cell: String,
    pub value: String,
}

impl FindingKey {
    /// The key of a finding of this run; `sha` gives a file's SHA-256 by path.
    pub fn of(f: &Finding, sha: &HashMap<&str, &str>) -> FindingKey {
        let (sheet, cell) = f.location.columns();
        let content = sha.get(f.location.path.as_str()).map_or_else(|| f.location.path.clone(), |s| s.to_string());
        FindingKey { content, code: f.code.as_str().to_string(), sheet, cell, value: f.value.clone() }
    }
}

/// A mark typed on a finding, as read back: the finding's key, the project or unit whose return
/// it was about (empty in a workbook written before that column), what it was on, and the mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedFinding {
    pub key: FindingKey,
    pub submitter: String,
    pub what: String,
    pub mark: Mark,
}

/// The project or unit a finding of this run is about: the form of its file on its sheet (or
/// the file's only form); empty for a finding about no form (a file that could not be read,
/// the district).
pub fn submitter(f: &Finding, files: &HashMap<&str, &Settled>) -> String {
    let Some(file) = files.get(f.location.path.as_str()) else { return String::new() };
    let forms = file.forms();
    let part = f.location.part_name();
    let form = forms.iter().find(|form| form.source().part_name() == part).or(if forms.len() == 1 { forms.first() } else { None });
    match form {
        Some(crate::forms::Form::SelfCheck(s)) => s.project.clone(),
        Some(crate::forms::Form::Monthly(m)) => m.unit.clone(),
        None => String::new(),
    }
}

/// A mark whose finding or problem no longer appears: resolved, and kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// What the mark was on: `数据问题 item.deadline_missing 梨园.xlsx Sheet1!E6` or
    /// `整改台账 梨园小区 第2项（问题编号 …）`.
    pub what: String,
    pub mark: Mark,
    /// The month the finding or problem was last seen with the mark.
    pub last_seen: Month,
}

/// Every mark read from the previous workbook.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClerkMarks {
    /// The workbook the marks were read from (empty when none was found).
    pub workbook: String,
    pub findings: Vec<MarkedFinding>,
    /// By `item_id`, with what the row showed (project and item number) for the record.
    pub items: Vec<(String, String, Mark)>,
    /// Marks already resolved in earlier months (the workbook's 处理记录).
    pub resolved: Vec<Resolved>,
    /// The workbook's file list: each input file's path and SHA-256, as it was consolidated.
    pub files: Vec<(String, String)>,
}

impl ClerkMarks {
    /// Whether the clerk typed anything into the workbook (a mark, a note, a resolved record).
    pub fn any(&self) -> bool {
        !(self.findings.is_empty() && self.items.is_empty() && self.resolved.is_empty())
    }
}

/// The marks as applied to this run: aligned with its findings, by item for the ledger, and
/// those resolved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied {
    /// The workbook the marks came from.
    pub workbook: String,
    /// One entry per finding of the run, in the same order.
    pub on_findings: Vec<Option<Mark>>,
    pub on_items: HashMap<String, Mark>,
    pub resolved: Vec<Resolved>,
}

impl Applied {
    /// The mark of the ledger row, if any.
    pub fn item(&self, item_id: &str) -> Option<&Mark> {
        self.on_items.get(item_id)
    }

    /// Findings the clerk has checked (已核实) or closed (已销号): counted apart from the open ones.
    pub fn handled(&self) -> usize {
        self.on_findings.iter().flatten().filter(|m| m.is_handled()).count()
    }
}

/// The clerk's 已销号 on a problem: it closes the problem in the month of the workbook it was
/// typed in, by the clerk. The clerk's decision stands over a return that says 已整改 only
/// later (the problem was closed by the clerk first); a problem a return closed before the
/// clerk's mark stays the return's.
fn close_by_clerk(row: &mut LedgerRow, mark: &Mark, month: Month) {
    if mark.action != Some(Action::Closed) {
        return;
    }
    let at = mark.month.min(month);
    let later_return = matches!(row.state, LedgerState::Closed { month: closed, by: ClosedBy::Return } if closed >= at);
    if row.is_open() || later_return {
        row.state = LedgerState::Closed { month: at, by: ClosedBy::Clerk };
        row.months_open = super::ledger::months_between(row.first_month, at);
    }
}

/// The problems of last month's ledger the clerk closed, closed before this month's returns
/// meet them: a return that still lists one as open, or drops it, is then no longer sent back
/// for it.
pub fn close_in_ledger(marks: &ClerkMarks, ledger: &mut [LedgerRow], month: Month) {
    for (item_id, _, mark) in &marks.items {
        if let Some(row) = ledger.iter_mut().find(|r| &r.item_id == item_id) {
            close_by_clerk(row, mark, month);
        }
    }
}

/// Carry `marks` to this run's findings and ledger: `已销号` closes a problem in `month` (the
/// month of the workbook it was typed in, if the problem was open then), the 处理说明 becomes
/// the ledger's note, and marks with nothing to go to are resolved.
pub fn apply(marks: &ClerkMarks, files: &[Settled], findings: &[Finding], submitters: &[String], ledger: &mut [LedgerRow], month: Month) -> Applied {
    let sha: HashMap<&str, &str> = files.iter().map(|f| (f.rel.as_str(), f.sha256.as_str())).collect();
    // A finding's mark: the one typed on the same file content, code, sheet, cell and value;
    // else, in a later return of the same submitter, the one on the same code, cell and value
    // (the same issue, not yet fixed).
    let by_key: HashMap<&FindingKey, usize> = marks.findings.iter().enumerate().map(|(i, m)| (&m.key, i)).collect();
    let issue =
        |submitter: &str, code: &str, cell: &str, value: &str| (crate::clean::match_key(submitter), code.to_string(), cell.to_string(), value.to_string());
    let by_issue: HashMap<(String, String, String, String), usize> = marks
        .findings
        .iter()
        .enumerate()
        .filter(|(_, m)| !m.submitter.is_empty())
        .map(|(i, m)| (issue(&m.submitter, &m.key.code, &m.key.cell, &m.key.value), i))
        .collect();
    let mut used = vec![false; marks.findings.len()];
    let on_findings: Vec<Option<Mark>> = if marks.findings.is_empty() {
        vec![None; findings.len()]
    } else {
        findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let key = FindingKey::of(f, &sha);
                let found = by_key.get(&key).copied().or_else(|| {
                    let who = submitters.get(i).filter(|s| !s.is_empty())?;
                    by_issue.get(&issue(who, &key.code, &key.cell, &key.value)).copied()
                })?;
                used[found] = true;
                Some(marks.findings[found].mark.clone())
            })
            .collect()
    };
    let mut resolved = marks.resolved.clone();
    for (m, used) in marks.findings.iter().zip(used) {
        if !used {
            resolved.push(Resolved { what: m.what.clone(), mark: m.mark.clone(), last_seen: m.mark.month });
        }
    }
    let mut on_items = HashMap::new();
    for (item_id, what, mark) in &marks.items {
        let Some(row) = ledger.iter_mut().find(|r| &r.item_id == item_id) else {
            resolved.push(Resolved { what: what.clone(), mark: mark.clone(), last_seen: mark.month });
            continue;
        };
        close_by_clerk(row, mark, month);
        row.note = mark.ledger_note();
        on_items.insert(item_id.clone(), mark.clone());
    }
    Applied { workbook: marks.workbook.clone(), on_findings, on_items, resolved }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{At, Code, Location};
    use crate::rules::testing;

    fn month(m: u32) -> Month {
        Month::new(2021, m).unwrap()
    }

    fn mark(action: &str, note: &str) -> Mark {
        Mark { action: Action::parse(action), typed: action.into(), note: note.into(), month: month(10), origin: "汇总.xlsx 数据问题 第2行".into() }
    }

    fn finding(path: &str, cell: (u32, u32), value: &str) -> Finding {
        Finding::new(Code::ItemDeadlineMissing, Location::sheet(path, "Sheet1").at(At::cell(cell.0, cell.1)), "整改期限", value, "…")
    }

    fn key(content: &str, cell: &str, value: &str) -> FindingKey {
        FindingKey { content: content.into(), code: "item.deadline_missing".into(), sheet: "Sheet1".into(), cell: cell.into(), value: value.into() }
    }

    #[test]
    fn actions_are_read_as_typed_in_any_width() {
        assert_eq!(Action::parse(" 已核实 "), Some(Action::Verified));
        assert_eq!(Action::parse("退回 修改"), Some(Action::Returned));
        assert_eq!(Action::parse("OK"), None);
        assert_eq!(mark("OK", "电话确认").shown(), "OK", "an unknown choice is kept as typed");
    }

    #[test]
    fn a_finding_keeps_its_mark_by_content_code_cell_and_value_and_a_gone_one_is_resolved() {
        // The file was renamed but not changed: its content is the same, so is the finding.
        let mut file = testing::record("新名字.xlsx", vec![]);
        file.sha256 = "abc".into();
        let findings = vec![finding("新名字.xlsx", (5, 4), ""), finding("新名字.xlsx", (6, 4), "")];
        let marks = ClerkMarks {
            workbook: "汇总.xlsx".into(),
            findings: vec![
                marked(key("abc", "E6", ""), "", "E6", mark("已核实", "项目经理电话确认")),
                marked(key("abc", "E8", ""), "", "E8", mark("退回修改", "")),
                marked(key("def", "E7", ""), "", "E7 of another file", mark("已核实", "")),
            ],
            ..Default::default()
        };
        let applied = apply(&marks, &[super::Settled::new(file, false)], &findings, &[String::new(), String::new()], &mut [], month(11));
        assert_eq!(applied.on_findings[0].as_ref().map(|m| m.note.as_str()), Some("项目经理电话确认"));
        assert_eq!(applied.on_findings[1], None, "E7 here is another cell than E8, and the E7 mark is another file's");
        assert_eq!(applied.handled(), 1);
        let gone: Vec<&str> = applied.resolved.iter().map(|r| r.what.as_str()).collect();
        assert_eq!(gone, ["E8", "E7 of another file"]);
    }

    fn marked(key: FindingKey, submitter: &str, what: &str, mark: Mark) -> MarkedFinding {
        MarkedFinding { key, submitter: submitter.into(), what: what.into(), mark }
    }

    #[test]
    fn a_mark_follows_the_same_issue_into_the_submitters_next_return() {
        // November's return of 梨园小区 is a new file (other content) with the same issue in
        // the same cell: the mark typed on October's finding stays on it, and is not resolved.
        let mut file = testing::record("11月/梨园.xlsx", vec![]);
        file.sha256 = "nov".into();
        let findings = vec![finding("11月/梨园.xlsx", (5, 4), ""), finding("11月/梨园.xlsx", (6, 4), "")];
        let marks = ClerkMarks {
            findings: vec![
                marked(key("oct", "E6", ""), "梨园小区", "E6", mark("已核实", "项目经理电话确认")),
                marked(key("oct", "E7", ""), "听涛苑", "E7 of another project", mark("已核实", "")),
            ],
            ..Default::default()
        };
        let who = ["梨园 小区".to_string(), "梨园小区".to_string()];
        let applied = apply(&marks, &[super::Settled::new(file, false)], &findings, &who, &mut [], month(11));
        assert_eq!(applied.on_findings[0].as_ref().map(|m| m.note.as_str()), Some("项目经理电话确认"), "same submitter, code, cell, value");
        assert_eq!(applied.on_findings[1], None, "another project's mark does not follow to this one");
        let gone: Vec<&str> = applied.resolved.iter().map(|r| r.what.as_str()).collect();
        assert_eq!(gone, ["E7 of another project"], "only what is really gone is resolved");
    }

    #[test]
    fn closed_by_the_clerk_and_notes_in_the_ledger() {
        let row = |id: &str| LedgerRow {
            months_open: 2,
            ..crate::rules::testing::ledger_row(id, "梨园小区", 2, LedgerState::Open(crate::forms::ItemStatus::Overdue))
        };
        let mut ledger = vec![row("a#2@2021-09"), row("a#3@2021-09")];
        let marks = ClerkMarks {
            items: vec![
                ("a#2@2021-09".into(), "梨园小区 第2项".into(), mark("已销号", "现场核查已整改")),
                ("a#3@2021-09".into(), "梨园小区 第3项".into(), mark("已核实", "")),
                ("gone#1@2021-09".into(), "某项目 第1项".into(), mark("已销号", "")),
            ],
            ..Default::default()
        };
        let applied = apply(&marks, &[], &[], &[], &mut ledger, month(11));
        assert_eq!(ledger[0].state, LedgerState::Closed { month: month(10), by: ClosedBy::Clerk });

        // The clerk closed it in October; November's return says 已整改 too: still the clerk's.
        let mut later = vec![LedgerRow { state: LedgerState::Closed { month: month(11), by: ClosedBy::Return }, ..row("a#2@2021-09") }];
        apply(&marks, &[], &[], &[], &mut later, month(11));
        assert_eq!(later[0].state, LedgerState::Closed { month: month(10), by: ClosedBy::Clerk });
        // A return that said 已整改 in September, before the clerk's mark: the return's.
        let mut earlier = vec![LedgerRow { state: LedgerState::Closed { month: month(9), by: ClosedBy::Return }, ..row("a#2@2021-09") }];
        apply(&marks, &[], &[], &[], &mut earlier, month(11));
        assert_eq!(earlier[0].state, LedgerState::Closed { month: month(9), by: ClosedBy::Return });
        assert_eq!(ledger[0].months_open, 2, "September and October");
        assert_eq!(ledger[0].note, "已销号：现场核查已整改");
        assert!(ledger[1].is_open());
        assert_eq!(ledger[1].note, "已核实");
        assert_eq!(applied.item("a#3@2021-09").map(|m| m.shown()), Some("已核实"));
        assert_eq!(applied.resolved.len(), 1);
    }
}
