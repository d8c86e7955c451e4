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
