//! One run of the monthly consolidation, as a library call: which months to do and in which
//! order (earlier month folders the history store lacks first, then the run's month), and for
//! each month read → settle the level → load what earlier runs left → consolidate → write.
//! The command line (`cli/`) only turns arguments into a [`Run`] and prints what an
//! [`Observer`] hears; everything a run decides is here and tested without the binary.

use crate::carry;
use crate::config::Settings;
use crate::error::Error;
use crate::forms::file::FileRecord;
use crate::forms::{Month, RosterEntry};
use crate::ingest;
use crate::layout::Table;
use crate::output::{feedback, frames, report, safe_file_name, tables};
use crate::read::{discover, roster};
use crate::rules::{self, Consolidated};
use crate::timings;
use chrono::{Datelike, Local, NaiveDate};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A run's checked settings.
#[derive(Debug, Clone)]
pub struct Run {
    /// The folder of returns.
    pub input: PathBuf,
    /// Where the workbook, tables and summary are written.
    pub output: PathBuf,
    /// The month consolidated when given (`--month`); `None`: the month the returns are for
    /// (`rules::month`), the calendar deciding only when no return says.
    pub month: Option<Month>,
    /// The date overdue items are judged at.
    pub as_of: NaiveDate,
    /// The roster of projects expected to return a 附件1.
    pub roster: Option<PathBuf>,
    pub settings: Settings,
    /// The configuration file the settings came from, if any.
    pub config: Option<PathBuf>,
    /// The history store: one folder per month (`--history`, else OUTPUT/history).
    pub history: PathBuf,
    /// Also write one workbook per unit.
    pub split_by_unit: bool,
}

/// What a run tells its caller while it goes: the command line shows a progress bar and
/// prints; a test records. Every method has a default that does nothing.
pub trait Observer: Sync {
    /// `files` files are about to be read.
    fn reading(&self, _files: usize) {}
    /// The run's month is chosen (and why, for the terminal).
    fn month_chosen(&self, _choice: &rules::month::Choice) {}
    /// One more file is read (called from the reading threads).
    fn file_read(&self) {}
    /// All files of the month are read.
    fn read_done(&self) {}
    /// Something the clerk must know that does not stop the run (in Chinese).
    fn warning(&self, _text: &str) {}
    /// An earlier month was consolidated on the way.
    fn caught_up(&self, _done: &MonthDone) {}
}

/// A month consolidated and written.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthDone {
    pub month: Month,
    /// Files found for it.
    pub files: usize,
    /// The date it was judged at.
    pub as_of: NaiveDate,
    pub workbook: PathBuf,
}

/// What a whole run leaves: the run's own month, its settled settings and where its workbook
/// is (the earlier months consolidated on the way were told to the observer).
pub struct Finished {
    pub result: Consolidated,
    /// The settings as settled for the month (a folder of district workbooks is a city).
    pub settings: Settings,
    pub workbook: PathBuf,
    /// Replies written into `反馈/`: 退回修改 (who must resubmit) and 催报.
    pub returns: usize,
    pub reminders: usize,
}

/// One month a run consolidates.
#[derive(Debug)]
pub struct Planned {
    pub month: Month,
    pub files: Vec<discover::Found>,
    pub as_of: NaiveDate,
    /// The run's own month (written with `tables/`, the replies and `summary.json`), not an
    /// earlier one caught up on the way.
    pub current: bool,
}

/// The month a run consolidates when none is given: the one before the as-of date.
pub fn default_month(as_of: NaiveDate) -> Month {
    Month::new(as_of.year(), as_of.month()).expect("a date's month exists").previous()
}

/// Today, or `SOURCE_DATE_EPOCH`'s day when it is set (reproducible outputs and tests).
pub fn today() -> NaiveDate {
    source_date().map_or_else(|| Local::now().date_naive(), |t| t.with_timezone(&Local).date_naive())
}

fn source_date() -> Option<chrono::DateTime<chrono::Utc>> {
    std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse::<i64>().ok()).and_then(|t| chrono::DateTime::from_timestamp(t, 0))
}

/// When the workbook was made; `SOURCE_DATE_EPOCH` fixes it for reproducible outputs.
fn generated_at() -> String {
    match source_date() {
        Some(t) => t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
        None => Local::now().format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// The months to consolidate, in order: each earlier month kept in a folder of its own
/// (`2021年9月/`) whose history partition `has_history` says is missing, then the run's month.
/// An earlier month is judged at the run's as-of date moved back by as many months.
pub fn plan(found: Vec<discover::Found>, month: Month, as_of: NaiveDate, has_history: impl Fn(Month) -> bool) -> Vec<Planned> {
    let (own, earlier) = discover::split_months(found, month);
    let mut months: Vec<Planned> = earlier
        .into_iter()
        .filter(|(m, _)| !has_history(*m))
        .map(|(m, files)| Planned { month: m, files, as_of: shift_months(as_of, m, month), current: false })
        .collect();
    months.push(Planned { month, files: own, as_of, current: true });
    months
}

/// The as-of date of an earlier month consolidated on the way: the run's as-of moved back by
/// as many months as the month is before the run's.
pub fn shift_months(as_of: NaiveDate, month: Month, run_month: Month) -> NaiveDate {
    let back = (run_month.year() * 12 + run_month.month() as i32) - (month.year() * 12 + month.month() as i32);
    as_of.checked_sub_months(chrono::Months::new(back.max(0) as u32)).unwrap_or(as_of)
}

/// Run the consolidation: every planned month in order, then `summary.json` and, with
/// `split_by_unit`, one workbook per unit.
///
/// # Errors
/// The roster cannot be used, or an output cannot be written.
pub fn execute(run: &Run, observer: &dyn Observer) -> Result<Finished, Error> {
    timings::lap("start");
    let roster = run.roster.as_deref().map(roster::load).transpose()?;
    std::fs::create_dir_all(&run.output).map_err(Error::output(format!("无法创建输出文件夹“{}”", run.output.display())))?;
    let outputs = outputs_of(run);
    let found = discover::walk(&run.input, &outputs.iter().map(PathBuf::as_path).collect::<Vec<_>>(), run.settings.max_unzipped_bytes)
        .map_err(Error::output(format!("无法读取输入文件夹“{}”", run.input.display())))?;
    let (month, mut read) = choose_month(run, &found, observer);
    for planned in plan(found, month, run.as_of, |m| carry::history::month_dir(&run.history, m).exists()) {
        let files = read_month(run, &planned, &mut read, observer);
        let (result, settings, earlier) = consolidate_month(run, roster.as_deref(), &planned, files, observer);
        let notices = rules::feedback::notices(&result, &settings);
        let outputs = MonthOutputs {
            result: &result,
            settings: &settings,
            notices: &notices,
            roster_size: roster.as_ref().map(Vec::len),
            current: planned.current,
            earlier: earlier.as_ref(),
        };
        let workbook = write_month(run, &outputs, observer)?;
        if !planned.current {
            let done = MonthDone { month: planned.month, files: planned.files.len(), as_of: planned.as_of, workbook };
            observer.caught_up(&done);
            continue;
        }
        if run.split_by_unit {
            write_unit_books(&result, &run.output)?;
        }
        let count = |kind| notices.iter().filter(|n| n.kind == kind).count();
        let (returns, reminders) = (count(rules::feedback::NoticeKind::Return), count(rules::feedback::NoticeKind::Remind));
        return Ok(Finished { result, settings, workbook, returns, reminders });
    }
    unreachable!("plan always ends with the run's own month")
}

/// What a run writes or keeps in OUTPUT, never read as returns even when OUTPUT is the input
/// folder or inside it: the folders of tables, replies, unit workbooks and history, the summary,
/// the configuration, the district workbooks (and the copies kept of them) and the workbooks
/// for the city.
fn outputs_of(run: &Run) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = ["tables", feedback::FOLDER, UNIT_BOOKS, "history", "summary.json", KEPT].iter().map(|n| run.output.join(n)).collect();
    out.push(staging_dir(&run.output));
    out.push(run.history.clone());
    out.extend(run.config.clone());
    if let Ok(entries) = std::fs::read_dir(&run.output) {
        out.extend(entries.flatten().map(|e| e.path()).filter(|p| {
            p.is_file() && p.file_name().is_some_and(|n| report::is_workbook_name(&n.to_string_lossy()) || crate::layout::is_report_name(&n.to_string_lossy()))
        }));
    }
    if run.output != run.input {
        out.push(run.output.clone());
    }
    out
}

/// The files read already, by path, and the year their dates without a year were read in.
struct Read {
    records: HashMap<String, FileRecord>,
    year: i32,
}

/// The run's month: `--month`, else the month the returns outside any month's folder are for
/// (a folder named for a month says its month itself), else the calendar's. Those returns are
/// read for it once; the records are kept for the month's consolidation.
fn choose_month(run: &Run, found: &[discover::Found], observer: &dyn Observer) -> (Month, Read) {
    let calendar = default_month(run.as_of);
    let guess = run.month.unwrap_or(calendar);
    let in_month_folder = |f: &discover::Found| f.rel.split_once('/').is_some_and(|(dir, _)| discover::month_of_folder(dir, guess).is_some());
    let own: Vec<discover::Found> = found.iter().filter(|f| f.skip.is_none() && !in_month_folder(f)).cloned().collect();
    observer.reading(own.len());
    let records = ingest::read_all(&own, &run.settings, guess.year(), run.roster.as_deref(), &|| observer.file_read());
    observer.read_done();
    timings::lap("read");
    let choice = rules::month::choose(&records, run.month, calendar);
    observer.month_chosen(&choice);
    if let Some(w) = choice.warning() {
        observer.warning(&w);
    }
    let read = Read { records: own.into_iter().map(|f| f.rel).zip(records).collect(), year: guess.year() };
    (choice.month(), read)
}

/// The records of a month's files: those read already (when their dates were read in the
/// month's year), the others read now, in the order found.
fn read_month(run: &Run, planned: &Planned, read: &mut Read, observer: &dyn Observer) -> Vec<FileRecord> {
    if read.year != planned.month.year() {
        read.records.clear();
    }
    let known: Vec<bool> = planned.files.iter().map(|f| f.skip.is_none() && read.records.contains_key(&f.rel)).collect();
    let todo: Vec<discover::Found> = planned.files.iter().zip(&known).filter(|(_, k)| !**k).map(|(f, _)| f.clone()).collect();
    // Files of earlier months' folders are only listed: no progress bar for them alone.
    let shown = todo.iter().any(|f| f.skip.is_none());
    if shown {
        observer.reading(todo.len());
    }
    let fresh = ingest::read_all(&todo, &run.settings, planned.month.year(), run.roster.as_deref(), &|| {
        if shown {
            observer.file_read();
        }
    });
    if shown {
        observer.read_done();
    }
    let mut fresh = fresh.into_iter();
    planned.files.iter().zip(known).filter_map(|(f, k)| if k { read.records.remove(&f.rel) } else { fresh.next() }).collect()
}

/// Apply the rules to a month's files, with what earlier runs left (the history store, the
/// clerk's marks in the previous workbook).
fn consolidate_month(
    run: &Run,
    roster: Option<&[RosterEntry]>,
    planned: &Planned,
    files: Vec<FileRecord>,
    observer: &dyn Observer,
) -> (Consolidated, Settings, Option<Earlier>) {
    // A folder of district workbooks is consolidated as a city, with the districts as units.
    let level = rules::level::settle(&files, &run.settings);
    let workbook = run.output.join(report::file_name(&level.settings.district, planned.month));
    let (past, warnings) = carry::load(&run.history, &run.output, planned.month, &workbook);
    for w in &warnings {
        observer.warning(w);
    }
    timings::lap("past+marks");
    let result = rules::consolidate(files, &level, planned.month, planned.as_of, roster, &past);
    timings::lap("rules");
    let earlier = earlier_to_keep(&workbook, &past.marks, &result);
    (result, level.settings, earlier)
}

/// What one month writes.
struct MonthOutputs<'a> {
    result: &'a Consolidated,
    settings: &'a Settings,
    notices: &'a [rules::feedback::Notice<'a>],
    /// Projects in the roster, for the overview.
    roster_size: Option<usize>,
    /// The run's own month (with tables/, the replies and summary.json), not one caught up.
    current: bool,
    /// The workbook to keep before it is replaced.
    earlier: Option<&'a Earlier>,
}

/// Why the month's workbook about to be replaced is kept in `旧版/` first.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Earlier {
    path: PathBuf,
    why: &'static str,
}

/// The folder where earlier workbooks of a month are kept when a re-run replaces them.
const KEPT: &str = "旧版";

/// The workbook this run will replace, when it must be kept: the clerk typed marks into it, or
/// it was made from other returns than this run's (a re-run over another folder).
fn earlier_to_keep(workbook: &Path, marks: &rules::marks::ClerkMarks, result: &Consolidated) -> Option<Earlier> {
    let name = workbook.file_name()?.to_string_lossy();
    if !workbook.is_file() || marks.workbook != name {
        return None;
    }
    if marks.any() {
        return Some(Earlier { path: workbook.to_path_buf(), why: "其中有处理标记" });
    }
    let mut before: Vec<&(String, String)> = marks.files.iter().filter(|(_, sha)| !sha.is_empty()).collect();
    let mut now: Vec<(String, String)> = result.files.iter().filter(|f| !f.sha256.is_empty()).map(|f| (f.rel.clone(), f.sha256.clone())).collect();
    before.sort();
    now.sort();
    (before.len() != now.len() || before.iter().zip(&now).any(|(a, b)| *a != b))
        .then(|| Earlier { path: workbook.to_path_buf(), why: "由另一批报表汇总而来" })
}

/// The folder a month's outputs are written into before they replace the earlier ones.
fn staging_dir(output: &Path) -> PathBuf {
    output.join(format!(".huizong-{}.staging", std::process::id()))
}

/// A month's outputs written beside the ones they replace; removed on drop (what was not
/// moved into place is discarded).
struct Staging {
    dir: PathBuf,
}

impl Staging {
    fn begin(output: &Path) -> std::io::Result<Staging> {
        let dir = staging_dir(output);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        Ok(Staging { dir })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Replace `target` (a file or a folder) by `fresh`; a folder replaced is moved into `trash`
/// first and put back when the swap fails.
fn swap_in(fresh: &Path, target: &Path, trash: &Path) -> std::io::Result<()> {
    if !fresh.exists() {
        return Ok(());
    }
    if target.is_dir() {
        std::fs::rename(target, trash)?;
        if let Err(e) = std::fs::rename(fresh, target) {
            let _ = std::fs::rename(trash, target);
            return Err(e);
        }
        Ok(())
    } else {
        std::fs::rename(fresh, target)
    }
}

/// Write a month's outputs and replace the earlier ones together: the workbook is built while
/// (on the other core) the history partition and, for the run's own month (`current`), the
/// replies, `tables/` and `summary.json` are, all beside what they replace. Then the workbook
/// is moved into place first — the one the clerk may have open — and only if that succeeds
/// the rest follow; a workbook that cannot be replaced leaves every earlier output as it was.
/// An earlier workbook of the month with the clerk's marks or from other returns is kept in
/// `旧版/` first, and said.
fn write_month(run: &Run, month: &MonthOutputs, observer: &dyn Observer) -> Result<PathBuf, Error> {
    let MonthOutputs { result, settings, notices, roster_size, current, earlier } = *month;
    let staging = Staging::begin(&run.output).map_err(Error::output(format!("无法写入输出文件夹“{}”", run.output.display())))?;
    let name = report::file_name(&settings.district, result.month);
    let (workbook, partition) = rayon::join(
        || write_workbook(run, result, settings, notices, roster_size, &staging.dir.join(&name)),
        || -> Result<carry::history::Partition, Error> {
            if current {
                feedback::write(&staging.dir, notices, &report::sender(settings), result.as_of).map_err(Error::output("无法写入反馈文件夹"))?;
                timings::lap("replies");
            }
            // Each table is built, written to the month's history partition (and, for the
            // run's own month, to tables/) and dropped before the next.
            let partition = carry::history::Partition::begin(&run.history, result.month).map_err(Error::output("无法写入历史记录"))?;
            for table in Table::ALL {
                let mut frame = frames::build(result, table).map_err(|e| Error::Internal { what: "汇总数据".into(), why: e.to_string() })?;
                partition.add(table.name(), &mut frame).map_err(Error::output("无法写入历史记录"))?;
                if current {
                    tables::write_table(&staging.dir, table.name(), &mut frame).map_err(Error::output("无法写入数据表"))?;
                }
            }
            if current {
                let summary = tables::summary(result, &settings.district, &name);
                tables::write_summary(&summary, &staging.dir).map_err(Error::output("无法写入 summary.json"))?;
            }
            timings::lap("tables");
            Ok(partition)
        },
    );
    let (staged, partition) = (workbook?, partition?);
    // The workbook for the city, beside the working one.
    let report_name = crate::layout::report_name(&settings.district, result.month);
    let report_bytes = report::build_report(result, settings).map_err(|e| Error::Internal { what: "生成报送工作簿".into(), why: e.to_string() })?;
    tables::write_atomic(&staging.dir.join(&report_name), |f| std::io::Write::write_all(f, &report_bytes)).map_err(Error::output("无法写入报送工作簿"))?;
    // What cannot be swapped in is found before anything is replaced.
    let parts = [("tables", "无法写入数据表"), (feedback::FOLDER, "无法写入反馈文件夹"), ("summary.json", "无法写入 summary.json")];
    for (part, what) in parts {
        let (fresh, target) = (staging.dir.join(part), run.output.join(part));
        if fresh.exists() && target.exists() && fresh.is_dir() != target.is_dir() {
            let why = std::io::Error::other(format!("“{}”已被一个同名的{}占用", target.display(), if target.is_dir() { "文件夹" } else { "文件" }));
            return Err(Error::output(what)(why));
        }
    }
    let target = run.output.join(&name);
    if let Some(e) = earlier {
        let kept = keep_earlier(&e.path, &run.output).map_err(Error::output(format!("无法保留上次的工作簿“{}”", e.path.display())))?;
        observer.warning(&format!("上次的{}工作簿{}，已另存为“{}”", result.month.label(), e.why, kept.display()));
    }
    std::fs::rename(&staged, &target).map_err(Error::output(format!(
        "无法替换工作簿“{}”（可能正在 Excel 或 WPS 中打开：请关闭后重新运行。上次的工作簿、数据表、历史记录和反馈都没有改动）",
        target.display()
    )))?;
    let report_target = run.output.join(&report_name);
    std::fs::rename(staging.dir.join(&report_name), &report_target)
        .map_err(Error::output(format!("无法替换报送工作簿“{}”（可能正在 Excel 或 WPS 中打开：请关闭后重新运行）", report_target.display())))?;
    let trash = staging.dir.join(".old");
    for (part, what) in parts {
        let _ = std::fs::remove_dir_all(&trash);
        swap_in(&staging.dir.join(part), &run.output.join(part), &trash).map_err(Error::output(what))?;
    }
    partition.commit().map_err(Error::output("无法写入历史记录"))?;
    Ok(target)
}

/// Copy the earlier workbook into `旧版/`, named with the time it was last saved (unless the
/// same bytes are kept there already).
fn keep_earlier(path: &Path, output: &Path) -> std::io::Result<PathBuf> {
    let dir = output.join(KEPT);
    std::fs::create_dir_all(&dir)?;
    let bytes = std::fs::read(path)?;
    let same = std::fs::read_dir(&dir)?
        .flatten()
        .map(|e| e.path())
        .find(|p| std::fs::metadata(p).is_ok_and(|m| m.len() == bytes.len() as u64) && std::fs::read(p).is_ok_and(|b| b == bytes));
    if let Some(same) = same {
        return Ok(same);
    }
    let saved = std::fs::metadata(path)?.modified()?;
    let saved: chrono::DateTime<Local> = saved.into();
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let ext = path.extension().map(|e| e.to_string_lossy().to_string()).unwrap_or_else(|| "xlsx".into());
    let mut kept = dir.join(format!("{stem}（{}保存）.{ext}", saved.format("%Y-%m-%d %H%M%S")));
    let mut n = 2;
    while kept.exists() {
        kept = dir.join(format!("{stem}（{}保存）({n}).{ext}", saved.format("%Y-%m-%d %H%M%S")));
        n += 1;
    }
    std::fs::copy(path, &kept)?;
    Ok(kept)
}

/// Write a month's workbook at `path` (in the staging folder).
fn write_workbook(
    run: &Run,
    result: &Consolidated,
    settings: &Settings,
    notices: &[rules::feedback::Notice],
    roster_size: Option<usize>,
    path: &Path,
) -> Result<PathBuf, Error> {
    let prov = report::Provenance { input: &run.input.display().to_string(), generated: &generated_at(), roster_size };
    report::write_file(path, result, settings, &prov, notices)?;
    timings::lap("workbook");
    Ok(path.to_path_buf())
}

/// The folder of the workbooks per unit (`--split-by-unit`).
const UNIT_BOOKS: &str = "分单位报送";

/// One workbook per unit under `分单位报送/`, named after the unit and month.
fn write_unit_books(c: &Consolidated, out: &Path) -> Result<(), Error> {
    let dir = out.join(UNIT_BOOKS);
    std::fs::create_dir_all(&dir).map_err(Error::output(format!("无法创建文件夹“{}”", dir.display())))?;
    for m in c.monthlies() {
        let bytes = report::build_unit(c, m).map_err(|e| Error::Internal { what: format!("生成{}的工作簿", m.unit), why: e.to_string() })?;
        let safe = safe_file_name(&m.unit);
        let path = dir.join(format!("{safe}_专项整治月度工作汇总表_{}.xlsx", c.month.label()));
        tables::write_atomic(&path, |f| std::io::Write::write_all(f, &bytes)).map_err(Error::output("无法写入"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use discover::Found;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn month(y: i32, m: u32) -> Month {
        Month::new(y, m).unwrap()
    }

    fn found(rel: &str) -> Found {
        Found::file(PathBuf::from("in").join(rel), rel.into())
    }

    #[test]
    fn the_default_month_is_the_one_before_the_as_of_date() {
        assert_eq!(default_month(date(2021, 11, 20)), month(2021, 10));
        assert_eq!(default_month(date(2022, 1, 3)), month(2021, 12));
    }

    #[test]
    fn earlier_months_are_judged_as_many_months_back() {
        assert_eq!(shift_months(date(2021, 11, 20), month(2021, 9), month(2021, 10)), date(2021, 10, 20));
        assert_eq!(shift_months(date(2021, 3, 31), month(2020, 12), month(2021, 2)), date(2021, 1, 31));
        // The end of a longer month is the end of the shorter one.
        assert_eq!(shift_months(date(2021, 3, 31), month(2021, 1), month(2021, 2)), date(2021, 2, 28));
        assert_eq!(shift_months(date(2021, 11, 20), month(2021, 10), month(2021, 10)), date(2021, 11, 20));
    }

    #[test]
    fn earlier_month_folders_without_history_come_first_in_order() {
        let files = vec![found("2021年9月/a.xlsx"), found("2021-08/b.xlsx"), found("自查表/c.xlsx"), found("2021年7月/d.xlsx")];
        let stored = [month(2021, 7)];
        let planned = plan(files, month(2021, 10), date(2021, 11, 20), |m| stored.contains(&m));
        let order: Vec<(Month, bool, Vec<&str>, NaiveDate)> =
            planned.iter().map(|p| (p.month, p.current, p.files.iter().filter(|f| f.skip.is_none()).map(|f| f.rel.as_str()).collect(), p.as_of)).collect();
        assert_eq!(
            order,
            [
                (month(2021, 8), false, vec!["2021-08/b.xlsx"], date(2021, 9, 20)),
                (month(2021, 9), false, vec!["2021年9月/a.xlsx"], date(2021, 10, 20)),
                (month(2021, 10), true, vec!["自查表/c.xlsx"], date(2021, 11, 20)),
            ],
            "July is stored already: not done again"
        );
        // The run's month still lists the earlier months' files, as skipped, for the file list.
        assert_eq!(planned[2].files.len(), 4);
    }

    #[test]
    fn a_run_with_no_earlier_folder_is_one_month() {
        let planned = plan(vec![found("a.xlsx")], month(2021, 10), date(2021, 11, 20), |_| false);
        assert_eq!(planned.len(), 1);
        assert!(planned[0].current);
    }

    /// What a run tells its observer, recorded.
    #[derive(Default)]
    struct Recorder {
        caught_up: std::sync::Mutex<Vec<Month>>,
        files: std::sync::atomic::AtomicUsize,
    }

    impl Observer for Recorder {
        fn file_read(&self) {
            self.files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        fn caught_up(&self, done: &MonthDone) {
            self.caught_up.lock().unwrap().push(done.month);
        }
    }

    fn input_run(output: &Path) -> Run {
        Run {
            input: Path::new(env!("CARGO_MANIFEST_DIR")).join("input"),
            output: output.to_path_buf(),
            month: Some(month(2021, 10)),
            as_of: date(2021, 11, 20),
            roster: None,
            settings: Settings::default(),
            config: None,
            history: output.join("history"),
            split_by_unit: false,
        }
    }

    #[test]
    fn a_run_catches_up_the_earlier_month_once_then_a_failed_write_leaves_the_history_as_it_was() {
        let out = tempfile::tempdir().unwrap();
        let run = input_run(out.path());
        let heard = Recorder::default();
        let first = execute(&run, &heard).unwrap();
        assert_eq!(*heard.caught_up.lock().unwrap(), [month(2021, 9)], "September's folder is consolidated first");
        assert!(heard.files.load(std::sync::atomic::Ordering::Relaxed) > 10);
        assert_eq!(first.workbook, out.path().join("东湖风景区物业专项整治汇总_2021年10月.xlsx"));
        let october = carry::history::month_dir(&run.history, month(2021, 10));
        let ledger = std::fs::read(october.join("ledger.parquet")).unwrap();

        // Run again with the workbook's place taken by a folder, as when the file cannot be
        // replaced: the run fails, September is not done again, October's history stays.
        std::fs::remove_file(&first.workbook).unwrap();
        std::fs::create_dir_all(first.workbook.join("占位")).unwrap();
        let heard = Recorder::default();
        let err = execute(&run, &heard).err().expect("the workbook cannot be written");
        assert!(matches!(err, Error::Output { .. }), "{err}");
        assert!(heard.caught_up.lock().unwrap().is_empty(), "September is in the history already");
        assert_eq!(std::fs::read(october.join("ledger.parquet")).unwrap(), ledger, "October's partition is not replaced");
        let leftovers: Vec<String> =
            std::fs::read_dir(&run.history).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).filter(|n| n.starts_with('.')).collect();
        assert!(leftovers.is_empty(), "no unfinished partition is left: {leftovers:?}");
    }

    #[test]
    fn last_months_returns_rebuilt_from_its_workbook_are_those_the_history_stored() {
        let out = tempfile::tempdir().unwrap();
        let run = input_run(out.path());
        execute(&run, &Recorder::default()).unwrap();
        let october = month(2021, 10);
        let stored = carry::history::last_month(&run.history, october).unwrap().expect("September is stored");
        let book = out.path().join("东湖风景区物业专项整治汇总_2021年9月.xlsx");
        let rebuilt = carry::marks::monthlies(&book, month(2021, 9)).unwrap();
        let values = |forms: &[crate::forms::Monthly]| {
            let mut v: Vec<(String, String, Option<i64>, Option<i64>)> =
                forms.iter().flat_map(|m| m.indicators.iter().map(move |i| (m.unit.clone(), i.id.code().to_string(), i.this_month, i.cumulative))).collect();
            v.sort();
            v
        };
        assert_eq!(rebuilt.len(), 5);
        assert_eq!(values(&rebuilt), values(&stored));
        let ledger = carry::marks::ledger(&book).unwrap();
        let (_, stored_ledger) = carry::history::last_ledger(&run.history, october).unwrap().unwrap();
        assert_eq!(ledger, stored_ledger, "整改台账 read back is the stored ledger, row for row");
    }
}
