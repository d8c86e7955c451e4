//! The district workbook: the only user of rust_xlsxwriter. Every value from a return is
//! written as a string or a number, never as a formula, so nothing typed by a submitter can
//! become live content in the output.

use crate::consolidate::Consolidated;
use crate::model::{indicator_name, single_column, DeadlineValue, ItemStatus};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

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
    s.lines()
        .map(|l| l.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum::<f64>())
        .fold(0.0, f64::max)
}

struct Styles {
    header: Format,
    text: Format,
    wrap: Format,
    date: Format,
    number: Format,
}

fn styles() -> Styles {
    let base = Format::new().set_font_name("宋体").set_font_charset(134).set_font_size(10.5).set_border(FormatBorder::Thin);
    Styles {
        header: base.clone().set_bold().set_background_color(Color::RGB(0xD9E1F2)).set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter).set_text_wrap(),
        text: base.clone().set_align(FormatAlign::VerticalCenter),
        wrap: base.clone().set_text_wrap().set_align(FormatAlign::VerticalCenter),
        date: base.clone().set_num_format("yyyy年m月d日").set_align(FormatAlign::VerticalCenter),
        number: base.set_align(FormatAlign::VerticalCenter),
    }
}

/// Write a titled table with frozen header, filter, widths fit for Chinese text and A4 setup.
fn table(ws: &mut Worksheet, st: &Styles, headers: &[&str], rows: &[(Vec<Out>, Option<u32>)]) -> Result<(), XlsxError> {
    let mut widths: Vec<f64> = headers.iter().map(|h| text_width(h) + 2.0).collect();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
    }
    for (r, (row, fill)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c16 = c as u16;
            let pick = |f: &Format| match fill {
                Some(rgb) => f.clone().set_background_color(Color::RGB(*rgb)),
                None => f.clone(),
            };
            match cell {
                Out::Text(s) => {
                    let long = text_width(s) > 40.0 || s.contains('\n');
                    ws.write_string_with_format(r, c16, s, &pick(if long { &st.wrap } else { &st.text }))?;
                    widths[c] = widths[c].max(text_width(s).min(50.0) + 2.0);
                }
                Out::Int(v) => {
                    ws.write_number_with_format(r, c16, *v as f64, &pick(&st.number))?;
                    widths[c] = widths[c].max(v.to_string().len() as f64 + 2.0);
                }
                Out::Date(d) => {
                    let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_datetime_with_format(r, c16, &dt, &pick(&st.date))?;
                    widths[c] = widths[c].max(16.0);
                }
                Out::Empty => {
                    ws.write_blank(r, c16, &pick(&st.text))?;
                }
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, w.min(52.0))?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !headers.is_empty() {
        ws.autofilter(0, 0, rows.len() as u32, headers.len() as u16 - 1)?;
    }
    ws.set_paper_size(9);
    if headers.len() > 5 {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

const RED: u32 = 0xF8CBAD;
const ORANGE: u32 = 0xFCE4D6;
const GREEN: u32 = 0xE2EFDA;

fn status_fill(s: ItemStatus) -> Option<u32> {
    match s {
        ItemStatus::Overdue => Some(RED),
        ItemStatus::MissingDeadline | ItemStatus::MissingResponsible => Some(ORANGE),
        ItemStatus::Done => Some(GREEN),
        _ => None,
    }
}

/// Build the workbook in memory.
///
/// # Errors
/// A rust_xlsxwriter error, which would be a bug (names and sizes are under our control).
pub fn build(c: &Consolidated, district: &str) -> Result<Vec<u8>, XlsxError> {
    let st = styles();
    let mut wb = Workbook::new();

    // 月度汇总: the district's 附件2 values.
    let ws = wb.add_worksheet().set_name("月度汇总")?;
    let rows: Vec<(Vec<Out>, Option<u32>)> = c
        .district
        .iter()
        .map(|r| {
            let single = single_column(&r.indicator);
            (
                vec![
                    r.indicator.as_str().into(),
                    indicator_name(&r.indicator).into(),
                    r.this_month.into(),
                    if single { Out::Empty } else { r.cumulative.into() },
                    r.units.clone().into(),
                ],
                None,
            )
        })
        .collect();
    table(ws, &st, &["序号", "内容", "数量/本月", "累积", "数据来源单位"], &rows)?;
    ws.set_header(&format!("&C{district}专项整治月度工作汇总表（{}）", month_label(&c.month)));

    // 整改台账: one row per reported problem.
    let ws = wb.add_worksheet().set_name("整改台账")?;
    let mut rows = Vec::new();
    for s in c.self_checks() {
        for i in s.items.iter().filter(|i| i.has_problem) {
            rows.push((item_row(s.project.as_str(), s.company.as_str(), s.fill_date, i, &s.path, &s.sheet), status_fill(i.status)));
        }
    }
    table(ws, &st, &ITEM_HEADERS, &rows)?;

    // 督办清单: overdue and incomplete items, most overdue first.
    let ws = wb.add_worksheet().set_name("督办清单")?;
    let mut chase: Vec<_> = c
        .self_checks()
        .flat_map(|s| s.items.iter().map(move |i| (s, i)))
        .filter(|(_, i)| matches!(i.status, ItemStatus::Overdue | ItemStatus::MissingDeadline | ItemStatus::MissingResponsible))
        .collect();
    chase.sort_by(|a, b| b.1.days_overdue.unwrap_or(-1).cmp(&a.1.days_overdue.unwrap_or(-1)).then(a.0.project.cmp(&b.0.project)).then(a.1.item_no.cmp(&b.1.item_no)));
    let rows: Vec<_> = chase.iter().map(|(s, i)| (item_row(&s.project, &s.company, s.fill_date, i, &s.path, &s.sheet), status_fill(i.status))).collect();
    table(ws, &st, &ITEM_HEADERS, &rows)?;

    // 未报送
    let ws = wb.add_worksheet().set_name("未报送")?;
    let rows: Vec<_> = c
        .missing
        .iter()
        .map(|m| (vec![if m.kind == "project" { "物业项目" } else { "单位" }.into(), m.name.clone().into(), m.detail.clone().into()], None))
        .collect();
    table(ws, &st, &["类别", "名称", "说明"], &rows)?;

    // 数据问题
    let ws = wb.add_worksheet().set_name("数据问题")?;
    let rows: Vec<_> = c
        .findings
        .iter()
        .map(|f| {
            let fill = match f.severity {
                crate::model::Severity::Error => Some(RED),
                crate::model::Severity::Warning => Some(ORANGE),
                crate::model::Severity::Info => None,
            };
            (
                vec![
                    f.severity.label().into(),
                    f.code.into(),
                    f.path.clone().into(),
                    f.sheet.clone().into(),
                    f.cell.clone().into(),
                    f.field.clone().into(),
                    f.value.clone().into(),
                    f.message.clone().into(),
                ],
                fill,
            )
        })
        .collect();
    table(ws, &st, &["级别", "代码", "文件", "工作表", "单元格", "栏目", "原始内容", "说明（请按此修改）"], &rows)?;

    // 文件清单
    let ws = wb.add_worksheet().set_name("文件清单")?;
    let rows: Vec<_> = c
        .files
        .iter()
        .map(|f| {
            (
                vec![
                    f.rel.clone().into(),
                    f.format.clone().into(),
                    Out::Int(f.bytes as i64),
                    f.status.label().into(),
                    f.forms_label().into(),
                    f.reason.clone().into(),
                    f.sha256.clone().into(),
                ],
                None,
            )
        })
        .collect();
    table(ws, &st, &["文件", "格式", "字节数", "处理结果", "识别出的表格", "原因/说明", "SHA-256"], &rows)?;

    wb.save_to_buffer()
}

const ITEM_HEADERS: [&str; 14] = [
    "物业项目", "物业公司", "填报日期", "序号", "问题描述", "整改责任人", "联系电话", "整改期限", "期限原文", "状态", "逾期天数", "来源文件", "工作表", "行",
];

fn item_row(project: &str, company: &str, fill: Option<NaiveDate>, i: &crate::model::Item, path: &str, sheet: &str) -> Vec<Out> {
    vec![
        project.into(),
        company.into(),
        fill.map_or(Out::Empty, Out::Date),
        Out::Int(i.item_no as i64),
        i.description.clone().into(),
        i.responsible.clone().into(),
        i.phone.clone().into(),
        match i.deadline {
            DeadlineValue::Date(d) => Out::Date(d),
            _ => Out::Empty,
        },
        i.deadline_raw.clone().into(),
        i.status.label().into(),
        i.days_overdue.into(),
        path.into(),
        sheet.into(),
        Out::Int(i.row as i64),
    ]
}

/// `2021-10` → `2021年10月`.
pub fn month_label(month: &str) -> String {
    match crate::clean::parse_month(month) {
        Some((y, m)) => format!("{y}年{m}月"),
        None => month.to_string(),
    }
}

/// The workbook's file name: `{district}物业专项整治汇总_{YYYY}年{M}月.xlsx`.
pub fn file_name(district: &str, month: &str) -> String {
    format!("{district}物业专项整治汇总_{}.xlsx", month_label(month))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_counts_double() {
        assert_eq!(text_width("abc"), 3.0);
        assert_eq!(text_width("东湖"), 4.0);
        assert_eq!(text_width("东湖\nabcdef"), 6.0);
    }

    #[test]
    fn workbook_name() {
        assert_eq!(file_name("东湖风景区", "2021-10"), "东湖风景区物业专项整治汇总_2021年10月.xlsx");
    }
}
