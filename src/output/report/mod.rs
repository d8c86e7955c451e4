//! The district workbook: the only user of rust_xlsxwriter in the program (the test form
//! writer in `testkit/` uses it too, outside the shipped binary).
//! Every value from a return is written as a string or a number, never as a formula, so
//! nothing typed by a submitter can become live content in the output.

mod official;
mod overview;

pub use official::Official;

use crate::config::{Settings, StockMode};
use crate::findings::{Finding, Severity};
use crate::forms::{IndicatorKind, Item, ItemStatus, Month, Monthly, SelfCheck, INDICATORS};
use crate::read::FileStatus;
use crate::rules::{Consolidated, MissingKind};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Color, ConditionalFormatFormula, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

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
    }
}

/// Write a table with frozen header, filter, widths fit for Chinese text and A4 setup.
fn table(ws: &mut Worksheet, st: &Styles, headers: &[&str], rows: &[(Vec<Out>, Option<u32>)]) -> Result<(), XlsxError> {
    // Long texts wrap inside a capped width so that a wide table still prints legibly when
    // fitted to the width of an A4 page; the columns people read in full get more room.
    let caps: Vec<f64> = headers.iter().map(|h| if WIDE_COLUMNS.contains(h) { 40.0 } else { 22.0 }).collect();
    let mut widths: Vec<f64> = headers.iter().map(|h| text_width(h) + 2.0).collect();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &st.header)?;
    }
    for (r, (row, fill)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        let mut lines = 1.0f64;
        for (c, cell) in row.iter().enumerate() {
            let c16 = c as u16;
            let pick = |f: &Format| match fill {
                Some(rgb) => f.clone().set_background_color(Color::RGB(*rgb)),
                None => f.clone(),
            };
            match cell {
                Out::Text(s) => {
                    let long = text_width(s) > caps[c] || s.contains('\n');
                    if long {
                        // Rows are not re-measured by every viewer: give wrapped text its height.
                        let l: f64 = s.lines().map(|l| (text_width(l) / ((caps[c] + 2.0) * 1.1)).ceil().max(1.0)).sum();
                        lines = lines.max(l);
                    }
                    ws.write_string_with_format(r, c16, s, &pick(if long { &st.wrap } else { &st.text }))?;
                    widths[c] = widths[c].max(text_width(s).min(caps[c]) + 2.0);
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
        if lines > 1.0 {
            ws.set_row_height(r, (lines * 14.0 + 3.0).min(409.0))?;
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !headers.is_empty() {
        ws.autofilter(0, 0, rows.len().max(1) as u32, headers.len() as u16 - 1)?;
    }
    print_setup(ws, headers.len() > 5, 0)?;
    Ok(())
}

/// A4, fit to width, header rows repeated, page numbers.
fn print_setup(ws: &mut Worksheet, landscape: bool, repeat_to: u32) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, repeat_to)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

const RED: u32 = 0xF8CBAD;
const ORANGE: u32 = 0xFCE4D6;
const GREEN: u32 = 0xE2EFDA;

/// Colour item rows by their 状态 cell with conditional formats (overdue red, incomplete
/// orange, done green), so the colour follows when a clerk updates a status by hand.
fn status_colours(ws: &mut Worksheet, rows: u32) -> Result<(), XlsxError> {
    if rows == 0 {
        return Ok(());
    }
    let col = ITEM_HEADERS.iter().position(|h| *h == "状态").expect("状态 is an item header") as u32;
    let letter = crate::read::workbook::a1(0, col).trim_end_matches('1').to_string();
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
        ws.add_conditional_format(1, 0, rows, ITEM_HEADERS.len() as u16 - 1, &rule)?;
    }
    Ok(())
}

/// Columns whose text is read in full get a wider cap before wrapping.
const WIDE_COLUMNS: [&str; 5] = ["问题描述", "说明（请按此修改）", "内容", "原因/说明", "说明"];

/// The name of the per-unit sheet, referenced by the overview's chart.
pub const UNIT_SHEET: &str = "分单位明细";

/// What the workbook says about how it was made.
pub struct Provenance<'a> {
    pub input: &'a str,
    pub generated: &'a str,
    pub roster_size: Option<usize>,
}

/// The units shown as columns: the configured ones in order, then any other that reported.
fn unit_order(c: &Consolidated, settings: &Settings) -> Vec<String> {
    let mut units = settings.units.clone();
    for m in c.monthlies() {
        if !units.contains(&m.unit) {
            units.push(m.unit.clone());
        }
    }
    units
}

/// The district's 附件2 content.
pub fn district_official(c: &Consolidated, settings: &Settings) -> Official {
    let texts = |pick: fn(&Monthly) -> &str| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = c.monthlies().filter(|m| !pick(m).trim().is_empty()).map(|m| (m.unit.clone(), pick(m).trim().to_string())).collect();
        let order = unit_order(c, settings);
        v.sort_by_key(|(u, _)| order.iter().position(|o| o == u));
        v
    };
    Official {
        unit: settings.district.clone(),
        month: Some(c.month),
        compiler: settings.compiler.clone(),
        contact: settings.contact.clone(),
        values: c.district.iter().map(|r| (r.indicator, r.this_month, r.cumulative)).collect(),
        cases: texts(|m| m.cases.as_str()),
        experience: texts(|m| m.experience.as_str()),
    }
}

/// Build the district workbook in memory.
///
/// # Errors
/// A rust_xlsxwriter error, which would be a bug (names and sizes are under our control).
pub fn build(c: &Consolidated, settings: &Settings, prov: &Provenance) -> Result<Vec<u8>, XlsxError> {
    let st = styles();
    let mut wb = Workbook::new();
    fix_creation_time(&mut wb);
    let district = settings.district.as_str();
    let units = unit_order(c, settings);

    // The overview comes first but charts reference 分单位明细, which is built below.
    let unit_columns: Vec<(String, u16)> =
        units.iter().enumerate().filter(|(_, u)| c.monthlies().any(|m| &m.unit == *u)).map(|(i, u)| (u.clone(), 2 + 2 * i as u16)).collect();
    let info = overview::RunInfo {
        district,
        input: prov.input,
        generated: prov.generated,
        roster_size: prov.roster_size,
        units: &settings.units,
        unit_columns,
        unit_rows: (2 + 3, 2 + INDICATORS.len() as u32 - 1),
    };
    let ws = wb.add_worksheet().set_name("概览")?;
    overview::write(ws, &st, c, &info)?;

    let ws = wb.add_worksheet().set_name("月度汇总表")?;
    official::write(ws, &st, &district_official(c, settings))?;

    let ws = wb.add_worksheet().set_name(UNIT_SHEET)?;
    per_unit(ws, &st, c, settings, &units)?;

    let ws = wb.add_worksheet().set_name("自查汇总")?;
    projects(ws, &st, c)?;

    // 整改台账: one row per reported problem.
    let ws = wb.add_worksheet().set_name("整改台账")?;
    let mut rows = Vec::new();
    for s in c.self_checks() {
        for i in s.items.iter().filter(|i| i.has_problem) {
            rows.push((item_row(s, i), None));
        }
    }
    table(ws, &st, &ITEM_HEADERS, &rows)?;
    status_colours(ws, rows.len() as u32)?;

    // 督办清单: overdue and incomplete items, most overdue first.
    let ws = wb.add_worksheet().set_name("督办清单")?;
    let mut chase: Vec<_> = c
        .self_checks()
        .flat_map(|s| s.items.iter().map(move |i| (s, i)))
        .filter(|(_, i)| matches!(i.status, ItemStatus::Overdue | ItemStatus::MissingDeadline | ItemStatus::MissingResponsible))
        .collect();
    chase.sort_by(|a, b| {
        b.1.days_overdue.unwrap_or(-1).cmp(&a.1.days_overdue.unwrap_or(-1)).then(a.0.project.cmp(&b.0.project)).then(a.1.item_no.cmp(&b.1.item_no))
    });
    let rows: Vec<_> = chase.iter().map(|(s, i)| (item_row(s, i), None)).collect();
    table(ws, &st, &ITEM_HEADERS, &rows)?;
    status_colours(ws, rows.len() as u32)?;

    let ws = wb.add_worksheet().set_name("未报送")?;
    let rows: Vec<_> = c.missing.iter().map(|m| (vec![m.kind.label().into(), m.name.clone().into(), m.detail.clone().into()], None)).collect();
    table(ws, &st, &["类别", "名称", "说明"], &rows)?;

    let ws = wb.add_worksheet().set_name("数据问题")?;
    findings_sheet(ws, &st, c.findings.iter())?;

    let ws = wb.add_worksheet().set_name("文件清单")?;
    let rows: Vec<_> = c
        .files
        .iter()
        .map(|f| {
            let fill = match f.status {
                FileStatus::Unreadable => Some(RED),
                FileStatus::Unrecognized => Some(ORANGE),
                _ => None,
            };
            (
                vec![
                    f.rel.clone().into(),
                    f.format.name().into(),
                    Out::Int(f.bytes as i64),
                    f.status.label().into(),
                    f.forms_label().into(),
                    f.reason.clone().into(),
                    f.sha256.clone().into(),
                ],
                fill,
            )
        })
        .collect();
    table(ws, &st, &["文件", "格式", "字节数", "处理结果", "识别出的表格", "原因/说明", "SHA-256"], &rows)?;

    let ws = wb.add_worksheet().set_name("典型案例与经验做法")?;
    texts_sheet(ws, &st, c.monthlies())?;

    wb.save_to_buffer()
}

/// With `SOURCE_DATE_EPOCH` set, the workbook's creation time is fixed, so the same input
/// gives byte-identical workbooks (reproducible builds convention).
fn fix_creation_time(wb: &mut Workbook) {
    if let Some(t) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse::<i64>().ok()) {
        if let Ok(dt) = ExcelDateTime::from_timestamp(t) {
            wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&dt));
        }
    }
}

/// One unit's own return, for `--split-by-unit`: its 附件2 in the official layout, its texts
/// and the findings on its files.
///
/// # Errors
/// rust_xlsxwriter's.
pub fn build_unit(c: &Consolidated, m: &Monthly) -> Result<Vec<u8>, XlsxError> {
    let st = styles();
    let mut wb = Workbook::new();
    fix_creation_time(&mut wb);
    let ws = wb.add_worksheet().set_name("月度汇总表")?;
    let official = Official {
        unit: m.unit.clone(),
        month: m.month,
        compiler: m.compiler.clone(),
        contact: m.contact.clone(),
        values: m.indicators.iter().map(|i| (i.id, i.this_month, i.cumulative)).collect(),
        cases: if m.cases.trim().is_empty() { vec![] } else { vec![(String::new(), m.cases.trim().to_string())] },
        experience: if m.experience.trim().is_empty() { vec![] } else { vec![(String::new(), m.experience.trim().to_string())] },
    };
    official::write(ws, &st, &official)?;
    let ws = wb.add_worksheet().set_name("典型案例与经验做法")?;
    texts_sheet(ws, &st, std::iter::once(m))?;
    let ws = wb.add_worksheet().set_name("数据问题")?;
    findings_sheet(ws, &st, c.findings.iter().filter(|f| f.location.path == m.source.path))?;
    wb.save_to_buffer()
}

fn findings_sheet<'a>(ws: &mut Worksheet, st: &Styles, findings: impl Iterator<Item = &'a Finding>) -> Result<(), XlsxError> {
    let rows: Vec<_> = findings
        .map(|f| {
            let fill = match f.severity {
                Severity::Error => Some(RED),
                Severity::Warning => Some(ORANGE),
                Severity::Info => None,
            };
            let (sheet, cell) = f.location.columns();
            (
                vec![
                    f.severity.label().into(),
                    f.code.as_str().into(),
                    f.location.path.clone().into(),
                    sheet.into(),
                    cell.into(),
                    f.field.clone().into(),
                    f.value.clone().into(),
                    f.message.clone().into(),
                ],
                fill,
            )
        })
        .collect();
    table(ws, st, &["级别", "代码", "文件", "工作表", "单元格", "栏目", "原始内容", "说明（请按此修改）"], &rows)
}

fn texts_sheet<'a>(ws: &mut Worksheet, st: &Styles, monthlies: impl Iterator<Item = &'a Monthly>) -> Result<(), XlsxError> {
    let mut rows = Vec::new();
    for m in monthlies {
        for (kind, text) in [("典型案例和事例", &m.cases), ("专项整治经验做法", &m.experience)] {
            if !text.trim().is_empty() {
                rows.push((
                    vec![m.unit.clone().into(), kind.into(), text.trim().to_string().into(), m.source.path.clone().into(), m.source.part_name().into()],
                    None,
                ));
            }
        }
    }
    table(ws, st, &["单位", "类别", "内容", "来源文件", "工作表"], &rows)?;
    ws.set_column_width(2, 70)?;
    Ok(())
}

/// 分单位明细: one pair of columns (本月, 累积) per unit, one row per indicator, the district
/// total last; the stock source's cells marked, conflicting stock values highlighted.
fn per_unit(ws: &mut Worksheet, st: &Styles, c: &Consolidated, settings: &Settings, units: &[String]) -> Result<(), XlsxError> {
    ws.merge_range(0, 0, 1, 0, "序号", &st.header)?;
    ws.merge_range(0, 1, 1, 1, "内容", &st.header)?;
    ws.set_column_width(0, 6)?;
    ws.set_column_width(1, 40)?;
    let reports: Vec<Option<&Monthly>> = units.iter().map(|u| c.monthlies().find(|m| &m.unit == u)).collect();
    let total_col = 2 + 2 * units.len() as u16;
    for (i, unit) in units.iter().enumerate() {
        let col = 2 + 2 * i as u16;
        let head = if reports[i].is_some() { unit.clone() } else { format!("{unit}（未报送）") };
        ws.merge_range(0, col, 0, col + 1, &head, &st.header)?;
        ws.write_string_with_format(1, col, "本月/数量", &st.header)?;
        ws.write_string_with_format(1, col + 1, "累积", &st.header)?;
        ws.set_column_width(col, 10)?;
        ws.set_column_width(col + 1, 10)?;
    }
    ws.merge_range(0, total_col, 0, total_col + 1, &format!("{}合计", settings.district), &st.header)?;
    ws.write_string_with_format(1, total_col, "本月/数量", &st.header)?;
    ws.write_string_with_format(1, total_col + 1, "累积", &st.header)?;
    ws.set_column_width(total_col, 11)?;
    ws.set_column_width(total_col + 1, 11)?;
    let source_mode = settings.stock_mode == StockMode::Source;
    for (r, d) in INDICATORS.iter().enumerate() {
        let (r, id) = (2 + r as u32, d.id);
        ws.write_string_with_format(r, 0, d.code, &st.center_cell)?;
        ws.write_string_with_format(r, 1, d.wording, &st.wrap)?;
        let stock = d.kind == IndicatorKind::Stock && source_mode;
        let source_value = reports.iter().flatten().find(|m| m.unit == settings.stock_source_unit).and_then(|m| m.get(id)).and_then(|i| i.this_month);
        for (i, report) in reports.iter().enumerate() {
            let col = 2 + 2 * i as u16;
            let ind = report.and_then(|m| m.get(id));
            let is_source = stock && units[i] == settings.stock_source_unit;
            let conflict =
                stock && !is_source && ind.and_then(|x| x.this_month).is_some() && source_value.is_some() && ind.and_then(|x| x.this_month) != source_value;
            let fmt = if is_source {
                &st.source
            } else if conflict {
                &st.conflict
            } else {
                &st.number
            };
            write_opt(ws, r, col, ind.and_then(|x| x.this_month), fmt)?;
            let cum = if id.single_column() { None } else { ind.and_then(|x| x.cumulative) };
            write_opt(ws, r, col + 1, cum, fmt)?;
        }
        let total = c.district.iter().find(|t| t.indicator == id);
        write_opt(ws, r, total_col, total.and_then(|t| t.this_month), &st.number)?;
        write_opt(ws, r, total_col + 1, if id.single_column() { None } else { total.and_then(|t| t.cumulative) }, &st.number)?;
    }
    let note_row = 2 + INDICATORS.len() as u32 + 1;
    let note = if source_mode {
        format!(
            "注：存量指标（1、2、3、13）全区数取{}的数（蓝色）；其他单位与之不一致的数标为橙色。活动指标（4–14）为各单位之和；空白表示未填，不按0计。",
            settings.stock_source_unit
        )
    } else {
        "注：全部指标为各单位之和；空白表示未填，不按0计。".to_string()
    };
    ws.merge_range(note_row, 0, note_row, total_col + 1, &note, &st.plain)?;
    ws.set_freeze_panes(2, 2)?;
    print_setup(ws, true, 1)?;
    Ok(())
}

fn write_opt(ws: &mut Worksheet, r: u32, c: u16, v: Option<i64>, fmt: &Format) -> Result<(), XlsxError> {
    match v {
        Some(v) => ws.write_number_with_format(r, c, v as f64, fmt)?,
        None => ws.write_blank(r, c, fmt)?,
    };
    Ok(())
}

/// 自查汇总: one row per project that submitted, then the roster's projects that did not.
fn projects(ws: &mut Worksheet, st: &Styles, c: &Consolidated) -> Result<(), XlsxError> {
    let mut rows = Vec::new();
    let mut forms: Vec<&SelfCheck> = c.self_checks().collect();
    forms.sort_by(|a, b| a.company.cmp(&b.company).then(a.project.cmp(&b.project)));
    for s in forms {
        let n = |st: &[ItemStatus]| s.items.iter().filter(|i| st.contains(&i.status)).count() as i64;
        let problems = s.items.iter().filter(|i| i.has_problem).count() as i64;
        let overdue = n(&[ItemStatus::Overdue]);
        let incomplete = n(&[ItemStatus::MissingDeadline, ItemStatus::MissingResponsible]);
        let fill = if overdue > 0 {
            Some(RED)
        } else if incomplete > 0 {
            Some(ORANGE)
        } else {
            None
        };
        rows.push((
            vec![
                s.project.clone().into(),
                s.company.clone().into(),
                s.fill_date.map_or(Out::Empty, Out::Date),
                "已报送".into(),
                Out::Int(problems),
                Out::Int(n(&[ItemStatus::Done])),
                Out::Int(n(&[ItemStatus::InProgress, ItemStatus::LongTerm])),
                Out::Int(overdue),
                Out::Int(incomplete),
                s.source.path.clone().into(),
                s.source.part_name().into(),
            ],
            fill,
        ));
    }
    for m in c.missing.iter().filter(|m| m.kind == MissingKind::Project) {
        let key = crate::clean::match_key(&m.name);
        let company = c.roster.iter().find(|r| crate::clean::match_key(&r.project) == key).map(|r| crate::clean::clean_text(&r.company)).unwrap_or_default();
        rows.push((
            vec![
                m.name.clone().into(),
                company.into(),
                Out::Empty,
                "未报送".into(),
                Out::Empty,
                Out::Empty,
                Out::Empty,
                Out::Empty,
                Out::Empty,
                Out::Empty,
                Out::Empty,
            ],
            Some(ORANGE),
        ));
    }
    table(ws, st, &["物业项目", "物业公司", "填报日期", "报送情况", "报告问题数", "已整改", "整改中", "已逾期", "信息不全", "来源文件", "工作表"], &rows)
}

const ITEM_HEADERS: [&str; 15] = [
    "物业项目",
    "物业公司",
    "填报日期",
    "序号",
    "问题描述",
    "整改责任人",
    "联系电话",
    "整改期限",
    "期限原文",
    "状态",
    "逾期天数",
    "其他列（如备注）",
    "来源文件",
    "工作表",
    "行",
];

fn item_row(s: &SelfCheck, i: &Item) -> Vec<Out> {
    vec![
        s.project.clone().into(),
        s.company.clone().into(),
        s.fill_date.map_or(Out::Empty, Out::Date),
        Out::Int(i.item_no.get() as i64),
        i.description.clone().into(),
        i.responsible.clone().into(),
        i.phone.clone().into(),
        i.deadline.date().map_or(Out::Empty, Out::Date),
        i.deadline_raw.clone().into(),
        i.status.label().into(),
        i.days_overdue.into(),
        i.extra.iter().map(|(h, v)| format!("{h}：{v}")).collect::<Vec<_>>().join("；").into(),
        s.source.path.clone().into(),
        s.source.part_name().into(),
        Out::Int(i.row as i64),
    ]
}

/// The workbook's file name: `{district}物业专项整治汇总_{YYYY}年{M}月.xlsx`.
pub fn file_name(district: &str, month: Month) -> String {
    format!("{district}物业专项整治汇总_{}.xlsx", month.label())
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
        assert_eq!(file_name("东湖风景区", Month::new(2021, 10).unwrap()), "东湖风景区物业专项整治汇总_2021年10月.xlsx");
    }
}
