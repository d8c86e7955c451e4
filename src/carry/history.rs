//! The history store (`docs/contract.md`, "History"): every successful run leaves its tables under
//! `HISTORY/month=YYYY-MM/<table>.parquet` (Hive-style, so DuckDB, Spark or polars read every
//! month with one glob), and the next run reads last month's 附件2 back from it. Re-running a
//! month replaces that month's folder whole. Losing the store only loses the comparisons: a
//! month that cannot be read is said once and the run goes on.

use crate::findings::{At, Location};
use crate::forms::{IndicatorId, IndicatorValue, Month, Monthly};
use crate::layout::{Table, ADDED_COLUMNS, DISTRICT_COLUMNS, LEDGER_COLUMNS, MONTHLY_COLUMNS};
use crate::rules::ledger::{LedgerRow, LedgerState};
use crate::rules::trend::MonthPoint;
use crate::rules::DistrictRow;
use chrono::NaiveDate;
use polars::prelude::*;
use polars_io::prelude::{ParquetReader, ParquetWriter};
use polars_io::SerReader;
use std::path::{Path, PathBuf};

/// The folder of one month.
pub fn month_dir(history: &Path, month: Month) -> PathBuf {
    history.join(format!("month={month}"))
}

/// A month's partition being written: the tables go into a hidden folder beside the month's
/// folder, which replaces an earlier run of the same month only once the new one is complete.
pub struct Partition {
    fresh: PathBuf,
    target: PathBuf,
    old: PathBuf,
}

impl Partition {
    /// Start `month`'s partition.
    ///
    /// # Errors
    /// The file system's.
    pub fn begin(history: &Path, month: Month) -> std::io::Result<Partition> {
        std::fs::create_dir_all(history)?;
        let pid = std::process::id();
        let p = Partition {
            fresh: history.join(format!(".month={month}.{pid}.tmp")),
            target: month_dir(history, month),
            old: history.join(format!(".month={month}.{pid}.old")),
        };
        let _ = std::fs::remove_dir_all(&p.fresh);
        std::fs::create_dir_all(&p.fresh)?;
        Ok(p)
    }

    /// Write one table.
    ///
    /// # Errors
    /// The file system's, or polars'.
    pub fn add(&self, name: &str, frame: &mut DataFrame) -> std::io::Result<()> {
        let mut file = std::fs::File::create(self.fresh.join(format!("{name}.parquet")))?;
        ParquetWriter::new(&mut file).finish(frame).map_err(|e| std::io::Error::other(e.to_string()))?;
        file.sync_all()
    }

    /// Swap the complete partition in (dropped without this, the written tables are removed).
    ///
    /// # Errors
    /// The file system's, naming the folder.
    pub fn commit(self) -> std::io::Result<()> {
        let (fresh, target, old) = (&self.fresh, &self.target, &self.old);
        if target.exists() {
            std::fs::rename(target, old)?;
        }
        let swapped = std::fs::rename(fresh, target);
        if swapped.is_err() && old.exists() {
            // Put the earlier month back rather than leave none.
            let _ = std::fs::rename(old, target);
        }
        swapped.map_err(|e| std::io::Error::new(e.kind(), format!("{}：{e}", target.display())))?;
        let _ = std::fs::remove_dir_all(old);
        Ok(())
    }
}

impl Drop for Partition {
    fn drop(&mut self) {
        // Committed, the folder has been renamed away; otherwise it is an unfinished month.
        let _ = std::fs::remove_dir_all(&self.fresh);
    }
}

/// Why a stored table cannot be read: the file and what went wrong (shown as `path：why`).
#[derive(Debug)]
pub struct StoreError {
    pub path: PathBuf,
    pub why: String,
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}：{}", self.path.display(), self.why)
    }
}

impl std::error::Error for StoreError {}

/// A stored table, with its columns read as text or whole numbers; errors name the file.
struct Stored {
    path: PathBuf,
    df: DataFrame,
}

impl Stored {
    /// The stored `table` of the month folder `dir`, or `Ok(None)` when there is none; a
    /// table without every column the writer writes is an error naming the columns missing.
    fn open(dir: &Path, table: Table) -> Result<Option<Stored>, StoreError> {
        let path = dir.join(format!("{}.parquet", table.name()));
        if !path.exists() {
            return Ok(None);
        }
        let fail = |e: &dyn std::fmt::Display| StoreError { path: path.clone(), why: e.to_string() };
        let file = std::fs::File::open(&path).map_err(|e| fail(&e))?;
        let df = ParquetReader::new(file).finish().map_err(|e| fail(&e))?;
        let missing: Vec<&str> = table.columns().iter().filter(|c| df.column(c).is_err() && !ADDED_COLUMNS.contains(c)).copied().collect();
        if !missing.is_empty() {
            return Err(fail(&format!("缺少列 {}", missing.join("、"))));
        }
        Ok(Some(Stored { path, df }))
    }

    fn fail(&self, e: &dyn std::fmt::Display) -> StoreError {
        StoreError { path: self.path.clone(), why: e.to_string() }
    }

    fn column(&self, name: &str, to: &DataType) -> Result<Column, StoreError> {
        self.df.column(name).map_err(|e| self.fail(&e))?.cast(to).map_err(|e| self.fail(&e))
    }

    /// A column as text, nulls as ""; a column added since the table was written, all empty.
    fn text_or_empty(&self, name: &str) -> Result<Vec<String>, StoreError> {
        if self.df.column(name).is_err() && ADDED_COLUMNS.contains(&name) {
            return Ok(vec![String::new(); self.df.height()]);
        }
        self.text(name)
    }

    /// A column as text, nulls as "".
    fn text(&self, name: &str) -> Result<Vec<String>, StoreError> {
        let c = self.column(name, &DataType::String)?;
        Ok(c.str().map_err(|e| self.fail(&e))?.iter().map(|v| v.unwrap_or("").to_string()).collect())
    }

    /// A column as whole numbers.
    fn int(&self, name: &str) -> Result<Vec<Option<i64>>, StoreError> {
        let c = self.column(name, &DataType::Int64)?;
        Ok(c.i64().map_err(|e| self.fail(&e))?.iter().collect())
    }
}

/// Every earlier month the store holds, as the overview's trend charts show them: a month's
/// district totals and its ledger's counts. Months at or after `month` are left out.
pub fn months(history: &Path, month: Month) -> Result<Vec<MonthPoint>, StoreError> {
    let Ok(entries) = std::fs::read_dir(history) else { return Ok(Vec::new()) };
    let mut points = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(m) = name.strip_prefix("month=").and_then(Month::parse_iso).filter(|m| *m < month) else { continue };
        let dir = entry.path();
        let ledger = read_ledger(&dir)?.unwrap_or_default();
        let Some(district) = Stored::open(&dir, Table::District)? else { continue };
        let [_, indicator, this_month, ..] = DISTRICT_COLUMNS;
        let (ids, values) = (district.text(indicator)?, district.int(this_month)?);
        let rows: Vec<DistrictRow> = ids
            .iter()
            .zip(values)
            .filter_map(|(id, v)| Some(DistrictRow { indicator: IndicatorId::from_code(id)?, this_month: v, cumulative: None, units: String::new() }))
            .collect();
        points.push(MonthPoint::of(m, &rows, &ledger));
    }
    points.sort_by_key(|p| p.month);
    Ok(points)
}

/// The months the store holds before `month`, in order.
fn stored_months_before(history: &Path, month: Month) -> Vec<Month> {
    let Ok(entries) = std::fs::read_dir(history) else { return Vec::new() };
    let mut months: Vec<Month> =
        entries.flatten().filter_map(|e| e.file_name().to_string_lossy().strip_prefix("month=").and_then(Month::parse_iso)).filter(|m| *m < month).collect();
    months.sort();
    months
}

/// The ledger to carry into `month`: the one of the latest month stored before it (last
/// month's, or an earlier one's when a month was skipped, so that nothing open is dropped),
/// with that month; `Ok(None)` when the store holds no earlier ledger.
pub fn last_ledger(history: &Path, month: Month) -> Result<Option<(Month, Vec<LedgerRow>)>, StoreError> {
    for m in stored_months_before(history, month).into_iter().rev() {
        if let Some(rows) = read_ledger(&month_dir(history, m))? {
            return Ok(Some((m, rows)));
        }
    }
    Ok(None)
}

/// The ledger stored in one month's folder.
fn read_ledger(dir: &Path) -> Result<Option<Vec<LedgerRow>>, StoreError> {
    let Some(t) = Stored::open(dir, Table::Ledger)? else { return Ok(None) };
    let text = |name: &str| t.text(name);
    let int = |name: &str| -> Result<Vec<i64>, StoreError> { Ok(t.int(name)?.into_iter().map(|v| v.unwrap_or(0)).collect()) };
    let date =
        |name: &str| -> Result<Vec<Option<NaiveDate>>, StoreError> { Ok(text(name)?.iter().map(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()).collect()) };
    let [item_id, project, company, item_no, description, first_month, first_deadline, deadline, extensions, status, closed_month, closed_by, months_open, path, note, responsible, phone] =
        LEDGER_COLUMNS;
    let (responsibles, phones) = (t.text_or_empty(responsible)?, t.text_or_empty(phone)?);
    let (ids, projects, companies, descriptions) = (text(item_id)?, text(project)?, text(company)?, text(description)?);
    let (firsts, statuses, closed, closed_by, paths, notes) =
        (text(first_month)?, text(status)?, text(closed_month)?, text(closed_by)?, text(path)?, text(note)?);
    let (numbers, extensions, open) = (int(item_no)?, int(extensions)?, int(months_open)?);
    let (first_deadlines, deadlines) = (date(first_deadline)?, date(deadline)?);
    let mut rows = Vec::new();
    for i in 0..t.df.height() {
        let Some(first_month) = Month::parse_iso(&firsts[i]) else { continue };
        let Some(state) = LedgerState::from_stored(&statuses[i], Month::parse_iso(&closed[i]), &closed_by[i]) else {
            let what = format!("第{}行的状态“{}”（销号月份“{}”，销号方式“{}”）不是本程序写的", i + 1, statuses[i], closed[i], closed_by[i]);
            return Err(t.fail(&what));
        };
        rows.push(LedgerRow {
            item_id: ids[i].clone(),
            project: projects[i].clone(),
            company: companies[i].clone(),
            item_no: numbers[i].clamp(1, 6) as u8,
            description: descriptions[i].clone(),
            responsible: responsibles[i].clone(),
            phone: phones[i].clone(),
            first_month,
            first_deadline: first_deadlines[i],
            deadline: deadlines[i],
            extensions: extensions[i].max(0) as u32,
            state,
            months_open: open[i].max(0) as u32,
            path: paths[i].clone(),
            note: notes[i].clone(),
        });
    }
    Ok(Some(rows))
}

/// The 附件2 of the month before `month` as that month's run consolidated them, or `Ok(None)`
/// when no run of that month is stored; `Err` says why a stored month cannot be read.
pub fn last_month(history: &Path, month: Month) -> Result<Option<Vec<Monthly>>, StoreError> {
    let prev = month.previous();
    let Some(t) = Stored::open(&month_dir(history, prev), Table::Monthly)? else { return Ok(None) };
    let [path, _, unit, month_col, indicator, this_month, cumulative, _] = MONTHLY_COLUMNS;
    let (paths, units, months, ids) = (t.text(path)?, t.text(unit)?, t.text(month_col)?, t.text(indicator)?);
    let (this_month, cumulative) = (t.int(this_month)?, t.int(cumulative)?);
    let mut forms: Vec<Monthly> = Vec::new();
    for i in 0..t.df.height() {
        if Month::parse_iso(&months[i]) != Some(prev) {
            continue;
        }
        let Some(id) = IndicatorId::from_code(&ids[i]) else { continue };
        let value = IndicatorValue { id, this_month: this_month[i], cumulative: cumulative[i], at: At::Whole };
        match forms.iter_mut().find(|m| m.unit == units[i]) {
            Some(m) => m.indicators.push(value),
            None => forms.push(Monthly {
                source: Location::file(&format!("{}（{}的历史记录）", paths[i], prev.label())),
                unit: units[i].clone(),
                unit_raw: units[i].clone(),
                month: Some(prev),
                compiler: String::new(),
                contact: String::new(),
                indicators: vec![value],
                cases: String::new(),
                experience: String::new(),
                from_report: false,
            }),
        }
    }
    Ok(Some(forms))
}
