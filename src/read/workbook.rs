//! The only user of calamine: a spreadsheet file becomes sheets of plain, sparse cells.
//!
//! Cells are read sparsely (xlsx through the cell reader, never a dense range built from a
//! declared extent, which can abort the process on a tiny hostile file). Values come out as
//! [`Value`], a small enum of our own, so no calamine type leaks into the rest of the program.
//! Merged regions are kept so that later stages know a value covers several cells.

use crate::read::format::Format;
use calamine::{Data, DataRef, Ods, Reader, SheetVisible, Xls, XlsOptions, Xlsb, Xlsx};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::io::Cursor;

/// Limits that keep one hostile file from exhausting the machine.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Cells read per sheet before the sheet is cut short (and a finding says so).
    pub max_cells_per_sheet: usize,
    /// Largest row or column index accepted for a cell.
    pub max_row: u32,
    /// When reading stops for this file.
    pub deadline: Option<std::time::Instant>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_cells_per_sheet: 200_000, max_row: 100_000, deadline: None }
    }
}

/// One cell's value, as typed or as cached by the producing program.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
    /// A formula error such as `#REF!`.
    Error(String),
}

impl Value {
    /// The value as a person would read it in the cell.
    pub fn display(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    format!("{}", *n as i64)
                } else {
                    format!("{n}")
                }
            }
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Error(e) => e.clone(),
        }
    }
}

/// A rectangle of cells, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

/// A worksheet as sparse cells.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    /// (row, col), 0-based → value; empty cells are absent.
    pub cells: BTreeMap<(u32, u32), Value>,
    pub merges: Vec<Region>,
    /// Set when the sheet had more cells than the limit allows.
    pub truncated: bool,
    /// Set when the grid is a Word table with the paragraphs around it (see `read::document`):
    /// which rows are the table's, so that locations count from the table's first row.
    pub table: Option<TableRows>,
}

/// The rows of a Word table inside its grid (0-based, inclusive); the rows before and after
/// hold the paragraphs around it, one per row in column A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableRows {
    /// 1-based position of the table in the document (`表N`).
    pub index: u32,
    pub first_row: u32,
    pub last_row: u32,
}

impl TableRows {
    pub fn contains(&self, row: u32) -> bool {
        (self.first_row..=self.last_row).contains(&row)
    }
}

impl Sheet {
    pub fn get(&self, row: u32, col: u32) -> Option<&Value> {
        self.cells.get(&(row, col))
    }

    /// The value shown at (row, col): its own, or, inside a merged region, the value of the
    /// region's top-left cell, with the cell it really sits in.
    pub fn shown(&self, row: u32, col: u32) -> Option<(&Value, u32, u32)> {
        if let Some(v) = self.cells.get(&(row, col)) {
            return Some((v, row, col));
        }
        let m = self.merges.iter().find(|m| (m.first_row..=m.last_row).contains(&row) && (m.first_col..=m.last_col).contains(&col))?;
        self.cells.get(&(m.first_row, m.first_col)).map(|v| (v, m.first_row, m.first_col))
    }

    /// Cells of one row, in column order.
    pub fn row(&self, row: u32) -> impl Iterator<Item = (u32, &Value)> {
        self.cells.range((row, 0)..=(row, u32::MAX)).map(|(&(_, c), v)| (c, v))
    }

    pub fn max_row(&self) -> Option<u32> {
        self.cells.keys().map(|&(r, _)| r).max()
    }
}

/// A workbook read into memory.
#[derive(Debug, Clone, Default)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
    /// The workbook's defined names (named ranges): huizong marks its own district workbook
    /// with one (see [`crate::forms::REPORT_MARKER`]).
    pub names: Vec<String>,
}

/// Why a file could not be read; each becomes a Chinese reason in the file list.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    /// The file is encrypted with a password.
    Protected,
    /// The bytes are damaged or cut short.
    Corrupt(String),
    /// A legacy `.xls` whose code page is missing or unknown.
    Codepage(String),
    /// A format recognised and not read; the reason says what it is and what to do.
    Unsupported(String),
}

impl ReadError {
    pub fn reason(&self) -> String {
        match self {
            ReadError::Protected => "文件设有打开密码，无法读取：请提供未加密的副本".to_string(),
            // calamine's error cannot tell a damaged file from a sound one written in a way it
            // does not read (an Excel 4 macro sheet, UTF-16 XML parts): the reason says both.
            ReadError::Corrupt(why) => {
                format!("无法读取：文件已损坏，或用了本工具读不了的写法。请用 Excel 或 WPS 打开后另存为 .xlsx 再报送（技术信息：{why}）")
            }
            ReadError::Unsupported(why) => why.clone(),
            ReadError::Codepage(why) => format!("旧版 .xls 文件的字符编码无法识别（{why}）：可用 --codepage 936 指定"),
        }
    }
}

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

/// `A1`-style name of a 0-based cell.
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push((b'A' + rem as u8) as char);
        c = (c - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(9, 25), "Z10");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn numbers_display_as_typed() {
        assert_eq!(Value::Number(12.0).display(), "12");
        assert_eq!(Value::Number(2.5).display(), "2.5");
    }

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
