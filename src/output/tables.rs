//! The machine contract: the tidy frames as Parquet under `OUTPUT/tables/`, and
//! `OUTPUT/summary.json`. Every file is written to a temporary name and renamed into place,
//! so a run killed half-way leaves the previous outputs whole.

use crate::rules::Consolidated;
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
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A temporary file is private (0600) by default; the outputs are shared documents, made
    // like any other new file (0666 less the umask).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let result = (|| {
        let mut tmp = builder.tempfile_in(dir)?;
        write(tmp.as_file_mut())?;
        tmp.as_file_mut().flush()?;
        tmp.as_file().sync_all()?;
        // Dropping the temporary file on any error above removes it.
        tmp.persist(path).map(|_| ()).map_err(|e| e.error)
    })();
    result.map_err(|e| std::io::Error::new(e.kind(), format!("{}：{e}", path.display())))
}

/// Write one Parquet table as `OUTPUT/tables/<name>.parquet`.
///
/// # Errors
/// The file system's, naming the file.
pub fn write_table(out: &Path, name: &str, frame: &mut polars::prelude::DataFrame) -> std::io::Result<PathBuf> {
    let dir = out.join("tables");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{name}.parquet"));
    write_atomic(&path, |file| ParquetWriter::new(file).finish(frame).map(|_| ()).map_err(|e| std::io::Error::other(e.to_string())))?;
    Ok(path)
}

/// `summary.json`: the counts of a run (docs/contract.md).
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
    /// Findings the clerk marked 已核实 or 已销号 in the previous workbook (included above).
    pub findings_handled: usize,
    pub missing: BTreeMap<String, usize>,
    /// The ledger at the end of the month (carried problems included): open, overdue (the
    /// run's 已逾期), closed this month, closed in all, closed by the clerk.
    pub ledger: BTreeMap<String, usize>,
    pub workbook: String,
}

pub fn summary(c: &Consolidated, district: &str, workbook: &str) -> Summary {
    let n = &c.counts;
    let named = |pairs: Vec<(&str, usize)>| pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<BTreeMap<_, _>>();
    Summary {
        district: district.to_string(),
        month: c.month.to_string(),
        as_of: c.as_of.format("%Y-%m-%d").to_string(),
        files: named(n.files.iter().map(|(s, v)| (s.name(), *v)).collect()),
        files_total: n.files_total,
        forms: named(vec![("self_check", n.self_checks), ("monthly", n.monthly_forms), ("superseded", n.superseded_forms)]),
        items: named(n.items.iter().map(|(s, v)| (s.name(), *v)).collect()),
        findings: named(n.findings.iter().map(|(s, v)| (s.name(), *v)).collect()),
        findings_handled: n.findings_handled,
        missing: named(n.missing.iter().map(|(k, v)| (k.name(), *v)).collect()),
        ledger: named(vec![
            ("open", n.ledger.open),
            ("overdue", n.ledger.overdue),
            ("closed_this_month", n.ledger.closed_this_month),
            ("closed_total", n.ledger.closed_total),
            ("closed_by_clerk", n.ledger.closed_by_clerk),
        ]),
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
