//! The counts a run reports, computed once: the terminal summary, `summary.json` and the
//! workbook's overview all print these.

use super::missing::MissingKind;
use super::Consolidated;
use crate::findings::Severity;
use crate::forms::file::FileStatus;
use crate::forms::{FocusNo, Form, ItemStatus, SelfCheck};

/// Every count of a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Files by status, in `FileStatus::ALL` order.
    pub files: Vec<(FileStatus, usize)>,
    pub files_total: usize,
    /// 附件1 forms that count (not superseded).
    pub self_checks: usize,
    /// 附件2 forms that count, of any month.
    pub monthly_forms: usize,
    /// 附件2 forms that count, of the run's month.
    pub monthly_this_month: usize,
    pub superseded_forms: usize,
    /// Items of the 附件1 forms that count, by status, in `ItemStatus::ALL` order.
    pub items: Vec<(ItemStatus, usize)>,
    /// Reported problems (items with a problem).
    pub problems: usize,
    /// Reported problems by focus area, 1–6.
    pub problems_by_focus: Vec<(FocusNo, usize)>,
    /// Findings by severity, in `Severity::ALL` order.
    pub findings: Vec<(Severity, usize)>,
    /// Findings the clerk marked 已核实 or 已销号 in the previous workbook: counted apart from
    /// the open ones (they are included in `findings`).
    pub findings_handled: usize,
    pub missing: Vec<(MissingKind, usize)>,
    /// The ledger at the end of the month: every problem, this month's and carried ones.
    pub ledger: LedgerCounts,
}

/// The 销号 ledger's counts (the overdue problems counted here, carried ones included, are the
/// run's 已逾期; the items' count of this month's returns is their share).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LedgerCounts {
    pub open: usize,
    pub overdue: usize,
    pub closed_this_month: usize,
    pub closed_total: usize,
    pub closed_by_clerk: usize,
}

/// One 附件1's problems by status, as 自查汇总 shows them: each status its own column, so
/// 整改中 means the same number here as in the overview and on the terminal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProjectCounts {
    pub problems: usize,
    pub done: usize,
    pub in_progress: usize,
    pub long_term: usize,
    pub overdue: usize,
    /// No deadline or no responsible person.
    pub incomplete: usize,
}

impl ProjectCounts {
    /// The sum over `forms` (自查汇总's total row).
    pub fn total<'a>(forms: impl Iterator<Item = &'a SelfCheck>) -> ProjectCounts {
        forms.map(ProjectCounts::of).fold(ProjectCounts::default(), |t, n| ProjectCounts {
            problems: t.problems + n.problems,
            done: t.done + n.done,
            in_progress: t.in_progress + n.in_progress,
            long_term: t.long_term + n.long_term,
            overdue: t.overdue + n.overdue,
            incomplete: t.incomplete + n.incomplete,
        })
    }

    pub fn of(form: &SelfCheck) -> ProjectCounts {
        let n = |keep: &dyn Fn(ItemStatus) -> bool| form.items.iter().filter(|i| keep(i.status)).count();
        ProjectCounts {
            problems: form.items.iter().filter(|i| i.has_problem).count(),
            done: n(&|s| s == ItemStatus::Done),
            in_progress: n(&|s| s == ItemStatus::InProgress),
            long_term: n(&|s| s == ItemStatus::LongTerm),
            overdue: n(&|s| s == ItemStatus::Overdue),
            incomplete: n(&ItemStatus::incomplete),
        }
    }
}

impl Counts {
    pub fn of(c: &Consolidated) -> Counts {
        let items: Vec<_> = c.self_checks().flat_map(|s| &s.items).collect();
        let forms: Vec<(&Form, bool)> = c.files.iter().flat_map(|f| f.forms().iter().zip(&f.superseded).map(|(form, s)| (form, s.is_some()))).collect();
        Counts {
            files: FileStatus::ALL.iter().map(|s| (*s, c.files.iter().filter(|f| f.status == *s).count())).collect(),
            files_total: c.files.len(),
            self_checks: forms.iter().filter(|(f, dead)| !dead && matches!(f, Form::SelfCheck(_))).count(),
            monthly_forms: forms.iter().filter(|(f, dead)| !dead && matches!(f, Form::Monthly(_))).count(),
            monthly_this_month: c.monthlies().count(),
            superseded_forms: forms.iter().filter(|(_, dead)| *dead).count(),
            items: ItemStatus::ALL.iter().map(|s| (*s, items.iter().filter(|i| i.status == *s).count())).collect(),
            problems: items.iter().filter(|i| i.has_problem).count(),
            problems_by_focus: FocusNo::all().map(|n| (n, items.iter().filter(|i| i.has_problem && i.item_no == n).count())).collect(),
            findings: Severity::ALL.iter().map(|s| (*s, c.findings.iter().filter(|f| f.severity == *s).count())).collect(),
            findings_handled: c.marks.handled(),
            missing: MissingKind::ALL.iter().map(|k| (*k, c.missing.iter().filter(|m| m.kind == *k).count())).collect(),
            // This month's point of the campaign holds the ledger's counts (one computation).
            ledger: c
                .trend
                .last()
                .map(|p| LedgerCounts {
                    open: p.open,
                    overdue: p.overdue,
                    closed_this_month: p.closed_this_month,
                    closed_total: p.closed_total,
                    closed_by_clerk: c.ledger.iter().filter(|r| r.closed_by() == Some(super::ledger::ClosedBy::Clerk)).count(),
                })
                .unwrap_or_default(),
        }
    }

    pub fn file(&self, status: FileStatus) -> usize {
        self.files.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n)
    }

    pub fn item(&self, status: ItemStatus) -> usize {
        self.items.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n)
    }

    pub fn finding(&self, severity: Severity) -> usize {
        self.findings.iter().find(|(s, _)| *s == severity).map_or(0, |(_, n)| *n)
    }

    pub fn missing(&self, kind: MissingKind) -> usize {
        self.missing.iter().find(|(k, _)| *k == kind).map_or(0, |(_, n)| *n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_status_of_a_project_is_its_own_number() {
        use crate::forms::DeadlineValue;
        use crate::rules::testing;
        let item = |no: u8, problem: bool, status: ItemStatus| crate::forms::Item { status, ..testing::item(no, problem, "王芳", DeadlineValue::None) };
        let form = testing::self_check(
            "a.xlsx",
            "梨园小区",
            None,
            vec![
                item(1, true, ItemStatus::InProgress),
                item(2, true, ItemStatus::LongTerm),
                item(3, true, ItemStatus::Overdue),
                item(4, true, ItemStatus::MissingDeadline),
                item(5, true, ItemStatus::Done),
                item(6, false, ItemStatus::NoProblem),
            ],
        );
        let n = ProjectCounts::of(&form);
        assert_eq!(n, ProjectCounts { problems: 5, done: 1, in_progress: 1, long_term: 1, overdue: 1, incomplete: 1 }, "整改中 leaves 长期整改 out");
    }
    use crate::config::Settings;
    use crate::findings::Location;
    use crate::forms::file::FileRecord;
    use crate::forms::{DeadlineValue, Item, Month, SelfCheck};
    use crate::rules::testing;
    use chrono::NaiveDate;

    fn item(no: u8, problem: bool, deadline: DeadlineValue) -> Item {
        testing::item(no, problem, "王芳", deadline)
    }

    fn record(rel: &str, forms: Vec<Form>, status: FileStatus) -> FileRecord {
        FileRecord { status, ..testing::record(rel, forms) }
    }

    fn monthly(unit: &str, month: u32) -> Form {
        Form::Monthly(testing::monthly(&format!("{unit}{month}.xlsx"), unit, Month::new(2021, month), &[]))
    }

    #[test]
    fn one_computation_for_every_output() {
        let d = |m, day| DeadlineValue::Date(NaiveDate::from_ymd_opt(2021, m, day).unwrap());
        let form = |project: &str, filled: u32, items| {
            let fill_date = NaiveDate::from_ymd_opt(2021, filled, 20);
            Form::SelfCheck(SelfCheck { source: Location::sheet("p.xlsx", project), project: project.into(), company: String::new(), fill_date, items })
        };
        let files = vec![
            record(
                "a.xlsx",
                vec![form("梨园小区", 10, vec![item(1, true, d(11, 1)), item(2, true, DeadlineValue::Done), item(3, false, DeadlineValue::None)])],
                FileStatus::Consolidated,
            ),
            // The same project again, filled in earlier: superseded, so its items do not count.
            record("b.xlsx", vec![form("梨园小区", 9, vec![item(1, true, d(12, 31))])], FileStatus::Consolidated),
            record("c.xlsx", vec![monthly("区经发局", 10), monthly("区经发局", 9)], FileStatus::Consolidated),
            record("d.txt", vec![], FileStatus::Ignored),
        ];
        let c = crate::rules::consolidate(
            files,
            &crate::rules::level::Level::of(&Settings::default()),
            Month::new(2021, 10).unwrap(),
            NaiveDate::from_ymd_opt(2021, 11, 20).unwrap(),
            None,
            &Default::default(),
        );
        let n = &c.counts;
        assert_eq!(n.files_total, 4);
        assert_eq!((n.file(FileStatus::Consolidated), n.file(FileStatus::Superseded), n.file(FileStatus::Ignored)), (2, 1, 1));
        assert_eq!((n.self_checks, n.monthly_forms, n.monthly_this_month, n.superseded_forms), (1, 2, 1, 1));
        assert_eq!((n.problems, n.item(ItemStatus::Overdue), n.item(ItemStatus::Done), n.item(ItemStatus::NoProblem)), (2, 1, 1, 1));
        assert_eq!(n.problems_by_focus.iter().map(|(_, k)| *k).collect::<Vec<_>>(), [1, 1, 0, 0, 0, 0]);
        assert_eq!(n.missing(crate::rules::MissingKind::Unit), 4);
        assert_eq!(n.finding(Severity::Info), 1, "the ignored file is an info finding: {:?}", c.findings);
    }
}
