//! A reply for every submitter (`docs/contract.md`, "Other commands and the replies"): who must correct what, and who has not sent anything.
//! One 退回修改通知 per project or unit whose return has errors or warnings (those the clerk
//! marked 已核实 or 已销号 are left out), listing each with its place and the fix; one per file
//! nobody's form could be read from; one 催报 note per expected project or unit that did not
//! return. The texts and files are written by `output::feedback`.

use super::marks::Mark;
use super::{Consolidated, MissingKind};
use crate::clean::match_key;
use crate::findings::{Finding, Severity};
use crate::forms::file::FileStatus;
use crate::forms::{Form, Month};
use chrono::NaiveDate;
use std::collections::HashMap;

/// What a notice asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// 退回修改: correct and send again.
    Return,
    /// 催报: nothing received yet.
    Remind,
}

impl NoticeKind {
    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::Return => "退回修改",
            NoticeKind::Remind => "催报",
        }
    }
}

/// One reply; its findings are the run's own, not copies.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice<'a> {
    pub kind: NoticeKind,
    /// The project, the unit, or (for a file no form was read from) the file's name.
    pub name: String,
    pub company: String,
    /// Who to reach, as the return (or the roster) says: `王芳 13800138000`.
    pub contact: String,
    /// The form concerned: `《专项整治自查表》（附件1）`.
    pub form: String,
    /// The files received from this submitter.
    pub files: Vec<String>,
    /// Errors and warnings to correct, in the order of the sheet.
    pub findings: Vec<&'a Finding>,
    /// For a reminder: what is missing.
    pub detail: String,
    /// For a reminder: files received that seem to be this submitter's (by their name) but
    /// gave no form (unreadable, unrecognised, a scan or an archive not read), with why.
    pub received: Vec<(String, String)>,
    /// For a reminder to a project: its problems still open in the ledger, overdue ones first.
    pub open_problems: Vec<&'a super::ledger::LedgerRow>,
    /// The report month.
    pub month: Month,
    pub deadline: NaiveDate,
}

const SELF_CHECK: &str = "《专项整治自查表》（附件1）";
const MONTHLY: &str = "《专项整治月度工作汇总表》（附件2）";

/// The replies of a run, returns first (by name), then reminders.
pub fn notices<'a>(c: &'a Consolidated, settings: &crate::config::Settings) -> Vec<Notice<'a>> {
    let deadline = (c.month, settings.resubmit_date(c.month));
    let mut out: Vec<Notice> = Vec::new();
    let handled = |i: usize| c.marks.on_findings.get(i).and_then(Option::as_ref).is_some_and(Mark::is_handled);
    // The open findings of each file, grouped once.
    let mut by_file: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for (_, f) in c.findings.iter().enumerate().filter(|(i, _)| !handled(*i)) {
        by_file.entry(f.location.path.as_str()).or_default().push(f);
    }
    // The reply of each submitter, by (form, normalised name).
    let mut index: HashMap<(&'static str, String), usize> = HashMap::new();
    for file in &c.files {
        let own: Vec<&Finding> = by_file.get(file.rel.as_str()).cloned().unwrap_or_default();
        let live: Vec<&Form> = file.forms().iter().zip(&file.superseded).filter(|(f, s)| s.is_none() && !is_report(f)).map(|(f, _)| f).collect();
        // A file no form was read from (empty, damaged, unrelated, a scan) has nobody to reply
        // to: it is the clerk's to look at (the terminal and 文件清单 list it), and a reminder to
        // a missing submitter names it when its name names them.
        if live.is_empty() {
            continue;
        }
        for (k, form) in live.iter().enumerate() {
            let part = form.source().part_name();
            // A finding on the file as a whole, or on a sheet that holds no form, goes to the
            // file's first form.
            let mine: Vec<&Finding> = own
                .iter()
                .copied()
                .filter(|f| f.location.part_name() == part || (k == 0 && !live.iter().any(|l| l.source().part_name() == f.location.part_name())))
                .collect();
            let (name, company, contact, what) = who(form);
            let at = *index.entry((what, match_key(&name))).or_insert_with(|| {
                out.push(notice(NoticeKind::Return, name, company, contact, what.into(), deadline));
                out.len() - 1
            });
            let n = &mut out[at];
            if !n.files.contains(&file.rel) {
                n.files.push(file.rel.clone());
            }
            // Information (an extension noted, a date read) needs no correction: it stays in
            // the clerk's 数据问题 and is not sent.
            n.findings.extend(mine.into_iter().filter(|f| f.severity != Severity::Info));
        }
    }
    out.retain(|n| !n.findings.is_empty());
    for n in &mut out {
        crate::findings::reading_order(&mut n.findings);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    for m in &c.missing {
        let form = match m.kind {
            MissingKind::Project => SELF_CHECK,
            MissingKind::Unit => MONTHLY,
        };
        let mut n = notice(NoticeKind::Remind, m.name.clone(), m.company.clone(), String::new(), form.into(), deadline);
        n.detail = m.detail.clone();
        n.received = received_from(c, m, settings);
        if m.kind == MissingKind::Project {
            let key = match_key(&m.name);
            n.open_problems = c.ledger.iter().filter(|r| r.is_open() && match_key(&r.project) == key).collect();
            n.open_problems.sort_by_key(|r| (r.days_overdue(c.as_of).is_none(), r.item_no));
            if let Some(r) = n.open_problems.iter().find(|r| !r.responsible.is_empty()) {
                n.contact = format!("{} {}", r.responsible, r.phone).trim().to_string();
            }
        }
        out.push(n);
    }
    out
}

/// Files that gave no form and whose name names the missing project or unit: what was received
/// from them, to say in the reminder.
fn received_from(c: &Consolidated, m: &super::Missing, settings: &crate::config::Settings) -> Vec<(String, String)> {
    let not_read = |f: &&super::Settled| match f.status {
        FileStatus::Unreadable | FileStatus::Unrecognized => true,
        FileStatus::Ignored => f.reason.contains("扫描件或图片") || f.reason.contains("压缩包"),
        FileStatus::Consolidated | FileStatus::Superseded => false,
    };
    let key = match_key(&m.name);
    let theirs = |rel: &str| {
        let stem = rel.rsplit('/').next().unwrap_or(rel);
        match m.kind {
            MissingKind::Unit => crate::clean::canonical_unit(stem, &settings.district, &settings.units).as_deref() == Some(m.name.as_str()),
            MissingKind::Project => !key.is_empty() && match_key(stem).contains(&key),
        }
    };
    c.files.iter().filter(not_read).filter(|f| theirs(&f.rel)).map(|f| (f.rel.clone(), f.reason.clone())).collect()
}

fn notice<'a>(kind: NoticeKind, name: String, company: String, contact: String, form: String, (month, deadline): (Month, NaiveDate)) -> Notice<'a> {
    Notice {
        kind,
        name,
        company,
        contact,
        form,
        files: vec![],
        findings: vec![],
        detail: String::new(),
        received: vec![],
        open_problems: vec![],
        month,
        deadline,
    }
}

/// The official 附件2 of a district workbook read one level up: the district is no
/// submitter of this run's to write to.
fn is_report(form: &Form) -> bool {
    matches!(form, Form::Monthly(m) if m.from_report)
}

/// Who sent a form: name, company, the contact the return gives, and the form's title.
fn who(form: &Form) -> (String, String, String, &'static str) {
    match form {
        Form::SelfCheck(s) => {
            let contact =
                s.items.iter().find(|i| !i.responsible.is_empty()).map(|i| format!("{} {}", i.responsible, i.phone).trim().to_string()).unwrap_or_default();
            let name = if s.project.is_empty() { format!("（未写项目名称：{}）", s.source.path) } else { s.project.clone() };
            (name, s.company.clone(), contact, SELF_CHECK)
        }
        Form::Monthly(m) => {
            let contact = format!("{} {}", m.compiler, m.contact).trim().to_string();
            let name = if m.unit.is_empty() { format!("（未写单位：{}）", m.source.path) } else { m.unit.clone() };
            (name, String::new(), contact, MONTHLY)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use crate::forms::DeadlineValue;
    use crate::rules::testing;

    #[test]
    fn a_return_per_submitter_with_errors_or_warnings_and_a_reminder_per_missing_unit() {
        let day = |m, d| NaiveDate::from_ymd_opt(2021, m, d).unwrap();
        // 梨园小区: a problem without a responsible person (a warning at its cell).
        let mut item = testing::item(2, true, "", DeadlineValue::Date(day(12, 1)));
        item.phone = String::new();
        let pear = testing::record("梨园.xlsx", vec![Form::SelfCheck(testing::self_check("梨园.xlsx", "梨园小区", Some(day(10, 20)), vec![item]))]);
        let mut broken = testing::record("坏.xlsx", vec![]);
        broken.status = FileStatus::Unreadable;
        broken.reason = "空文件（0 字节）".into();
        let month = Month::new(2021, 10).unwrap();
        let mut c =
            crate::rules::consolidate(vec![pear, broken], &crate::rules::level::Level::of(&Settings::default()), month, day(10, 25), None, &Default::default());
        // The finding the extractor would have made at the responsible cell.
        c.findings.push(Finding::new(
            crate::findings::Code::ItemResponsibleMissing,
            crate::findings::Location::sheet("梨园.xlsx", "Sheet1").at(crate::findings::At::cell(5, 3)),
            "整改责任人",
            "",
            "第2项报告了问题但未写整改责任人",
        ));
        let n = notices(&c, &Settings::default());
        let returns: Vec<(&str, usize)> = n.iter().filter(|n| n.kind == NoticeKind::Return).map(|n| (n.name.as_str(), n.findings.len())).collect();
        assert_eq!(returns, [("梨园小区", 1)], "the empty file is no submitter: the clerk's list, not a reply");
        let reminders: Vec<&str> = n.iter().filter(|n| n.kind == NoticeKind::Remind).map(|n| n.name.as_str()).collect();
        assert_eq!(reminders.len(), 5, "the five configured units sent nothing: {reminders:?}");
        assert!(n.iter().all(|n| n.deadline == day(11, 25) && n.month == month));
        assert!(n.iter().all(|n| n.received.is_empty()));
    }

    #[test]
    fn a_reminder_says_what_was_received_and_could_not_be_read() {
        let day = |m, d| NaiveDate::from_ymd_opt(2021, m, d).unwrap();
        let scan = crate::forms::file::FileRecord {
            status: FileStatus::Ignored,
            reason: "扫描件或图片，无法读取数据".into(),
            ..testing::record("月报/东湖风景区经发局10月报表.pdf", vec![])
        };
        let other = crate::forms::file::FileRecord { status: FileStatus::Unreadable, reason: "坏了".into(), ..testing::record("听涛苑.xlsx", vec![]) };
        let month = Month::new(2021, 10).unwrap();
        let c =
            crate::rules::consolidate(vec![scan, other], &crate::rules::level::Level::of(&Settings::default()), month, day(10, 25), None, &Default::default());
        let n = notices(&c, &Settings::default());
        let unit = n.iter().find(|n| n.kind == NoticeKind::Remind && n.name == "区经发局").unwrap();
        assert_eq!(unit.received, [("月报/东湖风景区经发局10月报表.pdf".to_string(), "扫描件或图片，无法读取数据".to_string())]);
        let police = n.iter().find(|n| n.kind == NoticeKind::Remind && n.name == "区公安分局").unwrap();
        assert!(police.received.is_empty(), "another unit's file is not theirs");
    }
}
