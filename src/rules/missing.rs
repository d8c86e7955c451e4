//! What was expected but not received: roster projects without a 附件1, configured units
//! without this month's 附件2; and submitted projects the roster does not know.

use super::Settled;
use crate::clean::{display_text, match_key};
use crate::findings::{Code, Finding};
use crate::forms::RosterEntry;
use crate::forms::{Form, Month};
use std::collections::BTreeSet;

/// Who is expected: a project (附件1) or a unit (附件2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MissingKind {
    Project,
    Unit,
}

impl MissingKind {
    pub const ALL: [MissingKind; 2] = [MissingKind::Project, MissingKind::Unit];

    /// The name used in the tables: `project`.
    pub fn name(self) -> &'static str {
        match self {
            MissingKind::Project => "project",
            MissingKind::Unit => "unit",
        }
    }

    /// The Chinese label: `物业项目`.
    pub fn label(self) -> &'static str {
        match self {
            MissingKind::Project => "物业项目",
            MissingKind::Unit => "单位",
        }
    }
}

/// Something expected but not received.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Missing {
    pub kind: MissingKind,
    pub name: String,
    /// A project's company, from its roster line (empty for a unit).
    pub company: String,
    pub detail: String,
}

/// Roster projects no form names (matched after normalisation), and a finding for each
/// submitted project the roster does not list.
pub fn missing_projects(files: &[Settled], roster: &[RosterEntry]) -> (Vec<Missing>, Vec<Finding>) {
    let expected: BTreeSet<String> = roster.iter().map(|r| match_key(&r.project)).collect();
    let mut submitted = BTreeSet::new();
    let mut findings = Vec::new();
    for s in files.iter().flat_map(|f| f.forms()).filter_map(|f| match f {
        Form::SelfCheck(s) => Some(s),
        Form::Monthly(_) => None,
    }) {
        let key = match_key(&s.project);
        if !key.is_empty() && !expected.contains(&key) && submitted.insert(key.clone()) {
            findings.push(Finding::new(
                Code::RosterUnknownProject,
                s.source.clone(),
                "物业项目",
                &s.project,
                format!("物业项目“{}”不在名册中：请核对项目名称是否与名册一致，或补充名册", s.project),
            ));
        }
        submitted.insert(key);
    }
    let missing = roster
        .iter()
        .filter(|r| !submitted.contains(&match_key(&r.project)))
        .map(|r| Missing {
            kind: MissingKind::Project,
            name: display_text(&r.project),
            company: display_text(&r.company),
            detail: if r.company.is_empty() { "未报送附件1自查表".into() } else { format!("{}：未报送附件1自查表", display_text(&r.company)) },
        })
        .collect();
    (missing, findings)
}

/// The units with a 附件2 of `month` among the files read.
fn reported_units(files: &[Settled], month: Month) -> BTreeSet<&str> {
    files
        .iter()
        .flat_map(|f| f.forms())
        .filter_map(|f| match f {
            Form::Monthly(m) if m.month == Some(month) => Some(m.unit.as_str()),
            _ => None,
        })
        .collect()
}

/// Configured units without a 附件2 of `month` (superseded ones count: the unit did report).
pub fn missing_units(files: &[Settled], units: &[String], month: Month) -> Vec<Missing> {
    let reported = reported_units(files, month);
    units
        .iter()
        .filter(|u| !reported.contains(u.as_str()))
        .map(|u| Missing {
            kind: MissingKind::Unit,
            name: u.clone(),
            company: String::new(),
            detail: format!("未报送{}月度工作汇总表（附件2）", month.label()),
        })
        .collect()
}

/// The units that reported last month (as stored by last month's run) and not this month,
/// beyond the configured ones (those are listed by [`missing_units`]).
pub fn missing_since_last_month(files: &[Settled], units: &[String], month: Month, last_month: &[crate::forms::Monthly]) -> Vec<Missing> {
    let reported = reported_units(files, month);
    let mut seen = BTreeSet::new();
    last_month
        .iter()
        .filter(|m| !m.unit.is_empty() && !units.contains(&m.unit) && !reported.contains(m.unit.as_str()) && seen.insert(m.unit.as_str()))
        .map(|m| Missing {
            kind: MissingKind::Unit,
            name: m.unit.clone(),
            company: String::new(),
            detail: format!("{}报送过月度工作汇总表，{}未报送", month.previous().label(), month.label()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing;

    fn record(forms: Vec<Form>) -> Settled {
        Settled::new(testing::record("a.xlsx", forms), false)
    }

    fn project(name: &str) -> Form {
        Form::SelfCheck(testing::self_check("a.xlsx", name, None, vec![]))
    }

    fn unit(name: &str, month: Option<Month>) -> Form {
        Form::Monthly(testing::monthly("a.xlsx", name, month, &[]))
    }

    fn entry(project: &str, company: &str) -> RosterEntry {
        RosterEntry { project: project.into(), company: company.into() }
    }

    #[test]
    fn roster_projects_match_whatever_the_spacing_width_and_brackets() {
        let files = vec![record(vec![project("东湖 春树里（一期）"), project("梨园小区")])];
        let roster = [entry("东湖春树里(一期)", "武汉东湖物业"), entry("梨园小区", ""), entry("听涛苑", "万家物业 ")];
        let (missing, findings) = missing_projects(&files, &roster);
        assert_eq!(
            missing,
            [Missing {
                kind: MissingKind::Project, name: "听涛苑".into(), company: "万家物业".into(), detail: "万家物业：未报送附件1自查表".into()
            }]
        );
        assert!(findings.is_empty());
    }

    #[test]
    fn a_project_not_on_the_roster_is_reported_once() {
        let files = vec![record(vec![project("无名小区")]), record(vec![project("无名 小区")])];
        let (missing, findings) = missing_projects(&files, &[entry("梨园小区", "")]);
        assert_eq!(missing.len(), 1);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, Code::RosterUnknownProject);
    }

    #[test]
    fn units_are_missing_for_the_month_asked() {
        let (sep, oct) = (Month::new(2021, 9), Month::new(2021, 10));
        let files = vec![record(vec![unit("区经发局", oct), unit("区公安分局", sep), unit("区市场监管局", None)])];
        let units: Vec<String> = ["区经发局", "区公安分局", "区市场监管局"].map(String::from).to_vec();
        let missing = missing_units(&files, &units, oct.unwrap());
        let names: Vec<&str> = missing.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["区公安分局", "区市场监管局"]);
        assert_eq!(missing[0].detail, "未报送2021年10月月度工作汇总表（附件2）", "months in prose as people write them");
    }
}
