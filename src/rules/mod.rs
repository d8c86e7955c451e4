//! The rules: from every file's forms to the district's picture, in plain Rust over records.
//! Item statuses at the as-of date, re-submissions superseded, the 附件2 consistency checks,
//! missing projects and units, the district totals, and the counts every output prints.
//! Nothing here reads files or builds frames, so every rule is tested in memory.

pub mod counts;
pub mod feedback;
pub mod ledger;
pub mod level;
pub mod marks;
pub mod missing;
pub mod month;
pub mod monthly;
pub mod status;
pub mod supersede;
#[cfg(test)]
pub(crate) mod testing;
pub mod totals;
pub mod trend;

use crate::findings::{Code, Finding, Location};
use crate::forms::file::{FileRecord, FileStatus};
use crate::forms::{Form, Month, Monthly, RosterEntry, SelfCheck};
use chrono::NaiveDate;
pub use counts::Counts;
pub use missing::{Missing, MissingKind};
use std::collections::BTreeSet;
pub use totals::DistrictRow;

/// What earlier runs left that this month's rules use, read from the history store by the
/// caller (`carry::load`); empty without one, which only loses the comparisons.
#[derive(Debug, Clone, Default)]
pub struct Past {
    /// Last month's 附件2, one per unit, as that month's run consolidated them.
    pub last_month: Vec<Monthly>,
    /// Last month's ledger of problems.
    pub ledger: Vec<ledger::LedgerRow>,
    /// The clerk's marks in the previous workbook.
    pub marks: marks::ClerkMarks,
    /// Every earlier month the history store holds.
    pub months: Vec<trend::MonthPoint>,
}

/// A file as the consolidation left it: the record as read, and the verdict the rules added
/// (its final status and reason: superseded, set aside, a note about another month's form; per
/// form, why it is superseded). `status`, `reason` and `superseded` are the verdict's; the
/// rest reads through to the record, whose own `status` and `reason` stay as reading decided.
#[derive(Debug, Clone)]
pub struct Settled {
    pub record: FileRecord,
    pub status: FileStatus,
    pub reason: String,
    /// Per form: `Some(reason)` once it is superseded by a later one.
    pub superseded: Vec<Option<String>>,
    /// Set aside by the level (a district workbook among unit returns): its forms and findings
    /// do not count.
    pub set_aside: bool,
}

impl Settled {
    pub(crate) fn new(record: FileRecord, set_aside: bool) -> Settled {
        let (status, reason) = if set_aside { (FileStatus::Ignored, level::MIXED.to_string()) } else { (record.status, record.reason.clone()) };
        Settled { status, reason, superseded: vec![None; record.forms.len()], set_aside, record }
    }

    /// The forms that take part in the consolidation (none for a file set aside).
    pub fn forms(&self) -> &[Form] {
        if self.set_aside {
            &[]
        } else {
            &self.record.forms
        }
    }

    /// The findings of reading the file that count (none for a file set aside).
    pub fn findings(&self) -> &[Finding] {
        if self.set_aside {
            &[]
        } else {
            &self.record.findings
        }
    }

    /// A short list of the forms that take part, for the file list.
    pub fn forms_label(&self) -> String {
        if self.set_aside {
            String::new()
        } else {
            self.record.forms_label()
        }
    }
}

impl std::ops::Deref for Settled {
    type Target = FileRecord;
    fn deref(&self) -> &FileRecord {
        &self.record
    }
}

/// Everything the outputs are made from.
pub struct Consolidated {
    /// Every file found, in the order found, with the consolidation's verdict.
    pub files: Vec<Settled>,
    /// Every finding, sorted by file, sheet and cell.
    pub findings: Vec<Finding>,
    pub missing: Vec<Missing>,
    pub district: Vec<DistrictRow>,
    pub month: Month,
    pub as_of: NaiveDate,
    pub counts: Counts,
    /// Every problem ever reported, as of this month (`docs/contract.md`, "History").
    pub ledger: Vec<ledger::LedgerRow>,
    /// The project or unit each finding is about (aligned with `findings`; empty for none).
    pub submitters: Vec<String>,
    /// The clerk's marks carried to this run's findings and problems.
    pub marks: marks::Applied,
    /// The campaign month by month, this month last.
    pub trend: Vec<trend::MonthPoint>,
}

impl Consolidated {
    /// The forms that count: every form of every file, less the superseded ones.
    fn live_forms(&self) -> impl Iterator<Item = &Form> {
        live_forms(&self.files)
    }

    /// The 附件1 forms that count.
    pub fn self_checks(&self) -> impl Iterator<Item = &SelfCheck> {
        self.live_forms().filter_map(|f| match f {
            Form::SelfCheck(s) => Some(s),
            Form::Monthly(_) => None,
        })
    }

    /// The 附件2 forms of the run's month that count.
    pub fn monthlies(&self) -> impl Iterator<Item = &Monthly> {
        live_monthlies(&self.files).filter(|m| m.month == Some(self.month))
    }

    /// The 附件2 forms that count, of every month read.
    pub fn all_monthlies(&self) -> impl Iterator<Item = &Monthly> {
        live_monthlies(&self.files)
    }
}

fn live_forms(files: &[Settled]) -> impl Iterator<Item = &Form> {
    files.iter().flat_map(|f| f.forms().iter().zip(&f.superseded)).filter(|(_, s)| s.is_none()).map(|(f, _)| f)
}

fn live_monthlies(files: &[Settled]) -> impl Iterator<Item = &Monthly> {
    live_forms(files).filter_map(|f| match f {
        Form::Monthly(m) => Some(m),
        Form::SelfCheck(_) => None,
    })
}

/// Apply every rule to the files read, at the level settled for them.
pub fn consolidate(files: Vec<FileRecord>, level: &level::Level, month: Month, as_of: NaiveDate, roster: Option<&[RosterEntry]>, past: &Past) -> Consolidated {
    let settings = &level.settings;
    let mut files: Vec<Settled> = files
        .into_iter()
        .map(|mut record| {
            for form in &mut record.forms {
                if let Form::SelfCheck(s) = form {
                    status::apply_statuses(s, as_of);
                }
            }
            let set_aside = level.set_aside.contains(&record.rel);
            Settled::new(record, set_aside)
        })
        .collect();
    supersede::supersede(&mut files);
    let mut findings = check_monthlies(&files, settings.final_month, month, past);
    let mut missing = Vec::new();
    if let Some(roster) = roster {
        let (m, f) = missing::missing_projects(&files, roster);
        missing.extend(m);
        findings.extend(f);
    }
    missing.extend(missing::missing_units(&files, &settings.units, month));
    missing.extend(missing::missing_since_last_month(&files, &settings.units, month, &past.last_month));
    note_other_months(&mut files, month);
    findings.extend(file_findings(&files));
    findings.extend(live_findings(&files));
    // The problems the clerk closed are closed before this month's returns meet them.
    let mut previous = past.ledger.clone();
    marks::close_in_ledger(&past.marks, &mut previous, month);
    let (mut ledger, versions) = ledger::update(&previous, &versions_oldest_first(&files), month, as_of);
    // Compared with an earlier version, a superseded return's differences are the newer
    // one's to answer for: the findings at its cells would send the submitter to a copy that
    // no longer counts.
    let superseded = superseded_parts(&files);
    findings.extend(versions.into_iter().filter(|f| !superseded.contains(&(f.location.path.clone(), f.location.part_name().to_string()))));
    let this_month: Vec<&Monthly> = live_monthlies(&files).filter(|m| m.month == Some(month)).collect();
    let (district, conflicts) = totals::district_totals(&this_month, settings, month);
    findings.extend(conflicts);
    totals::excuse_stock_cells(&mut findings, &this_month, settings);
    crate::findings::sort_and_dedup(&mut findings);
    let by_path: std::collections::HashMap<&str, &Settled> = files.iter().map(|f| (f.rel.as_str(), f)).collect();
    let submitters: Vec<String> = findings.iter().map(|f| marks::submitter(f, &by_path)).collect();
    let marks = marks::apply(&past.marks, &files, &findings, &submitters, &mut ledger, month);
    missing.sort();
    let trend = trend::campaign(past.months.clone(), trend::MonthPoint::of(month, &district, &ledger));
    let mut c = Consolidated { files, findings, submitters, missing, district, month, as_of, counts: Counts::default(), ledger, marks, trend };
    c.counts = Counts::of(&c);
    c
}

/// Every 附件1 read this month, superseded ones included, oldest version first: the ledger
/// meets a project's earlier return before its newer one, so a re-submission in the same run is
/// compared with the one it replaces just as next month's return will be.
fn versions_oldest_first(files: &[Settled]) -> Vec<&SelfCheck> {
    let mut all: Vec<(supersede::Rank, &SelfCheck)> = files
        .iter()
        .flat_map(|file| {
            file.forms().iter().filter_map(move |form| match form {
                Form::SelfCheck(s) => Some((supersede::rank(form, file), s)),
                Form::Monthly(_) => None,
            })
        })
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all.into_iter().map(|(_, s)| s).collect()
}

/// The (path, sheet) of every superseded form.
fn superseded_parts(files: &[Settled]) -> BTreeSet<(String, String)> {
    files
        .iter()
        .flat_map(|file| {
            file.forms().iter().zip(&file.superseded).filter(|(_, s)| s.is_some()).map(|(f, _)| (file.rel.clone(), f.source().part_name().to_string()))
        })
        .collect()
}

/// The findings read from each file, less those on the sheets of superseded forms: they would
/// send the submitter to fix a copy that no longer counts (the file list says why).
fn live_findings(files: &[Settled]) -> Vec<Finding> {
    let dead = superseded_parts(files);
    files.iter().flat_map(|f| f.findings()).filter(|f| !dead.contains(&(f.location.path.clone(), f.location.part_name().to_string()))).cloned().collect()
}

/// Each 附件2 on its own, and against last month's form of the same unit: the one read in this
/// folder, else, for the run's month, the one last month's run stored.
fn check_monthlies(files: &[Settled], final_month: Month, month: Month, past: &Past) -> Vec<Finding> {
    let live: Vec<&Monthly> = live_monthlies(files).collect();
    let mut findings = Vec::new();
    for m in &live {
        findings.extend(monthly::check_monthly(m, final_month));
        let Some(this) = m.month else { continue };
        let read = live.iter().copied().find(|l| l.unit == m.unit && l.month == Some(this.previous()));
        let stored = || past.last_month.iter().find(|l| l.unit == m.unit && this == month);
        if let Some(last) = read.or_else(stored) {
            findings.extend(monthly::check_month_over_month(m, last));
        }
    }
    findings
}

/// A file that could not be used is a finding too, so the 数据问题 list is complete on its own.
fn file_findings(files: &[Settled]) -> Vec<Finding> {
    files
        .iter()
        .filter_map(|f| {
            let code = match f.status {
                FileStatus::Unreadable => Code::FileUnreadable,
                FileStatus::Unrecognized => Code::FileUnrecognized,
                FileStatus::Ignored => Code::FileIgnored,
                FileStatus::Consolidated | FileStatus::Superseded => return None,
            };
            Some(Finding::new(code, Location::file(&f.rel), "文件", f.format.name(), f.reason.clone()))
        })
        .collect()
}

/// A 附件2 of another month is read (last month's is needed for the 累积 check) but does not
/// count in this month's totals: the file list says so.
fn note_other_months(files: &mut [Settled], month: Month) {
    for file in files.iter_mut().filter(|f| f.status == FileStatus::Consolidated) {
        let others: Vec<String> = file
            .forms()
            .iter()
            .zip(&file.superseded)
            .filter_map(|(f, s)| match f {
                Form::Monthly(m) if s.is_none() => m.month.filter(|m| *m != month).map(|m| m.to_string()),
                _ => None,
            })
            .collect();
        if others.is_empty() {
            continue;
        }
        let note = format!("{}的月度汇总表：已读取并用于核对累积数，不计入{month}汇总", others.join("、"));
        file.reason = if file.reason.is_empty() { note } else { format!("{}；{note}", file.reason) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::{DeadlineValue, ItemStatus};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, m, d).unwrap()
    }

    /// 梨园小区's 附件1 in `path`, filled on `fill`, whose item 2 is `deadline` and item 3 is
    /// a problem or 无.
    fn return_of(path: &str, fill: NaiveDate, deadline: NaiveDate, item3: bool) -> FileRecord {
        let items = vec![
            testing::item(2, true, "王芳", DeadlineValue::Date(deadline)),
            testing::item(3, item3, if item3 { "李强" } else { "" }, if item3 { DeadlineValue::Date(day(12, 1)) } else { DeadlineValue::None }),
        ];
        testing::record(path, vec![Form::SelfCheck(testing::self_check(path, "梨园小区", Some(fill), items))])
    }

    #[test]
    fn a_resubmission_in_the_same_run_is_compared_with_the_one_it_replaces() {
        // Listed newest first: the order of the files must not matter, only their ranks.
        let files = vec![return_of("b.xlsx", day(10, 25), day(11, 30), false), return_of("a.xlsx", day(10, 10), day(10, 31), true)];
        let month = Month::new(2021, 10).unwrap();
        let c = consolidate(files, &level::Level::of(&Default::default()), month, day(10, 20), None, &Past::default());
        let mut versions: Vec<(&str, &str)> = c
            .findings
            .iter()
            .filter(|f| matches!(f.code, Code::ItemDeadlineExtended | Code::ItemSilentlyDropped))
            .map(|f| (f.code.as_str(), f.location.path.as_str()))
            .collect();
        versions.sort();
        assert_eq!(versions, [("item.deadline_extended", "b.xlsx"), ("item.silently_dropped", "b.xlsx")]);
        let dropped = c.findings.iter().find(|f| f.code == Code::ItemSilentlyDropped).unwrap();
        assert!(dropped.message.contains("上一版见“a.xlsx”"), "the earlier version is quoted: {}", dropped.message);
        let row2 = c.ledger.iter().find(|r| r.item_no == 2).unwrap();
        assert_eq!((row2.first_deadline, row2.deadline, row2.extensions), (Some(day(10, 31)), Some(day(11, 30)), 1));
        let row3 = c.ledger.iter().find(|r| r.item_no == 3).unwrap();
        assert!(row3.is_open(), "dropped without being done: still open");
        assert_eq!(row3.open_status(), Some(ItemStatus::InProgress));
    }

    #[test]
    fn a_problem_the_clerk_closed_is_neither_sent_back_nor_credited_to_the_return() {
        // September: items 2 and 3 of 梨园小区 open. The clerk closes item 3 in the October
        // workbook; November's return drops it (无) and calls item 2 done.
        let sep = Month::new(2021, 9).unwrap();
        let nov = Month::new(2021, 11).unwrap();
        let first = consolidate(
            vec![return_of("9.xlsx", day(9, 25), day(12, 31), true)],
            &level::Level::of(&Default::default()),
            sep,
            day(10, 5),
            None,
            &Past::default(),
        );
        let item3 = first.ledger.iter().find(|r| r.item_no == 3).unwrap().item_id.clone();
        let item2 = first.ledger.iter().find(|r| r.item_no == 2).unwrap().item_id.clone();
        let mark = |id: &str| {
            let m = marks::Mark {
                action: Some(marks::Action::Closed),
                typed: "已销号".into(),
                note: "现场核查".into(),
                month: Month::new(2021, 10).unwrap(),
                origin: String::new(),
            };
            (id.to_string(), String::new(), m)
        };
        let past = Past {
            ledger: first.ledger.clone(),
            marks: marks::ClerkMarks { items: vec![mark(&item3), mark(&item2)], ..Default::default() },
            ..Past::default()
        };
        let mut nov_return = return_of("11.xlsx", day(11, 25), day(12, 31), false);
        if let Form::SelfCheck(s) = &mut nov_return.forms[0] {
            s.items[0].deadline = DeadlineValue::Done;
        }
        let c = consolidate(vec![nov_return], &level::Level::of(&Default::default()), nov, day(12, 5), None, &past);
        assert!(c.findings.iter().all(|f| f.code != Code::ItemSilentlyDropped), "the clerk closed it: no 退回修改 for dropping it");
        let oct = Month::new(2021, 10).unwrap();
        for id in [&item3, &item2] {
            let row = c.ledger.iter().find(|r| &r.item_id == id).unwrap();
            assert_eq!(row.state, ledger::LedgerState::Closed { month: oct, by: ledger::ClosedBy::Clerk }, "{id}: the clerk's decision stands");
        }
        let notices = feedback::notices(&c, &Default::default());
        assert!(notices.iter().all(|n| n.findings.iter().all(|f| f.code != Code::ItemSilentlyDropped)));
    }

    #[test]
    fn a_unit_other_than_the_stock_source_may_leave_stock_indicators_blank_or_zero() {
        let settings = crate::config::Settings::default();
        let oct = Month::new(2021, 10).unwrap();
        let with_blank_1 = |path: &str, unit: &str, four: i64| {
            let mut record = testing::record(
                path,
                vec![Form::Monthly(testing::monthly(path, unit, Some(oct), &[("1", None, None), ("2", Some(0), None), ("4", Some(four), Some(four))]))],
            );
            let at = Location::sheet(path, "Sheet1").at(crate::findings::At::cell(5, 2));
            record.findings.push(Finding::new(Code::CountBlank, at, "指标1数量", "", "指标1数量未填写（空白不按0计）：没有发生请填0"));
            record
        };
        let files = vec![with_blank_1("经发局.xlsx", "区经发局", 1), with_blank_1("房管局.xlsx", &settings.stock_source_unit, 2)];
        let c = consolidate(files, &level::Level::of(&settings), oct, day(11, 20), None, &Past::default());
        let blanks: Vec<&str> = c.findings.iter().filter(|f| f.code == Code::CountBlank).map(|f| f.location.path.as_str()).collect();
        assert_eq!(blanks, ["房管局.xlsx"], "only the stock source is asked to fill indicator 1");
        assert!(c.findings.iter().all(|f| f.code != Code::DistrictStockConflict), "0 against the source's blank is no conflict");
        let notices = feedback::notices(&c, &settings);
        assert!(!notices.iter().any(|n| n.name == "区经发局" && n.kind == feedback::NoticeKind::Return), "nothing to send back to 区经发局");
    }

    #[test]
    fn problems_of_forms_without_a_project_are_listed_never_matched() {
        let a = testing::record(
            "a.xlsx",
            vec![Form::SelfCheck(testing::self_check("a.xlsx", "", None, vec![testing::item(2, true, "王芳", DeadlineValue::None)]))],
        );
        let b =
            testing::record("b.xlsx", vec![Form::SelfCheck(testing::self_check("b.xlsx", "", None, vec![testing::item(2, false, "", DeadlineValue::None)]))]);
        let c = consolidate(vec![a, b], &level::Level::of(&Default::default()), Month::new(2021, 10).unwrap(), day(10, 20), None, &Past::default());
        assert!(c.findings.iter().all(|f| f.code != Code::ItemSilentlyDropped));
        assert_eq!(c.ledger.len(), 1);
        assert!(c.ledger[0].item_id.starts_with("?a.xlsx#2@"));
    }
}
