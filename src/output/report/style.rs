//! What every sheet of the workbook shares: the cell values a table holds, the fonts and
//! formats (宋体 with the GB2312 charset so Excel and WPS pick a Chinese font), widths fit for
//! Chinese text, the A4 print setup and the status colours.

use crate::forms::ItemStatus;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Color, ConditionalFormatFormula, DataValidation, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// One cell of a report table.
#[derive(Debug, Clone)]
pub enum Out {
    Text(String),
    Int(i64),
    Date(NaiveDate),
    Empty,
}

impl From<&str> for Out {
    fn from(s: &str) -> Self {
        Out::Text(s.to_string())
    }
}
impl From<String> for Out {
    fn from(s: String) -> Self {
        Out::Text(s)
    }
}
impl From<Option<i64>> for Out {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Out::Empty, Out::Int)
    }
}

/// Display width of a text in Excel column units: CJK characters are two units wide.
pub fn text_width(s: &str) -> f64 {
    s.lines().map(|l| l.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum::<f64>()).fold(0.0, f64::max)
}

/// The formats every sheet shares: 宋体 with the GB2312 charset so Excel and WPS pick a
/// Chinese font, thin borders on table cells.
pub struct Styles {
    pub header: Format,
    pub text: Format,
    pub wrap: Format,
    pub wrap_top: Format,
    pub center_wrap: Format,
    pub center_cell: Format,
    pub date: Format,
    pub number: Format,
    pub title: Format,
    pub plain: Format,
    pub plain_bold: Format,
    pub centered: Format,
    pub source: Format,
    pub conflict: Format,
    /// What every printed page of the workbook says it is: the district and the month
    /// (`东湖风景区物业专项整治汇总 2021年10月`); empty for a blank form.
    pub page_title: String,
}

pub fn styles() -> Styles {
    let font = Format::new().set_font_name("宋体").set_font_charset(134).set_font_size(10.5);
    let base = font.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
    Styles {
        header: base.clone().set_bold().set_background_color(Color::RGB(0xD9E1F2)).set_align(FormatAlign::Center).set_text_wrap(),
        text: base.clone(),
        wrap: base.clone().set_text_wrap(),
        wrap_top: base.clone().set_text_wrap().set_align(FormatAlign::Top),
        center_wrap: base.clone().set_text_wrap().set_align(FormatAlign::Center),
        center_cell: base.clone().set_align(FormatAlign::Center),
        date: base.clone().set_num_format("yyyy年m月d日"),
        number: base.clone().set_align(FormatAlign::Center),
        title: font.clone().set_bold().set_font_size(18).set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter),
        plain: font.clone().set_align(FormatAlign::VerticalCenter),
        plain_bold: font.clone().set_font_name("黑体").set_font_size(12),
        centered: font.set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter),
        source: base.clone().set_align(FormatAlign::Center).set_bold().set_background_color(Color::RGB(0xDDEBF7)),
        conflict: base.set_align(FormatAlign::Center).set_background_color(Color::RGB(ORANGE)),
        page_title: String::new(),
    }
}

/// The styles of a blank form a submitter fills in (`huizong template`): the same as the
/// report's, with the cells that hold values (counts, texts, the month and unit lines) left
/// unlocked so that the protected sheet still takes them.
pub fn input_styles() -> Styles {
    let mut s = styles();
    for f in [&mut s.number, &mut s.wrap_top, &mut s.plain, &mut s.centered] {
        *f = f.clone().set_unlocked();
    }
    s
}

/// One row of a list sheet: its cells and, maybe, the row's fill colour.
pub type Row = (Vec<Out>, Option<u32>);

/// What a list sheet adds once its rows are written (the clerk's columns, status colours),
/// given the number of rows.
pub type After<'a> = &'a dyn Fn(&mut Worksheet, u32) -> Result<(), XlsxError>;

/// Excel's rows under a header row: a list longer than this continues on another sheet.
pub const MAX_TABLE_ROWS: usize = 1_048_575;

/// A list sheet named `name`, streamed row by row (constant-memory worksheets: a city's
/// ledger or findings list is never held as a sheet in memory), continued on
/// `name（续2）`, `name（续3）`… past Excel's row limit, each part with its own header.
pub fn table_sheets(wb: &mut Workbook, name: &str, st: &Styles, headers: &[&str], rows: impl IntoIterator<Item = Row>, after: After) -> Result<(), XlsxError> {
    table_sheets_of(wb, name, st, headers, rows, after, MAX_TABLE_ROWS)
}

fn table_sheets_of(
    wb: &mut Workbook,
    name: &str,
    st: &Styles,
    headers: &[&str],
    rows: impl IntoIterator<Item = Row>,
    after: After,
    limit: usize,
) -> Result<(), XlsxError> {
    let mut rows = rows.into_iter().peekable();
    let mut part = 1;
    loop {
        let ws = wb.add_worksheet_with_constant_memory()?.set_name(crate::layout::part_name(name, part))?;
        let written = table(ws, st, headers, rows.by_ref().take(limit))?;
        page_header(ws, st, &crate::layout::part_name(name, part));
        after(ws, written)?;
        if rows.peek().is_none() {
            return Ok(());
        }
        part += 1;
    }
}

/// Write a table with frozen header, filter, widths fit for Chinese text and A4 setup, row
/// by row; returns the number of rows.
fn table(ws: &mut Worksheet, st: &Styles, headers: &[&str], rows: impl Iterator<Item = Row>) -> Result<u32, XlsxError> {
    // Long texts wrap inside a capped width so that a wide table still prints legibly when
    // fitted to the width of an A4 page; the columns people read in full get more room.
    let caps: Vec<f64> = headers.iter().map(|h| if WIDE_COLUMNS.contains(h) { 40.0 } else { 22.0 }).collect();
    let mut widths: Vec<f64> = headers.iter().map(|h| text_width(h) + 2.0).collect();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
    }
    // The filled variants of the four cell formats, made once per colour.
    let mut filled: Vec<(u32, [Format; 4])> = Vec::new();
    let mut count = 0u32;
    for (row, fill) in rows {
        count += 1;
        let r = count;
        let formats: [&Format; 4] = match fill {
            None => [&st.text, &st.wrap, &st.number, &st.date],
            Some(rgb) => {
                let i = match filled.iter().position(|(c, _)| *c == rgb) {
                    Some(i) => i,
                    None => {
                        let paint = |f: &Format| f.clone().set_background_color(Color::RGB(rgb));
                        filled.push((rgb, [paint(&st.text), paint(&st.wrap), paint(&st.number), paint(&st.date)]));
                        filled.len() - 1
                    }
                };
                let [a, b, c, d] = &filled[i].1;
                [a, b, c, d]
            }
        };
        let [text, wrap, number, date] = formats;
        let mut lines = 1.0f64;
        for (c, cell) in row.iter().enumerate() {
            let c16 = c as u16;
            match cell {
                Out::Text(s) => {
                    let width = text_width(s);
                    let long = width > caps[c] || s.contains('\n');
                    if long {
                        // Rows are not re-measured by every viewer: give wrapped text its height.
                        let l: f64 = s.lines().map(|l| (text_width(l) / ((caps[c] + 2.0) * 1.1)).ceil().max(1.0)).sum();
                        lines = lines.max(l);
                    }
                    ws.write_string_with_format(r, c16, s, if long { wrap } else { text })?;
                    widths[c] = widths[c].max(width.min(caps[c]) + 2.0);
                }
                Out::Int(v) => {
                    ws.write_number_with_format(r, c16, *v as f64, number)?;
                    widths[c] = widths[c].max(v.to_string().len() as f64 + 2.0);
                }
                Out::Date(d) => {
                    let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_datetime_with_format(r, c16, &dt, date)?;
                    widths[c] = widths[c].max(16.0);
                }
                Out::Empty => {
                    ws.write_blank(r, c16, text)?;
                }
            }
        }
        if lines > 1.0 {
            ws.set_row_height(r, (lines * 14.0 + 3.0).min(409.0))?;
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
        // Internal keys (SHA-256, finding codes, problem ids) stay in the sheet for the next run
        // and for filtering, but out of the printed page.
        if crate::layout::HIDDEN_COLUMNS.contains(&headers[c]) {
            ws.set_column_hidden(c as u16)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if let Some(last) = headers.iter().position(|h| *h == crate::layout::PRINT_LAST) {
        ws.set_print_area(0, 0, count.max(1), last as u16)?;
    }
    if !headers.is_empty() {
        ws.autofilter(0, 0, count.max(1), headers.len() as u16 - 1)?;
    }
    print_setup(ws, headers.len() > 5, 0)?;
    Ok(count)
}

/// The printed page's header: the workbook's district and month on the left, the sheet on
/// the right (`&` doubled, as Excel's header codes want).
pub fn page_header(ws: &mut Worksheet, st: &Styles, sheet: &str) {
    if !st.page_title.is_empty() {
        ws.set_header(format!("&L{}&R{}", st.page_title.replace('&', "&&"), sheet.replace('&', "&&")));
    }
}

/// A4, fit to width, header rows repeated, page numbers.
pub fn print_setup(ws: &mut Worksheet, landscape: bool, repeat_to: u32) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, repeat_to)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

pub const RED: u32 = 0xF8CBAD;
pub const ORANGE: u32 = 0xFCE4D6;
pub const GREEN: u32 = 0xE2EFDA;

/// Colour item rows by their 状态 cell with conditional formats (overdue red, incomplete
/// orange, done green), so the colour follows when a clerk updates a status by hand.
pub fn status_colours(ws: &mut Worksheet, headers: &[&str], rows: u32) -> Result<(), XlsxError> {
    if rows == 0 {
        return Ok(());
    }
    let col = headers.iter().position(|h| *h == "状态").expect("状态 is a header of item tables") as u32;
    let letter = crate::grid::a1(0, col).trim_end_matches('1').to_string();
    let rules = [
        (ItemStatus::Overdue.label(), RED),
        (ItemStatus::MissingDeadline.label(), ORANGE),
        (ItemStatus::MissingResponsible.label(), ORANGE),
        (ItemStatus::Done.label(), GREEN),
    ];
    for (label, rgb) in rules {
        let rule = ConditionalFormatFormula::new()
            .set_rule(format!("=${letter}2=\"{label}\"").as_str())
            .set_format(Format::new().set_background_color(Color::RGB(rgb)));
        ws.add_conditional_format(1, 0, rows, headers.len() as u16 - 1, &rule)?;
    }
    Ok(())
}

/// The clerk's columns at the end of a table (`layout::CLERK_HEADERS`): 处理 with a drop-down
/// of the three choices, 处理说明 free text; the next run reads them back (`carry::marks`).
/// Another text is still accepted (with a warning), and kept as typed.
pub fn clerk_columns(ws: &mut Worksheet, headers: &[&str], rows: u32) -> Result<(), XlsxError> {
    let col = headers.iter().position(|h| *h == crate::layout::CLERK_HEADERS[0]).expect("处理 is a header") as u16;
    let choices = crate::rules::marks::Action::ALL.map(|a| a.label());
    let validation = DataValidation::new()
        .allow_list_strings(&choices)?
        .set_input_title("处理")?
        .set_input_message("从下拉列表选择：已核实 / 已销号 / 退回修改；在“处理说明”中写明情况。下次汇总时自动带入")?
        .set_error_style(rust_xlsxwriter::DataValidationErrorStyle::Warning);
    // At least a screenful, so a clerk who adds a row by hand still gets the list.
    ws.add_data_validation(1, col, rows.max(200), col, &validation)?;
    ws.set_column_width(col, 12)?;
    ws.set_column_width(col + 1, 30)?;
    Ok(())
}

/// Columns whose text is read in full get a wider cap before wrapping.
const WIDE_COLUMNS: [&str; 5] = ["问题描述", "说明（请按此修改）", "内容", "原因/说明", "说明"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Limits;
    use crate::read::workbook::read;

    #[test]
    fn a_list_longer_than_the_limit_continues_on_numbered_sheets_each_with_its_header() {
        let mut wb = Workbook::new();
        let rows = (1..=7).map(|i| -> Row { (vec![Out::Int(i), format!("第{i}行").into()], if i == 2 { Some(RED) } else { None }) });
        let seen = std::cell::RefCell::new(Vec::new());
        table_sheets_of(
            &mut wb,
            "整改台账",
            &styles(),
            &["序号", "内容"],
            rows,
            &|ws, n| {
                seen.borrow_mut().push((ws.name(), n));
                Ok(())
            },
            3,
        )
        .unwrap();
        assert_eq!(seen.into_inner(), [("整改台账".to_string(), 3), ("整改台账（续2）".to_string(), 3), ("整改台账（续3）".to_string(), 1)]);
        let bytes = wb.save_to_buffer().unwrap();
        let book = read(&bytes, crate::forms::file::Format::Xlsx, Limits::default(), None).unwrap();
        let column = |s: usize, c: u32| -> Vec<String> {
            let sheet = &book.sheets[s];
            (0..=sheet.max_row().unwrap_or(0)).map(|r| sheet.get(r, c).map(|v| v.display()).unwrap_or_default()).collect()
        };
        assert_eq!(book.sheets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["整改台账", "整改台账（续2）", "整改台账（续3）"]);
        assert_eq!(column(0, 1), ["内容", "第1行", "第2行", "第3行"]);
        assert_eq!(column(1, 0), ["序号", "4", "5", "6"]);
        assert_eq!(column(2, 1), ["内容", "第7行"]);
    }

    #[test]
    fn an_empty_list_is_one_sheet_with_its_header() {
        let mut wb = Workbook::new();
        table_sheets(&mut wb, "未报送", &styles(), &["类别", "名称"], std::iter::empty(), &|_, n| {
            assert_eq!(n, 0);
            Ok(())
        })
        .unwrap();
        let book = read(&wb.save_to_buffer().unwrap(), crate::forms::file::Format::Xlsx, Limits::default(), None).unwrap();
        assert_eq!((book.sheets.len(), book.sheets[0].name.as_str(), book.sheets[0].max_row()), (1, "未报送", Some(0)));
    }
}
