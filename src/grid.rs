//! The cell model every reader produces and every later stage reads: a workbook of sheets of
//! sparse, plain cells ([`Value`]), with merged regions, and for a Word document the rows of
//! each table inside its grid. The spreadsheet reader (calamine, `read/workbook.rs`) and the
//! Word readers (`read/document/`) fill it; `extract/`, `findings.rs` and `output/` read it.

use chrono::NaiveDate;
use std::collections::BTreeMap;

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
}
