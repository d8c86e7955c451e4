//! The list sheets of the workbook: 自查汇总, 整改台账, 督办清单, 未报送, 数据问题, 文件清单,
//! 典型案例与经验做法, and the per-unit breakdown 分单位明细.

use super::style::{clerk_columns, print_setup, status_colours, table_sheets, Out, Row, Styles, ORANGE, RED};
use crate::config::{Settings, StockMode};
use crate::findings::{Finding, Severity};
use crate::forms::file::FileStatus;
use crate::forms::{Item, Monthly, SelfCheck, INDICATORS};
use crate::layout;
use crate::rules::counts::ProjectCounts;
use crate::rules::ledger::{self, ClosedBy, LedgerRow};
use crate::rules::marks::Mark;
use crate::rules::totals::{stock_role, StockRole};
use crate::rules::{Consolidated, MissingKind};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// The clerk's two cells of a row: the mark carried from the previous workbook, if any.
fn clerk_cells(mark: Option<&Mark>) -> [Out; 2] {
    match mark {
        Some(m) => [m.shown().into(), m.note.clone().into()],
        None => [Out::Empty, Out::Empty],
    }
}

/// 数据问题: every finding with its place, and the clerk's mark carried from the previous
/// workbook; a finding the clerk has checked or closed is no longer coloured.
pub fn findings_sheet<'a>(wb: &mut Workbook, st: &Styles, findings: impl Iterator<Item = (&'a Finding, (&'a str, Option<&'a Mark>))>) -> Result<(), XlsxError> {
    let rows = findings.map(|(f, (submitter, mark))| -> Row {
        let handled = mark.is_some_and(Mark::is_handled);
        let fill = match f.severity {
            _ if handled => None,
            Severity::Error => Some(RED),
            Severity::Warning => Some(ORANGE),
            Severity::Info => None,
        };
        let [mark, note] = clerk_cells(mark);
        let (sheet, cell) = f.location.columns();
        (
            vec![
                f.severity.label().into(),
                f.code.as_str().into(),
                f.location.path.clone().into(),
                submitter.into(),
                sheet.into(),
                cell.into(),
                f.field.clone().into(),
                f.value.clone().into(),
                f.message_text().into(),
                mark,
                note,
            ],
            fill,
        )
    });
    table_sheets(wb, layout::FINDINGS.name, st, layout::FINDINGS.headers, rows, &|ws, n| clerk_columns(ws, layout::FINDINGS.headers, n))
}

pub fn texts_sheet<'a>(wb: &mut Workbook, st: &Styles, monthlies: impl Iterator<Item = &'a Monthly>) -> Result<(), XlsxError> {
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
    table_sheets(wb, "典型案例与经验做法", st, &["单位", "类别", "内容", "来源文件", "工作表"], rows, &|ws, _| {
        // The texts read in full on a wide column: landscape, so the page is not shrunk to fit.
        ws.set_column_width(2, 70)?;
        ws.set_landscape();
        Ok(())
    })
}

/// 分单位明细: one pair of columns (本月, 累积) per unit, one row per indicator, the district
/// total last; the stock source's cells marked, conflicting stock values highlighted.
pub fn per_unit(ws: &mut Worksheet, st: &Styles, c: &Consolidated, settings: &Settings, units: &[String]) -> Result<(), XlsxError> {
    let reports: Vec<Option<&Monthly>> = units.iter().map(|u| c.monthlies().find(|m| &m.unit == u)).collect();
    let total_col = 2 + 2 * units.len() as u16;
    per_unit_header(ws, st, units, &reports, &settings.district)?;
    let source_mode = settings.stock_mode == StockMode::Source;
    for (r, d) in INDICATORS.iter().enumerate() {
        let (r, id) = (2 + r as u32, d.id);
        ws.write_string_with_format(r, 0, d.code, &st.center_cell)?;
        ws.write_string_with_format(r, 1, d.wording, &st.wrap)?;
        let source_value = reports.iter().flatten().find(|m| m.unit == settings.stock_source_unit).and_then(|m| m.get(id)).and_then(|i| i.this_month);
        for (i, report) in reports.iter().enumerate() {
            let col = 2 + 2 * i as u16;
            let ind = report.and_then(|m| m.get(id));
            let fmt = match stock_role(settings, id, &units[i], ind.and_then(|x| x.this_month), source_value) {
                StockRole::Source => &st.source,
                StockRole::Conflict => &st.conflict,
                StockRole::Plain => &st.number,
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
    super::style::page_header(ws, st, layout::UNIT_SHEET);
    Ok(())
}

/// Two header rows: 序号, 内容, a 本月/累积 pair per unit (marked when it did not report), the
/// district total.
fn per_unit_header(ws: &mut Worksheet, st: &Styles, units: &[String], reports: &[Option<&Monthly>], district: &str) -> Result<(), XlsxError> {
    ws.merge_range(0, 0, 1, 0, "序号", &st.header)?;
    ws.merge_range(0, 1, 1, 1, "内容", &st.header)?;
    ws.set_column_width(0, 6)?;
    ws.set_column_width(1, 40)?;
    let mut heads: Vec<(String, f64)> = units
        .iter()
        .zip(reports)
        .map(|(unit, report)| (if report.is_some() { unit.clone() } else { format!("{unit}{}", layout::UNIT_NOT_REPORTED) }, 10.0))
        .collect();
    heads.push((format!("{district}合计"), 11.0));
    for (i, (head, width)) in heads.iter().enumerate() {
        let col = 2 + 2 * i as u16;
        ws.merge_range(0, col, 0, col + 1, head, &st.header)?;
        ws.write_string_with_format(1, col, "本月/数量", &st.header)?;
        ws.write_string_with_format(1, col + 1, "累积", &st.header)?;
        ws.set_column_width(col, *width)?;
        ws.set_column_width(col + 1, *width)?;
    }
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
pub fn projects(wb: &mut Workbook, st: &Styles, c: &Consolidated) -> Result<(), XlsxError> {
    let mut forms: Vec<&SelfCheck> = c.self_checks().collect();
    forms.sort_by(|a, b| a.company.cmp(&b.company).then(a.project.cmp(&b.project)));
    let total = ProjectCounts::total(forms.iter().copied());
    let (sent, not_sent) = (forms.len(), c.missing.iter().filter(|m| m.kind == MissingKind::Project).count());
    let submitted = forms.into_iter().map(|s| -> Row {
        let n = ProjectCounts::of(s);
        let fill = if n.overdue > 0 {
            Some(RED)
        } else if n.incomplete > 0 {
            Some(ORANGE)
        } else {
            None
        };
        (
            vec![
                s.project.clone().into(),
                s.company.clone().into(),
                s.fill_date.map_or(Out::Empty, Out::Date),
                "已报送".into(),
                Out::Int(n.problems as i64),
                Out::Int(n.done as i64),
                Out::Int(n.in_progress as i64),
                Out::Int(n.long_term as i64),
                Out::Int(n.overdue as i64),
                Out::Int(n.incomplete as i64),
                s.source.path.clone().into(),
                s.source.part_name().into(),
            ],
            fill,
        )
    });
    let missing = c.missing.iter().filter(|m| m.kind == MissingKind::Project).map(|m| -> Row {
        (
            vec![
                m.name.clone().into(),
                m.company.clone().into(),
                Out::Empty,
                "未报送".into(),
                Out::Empty,
                Out::Empty,
                Out::Empty,
                Out::Empty,
                Out::Empty,
                Out::Empty,
                Out::Empty,
                Out::Empty,
            ],
            Some(ORANGE),
        )
    });
    // The total row: the same numbers as the overview's block of this month's returns.
    let total_row: Row = (
        vec![
            "合计".into(),
            Out::Empty,
            Out::Empty,
            format!("已报送{sent}，未报送{not_sent}").into(),
            Out::Int(total.problems as i64),
            Out::Int(total.done as i64),
            Out::Int(total.in_progress as i64),
            Out::Int(total.long_term as i64),
            Out::Int(total.overdue as i64),
            Out::Int(total.incomplete as i64),
            Out::Empty,
            Out::Empty,
        ],
        None,
    );
    let headers = ["物业项目", "物业公司", "填报日期", "报送情况", "报告问题数", "已整改", "整改中", "长期整改", "已逾期", "信息不全", "来源文件", "工作表"];
    table_sheets(wb, "自查汇总", st, &headers, submitted.chain(missing).chain(std::iter::once(total_row)), &|_, _| Ok(()))
}

/// 整改台账 and 督办清单, from the ledger and this month's returns (looked up once for both).
pub fn ledger_sheets(wb: &mut Workbook, st: &Styles, c: &Consolidated) -> Result<(), XlsxError> {
    let mentioned = mentioned(c);
    ledger(wb, st, c, &mentioned)?;
    chase(wb, st, c, &mentioned)
}

/// 整改台账: one row per problem ever reported (the ledger), with this month's responsible
/// person where a return mentions it; problems carried from earlier months included.
fn ledger(wb: &mut Workbook, st: &Styles, c: &Consolidated, mentioned: &Mentioned) -> Result<(), XlsxError> {
    let rows = c.ledger.iter().map(|r| (ledger_row(c, mentioned, r), None));
    table_sheets(wb, layout::LEDGER.name, st, layout::LEDGER.headers, rows, &item_columns)
}

/// The clerk's columns and the status colours of a table of ledger rows.
fn item_columns(ws: &mut Worksheet, rows: u32) -> Result<(), XlsxError> {
    clerk_columns(ws, layout::LEDGER.headers, rows)?;
    status_colours(ws, layout::LEDGER.headers, rows)
}

/// 督办清单: the open problems of the ledger that are overdue or incomplete (no deadline, no
/// responsible person), carried ones included, most overdue first.
fn chase(wb: &mut Workbook, st: &Styles, c: &Consolidated, mentioned: &Mentioned) -> Result<(), XlsxError> {
    let rows = ledger::chase_list(&c.ledger, c.as_of).into_iter().map(|r| (ledger_row(c, mentioned, r), None));
    table_sheets(wb, layout::CHASE.name, st, layout::CHASE.headers, rows, &item_columns)
}

/// This month's items by (normalised project, item number): what the returns say now.
type Mentioned<'a> = std::collections::HashMap<(String, u8), &'a Item>;

fn mentioned(c: &Consolidated) -> Mentioned<'_> {
    c.self_checks().flat_map(|s| s.items.iter().map(move |i| ((crate::clean::match_key(&s.project), i.item_no.get()), i))).collect()
}

/// One ledger row as the sheets show it, with this month's responsible person and extra
/// columns where a return mentions the problem.
fn ledger_row(c: &Consolidated, mentioned: &Mentioned, r: &LedgerRow) -> Vec<Out> {
    let item = mentioned.get(&(crate::clean::match_key(&r.project), r.item_no));
    let [mark, note] = clerk_cells(c.marks.item(&r.item_id));
    vec![
        r.project.clone().into(),
        r.company.clone().into(),
        Out::Int(r.item_no as i64),
        r.description.clone().into(),
        item.filter(|i| !i.responsible.is_empty()).map_or_else(|| r.responsible.clone(), |i| i.responsible.clone()).into(),
        item.filter(|i| !i.responsible.is_empty()).map_or_else(|| r.phone.clone(), |i| i.phone.clone()).into(),
        r.first_month.label().into(),
        r.first_deadline.map_or(Out::Empty, Out::Date),
        r.deadline.map_or(Out::Empty, Out::Date),
        r.state.label().into(),
        r.days_overdue(c.as_of).into(),
        Out::Int(r.extensions as i64),
        Out::Int(r.months_open as i64),
        r.state.closed_month().map(|m| m.label()).unwrap_or_default().into(),
        r.closed_by().map_or("", ClosedBy::label).into(),
        r.path.clone().into(),
        r.item_id.clone().into(),
        item.map(|i| i.extra.iter().map(|(h, v)| format!("{h}：{v}")).collect::<Vec<_>>().join("；")).unwrap_or_default().into(),
        mark,
        note,
    ]
}

/// 处理记录: the clerk's marks whose finding or problem no longer appears, resolved, carried
/// from workbook to workbook so that nothing typed is lost.
pub fn mark_record(wb: &mut Workbook, st: &Styles, c: &Consolidated) -> Result<(), XlsxError> {
    let rows = c.marks.resolved.iter().map(|r| -> Row {
        let cells = vec![
            r.what.clone().into(),
            r.mark.shown().into(),
            r.mark.note.clone().into(),
            r.mark.month.to_string().into(),
            r.last_seen.to_string().into(),
            "已不再出现（视为已解决）".into(),
        ];
        (cells, None)
    });
    // With nothing resolved yet the sheet is kept (the next run reads it) but hidden, so that
    // printing the workbook does not print a page of headers alone.
    table_sheets(wb, layout::RECORD.name, st, layout::RECORD.headers, rows, &|ws, written| {
        if written == 0 {
            ws.set_hidden(true);
        }
        Ok(())
    })
}

/// 未报送: who was expected and did not return.
pub fn missing(wb: &mut Workbook, st: &Styles, c: &Consolidated) -> Result<(), XlsxError> {
    let rows = c.missing.iter().map(|m| (vec![m.kind.label().into(), m.name.clone().into(), m.detail.clone().into()], None));
    table_sheets(wb, "未报送", st, &["类别", "名称", "说明"], rows, &|_, _| Ok(()))
}

/// 文件清单: every input file and what became of it.
pub fn file_list(wb: &mut Workbook, st: &Styles, c: &Consolidated) -> Result<(), XlsxError> {
    let rows = c.files.iter().map(|f| -> Row {
        let fill = match f.status {
            FileStatus::Unreadable => Some(RED),
            FileStatus::Unrecognized => Some(ORANGE),
            _ => None,
        };
        let cells = vec![
            f.rel.clone().into(),
            f.format.name().into(),
            Out::Int(f.bytes as i64),
            f.status.label().into(),
            f.forms_label().into(),
            f.reason.clone().into(),
            f.sha256.clone().into(),
        ];
        (cells, fill)
    });
    table_sheets(wb, layout::FILES.name, st, layout::FILES.headers, rows, &|_, _| Ok(()))
}

/// 反馈汇总: who must resubmit what, and who has not sent anything (the files are in
/// `OUTPUT/反馈/`).
pub fn feedback_sheet(wb: &mut Workbook, st: &Styles, notices: &[crate::rules::feedback::Notice]) -> Result<(), XlsxError> {
    use crate::rules::feedback::NoticeKind;
    let rows = notices.iter().map(|n| -> Row {
        let count = |s: Severity| n.findings.iter().filter(|f| f.severity == s).count() as i64;
        let todo = match n.kind {
            NoticeKind::Return => format!("修改{}处后重新报送", n.findings.len()),
            NoticeKind::Remind => format!("报送{}（{}）", n.form, n.detail),
        };
        let fill = match n.kind {
            NoticeKind::Return if count(Severity::Error) > 0 => Some(RED),
            _ => Some(ORANGE),
        };
        let file = crate::output::feedback::stem(n);
        let printable = match n.kind {
            NoticeKind::Return => crate::output::feedback::RETURNS_DOC,
            NoticeKind::Remind => crate::output::feedback::REMINDERS_DOC,
        };
        let cells = vec![
            n.kind.label().into(),
            n.name.clone().into(),
            n.company.clone().into(),
            n.contact.clone().into(),
            n.files.join("、").into(),
            Out::Int(count(Severity::Error)),
            Out::Int(count(Severity::Warning)),
            todo.into(),
            Out::Date(n.deadline),
            format!("反馈/{file}.txt；{printable}").into(),
        ];
        (cells, fill)
    });
    let headers = ["类别", "对象", "物业公司", "联系人", "报送文件", "错误", "警告", "需要做什么", "重新报送期限", "通知文件"];
    table_sheets(wb, "反馈汇总", st, &headers, rows, &|_, _| Ok(()))
}
