//! 概览: what the workbook is, the counts a supervisor asks for first, and native charts.

use super::{Styles, UNIT_SHEET};
use crate::findings::Severity;
use crate::forms::file::FileStatus;
use crate::forms::{ItemStatus, INDICATORS};
use crate::rules::trend::MonthPoint;
use crate::rules::{Consolidated, MissingKind};
use rust_xlsxwriter::{Chart, ChartType, Worksheet, XlsxError};

/// What the overview says about the run itself.
pub struct RunInfo<'a> {
    pub district: &'a str,
    pub input: &'a str,
    pub generated: &'a str,
    pub roster_size: Option<usize>,
    pub units: &'a [String],
    /// Rows of the 分单位明细 sheet for indicators 4..14, and the 本月 column of each unit.
    pub unit_columns: Vec<(String, u16)>,
    pub unit_rows: (u32, u32),
}

/// Write a label/count block starting at `row`; returns the next free row and the data rows.
fn block(ws: &mut Worksheet, st: &Styles, row: u32, title: &str, rows: &[(String, i64)]) -> Result<(u32, u32, u32), XlsxError> {
    ws.merge_range(row, 0, row, 1, title, &st.header)?;
    let first = row + 1;
    for (i, (label, n)) in rows.iter().enumerate() {
        let r = first + i as u32;
        ws.write_string_with_format(r, 0, label, &st.text)?;
        ws.write_number_with_format(r, 1, *n as f64, &st.number)?;
    }
    let last = first + rows.len() as u32 - 1;
    Ok((last + 2, first, last))
}

/// Write the overview on `ws`.
///
/// # Errors
/// rust_xlsxwriter's, which would be a bug.
pub fn write(ws: &mut Worksheet, st: &Styles, c: &Consolidated, info: &RunInfo) -> Result<(), XlsxError> {
    ws.set_column_width(0, 30)?;
    ws.set_column_width(1, 14)?;
    ws.merge_range(0, 0, 0, 1, &format!("{}物业专项整治汇总概览", info.district), &st.title)?;
    ws.set_row_height(0, 30)?;
    let row = about(ws, st, c, info)?;
    let (focus_rows, status_rows, counts_end) = counts(ws, st, c, info, row)?;
    charts(ws, info, focus_rows, status_rows)?;
    // Counts on the left, this month's charts on the right: page 1. A campaign of several
    // months adds a page of trend charts below, after a page break that no count block or
    // chart straddles. A fixed scale rather than fit-to-page, because Excel ignores manual
    // page breaks on a sheet fitted to pages.
    let page_two = counts_end.max(MONTH_CHARTS_END);
    if trend_charts(ws, c, page_two)? {
        ws.set_page_breaks(&[page_two])?;
    }
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_scale(OVERVIEW_PRINT_SCALE);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// The row under this month's charts on the overview (the unit chart's 360 px from row 33).
const MONTH_CHARTS_END: u32 = 52;

/// The overview's print scale in percent: its page 1 (about 65 rows of counts beside three
/// charts) fits one landscape A4 page.
const OVERVIEW_PRINT_SCALE: u16 = 55;

/// What the workbook is about; returns the next free row.
fn about(ws: &mut Worksheet, st: &Styles, c: &Consolidated, info: &RunInfo) -> Result<u32, XlsxError> {
    let about = [
        ("地区", info.district.to_string()),
        (crate::layout::OVERVIEW_MONTH, c.month.label()),
        ("活动阶段", crate::forms::campaign::describe(c.month)),
        ("截止日期（判断逾期）", c.as_of.format("%Y年%-m月%-d日").to_string()),
        ("生成时间", info.generated.to_string()),
        ("输入文件夹", info.input.to_string()),
        ("生成工具", format!("huizong {}", env!("CARGO_PKG_VERSION"))),
    ];
    for (i, (k, v)) in about.iter().enumerate() {
        ws.write_string_with_format(1 + i as u32, 0, *k, &st.text)?;
        ws.write_string_with_format(1 + i as u32, 1, v, &st.text)?;
    }
    Ok(1 + about.len() as u32 + 1)
}

/// The first and last data row of a block.
type Rows = (u32, u32);

/// The count blocks from `row` down; returns the rows of the focus and status blocks, which
/// the charts plot, and the row under the last block.
fn counts(ws: &mut Worksheet, st: &Styles, c: &Consolidated, info: &RunInfo, mut row: u32) -> Result<(Rows, Rows, u32), XlsxError> {
    let n = &c.counts;
    let files: Vec<(String, i64)> =
        FileStatus::ALL.iter().map(|s| (s.label().to_string(), n.file(*s) as i64)).chain(std::iter::once(("合计".to_string(), n.files_total as i64))).collect();
    row = block(ws, st, row, "文件", &files)?.0;
    let mut projects = vec![("已报送自查表".to_string(), n.self_checks as i64)];
    if let Some(size) = info.roster_size {
        projects.insert(0, ("名册应报".to_string(), size as i64));
        projects.push(("未报送".to_string(), n.missing(MissingKind::Project) as i64));
    }
    row = block(ws, st, row, "物业项目", &projects)?.0;
    let units = [("应报".into(), info.units.len() as i64), ("已报".into(), n.monthly_this_month as i64), ("未报".into(), n.missing(MissingKind::Unit) as i64)];
    row = block(ws, st, row, "报送单位（附件2）", &units)?.0;
    // The ledger's counts (this month's point of the campaign, rules::trend) come before this
    // month's returns': its 已逾期 is the one that counts.
    let mut ledger: Vec<(String, i64)> = match c.trend.last() {
        Some(p) => LEDGER_TREND.iter().map(|(label, count)| (label.to_string(), count(p) as i64)).collect(),
        None => Vec::new(),
    };
    ledger.push(("其中人工销号".to_string(), n.ledger.closed_by_clerk as i64));
    row = block(ws, st, row, "整改台账（含往月带入，已逾期以此为准）", &ledger)?.0;
    let by_focus: Vec<(String, i64)> = n.problems_by_focus.iter().map(|(f, k)| (format!("{f} {}", f.def().chart_label), *k as i64)).collect();
    let (next, focus_first, focus_last) = block(ws, st, row, "报告问题（按整改重点）", &by_focus)?;
    let count = |s: &[ItemStatus]| s.iter().map(|s| n.item(*s)).sum::<usize>() as i64;
    let by_status = vec![
        ("已整改".to_string(), count(&[ItemStatus::Done])),
        ("整改中".to_string(), count(&[ItemStatus::InProgress])),
        ("本月报表中已逾期".to_string(), count(&[ItemStatus::Overdue])),
        ("长期整改".to_string(), count(&[ItemStatus::LongTerm])),
        ("信息不全（缺期限或责任人）".to_string(), count(&[ItemStatus::MissingDeadline, ItemStatus::MissingResponsible])),
    ];
    let (next, status_first, status_last) = block(ws, st, next, "本月报表中的问题（按整改状态）", &by_status)?;
    let mut sev: Vec<(String, i64)> = Severity::ALL.iter().map(|s| (s.label().to_string(), n.finding(*s) as i64)).collect();
    sev.push(("其中经人工核实或销号".to_string(), n.findings_handled as i64));
    let end = block(ws, st, next, "数据问题（按级别）", &sev)?.0;
    Ok(((focus_first, focus_last), (status_first, status_last), end))
}

/// Native charts: problems by focus and by status, and each unit's work this month.
fn charts(ws: &mut Worksheet, info: &RunInfo, focus: Rows, status: Rows) -> Result<(), XlsxError> {
    for (kind, title, (first, last), at) in
        [(ChartType::Bar, "报告问题（按整改重点）", focus, 1), (ChartType::Column, "本月报表中的问题（按整改状态）", status, 17)]
    {
        let mut chart = Chart::new(kind);
        chart.title().set_name(title);
        chart.add_series().set_categories(("概览", first, 0, last, 0)).set_values(("概览", first, 1, last, 1)).set_name("问题数");
        chart.legend().set_hidden();
        ws.insert_chart(at, 3, &chart)?;
    }
    if !info.unit_columns.is_empty() {
        let mut chart = Chart::new(ChartType::Column);
        // A log scale: one indicator counted in hundreds (leaflets) would otherwise flatten
        // every other unit's bar to nothing.
        chart.title().set_name("各单位本月工作量（指标4–14，对数刻度）");
        chart.y_axis().set_log_base(10);
        let (first, last) = info.unit_rows;
        for (unit, col) in &info.unit_columns {
            chart.add_series().set_categories((UNIT_SHEET, first, 0, last, 0)).set_values((UNIT_SHEET, first, *col, last, *col)).set_name(unit.as_str());
        }
        chart.set_width(720).set_height(360);
        ws.insert_chart(33, 3, &chart)?;
    }
    Ok(())
}

/// The sheet the trend charts read: the ledger's counts and the district's 本月 values, one
/// column per month of the campaign.
pub const TREND_SHEET: &str = "各月趋势";

/// The ledger rows of the trend sheet, under its header row: (label, value of a month).
type Count = fn(&MonthPoint) -> usize;
const LEDGER_TREND: [(&str, Count); 4] =
    [("未销号问题", |p| p.open), ("其中已逾期", |p| p.overdue), ("本月销号", |p| p.closed_this_month), ("累计销号", |p| p.closed_total)];

/// The first row of the indicator block of the trend sheet (its header row).
const INDICATOR_TREND_ROW: u32 = LEDGER_TREND.len() as u32 + 2;

/// 各月趋势: each month of the campaign the history store holds, and this one.
pub fn trend_sheet(ws: &mut Worksheet, st: &Styles, c: &Consolidated) -> Result<(), XlsxError> {
    ws.set_column_width(0, 44)?;
    for (header_row, title) in [(0, "整改台账（月末）"), (INDICATOR_TREND_ROW, "全区指标（本月/数量）")] {
        ws.write_string_with_format(header_row, 0, title, &st.header)?;
        for (j, p) in c.trend.iter().enumerate() {
            ws.write_string_with_format(header_row, 1 + j as u16, p.month.label(), &st.header)?;
            ws.set_column_width(1 + j as u16, 13)?;
        }
    }
    for (i, (label, value)) in LEDGER_TREND.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_string_with_format(r, 0, *label, &st.text)?;
        for (j, p) in c.trend.iter().enumerate() {
            ws.write_number_with_format(r, 1 + j as u16, value(p) as f64, &st.number)?;
        }
    }
    for (i, d) in INDICATORS.iter().enumerate() {
        let r = INDICATOR_TREND_ROW + 1 + i as u32;
        ws.write_string_with_format(r, 0, format!("{} {}", d.code, d.short), &st.text)?;
        for (j, p) in c.trend.iter().enumerate() {
            match p.value(d.id) {
                Some(v) => ws.write_number_with_format(r, 1 + j as u16, v as f64, &st.number)?,
                None => ws.write_blank(r, 1 + j as u16, &st.number)?,
            };
        }
    }
    ws.set_freeze_panes(1, 1)?;
    super::style::print_setup(ws, true, 0)?;
    super::style::page_header(ws, st, TREND_SHEET);
    Ok(())
}

/// Month-by-month charts on the overview from row `top`, once the campaign has two months or
/// more: the ledger's open, overdue and closed problems, and the district's work (indicators
/// 4–14). Returns whether it drew them.
fn trend_charts(ws: &mut Worksheet, c: &Consolidated, top: u32) -> Result<bool, XlsxError> {
    if c.trend.len() < 2 {
        return Ok(false);
    }
    let last = c.trend.len() as u16;
    let mut chart = Chart::new(ChartType::Line);
    chart.title().set_name("各月整改台账（未销号、已逾期、累计销号）");
    for r in [1u32, 2, 4] {
        chart.add_series().set_categories((TREND_SHEET, 0, 1, 0, last)).set_values((TREND_SHEET, r, 1, r, last)).set_name((TREND_SHEET, r, 0));
    }
    chart.set_width(720).set_height(300);
    ws.insert_chart(top, 3, &chart)?;
    let row_of = |code: &str| INDICATORS.iter().position(|d| d.code == code).map(|i| INDICATOR_TREND_ROW + 1 + i as u32);
    if let (Some(first), Some(end)) = (row_of("4"), row_of("14")) {
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name("各月全区工作量（指标4–14，本月）");
        for j in 1..=last {
            chart.add_series().set_categories((TREND_SHEET, first, 0, end, 0)).set_values((TREND_SHEET, first, j, end, j)).set_name((
                TREND_SHEET,
                INDICATOR_TREND_ROW,
                j,
            ));
        }
        chart.set_width(720).set_height(360);
        ws.insert_chart(top + 16, 3, &chart)?;
    }
    Ok(true)
}
