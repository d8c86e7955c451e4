//! The machine contract: the tidy frames as Parquet under `OUTPUT/tables/`, and
//! `OUTPUT/summary.json`. Every file is written to a temporary name and renamed into place,
//! so a run killed half-way leaves the previous outputs whole.

use crate::consolidate::Consolidated;
use crate::model::{FileStatus, Form, ItemStatus, Severity};
use polars::prelude::DataFrame;
use polars_io::parquet::write::ParquetWriter;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Write `bytes` to `path` through a temporary file in the same folder.
///
/// # Errors
/// The I/O error, with the path in the message.
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        write(&mut file)?;
        file.flush()?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| std::io::Error::new(e.kind(), format!("{}：{e}", path.display())))
}

/// Write the six Parquet tables.
///
/// # Errors
/// The first table that could not be written.
pub fn write_tables(c: &Consolidated, out: &Path) -> std::io::Result<Vec<PathBuf>> {
    let dir = out.join("tables");
    std::fs::create_dir_all(&dir)?;
    let frames: [(&str, &DataFrame); 6] = [
        ("files", &c.frames.files),
        ("items", &c.frames.items),
        ("monthly", &c.frames.monthly),
        ("district", &c.frames.district),
        ("findings", &c.frames.findings),
        ("missing", &c.frames.missing),
    ];
    let mut written = Vec::new();
    for (name, frame) in frames {
        let path = dir.join(format!("{name}.parquet"));
        let mut frame = frame.clone();
        write_atomic(&path, |file| {
            ParquetWriter::new(file).finish(&mut frame).map(|_| ()).map_err(|e| std::io::Error::other(e.to_string()))
        })?;
        written.push(path);
    }
    Ok(written)
}

/// `summary.json` (SPEC §4.3).
#[derive(Debug, Serialize)]
pub struct Summary {
    pub district: String,
    pub month: String,
    pub as_of: String,
    pub files: BTreeMap<String, usize>,
    pub files_total: usize,
    pub forms: BTreeMap<String, usize>,
    pub items: BTreeMap<String, usize>,
    pub findings: BTreeMap<String, usize>,
    pub missing: BTreeMap<String, usize>,
    pub workbook: String,
}

pub fn summary(c: &Consolidated, district: &str, workbook: &str) -> Summary {
    let mut files = BTreeMap::new();
    for s in FileStatus::ALL {
        files.insert(s.name().to_string(), c.files.iter().filter(|f| f.status == s).count());
    }
    let mut forms = BTreeMap::from([("self_check".to_string(), 0), ("monthly".to_string(), 0), ("superseded".to_string(), 0)]);
    for f in &c.files {
        for (form, s) in f.forms.iter().zip(&f.superseded) {
            let key = if s.is_some() {
                "superseded"
            } else if matches!(form, Form::SelfCheck(_)) {
                "self_check"
            } else {
                "monthly"
            };
            *forms.entry(key.to_string()).or_default() += 1;
        }
    }
    let mut items = BTreeMap::new();
    for s in ItemStatus::ALL {
        items.insert(s.name().to_string(), c.self_checks().flat_map(|f| &f.items).filter(|i| i.status == s).count());
    }
    let mut findings = BTreeMap::new();
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        findings.insert(s.name().to_string(), c.findings.iter().filter(|f| f.severity == s).count());
    }
    let missing = BTreeMap::from([
        ("project".to_string(), c.missing.iter().filter(|m| m.kind == "project").count()),
        ("unit".to_string(), c.missing.iter().filter(|m| m.kind == "unit").count()),
    ]);
    Summary {
        district: district.to_string(),
        month: c.month.clone(),
        as_of: c.as_of.format("%Y-%m-%d").to_string(),
        files,
        files_total: c.files.len(),
        forms,
        items,
        findings,
        missing,
        workbook: workbook.to_string(),
    }
}

/// Write `summary.json`.
///
/// # Errors
/// The I/O error.
pub fn write_summary(summary: &Summary, out: &Path) -> std::io::Result<()> {
    let json = serde_json::to_string_pretty(summary).map_err(std::io::Error::other)?;
    write_atomic(&out.join("summary.json"), |f| f.write_all(json.as_bytes()))
}
