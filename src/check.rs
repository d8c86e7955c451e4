//! `huizong check FILE...` (`docs/contract.md`, "Other commands and the replies"): each file read exactly as the run reads it and checked on
//! its own (the rules of one return: statuses, 附件2 consistency), its findings grouped by form
//! in Chinese, as JSON for other tools, and, with `--annotate`, a copy of each spreadsheet for
//! its submitter with the bad cells coloured and the message in a note.

use crate::config::Settings;
use crate::error::Error;
use crate::findings::{Finding, Severity};
use crate::forms::file::FileStatus;
use crate::forms::Form;
use crate::ingest;
use crate::read::discover::Found;
use crate::rules;
use crate::rules::Settled;
use chrono::{Datelike, NaiveDate};
use std::path::{Path, PathBuf};

/// One file checked.
pub struct Checked {
    /// The path as given.
    pub path: PathBuf,
    /// The file as read, with the verdict of the rules of one return.
    pub record: Settled,
    /// The findings about this file, sorted by sheet and cell.
    pub findings: Vec<Finding>,
}

impl Checked {
    /// Errors in this file.
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == Severity::Error).count()
    }

    /// Warnings in this file.
    pub fn warnings(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == Severity::Warning).count()
    }

    /// Whether the return would be sent back (退回修改): it has an error or a warning to fix.
    pub fn sent_back(&self) -> bool {
        self.errors() + self.warnings() > 0
    }
}

/// Read and check one file. A 附件2 is checked as of its own month; anything else as of the
/// month before `as_of`.
pub fn check_file(path: &Path, settings: &Settings, as_of: NaiveDate) -> Checked {
    let rel = path.to_string_lossy().replace('\\', "/");
    let found = Found::file(path.to_path_buf(), rel.clone());
    let record = ingest::read_one(&found, settings, as_of.year());
    // The month this return is for, by the run's own rule (its 附件2 month line, its 附件1 fill
    // date), the month before `as_of` when it says none.
    let month = rules::month::choose(std::slice::from_ref(&record), None, crate::run::default_month(as_of)).month();
    let c = rules::consolidate(vec![record], &rules::level::Level::of(settings), month, as_of, None, &rules::Past::default());
    // District-level findings (a stock source that did not report) are not about this file.
    let mut findings: Vec<Finding> = c.findings.into_iter().filter(|f| f.location.path == rel).collect();
    crate::findings::reading_order(&mut findings);
    let record = c.files.into_iter().next().expect("the file checked");
    Checked { path: path.to_path_buf(), record, findings }
}

/// What a form is, for the heading of its findings: `附件1 自查表（梨园小区）`.
fn form_title(form: &Form) -> String {
    match form {
        Form::SelfCheck(s) => format!("附件1 自查表（{}）", if s.project.is_empty() { "未写项目名称" } else { &s.project }),
        Form::Monthly(m) => format!("附件2 月度工作汇总表（{} {}）", if m.unit.is_empty() { "未写单位" } else { &m.unit }, m.month_text()),
    }
}

/// The Chinese report: per file, its result, then its findings grouped by form (file-level
/// findings first), each with where it is and what to write instead.
pub fn text_report(checked: &[Checked]) -> String {
    let mut o = String::new();
    for c in checked {
        let r = &c.record;
        let counts = |s: Severity| c.findings.iter().filter(|f| f.severity == s).count();
        o.push_str(&format!("■ {}\n", c.path.display()));
        match r.status {
            FileStatus::Consolidated | FileStatus::Superseded => o.push_str(&format!(
                "  {}：错误 {}，警告 {}，提示 {}\n",
                r.forms().iter().map(form_title).collect::<Vec<_>>().join("、"),
                counts(Severity::Error),
                counts(Severity::Warning),
                counts(Severity::Info)
            )),
            _ => o.push_str(&format!("  {}：{}\n", r.status.label(), r.reason)),
        }
        let mut groups: Vec<(String, Vec<&Finding>)> = Vec::new();
        for f in &c.findings {
            let part = f.location.part_name();
            let title = r.forms().iter().find(|form| form.source().part_name() == part && !part.is_empty()).map(form_title).unwrap_or_else(|| {
                if part.is_empty() {
                    "整个文件".to_string()
                } else {
                    format!("“{part}”")
                }
            });
            match groups.iter_mut().find(|(t, _)| *t == title) {
                Some((_, g)) => g.push(f),
                None => groups.push((title, vec![f])),
            }
        }
        for (title, findings) in groups {
            if r.status == FileStatus::Consolidated || title != "整个文件" {
                o.push_str(&format!("  【{title}】\n"));
            }
            for f in findings {
                if f.location.part_name().is_empty() && !matches!(r.status, FileStatus::Consolidated | FileStatus::Superseded) {
                    continue; // said on the status line
                }
                o.push_str(&format!("    [{}] {} {}：{}\n", f.severity.label(), f.location.place_text(), f.field, f.message));
            }
        }
        if c.findings.is_empty() && r.status == FileStatus::Consolidated {
            o.push_str("  没有发现问题\n");
        }
    }
    let errors: usize = checked.iter().map(Checked::errors).sum();
    let warnings: usize = checked.iter().map(Checked::warnings).sum();
    let back = checked.iter().filter(|c| c.sent_back()).count();
    o.push_str("（单独检查一个文件，核对不了与上月累积数、与存量指标来源单位的比较，这些在汇总时才核对。）\n");
    if back == 0 {
        o.push_str(&format!("共检查 {} 个文件，没有错误和警告，不需要修改。\n", checked.len()));
    } else {
        o.push_str(&format!(
            "共检查 {} 个文件，{} 个文件需要修改（错误 {} 处，警告 {} 处），汇总时会退回修改：请按上面的说明修改后重新报送。\n",
            checked.len(),
            back,
            errors,
            warnings
        ));
    }
    o
}

/// The same as JSON: one object per file with its status, forms and findings (the columns of
/// the `findings` table).
pub fn json_report(checked: &[Checked]) -> serde_json::Value {
    let files: Vec<serde_json::Value> = checked
        .iter()
        .map(|c| {
            let findings: Vec<serde_json::Value> = c
                .findings
                .iter()
                .map(|f| {
                    let (sheet, cell) = f.location.columns();
                    serde_json::json!({
                        "severity": f.severity.name(), "code": f.code.as_str(), "sheet": sheet, "cell": cell,
                        "field": f.field, "value": f.value, "message": f.message_text(),
                    })
                })
                .collect();
            serde_json::json!({
                "path": c.path.display().to_string(),
                "format": c.record.format.name(),
                "status": c.record.status.name(),
                "reason": c.record.reason,
                "forms": c.record.forms().iter().map(form_title).collect::<Vec<_>>(),
                "errors": c.errors(),
                "warnings": c.warnings(),
                "sent_back": c.sent_back(),
                "findings": findings,
            })
        })
        .collect();
    serde_json::json!({
        "files": files,
        "errors": checked.iter().map(Checked::errors).sum::<usize>(),
        "warnings": checked.iter().map(Checked::warnings).sum::<usize>(),
        "sent_back": checked.iter().filter(|c| c.sent_back()).count(),
    })
}

/// For each checked spreadsheet with findings, its annotated copy in `dir` (never over the
/// original).
///
/// # Errors
/// The folder or a copy cannot be written, or the copy cannot be built (a bug).
pub fn annotate_all(checked: &[Checked], settings: &Settings, dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(Error::output(format!("无法创建文件夹“{}”", dir.display())))?;
    for c in checked.iter().filter(|c| !c.findings.is_empty()) {
        let Ok(bytes) = std::fs::read(&c.path) else { continue };
        let Some(book) = ingest::spreadsheet_grids(bytes, settings, &c.record.rel) else { continue };
        let copy =
            crate::output::annotate::annotated(&book, &c.findings).map_err(|e| Error::Internal { what: "生成标注副本".into(), why: e.to_string() })?;
        let target = dir.join(annotated_name(&c.path));
        if std::fs::canonicalize(&target).ok() == std::fs::canonicalize(&c.path).ok() {
            continue; // never the original
        }
        crate::output::tables::write_atomic(&target, |f| std::io::Write::write_all(f, &copy))
            .map_err(Error::output(format!("无法写入“{}”", target.display())))?;
    }
    Ok(())
}

/// The name of a file's annotated copy: `梨园小区_待修改（请按批注修改）.xlsx`, never the
/// original's.
pub fn annotated_name(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    format!("{stem}_待修改（请按批注修改）.xlsx")
}
