//! One file from bytes to forms and findings, and the parallel loop over all files.
//! A failure inside one file, even a panic in a reader, becomes that file's status and
//! reason; it never stops the run.

use crate::config::Settings;
use crate::discover::{self, Format, Found};
use crate::model::{FileRecord, FileStatus, Finding, Form, Place, Severity};
use crate::recognise::{classify, Kind};
use crate::workbook::{self, Limits};
use crate::{form1, form2, validate};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// Read every found file in parallel; the result is in the order of `found` (sorted paths),
/// whatever the thread timing.
pub fn read_all(found: &[Found], settings: &Settings, fallback_year: i32, roster: Option<&Path>, progress: &(dyn Fn() + Sync)) -> Vec<FileRecord> {
    let roster = roster.and_then(|r| std::fs::canonicalize(r).ok());
    found
        .par_iter()
        .map(|f| {
            let is_roster = roster.is_some() && std::fs::canonicalize(&f.path).ok() == roster;
            let record = if is_roster {
                let mut rec = blank_record(f);
                rec.reason = "这是应报项目名册（--roster 指定），不是报表".into();
                rec
            } else {
                read_one(f, settings, fallback_year)
            };
            progress();
            record
        })
        .collect()
}

fn blank_record(f: &Found) -> FileRecord {
    FileRecord {
        rel: f.rel.clone(),
        format: Format::Other.name().into(),
        bytes: 0,
        sha256: String::new(),
        modified: 0,
        status: FileStatus::Ignored,
        reason: String::new(),
        forms: vec![],
        superseded: vec![],
        findings: vec![],
    }
}

/// Read one file into a record.
pub fn read_one(f: &Found, settings: &Settings, fallback_year: i32) -> FileRecord {
    let mut rec = blank_record(f);
    if let Some(why) = &f.skip {
        rec.reason = why.clone();
        return rec;
    }
    let meta = std::fs::metadata(&f.path);
    if let Ok(m) = &meta {
        rec.bytes = m.len();
        rec.modified = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs() as i64);
    }
    let name = f.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if name.starts_with("~$") || name.starts_with(".~lock") {
        rec.reason = "Office 临时锁定文件（打开表格时自动生成），不是报表".into();
        return rec;
    }
    if rec.bytes > settings.max_file_bytes {
        rec.status = FileStatus::Unreadable;
        rec.reason = format!("文件大小 {} 字节，超过单个文件上限 {} 字节（可在配置文件 max_file_bytes 调整）", rec.bytes, settings.max_file_bytes);
        return rec;
    }
    let bytes = match std::fs::read(&f.path) {
        Ok(b) => b,
        Err(e) => {
            rec.status = FileStatus::Unreadable;
            rec.reason = format!("无法打开文件：{e}");
            return rec;
        }
    };
    read_content(&mut rec, bytes, &name, settings, fallback_year);
    rec
}

/// Read a file's content as if it were at `rel`: the whole per-file path after the file
/// system (the fuzz target's entry point).
pub fn read_bytes(rel: &str, bytes: Vec<u8>, settings: &Settings, fallback_year: i32) -> FileRecord {
    let found = Found { path: rel.into(), rel: rel.into(), skip: None };
    let mut rec = blank_record(&found);
    rec.bytes = bytes.len() as u64;
    let name = rel.rsplit('/').next().unwrap_or(rel).to_string();
    read_content(&mut rec, bytes, &name, settings, fallback_year);
    rec
}

fn read_content(rec: &mut FileRecord, bytes: Vec<u8>, name: &str, settings: &Settings, fallback_year: i32) {
    rec.sha256 = format!("{:x}", Sha256::digest(&bytes));
    let mut format = discover::sniff(&bytes);
    // The macro flag sits inside compressed XML; the name is the cheap and usual tell.
    if format == Format::Xlsx && name.to_lowercase().ends_with(".xlsm") {
        format = Format::Xlsm;
    }
    rec.format = format.name().into();
    if format == Format::Other {
        (rec.status, rec.reason) = not_a_spreadsheet(&bytes, name);
        return;
    }
    if let Some(why) = structure_problem(&bytes, format, settings) {
        rec.status = FileStatus::Unreadable;
        rec.reason = why;
        return;
    }
    let book = match open_book(bytes, format, settings, &rec.rel) {
        Ok((book, mut notes)) => {
            rec.findings.append(&mut notes);
            book
        }
        Err(why) => {
            rec.status = FileStatus::Unreadable;
            rec.reason = why;
            return;
        }
    };
    match catch_unwind(AssertUnwindSafe(|| extract_forms(&book, &rec.rel, name, settings, fallback_year))) {
        Ok((forms, mut findings, broken)) => {
            rec.findings.append(&mut findings);
            if forms.is_empty() {
                rec.status = FileStatus::Unrecognized;
                rec.reason = if broken.is_empty() {
                    format!("{}个工作表中都没有找到附件1自查表或附件2月度汇总表", book.sheets.len())
                } else {
                    broken.join("；")
                };
            } else {
                rec.status = FileStatus::Consolidated;
                rec.superseded = vec![None; forms.len()];
                rec.forms = forms;
                rec.reason = broken.join("；");
            }
        }
        Err(_) => {
            rec.status = FileStatus::Unreadable;
            rec.reason = "识别表格时发生内部错误：请将此文件转交开发人员".into();
        }
    }
}

/// Status and reason for a file whose bytes are no spreadsheet: unreadable if its name says
/// it should be one, ignored otherwise (a `.txt`, a picture saved as such).
fn not_a_spreadsheet(bytes: &[u8], name: &str) -> (FileStatus, String) {
    let why = discover::describe_other(bytes);
    let lower = name.to_lowercase();
    let looks_like_sheet = ["xlsx", "xlsm", "xls", "ods", "et", "ett", "xlt", "xltx"].iter().any(|ext| lower.ends_with(&format!(".{ext}")));
    if !looks_like_sheet {
        (FileStatus::Ignored, why.to_string())
    } else if why.starts_with("不是电子表格文件") {
        (FileStatus::Unreadable, format!("扩展名是表格，但{why}：文件可能已损坏，请重新保存后报送"))
    } else if bytes.is_empty() {
        (FileStatus::Unreadable, why.to_string())
    } else {
        (FileStatus::Unreadable, format!("扩展名是表格，但{why}"))
    }
}

/// Checks made before calamine sees the bytes, for the files that would make it loop or
/// allocate without bound: a damaged OLE2 structure, a zip bomb.
fn structure_problem(bytes: &[u8], format: Format, settings: &Settings) -> Option<String> {
    if format == Format::Xls {
        if let Some(problem) = discover::ole2_problem(bytes) {
            return Some(format!("文件已损坏或不完整，无法读取（{problem}）：请重新保存后再报送"));
        }
    }
    if matches!(format, Format::Xlsx | Format::Xlsm | Format::Ods) {
        if let Some((declared, ratio)) = discover::zip_declared_size(bytes) {
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

/// Read the workbook with calamine inside `catch_unwind`, within the limits, and repair a
/// wrong code page; the bytes are dropped as soon as the workbook is in memory.
fn open_book(bytes: Vec<u8>, format: Format, settings: &Settings, rel: &str) -> Result<(workbook::Workbook, Vec<Finding>), String> {
    let budget = std::time::Duration::from_secs(settings.max_seconds_per_file);
    let limits = Limits {
        max_cells_per_sheet: settings.max_cells_per_sheet,
        deadline: Some(std::time::Instant::now() + budget),
        ..Limits::default()
    };
    // Lets the tests prove that a panic or a stall while reading one file is contained to that
    // file: HUIZONG_TEST_FAULT=panic:<path> or stall:<path>.
    let fault = std::env::var("HUIZONG_TEST_FAULT").ok().and_then(|f| f.strip_suffix(rel).map(str::to_string));
    let codepage = settings.codepage;
    let read = move |bytes: Vec<u8>| {
        let result = catch_unwind(AssertUnwindSafe(|| {
            match fault.as_deref() {
                Some("panic:") => panic!("test panic requested for this file"),
                Some("stall:") => std::thread::sleep(std::time::Duration::from_secs(30)),
                _ => {}
            }
            workbook::read(&bytes, format, limits, codepage)
        }));
        (result, bytes)
    };
    // xlsx cells are streamed under the deadline above. calamine parses .xls and .ods whole,
    // beyond its reach, so those are read on a thread of their own: if the read overruns the
    // budget the run stops waiting and moves on (the thread finishes or dies with the process).
    // A thread per file costs about 0.2 ms, so xlsx, the common case, is read inline.
    let received = if matches!(format, Format::Xlsx | Format::Xlsm) {
        Ok(read(bytes))
    } else {
        let (send, receive) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new().name("huizong-read".into()).spawn(move || {
            let _ = send.send(read(bytes));
        });
        let Ok(handle) = spawned else {
            return Err("读取时发生内部错误（无法启动读取线程）：请稍后重试".into());
        };
        // A little grace beyond the budget.
        let received = receive.recv_timeout(budget + std::time::Duration::from_secs(1));
        if !matches!(received, Err(std::sync::mpsc::RecvTimeoutError::Timeout)) {
            // The thread has sent (or died): reap it rather than leave it detached.
            let _ = handle.join();
        }
        received
    };
    match received {
        Ok((Ok(Ok(book)), bytes)) => Ok(fix_code_page(book, &bytes, format, limits, codepage, rel)),
        Ok((Ok(Err(e)), _)) => Err(e.reason()),
        Ok((Err(_), _)) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            Err("读取时发生内部错误（读取程序崩溃），文件可能已损坏：请重新保存后报送".into())
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "读取超过 {} 秒仍未完成，已放弃（文件可能异常庞大或已损坏；上限可在配置文件 max_seconds_per_file 调整）",
            settings.max_seconds_per_file
        )),
    }
}

/// Garbled cells of a workbook: (sheet, row, col, text).
fn garbled_cells(book: &workbook::Workbook) -> Vec<(String, u32, u32, String)> {
    let mut out = Vec::new();
    for sheet in &book.sheets {
        for (&(r, c), v) in &sheet.cells {
            if let workbook::Value::Text(t) = v {
                if crate::clean::looks_garbled(t) {
                    out.push((sheet.name.clone(), r, c, t.clone()));
                }
            }
        }
    }
    out
}

/// Legacy `.xls` files store text in a code page; a wrong or missing one garbles every
/// Chinese cell. If the text looks garbled, read again as GBK (936) and keep whichever reads
/// clean; otherwise say so at the cells, never pass mojibake on silently.
fn fix_code_page(book: workbook::Workbook, bytes: &[u8], format: Format, limits: Limits, forced: Option<u16>, rel: &str) -> (workbook::Workbook, Vec<Finding>) {
    let garbled = garbled_cells(&book);
    if garbled.is_empty() {
        return (book, vec![]);
    }
    if format == Format::Xls && forced.is_none() {
        if let Ok(Ok(retry)) = catch_unwind(AssertUnwindSafe(|| workbook::read(bytes, format, limits, Some(936)))) {
            if garbled_cells(&retry).is_empty() {
                let place = Place { path: rel.to_string(), sheet: String::new() };
                let note = place.finding(Severity::Warning, "text.codepage_guessed", "", "编码", &garbled[0].3,
                    "文件的字符编码标记有误，已按 GBK（代码页936）读取，文字显示正常".into());
                return (retry, vec![note]);
            }
        }
    }
    // GBK bytes read as Latin-1 / Windows-1252 (8-bit strings under a wrong code page, in any
    // format): reverse the mistake. The clearly garbled cells decide whether the workbook is
    // affected; then every cell with such characters is mended, including short ones mixed
    // with digits (`»ÆÃô 18604806358`) that the detector alone would let pass.
    let mut book = book;
    if garbled.iter().all(|(_, _, _, t)| crate::clean::repair_gbk_mojibake(t).is_some()) {
        let mut mended = 0;
        for sheet in &mut book.sheets {
            for v in sheet.cells.values_mut() {
                if let workbook::Value::Text(t) = v {
                    if t.chars().any(|c| ('\u{80}'..='\u{FF}').contains(&c) || "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".contains(c)) {
                        if let Some(fixed) = crate::clean::repair_gbk_mojibake(t) {
                            *t = fixed;
                            mended += 1;
                        }
                    }
                }
            }
        }
        let place = Place { path: rel.to_string(), sheet: garbled[0].0.clone() };
        let note = place.finding(Severity::Warning, "text.codepage_guessed", &workbook::a1(garbled[0].1, garbled[0].2), "编码", &garbled[0].3,
            format!("{mended}个单元格的文字是按错误编码保存的 GBK 中文，已自动纠正：请核对，最好用 Excel 或 WPS 另存为 .xlsx 后报送"));
        return (book, vec![note]);
    }
    let findings = garbled
        .iter()
        .map(|(sheet, r, c, t)| {
            let place = Place { path: rel.to_string(), sheet: sheet.clone() };
            place.finding(Severity::Error, "text.garbled", &workbook::a1(*r, *c), "", t,
                "文字是乱码（字符编码不对）：请用 Excel 或 WPS 重新另存为 .xlsx 后报送；旧版 .xls 可尝试 --codepage 936".into())
        })
        .collect();
    (book, findings)
}

type Extracted = (Vec<Form>, Vec<Finding>, Vec<String>);

fn extract_forms(book: &workbook::Workbook, rel: &str, file_name: &str, settings: &Settings, fallback_year: i32) -> Extracted {
    let mut forms = Vec::new();
    let mut findings = Vec::new();
    let mut broken = Vec::new();
    for sheet in &book.sheets {
        let place = Place { path: rel.to_string(), sheet: sheet.name.clone() };
        if sheet.truncated {
            findings.push(place.finding(Severity::Error, "sheet.too_large", "", "", "",
                format!("工作表超过读取上限（{} 个单元格、{} 行或 {} 秒），只读取了前面部分", settings.max_cells_per_sheet, Limits::default().max_row, settings.max_seconds_per_file)));
        }
        match classify(sheet) {
            Kind::SelfCheck { header_row } => {
                let (mut form, mut f) = form1::extract(sheet, header_row, &place, fallback_year);
                if sheet.hidden {
                    f.push(place.finding(Severity::Info, "sheet.hidden", "", "", "", "此表格在隐藏的工作表中，已照常读取".into()));
                }
                form.project = crate::clean::clean_text(&form.project);
                findings.append(&mut f);
                forms.push(Form::SelfCheck(form));
            }
            Kind::Monthly { header_row } => {
                let (mut form, mut f) = form2::extract(sheet, header_row, &place, file_name);
                match validate::canonical_unit(&form.unit_raw, &settings.district, &settings.units)
                    .or_else(|| validate::canonical_unit(file_name, &settings.district, &settings.units).filter(|_| form.unit_raw.is_empty()))
                {
                    Some(unit) => form.unit = unit,
                    None => {
                        form.unit = crate::clean::clean_text(&form.unit_raw);
                        if !form.unit.is_empty() {
                            f.push(place.finding(Severity::Warning, "unit.unknown", "", "单位", &form.unit_raw,
                                format!("报送单位“{}”不在配置的单位名单中：已按原名汇总，如是名单内单位请写全称", form.unit_raw)));
                        }
                    }
                }
                findings.append(&mut f);
                forms.push(Form::Monthly(form));
            }
            Kind::Broken { form, reason } => {
                findings.push(place.finding(Severity::Error, "form.unlocated", "", form, "", reason.clone()));
                broken.push(format!("工作表“{}”：{reason}", sheet.name));
            }
            Kind::None => {}
        }
    }
    (forms, findings, broken)
}
