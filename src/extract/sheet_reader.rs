//! The one way extraction reads a sheet: a value by position, marked as used when it goes into
//! a field, and findings reported at their cell. Whatever non-empty cell was never used is
//! reported at the end, so nothing on a form is lost.

use crate::clean::header_key;
use crate::findings::{At, Code, Finding, Location, Severity};
use crate::grid::{Sheet, Value};
use std::collections::BTreeSet;

/// A sheet being read into one form.
pub struct SheetReader<'a> {
    pub sheet: &'a Sheet,
    place: Location,
    used: BTreeSet<(u32, u32)>,
    findings: Vec<Finding>,
}

impl<'a> SheetReader<'a> {
    /// Read `sheet` of the file at `path`.
    pub fn new(sheet: &'a Sheet, path: &str) -> SheetReader<'a> {
        SheetReader { sheet, place: Location::of_sheet(path, sheet), used: BTreeSet::new(), findings: Vec::new() }
    }

    /// The file and sheet, for the record the form becomes.
    pub fn place(&self) -> &Location {
        &self.place
    }

    /// The 1-based number a person gives grid row `row`: the sheet's row, or in a Word table
    /// the table's row (`docs/contract.md`, "The forms read").
    pub fn row_number(&self, row: u32) -> u32 {
        match self.sheet.table {
            Some(t) if t.contains(row) => row - t.first_row + 1,
            _ => row + 1,
        }
    }

    /// The value of a cell, without marking it used.
    pub fn get(&self, row: u32, col: u32) -> Option<&'a Value> {
        self.sheet.get(row, col)
    }

    /// The value shown at a cell, inside a merged region too, and where it really sits.
    pub fn shown(&self, row: u32, col: u32) -> Option<(&'a Value, u32, u32)> {
        self.sheet.shown(row, col)
    }

    /// The value of a cell, marked as used.
    pub fn take(&mut self, row: u32, col: u32) -> Option<&'a Value> {
        self.mark(row, col);
        self.sheet.get(row, col)
    }

    /// Mark a cell as read into a field (or as a label of the form).
    pub fn mark(&mut self, row: u32, col: u32) {
        self.used.insert((row, col));
    }

    /// Mark every cell of a row.
    pub fn mark_row(&mut self, row: u32) {
        for (c, _) in self.sheet.row(row) {
            self.used.insert((row, c));
        }
    }

    /// Report a finding of `code`, with its usual severity, at `at` on this sheet.
    pub fn report(&mut self, code: Code, at: At, field: &str, value: &str, message: impl Into<String>) {
        let message = self.quoted(at, message.into());
        self.findings.push(Finding::new(code, self.place.at(at), field, value, message));
    }

    /// Report a finding with a severity other than the code's usual one.
    pub fn report_as(&mut self, severity: Severity, code: Code, at: At, field: &str, value: &str, message: impl Into<String>) {
        let message = self.quoted(at, message.into());
        self.findings.push(Finding::new(code, self.place.at(at), field, value, message).with_severity(severity));
    }

    /// A message about a paragraph outside a Word table (which has no cell to point at) quotes
    /// the paragraph, so the submitter can find it.
    fn quoted(&self, at: At, message: String) -> String {
        let (Some(rows), At::Cell(c)) = (self.sheet.table, at) else { return message };
        if rows.contains(c.row) {
            return message;
        }
        let text = self.sheet.get(c.row, 0).map(Value::display).unwrap_or_default();
        let short: String = text.chars().take(30).collect();
        let more = if text.chars().count() > 30 { "…" } else { "" };
        format!("表格外的文字“{short}{more}”：{message}")
    }

    /// The findings, with every non-empty cell that was not read reported as `cell.unused`.
    pub fn finish(mut self) -> Vec<Finding> {
        for (&(r, c), v) in &self.sheet.cells {
            if self.used.contains(&(r, c)) {
                continue;
            }
            let text = v.display();
            if header_key(&text).is_empty() {
                continue;
            }
            let message = self.quoted(At::cell(r, c), "此单元格内容不属于表格的任何一栏，未计入汇总（已原样列出供核对）".to_string());
            self.findings.push(Finding::new(Code::CellUnused, self.place.at(At::cell(r, c)), "", &text, message));
        }
        self.findings
    }
}
