//! The copy of a return that `huizong check --annotate` gives back to its submitter: every
//! sheet's values and merged cells as read, the cells with a finding coloured (red for an
//! error, orange for a warning, yellow for a note) with the message in a cell note, and a first
//! sheet 检查结果 listing every finding. Rebuilt from the values read, so formatting is not kept;
//! the original file is never written to.

use super::report::{input_styles, text_width};
use crate::findings::{At, Finding, Severity};
use crate::grid::{Value, Workbook};
use chrono::Datelike;
use rust_xlsxwriter::{Color, ExcelDateTime, Format, Note, Workbook as Book, XlsxError};
use std::collections::BTreeMap;

fn fill(severity: Severity) -> Color {
    Color::RGB(match severity {
        Severity::Error => 0xFF9999,
        Severity::Warning => 0xFFCC99,
        Severity::Info => 0xFFFF99,
    })
}

/// The cells a finding points at (every cell of a range).
fn cells(at: At) -> Vec<(u32, u32)> {
    match at {
        At::Whole => vec![],
        At::Cell(c) => vec![(c.row, c.col)],
        At::Range(a, b) => (a.row..=b.row).flat_map(|r| (a.col..=b.col).map(move |c| (r, c))).collect(),
    }
}

/// The annotated copy of `book`, whose findings are `findings`.
///
/// # Errors
/// rust_xlsxwriter's (a sheet name the reader returned that Excel refuses is renamed).
pub fn annotated(book: &Workbook, findings: &[Finding]) -> Result<Vec<u8>, XlsxError> {
    let st = input_styles();
    let mut wb = Book::new();
    let summary = wb.add_worksheet().set_name("检查结果")?;
    let headers = ["级别", "工作表", "单元格", "栏目", "原始内容", "说明（请按此修改）"];
    for (c, h) in headers.iter().enumerate() {
        summary.write_string_with_format(0, c as u16, *h, &st.header)?;
    }
    for (i, f) in findings.iter().enumerate() {
        let (sheet, cell) = f.location.columns();
        let row = [f.severity.label().to_string(), sheet, cell, f.field.clone(), f.value.clone(), f.message_text()];
        for (c, v) in row.iter().enumerate() {
            summary.write_string_with_format(1 + i as u32, c as u16, v, &st.text.clone().set_background_color(fill(f.severity)))?;
        }
    }
    for (c, w) in [6, 16, 10, 14, 24, 80].iter().enumerate() {
        summary.set_column_width(c as u16, *w)?;
    }
    summary.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
    for (n, sheet) in book.sheets.iter().enumerate() {
        // Notes and colours per cell: several findings on one cell share its note.
        let mut marked: BTreeMap<(u32, u32), (Severity, Vec<String>)> = BTreeMap::new();
        for f in findings.iter().filter(|f| f.location.part_name() == sheet.name) {
            for cell in cells(f.location.at) {
                let entry = marked.entry(cell).or_insert((f.severity, Vec::new()));
                entry.0 = entry.0.min(f.severity);
                entry.1.push(format!("【{}】{}", f.severity.label(), f.message));
            }
        }
        let name = super::safe_sheet_name(&sheet.name);
        let ws = wb.add_worksheet();
        if ws.set_name(&name).is_err() {
            ws.set_name(format!("Sheet{}", n + 1))?;
        }
        let mut widths: BTreeMap<u16, f64> = BTreeMap::new();
        for merge in &sheet.merges {
            let text = sheet.get(merge.first_row, merge.first_col).map(Value::display).unwrap_or_default();
            let format = match marked.get(&(merge.first_row, merge.first_col)) {
                Some((s, _)) => Format::new().set_background_color(fill(*s)),
                None => Format::new(),
            };
            // Overlapping merges (possible in a damaged file) are left unmerged.
            let _ = ws.merge_range(merge.first_row, merge.first_col as u16, merge.last_row, merge.last_col as u16, &text, &format);
        }
        for (&(r, c), v) in &sheet.cells {
            let c16 = c as u16;
            let format = match marked.get(&(r, c)) {
                Some((s, _)) => Format::new().set_background_color(fill(*s)),
                None => Format::new(),
            };
            match v {
                Value::Number(x) => ws.write_number_with_format(r, c16, *x, &format)?,
                Value::Date(d) => {
                    let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_datetime_with_format(r, c16, &dt, &format.clone().set_num_format("yyyy-mm-dd"))?
                }
                Value::Bool(b) => ws.write_boolean_with_format(r, c16, *b, &format)?,
                other => ws.write_string_with_format(r, c16, other.display(), &format)?,
            };
            let w = widths.entry(c16).or_insert(8.0);
            *w = w.max(text_width(&v.display()).min(40.0) + 2.0);
        }
        for (&(r, c), (severity, messages)) in &marked {
            if sheet.get(r, c).is_none() {
                ws.write_blank(r, c as u16, &Format::new().set_background_color(fill(*severity)))?;
            }
            let note = Note::new(messages.join("\n")).set_author("huizong").set_width(320).set_height(120);
            ws.insert_note(r, c as u16, &note)?;
        }
        for (c, w) in widths {
            ws.set_column_width(c, w)?;
        }
    }
    wb.save_to_buffer()
}
