//! The tidy tables as polars frames, one per Parquet file, built from the consolidated
//! records. The only user of polars: it builds frames, it decides nothing.

use crate::findings::Finding;
use crate::forms::{Item, Monthly, SelfCheck};
use crate::layout::{Table, DISTRICT_COLUMNS, LEDGER_COLUMNS, MONTHLY_COLUMNS};
use crate::rules::ledger::{ClosedBy, LedgerRow};
use crate::rules::Settled;
use crate::rules::{Consolidated, DistrictRow, Missing};
use chrono::NaiveDate;
use polars::prelude::*;

/// Build the frame of one table, with the columns `table.columns()` names. The frames are
/// built one at a time, written and dropped, so that a city's run never holds all seven
/// beside its records.
///
/// # Errors
/// Only if polars fails to build a frame, which would be a bug.
pub fn build(c: &Consolidated, table: Table) -> PolarsResult<DataFrame> {
    match table {
        Table::Files => files_frame(&c.files),
        Table::Items => items_frame(c.self_checks().collect()),
        Table::Monthly => monthly_frame(c.all_monthlies()),
        Table::District => district_frame(&c.district, &c.month.to_string()),
        Table::Findings => findings_frame(&c.findings),
        Table::Missing => missing_frame(&c.missing),
        Table::Ledger => ledger_frame(&c.ledger),
    }
}

/// A text column from each row.
fn text<T>(name: &str, rows: &[T], f: impl Fn(&T) -> String) -> Column {
    Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
}

fn date_column(name: &str, dates: Vec<Option<NaiveDate>>) -> PolarsResult<Column> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    let days: Vec<Option<i32>> = dates.iter().map(|d| d.map(|d| (d - epoch).num_days() as i32)).collect();
    Column::new(name.into(), days).cast(&DataType::Date)
}

/// The ledger: one row per problem ever reported.
fn ledger_frame(rows: &[LedgerRow]) -> PolarsResult<DataFrame> {
    let month = |m: &Option<crate::forms::Month>| m.map(|m| m.to_string());
    let [item_id, project, company, item_no, description, first_month, first_deadline, deadline, extensions, status, closed_month, closed_by, months_open, path, note, responsible, phone] =
        LEDGER_COLUMNS;
    DataFrame::new(
        rows.len(),
        vec![
            text(item_id, rows, |r| r.item_id.clone()),
            text(project, rows, |r| r.project.clone()),
            text(company, rows, |r| r.company.clone()),
            Column::new(item_no.into(), rows.iter().map(|r| r.item_no as u32).collect::<Vec<_>>()),
            text(description, rows, |r| r.description.clone()),
            text(first_month, rows, |r| r.first_month.to_string()),
            date_column(first_deadline, rows.iter().map(|r| r.first_deadline).collect())?,
            date_column(deadline, rows.iter().map(|r| r.deadline).collect())?,
            Column::new(extensions.into(), rows.iter().map(|r| r.extensions).collect::<Vec<_>>()),
            text(status, rows, |r| r.state.name().to_string()),
            Column::new(closed_month.into(), rows.iter().map(|r| month(&r.state.closed_month())).collect::<Vec<_>>()),
            text(closed_by, rows, |r| r.closed_by().map_or("", ClosedBy::name).to_string()),
            Column::new(months_open.into(), rows.iter().map(|r| r.months_open).collect::<Vec<_>>()),
            text(path, rows, |r| r.path.clone()),
            text(note, rows, |r| r.note.clone()),
            text(responsible, rows, |r| r.responsible.clone()),
            text(phone, rows, |r| r.phone.clone()),
        ],
    )
}

fn files_frame(files: &[Settled]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        files.len(),
        vec![
            text("path", files, |f| f.rel.clone()),
            text("format", files, |f| f.format.name().to_string()),
            Column::new("bytes".into(), files.iter().map(|f| f.bytes).collect::<Vec<_>>()),
            text("sha256", files, |f| f.sha256.clone()),
            text("status", files, |f| f.status.name().to_string()),
            Column::new("forms".into(), files.iter().map(|f| f.forms().len() as u32).collect::<Vec<_>>()),
            text("reason", files, |f| f.reason.clone()),
        ],
    )
}

fn items_frame(forms: Vec<&SelfCheck>) -> PolarsResult<DataFrame> {
    let rows: Vec<(&SelfCheck, &Item)> = forms.into_iter().flat_map(|s| s.items.iter().map(move |i| (s, i))).collect();
    DataFrame::new(
        rows.len(),
        vec![
            text("path", &rows, |(s, _)| s.source.path.clone()),
            text("sheet", &rows, |(s, _)| s.source.part_name().to_string()),
            Column::new("row".into(), rows.iter().map(|(_, i)| i.row).collect::<Vec<_>>()),
            text("project", &rows, |(s, _)| s.project.clone()),
            text("company", &rows, |(s, _)| s.company.clone()),
            date_column("fill_date", rows.iter().map(|(s, _)| s.fill_date).collect())?,
            Column::new("item_no".into(), rows.iter().map(|(_, i)| i.item_no.get() as u32).collect::<Vec<_>>()),
            text("description", &rows, |(_, i)| i.description.clone()),
            Column::new("has_problem".into(), rows.iter().map(|(_, i)| i.has_problem).collect::<Vec<_>>()),
            text("responsible", &rows, |(_, i)| i.responsible.clone()),
            text("phone", &rows, |(_, i)| i.phone.clone()),
            date_column("deadline", rows.iter().map(|(_, i)| i.deadline.date()).collect())?,
            text("deadline_raw", &rows, |(_, i)| i.deadline_raw.clone()),
            text("status", &rows, |(_, i)| i.status.name().to_string()),
            Column::new("days_overdue".into(), rows.iter().map(|(_, i)| i.days_overdue).collect::<Vec<_>>()),
        ],
    )
}

fn monthly_frame<'a>(forms: impl Iterator<Item = &'a Monthly>) -> PolarsResult<DataFrame> {
    let rows: Vec<(&Monthly, &crate::forms::IndicatorValue)> = forms.flat_map(|m| m.indicators.iter().map(move |i| (m, i))).collect();
    let [path, sheet, unit, month, indicator, this_month, cumulative, cell] = MONTHLY_COLUMNS;
    DataFrame::new(
        rows.len(),
        vec![
            text(path, &rows, |(m, _)| m.source.path.clone()),
            text(sheet, &rows, |(m, _)| m.source.part_name().to_string()),
            text(unit, &rows, |(m, _)| m.unit.clone()),
            text(month, &rows, |(m, _)| m.month_text()),
            text(indicator, &rows, |(_, i)| i.id.code().to_string()),
            Column::new(this_month.into(), rows.iter().map(|(_, i)| i.this_month).collect::<Vec<_>>()),
            Column::new(cumulative.into(), rows.iter().map(|(_, i)| i.cumulative).collect::<Vec<_>>()),
            // Through the form's location, so that a Word table's cells count from its first row.
            text(cell, &rows, |(m, i)| m.source.at(i.at).columns().1),
        ],
    )
}

fn district_frame(rows: &[DistrictRow], month_text: &str) -> PolarsResult<DataFrame> {
    let [month, indicator, this_month, cumulative, units] = DISTRICT_COLUMNS;
    DataFrame::new(
        rows.len(),
        vec![
            text(month, rows, |_| month_text.to_string()),
            text(indicator, rows, |r| r.indicator.code().to_string()),
            Column::new(this_month.into(), rows.iter().map(|r| r.this_month).collect::<Vec<_>>()),
            Column::new(cumulative.into(), rows.iter().map(|r| r.cumulative).collect::<Vec<_>>()),
            text(units, rows, |r| r.units.clone()),
        ],
    )
}

fn findings_frame(findings: &[Finding]) -> PolarsResult<DataFrame> {
    let columns: Vec<(String, String)> = findings.iter().map(|f| f.location.columns()).collect();
    DataFrame::new(
        findings.len(),
        vec![
            text("severity", findings, |f| f.severity.name().to_string()),
            text("code", findings, |f| f.code.as_str().to_string()),
            text("path", findings, |f| f.location.path.clone()),
            Column::new("sheet".into(), columns.iter().map(|c| c.0.clone()).collect::<Vec<_>>()),
            Column::new("cell".into(), columns.iter().map(|c| c.1.clone()).collect::<Vec<_>>()),
            text("field", findings, |f| f.field.clone()),
            text("value", findings, |f| f.value.clone()),
            text("message", findings, |f| f.message_text()),
        ],
    )
}

fn missing_frame(missing: &[Missing]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        missing.len(),
        vec![text("kind", missing, |m| m.kind.name().to_string()), text("name", missing, |m| m.name.clone()), text("detail", missing, |m| m.detail.clone())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_frame_has_the_columns_its_table_names() {
        let month = crate::forms::Month::new(2021, 10).unwrap();
        let as_of = NaiveDate::from_ymd_opt(2021, 11, 20).unwrap();
        let c = crate::rules::consolidate(
            vec![],
            &crate::rules::level::Level::of(&crate::config::Settings::default()),
            month,
            as_of,
            None,
            &crate::rules::Past::default(),
        );
        for table in Table::ALL {
            let frame = build(&c, table).unwrap();
            let names: Vec<&str> = frame.get_column_names().iter().map(|n| n.as_str()).collect();
            assert_eq!(names, table.columns(), "{}", table.name());
        }
    }
}
