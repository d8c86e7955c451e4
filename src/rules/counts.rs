//! The counts a run reports, computed once: the terminal summary, `summary.json` and the
//! workbook's overview all print these.

use super::missing::MissingKind;
use super::Consolidated;
use crate::findings::Severity;
use crate::forms::{FocusNo, Form, ItemStatus};
use crate::read::FileStatus;

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
}

impl Counts {
    pub fn of(c: &Consolidated) -> Counts {
        let items: Vec<_> = c.self_checks().flat_map(|s| &s.items).collect();
        let forms: Vec<(&Form, bool)> = c.files.iter().flat_map(|f| f.forms.iter().zip(&f.superseded).map(|(form, s)| (form, s.is_some()))).collect();
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
    use crate::config::Settings;
    use crate::findings::Location;
    use crate::forms::{DeadlineValue, Item, Month, SelfCheck};
    use crate::read::FileRecord;
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
            &Settings::default(),
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
