//! The only user of calamine: a spreadsheet file becomes sheets of plain, sparse cells.
//!
//! Cells are read sparsely (xlsx through the cell reader, never a dense range built from a
//! declared extent, which can abort the process on a tiny hostile file). Values come out as
//! [`Value`](crate::grid::Value), a small enum of our own (`grid.rs`), so no calamine type
//! leaks into the rest of the program.
//! Merged regions are kept so that later stages know a value covers several cells.

use crate::forms::file::Format;
use crate::grid::{Limits, ReadError, Region, Sheet, Value, Workbook};
use calamine::{Data, DataRef, Ods, Reader, SheetVisible, Xls, XlsOptions, Xlsb, Xlsx};
use chrono::NaiveDate;
use std::io::Cursor;

/// Read a whole workbook of the given format from its bytes.
pub fn read(bytes: &[u8], format: Format, limits: Limits, codepage: Option<u16>) -> Result<Workbook, ReadError> {
    match format {
        Format::Xlsx | Format::Xlsm => read_xlsx(bytes, limits),
        Format::Xlsb => read_xlsb(bytes, limits),
        Format::Xls => read_xls(bytes, limits, codepage),
        Format::Ods => read_ods(bytes, limits),
        Format::Docx => crate::read::document::docx::read(bytes, limits).and_then(|doc| crate::read::document::to_workbook(&doc, limits)),
        Format::Doc => crate::read::document::doc::read(bytes, limits).and_then(|doc| crate::read::document::to_workbook(&doc, limits)),
        Format::Odt => crate::read::document::odt::read(bytes, limits).and_then(|doc| crate::read::document::to_workbook(&doc, limits)),
        Format::EncryptedOoxml => Err(ReadError::Protected),
        Format::Other => Err(ReadError::Corrupt("不是电子表格".into())),
    }
}

fn read_xlsx(bytes: &[u8], limits: Limits) -> Result<Workbook, ReadError> {
    let mut xlsx = Xlsx::new(Cursor::new(bytes)).map_err(|e| ReadError::Corrupt(short(&e.to_string())))?;
    let metas = xlsx.sheets_metadata().to_vec();
    let mut sheets = Vec::new();
    for meta in metas.iter().filter(|m| m.typ == calamine::SheetType::WorkSheet) {
        let mut sheet = Sheet { name: meta.name.clone(), hidden: meta.visible != SheetVisible::Visible, ..Sheet::default() };
        let mut reader = xlsx.worksheet_cells_reader(&meta.name).map_err(|e| ReadError::Corrupt(short(&e.to_string())))?;
        fill_sparse(&mut sheet, limits, || reader.next_cell().map(|c| c.map(|c| (c.get_position(), value_of_ref(c.get_value())))))?;
        drop(reader);
        if let Ok(merges) = xlsx.merge_cells_by_sheet_name(&meta.name) {
            sheet.merges = merges.iter().map(region_of).collect();
        }
        sheets.push(sheet);
    }
    Ok(Workbook { sheets, names: names_of(&xlsx) })
}

/// Excel's binary workbook, streamed cell by cell like xlsx. calamine keeps no merge list for
/// it: a merged value sits in its top-left cell only.
fn read_xlsb(bytes: &[u8], limits: Limits) -> Result<Workbook, ReadError> {
    let mut xlsb = match Xlsb::new(Cursor::new(bytes)) {
        Ok(x) => x,
        Err(calamine::XlsbError::Password) => return Err(ReadError::Protected),
        Err(e) => return Err(ReadError::Corrupt(short(&e.to_string()))),
    };
    let metas = xlsb.sheets_metadata().to_vec();
    let mut sheets = Vec::new();
    for meta in metas.iter().filter(|m| m.typ == calamine::SheetType::WorkSheet) {
        let mut sheet = Sheet { name: meta.name.clone(), hidden: meta.visible != SheetVisible::Visible, ..Sheet::default() };
        let mut reader = xlsb.worksheet_cells_reader(&meta.name).map_err(|e| ReadError::Corrupt(short(&e.to_string())))?;
        fill_sparse(&mut sheet, limits, || reader.next_cell().map(|c| c.map(|c| (c.get_position(), value_of_ref(c.get_value())))))?;
        sheets.push(sheet);
    }
    Ok(Workbook { sheets, names: names_of(&xlsb) })
}

/// The defined names of any calamine reader.
fn names_of<RS: std::io::Read + std::io::Seek, R: Reader<RS>>(book: &R) -> Vec<String> {
    book.defined_names().iter().map(|(name, _)| name.clone()).collect()
}

/// Fill `sheet` from a streaming cell reader (`next` gives each cell's position and value, in
/// row order), within the limits: rows past the row limit end the sheet, far columns are
/// skipped, and the cell count and the time budget cut it short (the sheet says so).
fn fill_sparse<E: std::fmt::Display>(
    sheet: &mut Sheet,
    limits: Limits,
    mut next: impl FnMut() -> Result<Option<((u32, u32), Option<Value>)>, E>,
) -> Result<(), ReadError> {
    loop {
        let ((row, col), value) = match next() {
            Ok(Some(cell)) => cell,
            Ok(None) => return Ok(()),
            Err(e) => return Err(ReadError::Corrupt(short(&e.to_string()))),
        };
        if row > limits.max_row {
            // Rows come in ascending order in a sheet's part: nothing after this one is
            // within the limit.
            sheet.truncated = true;
            return Ok(());
        }
        if col > 16_383 {
            sheet.truncated = true;
            continue;
        }
        let Some(v) = value else { continue };
        if sheet.cells.len() >= limits.max_cells_per_sheet {
            sheet.truncated = true;
            return Ok(());
        }
        sheet.cells.insert((row, col), v);
        if sheet.cells.len().is_multiple_of(4096) && limits.deadline.is_some_and(|d| std::time::Instant::now() > d) {
            sheet.truncated = true;
            return Ok(());
        }
    }
}

fn read_xls(bytes: &[u8], limits: Limits, codepage: Option<u16>) -> Result<Workbook, ReadError> {
    let mut options = XlsOptions::default();
    options.force_codepage = codepage;
    let mut xls = match Xls::new_with_options(Cursor::new(bytes), options) {
        Ok(x) => x,
        Err(calamine::XlsError::Password) => return Err(ReadError::Protected),
        Err(e) if codepage.is_none() && e.to_string().to_lowercase().contains("codepage") => {
            // A missing or unknown code page: Chinese returns are almost always GBK (936).
            let mut retry = XlsOptions::default();
            retry.force_codepage = Some(936);
            Xls::new_with_options(Cursor::new(bytes), retry).map_err(|e| ReadError::Codepage(short(&e.to_string())))?
        }
        Err(e) => return Err(ReadError::Corrupt(short(&e.to_string()))),
    };
    let metas = xls.sheets_metadata().to_vec();
    let mut sheets = Vec::new();
    for meta in metas {
        if meta.typ != calamine::SheetType::WorkSheet {
            continue;
        }
        let range = xls.worksheet_range(&meta.name).map_err(|e| ReadError::Corrupt(short(&e.to_string())))?;
        let mut sheet = sheet_from_range(&meta.name, meta.visible != SheetVisible::Visible, &range, limits);
        if let Ok(merges) = xls.merge_cells_by_sheet_name(&meta.name) {
            sheet.merges = merges.iter().map(region_of).collect();
        }
        sheets.push(sheet);
    }
    Ok(Workbook { sheets, names: names_of(&xls) })
}

fn read_ods(bytes: &[u8], limits: Limits) -> Result<Workbook, ReadError> {
    let mut ods = match Ods::new(Cursor::new(bytes)) {
        Ok(o) => o,
        Err(calamine::OdsError::Password) => return Err(ReadError::Protected),
        Err(e) => return Err(ReadError::Corrupt(short(&e.to_string()))),
    };
    let metas = ods.sheets_metadata().to_vec();
    let mut sheets = Vec::new();
    for meta in metas {
        let range = ods.worksheet_range(&meta.name).map_err(|e| ReadError::Corrupt(short(&e.to_string())))?;
        // ODS keeps no merge list in calamine: covered cells simply come back empty.
        sheets.push(sheet_from_range(&meta.name, meta.visible != SheetVisible::Visible, &range, limits));
    }
    Ok(Workbook { sheets, names: names_of(&ods) })
}

fn sheet_from_range(name: &str, hidden: bool, range: &calamine::Range<Data>, limits: Limits) -> Sheet {
    let mut sheet = Sheet { name: name.to_string(), hidden, ..Sheet::default() };
    for (row, col, data) in range.used_cells() {
        let (row, col) = (row as u32 + range.start().map_or(0, |s| s.0), col as u32 + range.start().map_or(0, |s| s.1));
        if row > limits.max_row {
            sheet.truncated = true;
            continue;
        }
        if let Some(v) = value_of(data) {
            if sheet.cells.len() >= limits.max_cells_per_sheet {
                sheet.truncated = true;
                break;
            }
            sheet.cells.insert((row, col), v);
        }
    }
    sheet
}

fn region_of(d: &calamine::Dimensions) -> Region {
    Region { first_row: d.start.0, first_col: d.start.1, last_row: d.end.0, last_col: d.end.1 }
}

fn value_of(d: &Data) -> Option<Value> {
    match d {
        Data::Empty => None,
        Data::String(s) if s.trim().is_empty() => None,
        Data::String(s) => Some(Value::Text(s.clone())),
        Data::Int(i) => Some(Value::Number(*i as f64)),
        Data::Float(f) => Some(Value::Number(*f)),
        Data::Bool(b) => Some(Value::Bool(*b)),
        Data::DateTime(dt) => Some(match dt.as_datetime() {
            Some(t) if dt.is_datetime() => Value::Date(t.date()),
            _ => Value::Number(dt.as_f64()),
        }),
        Data::DateTimeIso(s) => Some(match NaiveDate::parse_from_str(&s[..s.len().min(10)], "%Y-%m-%d") {
            Ok(d) => Value::Date(d),
            Err(_) => Value::Text(s.clone()),
        }),
        Data::DurationIso(s) => Some(Value::Text(s.clone())),
        Data::Error(e) => Some(Value::Error(format!("{e}"))),
    }
}

fn value_of_ref(d: &DataRef) -> Option<Value> {
    match d {
        DataRef::Empty => None,
        DataRef::String(s) if s.trim().is_empty() => None,
        DataRef::SharedString(s) if s.trim().is_empty() => None,
        DataRef::String(s) => Some(Value::Text(s.clone())),
        DataRef::SharedString(s) => Some(Value::Text((*s).to_string())),
        DataRef::Int(i) => Some(Value::Number(*i as f64)),
        DataRef::Float(f) => Some(Value::Number(*f)),
        DataRef::Bool(b) => Some(Value::Bool(*b)),
        DataRef::DateTime(dt) => Some(match dt.as_datetime() {
            Some(t) if dt.is_datetime() => Value::Date(t.date()),
            _ => Value::Number(dt.as_f64()),
        }),
        DataRef::DateTimeIso(s) => value_of(&Data::DateTimeIso(s.clone())),
        DataRef::DurationIso(s) => Some(Value::Text(s.clone())),
        DataRef::Error(e) => Some(Value::Error(format!("{e}"))),
    }
}

fn short(s: &str) -> String {
    s.chars().take(120).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file taken from calamine's tests, kept outside the project in `../shared/fetched/`
    /// (sources and licences in its README).
    fn fetched(rel: &str) -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fetched").join(rel)).unwrap()
    }

    #[test]
    fn xlsb_values_come_through() {
        let bytes = fetched("xlsb/issues.xlsb");
        assert_eq!(crate::read::format::sniff(&bytes), Format::Xlsb);
        let book = read(&bytes, Format::Xlsb, Limits::default(), None).unwrap();
        let sheet = book.sheets.iter().find(|s| s.name == "issue2").unwrap();
        assert_eq!(sheet.get(0, 0), Some(&Value::Number(1.0)));
        assert_eq!(sheet.get(2, 1), Some(&Value::Text("c".into())));
        let book = read(&fetched("xlsb/date.xlsb"), Format::Xlsb, Limits::default(), None).unwrap();
        assert_eq!(book.sheets[0].get(0, 0), Some(&Value::Date(NaiveDate::from_ymd_opt(2021, 1, 1).unwrap())));
    }
}
