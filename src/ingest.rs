//! The per-file path: a file on disk → its sniffed format → the guards → a reader (calamine or
//! a Word reader) → the forms extracted → its record. Each file is read on its own, in
//! parallel, and comes back as an [`Outcome`] (ignored, unreadable, or read with its forms and
//! findings); a failure inside one file, even a panic in a reader, becomes that file's outcome
//! and never stops the run. What reading found is recorded as it was read; what the
//! consolidation decides about a file (superseded, set aside) comes later, in `rules`.

use crate::config::Settings;
use crate::extract;
use crate::findings::Finding;
use crate::forms::file::{is_lock_file, FileRecord, FileStatus, Format};
use crate::forms::Form;
use crate::grid::{Limits, ReadError, Workbook};
use crate::read::discover::Found;
use crate::read::{codepage, format, guards, workbook};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, Instant};

/// What reading one file gave.
#[derive(Debug)]
pub enum Outcome {
    /// Not a return (a lock file, the roster, a text file), with the reason.
    Ignored(String),
    /// Meant to be a spreadsheet but could not be read, with the reason and what to do.
    Unreadable(String),
    /// Read: the forms found (maybe none), the findings, and the sheets that had a form's
    /// title but no table (as reasons for the file list).
    Read { forms: Vec<Form>, findings: Vec<Finding>, broken: Vec<String>, sheets: usize },
}

/// What is known about a file whatever its content.
#[derive(Debug, Clone, Default)]
struct Facts {
    bytes: u64,
    sha256: String,
    /// Modification time, seconds since the epoch.
    modified: i64,
    format: Option<Format>,
}

/// The record of a file: its status and reason as read are decided here, once, from the outcome.
fn record(rel: &str, facts: Facts, outcome: Outcome) -> FileRecord {
    let (status, reason, forms, findings) = match outcome {
        Outcome::Ignored(why) => (FileStatus::Ignored, why, vec![], vec![]),
        Outcome::Unreadable(why) => (FileStatus::Unreadable, why, vec![], vec![]),
        Outcome::Read { forms, findings, broken, sheets } if forms.is_empty() => {
            let why =
                if broken.is_empty() { format!("{sheets}个工作表中都没有找到附件1自查表或附件2月度汇总表") } else { broken.join("；") };
            (FileStatus::Unrecognized, why, forms, findings)
        }
        Outcome::Read { forms, findings, broken, .. } => (FileStatus::Consolidated, broken.join("；"), forms, findings),
    };
    FileRecord {
        rel: rel.to_string(),
        format: facts.format.unwrap_or(Format::Other),
        bytes: facts.bytes,
        sha256: facts.sha256,
        modified: facts.modified,
        status,
        reason,
        forms,
        findings,
    }
}

/// Read every found file in parallel; the result is in the order of `found` (sorted paths),
/// whatever the thread timing.
pub fn read_all(found: &[Found], settings: &Settings, fallback_year: i32, roster: Option<&Path>, progress: &(dyn Fn() + Sync)) -> Vec<FileRecord> {
    let roster = roster.and_then(|r| std::fs::canonicalize(r).ok());
    found
        .par_iter()
        .map(|f| {
            let is_roster = roster.is_some() && std::fs::canonicalize(&f.path).ok() == roster;
            let record = if is_roster {
                record(&f.rel, Facts::default(), Outcome::Ignored("这是应报项目名册，不是报表".into()))
            } else {
                read_one(f, settings, fallback_year)
            };
            progress();
            record
        })
        .collect()
}

/// Read one found file into a record.
pub fn read_one(f: &Found, settings: &Settings, fallback_year: i32) -> FileRecord {
    let mut facts = Facts::default();
    let outcome = read_file(f, settings, fallback_year, &mut facts);
    record(&f.rel, facts, outcome)
}

fn read_file(f: &Found, settings: &Settings, fallback_year: i32, facts: &mut Facts) -> Outcome {
    if let Some(why) = &f.skip {
        return Outcome::Ignored(why.clone());
    }
    if let Some(why) = &f.unreadable {
        return Outcome::Unreadable(why.clone());
    }
    if let Ok(m) = std::fs::metadata(&f.path) {
        facts.bytes = m.len();
        facts.modified = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs() as i64);
    }
    if let Some(member) = &f.member {
        // A member of an archive: its own size and time, its bytes unpacked from the archive.
        facts.bytes = member.size;
        facts.modified = member.modified.unwrap_or(facts.modified);
        let name = f.rel.rsplit('/').next().unwrap_or(&f.rel).to_string();
        if is_lock_file(&name) {
            return Outcome::Ignored("Office 临时锁定文件（打开表格时自动生成），不是报表".into());
        }
        return match crate::read::archive::member_bytes(&f.path, member, settings.max_file_bytes) {
            Ok(bytes) => read_content(&f.rel, bytes, &name, settings, fallback_year, facts),
            Err(e) => Outcome::Unreadable(e.reason()),
        };
    }
    let name = f.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if is_lock_file(&name) {
        return Outcome::Ignored("Office 临时锁定文件（打开表格时自动生成），不是报表".into());
    }
    if facts.bytes > settings.max_file_bytes {
        return Outcome::Unreadable(format!(
            "文件大小 {} 字节，超过单个文件上限 {} 字节（可在配置文件 max_file_bytes 调整）",
            facts.bytes, settings.max_file_bytes
        ));
    }
    match std::fs::read(&f.path) {
        Ok(bytes) => read_content(&f.rel, bytes, &name, settings, fallback_year, facts),
        Err(e) => Outcome::Unreadable(format!("无法打开文件：{e}")),
    }
}

/// The grids of a spreadsheet as the run reads them (guards, time budget, code page), for a
/// copy annotated for its submitter (`huizong check --annotate`); `None` when it cannot be
/// read or is not a spreadsheet.
pub fn spreadsheet_grids(bytes: Vec<u8>, settings: &Settings, rel: &str) -> Option<Workbook> {
    let format = format::sniff(&bytes);
    if !format.is_spreadsheet() || structure_problem(&bytes, format, settings).is_some() {
        return None;
    }
    open_book(bytes, format, settings, rel).ok().map(|(book, _)| book)
}

/// Read a file's content as if it were at `rel`: the whole per-file path after the file
/// system (the fuzz target's entry point).
pub fn read_bytes(rel: &str, bytes: Vec<u8>, settings: &Settings, fallback_year: i32) -> FileRecord {
    let mut facts = Facts { bytes: bytes.len() as u64, ..Facts::default() };
    let name = rel.rsplit('/').next().unwrap_or(rel).to_string();
    let outcome = read_content(rel, bytes, &name, settings, fallback_year, &mut facts);
    record(rel, facts, outcome)
}

fn read_content(rel: &str, bytes: Vec<u8>, name: &str, settings: &Settings, fallback_year: i32, facts: &mut Facts) -> Outcome {
    facts.sha256 = format!("{:x}", Sha256::digest(&bytes));
    let format = format::sniff(&bytes);
    facts.format = Some(format);
    if format == Format::Other {
        return match format::not_a_spreadsheet(&bytes, name) {
            format::NotRead::Ignored(why) => Outcome::Ignored(why),
            format::NotRead::Unreadable(why) => Outcome::Unreadable(why),
        };
    }
    if let Some(why) = structure_problem(&bytes, format, settings) {
        return Outcome::Unreadable(why);
    }
    let (book, mut findings) = match open_book(bytes, format, settings, rel) {
        Ok(read) => read,
        Err(unreadable) => return unreadable,
    };
    match catch_unwind(AssertUnwindSafe(|| extract::forms_of(&book, rel, name, settings, fallback_year))) {
        Ok(mut extracted) => {
            findings.append(&mut extracted.findings);
            if extracted.forms.is_empty() {
                // A workbook that holds no form is simply unrecognised: nothing in its cells is
                // anybody's to fix (a sheet with a form's title but no table still says so).
                findings.retain(|f| f.location.at == crate::findings::At::Whole);
            }
            Outcome::Read { forms: extracted.forms, findings, broken: extracted.broken, sheets: book.sheets.len() }
        }
        Err(_) => Outcome::Unreadable("识别表格时发生内部错误：请将此文件转交开发人员".into()),
    }
}

/// The guards, before calamine sees the bytes.
fn structure_problem(bytes: &[u8], format: Format, settings: &Settings) -> Option<String> {
    if format == Format::Doc {
        // The document's streams are read with the guard's bounded walk; only a damaged
        // container is refused here.
        return match guards::ole2_problem(bytes) {
            Some(guards::Ole2Problem::Damaged(why)) => Some(format!("文件已损坏或不完整，无法读取（{why}）：请重新保存后再报送")),
            _ => None,
        };
    }
    if format == Format::Xls {
        return guards::ole2_problem(bytes).map(|problem| match problem {
            guards::Ole2Problem::Protected => ReadError::Protected.reason(),
            guards::Ole2Problem::NotWorkbook(what) => what.to_string(),
            guards::Ole2Problem::TooLarge(what) => {
                format!("工作表太大（{what}），超过读取上限，未读取：报表只有几百个单元格，如确是报表，请删去多余的行列后另存为 .xlsx 再报送")
            }
            guards::Ole2Problem::Damaged(why) => format!("文件已损坏或不完整，无法读取（{why}）：请重新保存后再报送"),
        });
    }
    if format.is_zip() {
        if let Some((declared, ratio)) = guards::zip_declared_size(bytes) {
            if declared > settings.max_unzipped_bytes || ratio > 1000 {
                return Some(format!(
                    "文件声明解压后有 {declared} 字节（最大压缩比 {ratio}:1），超过上限 {} 字节或 1000:1，疑似“压缩炸弹”，未读取（上限可在配置文件 max_unzipped_bytes 调整）",
                    settings.max_unzipped_bytes
                ));
            }
        }
    }
    None
}

/// A fault the tests can ask for while one file is read, to prove that a panic or a stall is
/// contained to that file: `HUIZONG_TEST_FAULT=panic:<path>` or `stall:<path>`. Compiled only
/// with the `fault-injection` feature, which the test support turns on.
#[cfg(feature = "fault-injection")]
fn injected_fault(rel: &str) -> Option<String> {
    std::env::var("HUIZONG_TEST_FAULT").ok().and_then(|f| f.strip_suffix(rel).map(str::to_string))
}

#[cfg(not(feature = "fault-injection"))]
fn injected_fault(_rel: &str) -> Option<String> {
    None
}

type ReadResult = (std::thread::Result<Result<Workbook, ReadError>>, Vec<u8>);

/// Read the workbook with calamine inside `catch_unwind`, within the limits, and repair a
/// wrong code page; the bytes are dropped as soon as the workbook is in memory. A file that
/// cannot be read is `Err(Outcome::Unreadable)`.
fn open_book(bytes: Vec<u8>, format: Format, settings: &Settings, rel: &str) -> Result<(Workbook, Vec<Finding>), Outcome> {
    let budget = Duration::from_secs(settings.max_seconds_per_file);
    let limits = Limits { max_cells_per_sheet: settings.max_cells_per_sheet, deadline: Some(Instant::now() + budget), ..Limits::default() };
    let fault = injected_fault(rel);
    let codepage = settings.codepage;
    let read = move |bytes: Vec<u8>| -> ReadResult {
        let result = catch_unwind(AssertUnwindSafe(|| {
            match fault.as_deref() {
                Some("panic:") => panic!("test panic requested for this file"),
                Some("stall:") => std::thread::sleep(Duration::from_secs(30)),
                _ => {}
            }
            workbook::read(&bytes, format, limits, codepage)
        }));
        (result, bytes)
    };
    // xlsx cells are streamed under the deadline above. calamine parses .xls and .ods whole,
    // beyond its reach, so those are read on a thread of their own: if the read overruns the
    // budget the run stops waiting and moves on (the thread finishes or dies with the process).
    // A thread per file costs about 0.2 ms, so xlsx (and xlsb, streamed the same way), the
    // common case, is read inline.
    let received = if format.streams_cells() { Ok(read(bytes)) } else { read_watched(read, bytes, budget)? };
    let why = match received {
        Ok((Ok(Ok(book)), bytes)) => return Ok(codepage::fix_code_page(book, &bytes, format, limits, codepage, rel)),
        Ok((Ok(Err(e)), _)) => e.reason(),
        Ok((Err(_), _)) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            "读取时发生内部错误（读取程序崩溃）：文件可能已损坏，或用了本工具读不了的写法。请用 Excel 或 WPS 打开后另存为 .xlsx 再报送".into()
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            format!("读取超过 {} 秒仍未完成，已放弃（文件可能异常庞大或已损坏；上限可在配置文件 max_seconds_per_file 调整）", settings.max_seconds_per_file)
        }
    };
    Err(Outcome::Unreadable(why))
}

/// Run `read` on a thread of its own and wait at most the budget (and a little grace).
fn read_watched(
    read: impl FnOnce(Vec<u8>) -> ReadResult + Send + 'static,
    bytes: Vec<u8>,
    budget: Duration,
) -> Result<Result<ReadResult, std::sync::mpsc::RecvTimeoutError>, Outcome> {
    let (send, receive) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new().name("huizong-read".into()).spawn(move || {
        let _ = send.send(read(bytes));
    });
    let Ok(handle) = spawned else {
        return Err(Outcome::Unreadable("读取时发生内部错误（无法启动读取线程）：请稍后重试".into()));
    };
    let received = receive.recv_timeout(budget + Duration::from_secs(1));
    if !matches!(received, Err(std::sync::mpsc::RecvTimeoutError::Timeout)) {
        // The thread has sent (or died): reap it rather than leave it detached.
        let _ = handle.join();
    }
    Ok(received)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_and_reason_are_decided_from_the_outcome() {
        let read = |broken: Vec<String>| Outcome::Read { forms: vec![], findings: vec![], broken, sheets: 2 };
        let r = record("a.xlsx", Facts::default(), read(vec![]));
        assert_eq!((r.status, r.reason.as_str()), (FileStatus::Unrecognized, "2个工作表中都没有找到附件1自查表或附件2月度汇总表"));
        let r = record("a.xlsx", Facts::default(), read(vec!["工作表“S”：缺表头".into()]));
        assert_eq!((r.status, r.reason.as_str()), (FileStatus::Unrecognized, "工作表“S”：缺表头"));
        let r = record("a.xlsx", Facts::default(), Outcome::Unreadable("坏了".into()));
        assert_eq!((r.status, r.format), (FileStatus::Unreadable, Format::Other));
    }

    #[test]
    fn bytes_that_are_no_spreadsheet() {
        let settings = Settings::default();
        let r = read_bytes("说明.txt", b"hello".to_vec(), &settings, 2021);
        assert_eq!(r.status, FileStatus::Ignored);
        let r = read_bytes("空.xlsx", vec![], &settings, 2021);
        assert_eq!((r.status, r.reason.as_str()), (FileStatus::Unreadable, "空文件（0 字节）"));
        let r = read_bytes("图.xls", b"\x89PNG\r\n\x1a\n....".to_vec(), &settings, 2021);
        assert_eq!(r.status, FileStatus::Unreadable);
        assert!(r.reason.contains("图片"), "{}", r.reason);
        assert_eq!(r.sha256.len(), 64);
    }
}
