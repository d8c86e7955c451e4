//! Test support for huizong, kept out of the shipped program: writes filled-in forms the way
//! submitters lay them out, with rust_xlsxwriter. Used by the integration tests (random
//! layouts and typing habits) and by `examples/make_input.rs` (the shipped `input/` folder)
//! and `examples/make_bench.rs`. It reads the same form tables as the program, so a form it
//! writes follows the program's idea of the form.

pub mod docx;

use chrono::{Datelike, NaiveDate};
use huizong::forms::{FOCUS, INDICATORS};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// A cell as a submitter typed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Typed {
    Blank,
    Text(String),
    Number(f64),
    /// A real date cell with a `yyyy"年"m"月"d"日"` format.
    Date(NaiveDate),
}

impl From<&str> for Typed {
    fn from(s: &str) -> Self {
        if s.is_empty() {
            Typed::Blank
        } else {
            Typed::Text(s.to_string())
        }
    }
}
impl From<f64> for Typed {
    fn from(n: f64) -> Self {
        Typed::Number(n)
    }
}
impl From<i64> for Typed {
    fn from(n: i64) -> Self {
        Typed::Number(n as f64)
    }
}

/// Where the form starts and how its header line is laid out.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Empty rows above the form.
    pub top: u32,
    /// Empty columns left of the form.
    pub left: u16,
    /// Write `附件1` / `附件2` above the title.
    pub attachment_line: bool,
    /// Header labels and values in separate cells instead of one merged line.
    pub split_header: bool,
    /// Header texts with line breaks, as in the notice (`序\n号`).
    pub broken_headers: bool,
    /// An extra column (such as 备注) with this header.
    pub extra_column: Option<String>,
}

/// One row of a 附件1.
#[derive(Debug, Clone)]
pub struct ItemRow {
    pub no: Typed,
    pub focus: String,
    pub description: Typed,
    pub responsible: Typed,
    pub deadline: Typed,
    pub extra: Typed,
}

impl ItemRow {
    /// A row that reports nothing.
    pub fn none(no: u8) -> ItemRow {
        ItemRow::new(no, "无", "", "")
    }
    /// A row with a problem, responsible person and deadline as typed.
    pub fn new(no: u8, description: &str, responsible: &str, deadline: &str) -> ItemRow {
        ItemRow {
            no: Typed::Number(no as f64),
            focus: FOCUS[no as usize - 1].wording.to_string(),
            description: description.into(),
            responsible: responsible.into(),
            deadline: deadline.into(),
            extra: Typed::Blank,
        }
    }
}

/// A filled-in 附件1.
#[derive(Debug, Clone)]
pub struct SelfCheckForm {
    pub project: String,
    pub company: String,
    /// As typed after `填报日期：`, e.g. `2021年10月28日` or `2021年  月  日`.
    pub fill_date: String,
    pub rows: Vec<ItemRow>,
    pub layout: Layout,
}

/// A filled-in 附件2; `values` holds (indicator, 本月 or 数量, 累积) in form order.
#[derive(Debug, Clone)]
pub struct MonthlyForm {
    /// As typed before `（盖章）`, e.g. `东湖风景区公安分局`.
    pub unit: String,
    /// As typed, e.g. `（2021年10月）`.
    pub month: String,
    pub compiler: String,
    pub contact: String,
    pub values: Vec<(&'static str, Typed, Typed)>,
    /// Write 5.1 on its own row instead of inside 5's cells as `5（2）`.
    pub part_row: bool,
    pub cases: String,
    pub experience: String,
    pub layout: Layout,
}

fn write(ws: &mut Worksheet, row: u32, col: u16, v: &Typed, date: &Format) -> Result<(), XlsxError> {
    match v {
        Typed::Blank => {}
        Typed::Text(s) => {
            ws.write_string(row, col, s)?;
        }
        Typed::Number(n) => {
            ws.write_number(row, col, *n)?;
        }
        Typed::Date(d) => {
            let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            ws.write_datetime_with_format(row, col, &dt, date)?;
        }
    }
    Ok(())
}

fn date_format() -> Format {
    Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"")
}

/// Write a 附件1 on `ws`.
///
/// # Errors
/// rust_xlsxwriter's, for cells outside the sheet.
pub fn write_self_check(ws: &mut Worksheet, f: &SelfCheckForm) -> Result<(), XlsxError> {
    let (mut r, c) = (f.layout.top, f.layout.left);
    let date = date_format();
    if f.layout.attachment_line {
        ws.write_string(r, c, "附件1")?;
        r += 1;
    }
    ws.merge_range(r, c, r, c + 4, "专项整治自查表", &Format::new())?;
    r += 1;
    if f.layout.split_header {
        ws.write_string(r, c, "物业项目：")?;
        ws.write_string(r, c + 1, &f.project)?;
        ws.write_string(r, c + 2, "物业公司名称（盖章）：")?;
        ws.write_string(r, c + 3, &f.company)?;
        ws.write_string(r, c + 4, format!("填报日期：{}", f.fill_date))?;
    } else {
        let line = format!("物业项目：{}        物业公司名称（盖章）：{}        填报日期：{}", f.project, f.company, f.fill_date);
        ws.merge_range(r, c, r, c + 4, &line, &Format::new())?;
    }
    r += 1;
    let headers = if f.layout.broken_headers {
        ["序\n号", "整改重点", "问题描述", "整改责任人及联系方式", "整改完\n成期限"]
    } else {
        ["序号", "整改重点", "问题描述", "整改责任人及联系方式", "整改完成期限"]
    };
    for (i, h) in headers.iter().enumerate() {
        ws.write_string(r, c + i as u16, *h)?;
    }
    if let Some(extra) = &f.layout.extra_column {
        ws.write_string(r, c + 5, extra)?;
    }
    for row in &f.rows {
        r += 1;
        write(ws, r, c, &row.no, &date)?;
        ws.write_string(r, c + 1, &row.focus)?;
        write(ws, r, c + 2, &row.description, &date)?;
        write(ws, r, c + 3, &row.responsible, &date)?;
        write(ws, r, c + 4, &row.deadline, &date)?;
        write(ws, r, c + 5, &row.extra, &date)?;
    }
    Ok(())
}

/// Write a 附件2 on `ws`.
///
/// # Errors
/// rust_xlsxwriter's, for cells outside the sheet.
pub fn write_monthly(ws: &mut Worksheet, f: &MonthlyForm) -> Result<(), XlsxError> {
    let (mut r, c) = (f.layout.top, f.layout.left);
    let date = date_format();
    if f.layout.attachment_line {
        ws.write_string(r, c, "附件2")?;
        r += 1;
    }
    ws.merge_range(r, c, r, c + 3, "专项整治月度工作汇总表", &Format::new())?;
    ws.merge_range(r + 1, c, r + 1, c + 3, &f.month, &Format::new())?;
    let unit_line = format!("{}（盖章）   汇总人：{}   联系方式：{}", f.unit, f.compiler, f.contact);
    ws.merge_range(r + 2, c, r + 2, c + 3, &unit_line, &Format::new())?;
    r += 3;
    ws.write_string(r, c, "序号")?;
    ws.write_string(r, c + 1, "内容")?;
    ws.write_string(r, c + 2, "数量")?;
    let get = |id: &str| f.values.iter().find(|(i, _, _)| *i == id).map(|(_, a, b)| (a.clone(), b.clone()));
    let mut split_written = false;
    for d in &INDICATORS {
        if d.part_of.is_some() && !f.part_row {
            continue;
        }
        if !d.id.single_column() && !split_written {
            split_written = true;
            r += 1;
            ws.write_string(r, c, "专项整治工作开展以来")?;
            ws.write_string(r, c + 2, "本月")?;
            ws.write_string(r, c + 3, "累积")?;
        }
        let Some((a, b)) = get(d.code) else { continue };
        r += 1;
        match d.code.parse::<f64>() {
            Ok(n) if d.part_of.is_none() => ws.write_number(r, c, n)?,
            _ => ws.write_string(r, c, d.code)?,
        };
        // The notice writes the “其中” part inside its whole's wording: `查处问题小区数(其中，…）`.
        let label = match INDICATORS.iter().find(|p| p.part_of == Some(d.id)) {
            Some(part) => format!("{}({}）", d.wording, part.wording),
            None => d.wording.to_string(),
        };
        ws.write_string(r, c + 1, &label)?;
        write(ws, r, c + 2, &a, &date)?;
        write(ws, r, c + 3, &b, &date)?;
    }
    r += 1;
    ws.write_string(r, c, "项   目")?;
    ws.write_string(r, c + 1, "详 细 描 述")?;
    ws.write_string(r + 1, c, "典型案例\n和事例")?;
    if !f.cases.is_empty() {
        ws.write_string(r + 1, c + 1, &f.cases)?;
    }
    ws.write_string(r + 2, c, "专项整治\n经验做法")?;
    if !f.experience.is_empty() {
        ws.write_string(r + 2, c + 1, &f.experience)?;
    }
    Ok(())
}

/// A workbook holding one form per sheet, as bytes.
///
/// # Errors
/// rust_xlsxwriter's.
pub fn workbook(sheets: &[(&str, SheetForm)]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    for (name, form) in sheets {
        let ws = wb.add_worksheet().set_name(*name)?;
        match form {
            SheetForm::SelfCheck(f) => write_self_check(ws, f)?,
            SheetForm::Monthly(f) => write_monthly(ws, f)?,
            SheetForm::Text(lines) => {
                for (i, l) in lines.iter().enumerate() {
                    ws.write_string(i as u32, 0, l)?;
                }
            }
        }
    }
    wb.save_to_buffer()
}

/// What one sheet holds.
#[derive(Debug, Clone)]
pub enum SheetForm {
    SelfCheck(SelfCheckForm),
    Monthly(MonthlyForm),
    /// Plain lines of text, such as an instruction sheet.
    Text(Vec<String>),
}
