//! The district workbook, with rust_xlsxwriter (which `template/` and `annotate.rs` use too,
//! with this module's styles).
//! Every value from a return is written as a string or a number, never as a formula, so
//! nothing typed by a submitter can become live content in the output.

pub mod official;
mod overview;
mod sheets;
mod style;

pub use official::Official;
pub use style::{input_styles, text_width, Styles};

use crate::config::Settings;
use crate::forms::{Month, Monthly, INDICATORS, REPORT_MARKER};
use crate::rules::feedback::Notice;
use crate::rules::Consolidated;
use rust_xlsxwriter::{ExcelDateTime, Workbook, XlsxError};
use style::styles;

/// The name of the per-unit sheet, referenced by the overview's chart.
pub use crate::layout::UNIT_SHEET;

/// The clerk's mark of each finding, in order (none when no marks were read).
fn marks_of_findings(c: &Consolidated) -> impl Iterator<Item = (&str, Option<&crate::rules::marks::Mark>)> {
    (0..c.findings.len()).map(|i| (c.submitters.get(i).map_or("", String::as_str), c.marks.on_findings.get(i).and_then(Option::as_ref)))
}

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
        // A unit that wrote 无 (or nothing) has no line in the official form.
        let said = |text: &str| !crate::extract::self_check::says_no_problem(text);
        let mut v: Vec<(String, String)> = c.monthlies().filter(|m| said(pick(m))).map(|m| (m.unit.clone(), pick(m).trim().to_string())).collect();
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

/// Write the district workbook into the file at `path` (through a temporary file beside it,
/// renamed when complete).
///
/// # Errors
/// The file's own I/O error, or [`crate::error::Error::Internal`] for a rust_xlsxwriter error
/// that is not about the file (a bug: names and sizes are under our control).
pub fn write_file(path: &std::path::Path, c: &Consolidated, settings: &Settings, prov: &Provenance, notices: &[Notice]) -> Result<(), crate::error::Error> {
    let mut internal = None;
    super::tables::write_atomic(path, |f| {
        let mut w = std::io::BufWriter::new(f);
        match write(c, settings, prov, notices, &mut w) {
            Ok(()) => std::io::Write::flush(&mut w),
            Err(XlsxError::IoError(e)) => Err(e),
            Err(e) => {
                let why = e.to_string();
                internal = Some(why.clone());
                Err(std::io::Error::other(why))
            }
        }
    })
    .map_err(|e| match internal.take() {
        Some(why) => crate::error::Error::Internal { what: "生成工作簿".into(), why },
        None => crate::error::Error::output("无法写入工作簿")(e),
    })
}

/// Write the district workbook to `out`; `notices` are this month's replies (反馈汇总).
/// The list sheets are streamed row by row, so a city's workbook is never held in memory.
///
/// # Errors
/// A rust_xlsxwriter error: writing to `out` failed, or a bug (names and sizes are under our
/// control).
pub fn write<W: std::io::Write + std::io::Seek + Send>(
    c: &Consolidated,
    settings: &Settings,
    prov: &Provenance,
    notices: &[Notice],
    out: W,
) -> Result<(), XlsxError> {
    let mut st = styles();
    st.page_title = format!("{}物业专项整治汇总 {}", settings.district, c.month.label());
    let mut wb = Workbook::new();
    fix_creation_time(&mut wb);
    // Excel's own level: a third less time than the default 6 for a file about 5 % larger.
    wb.set_zip_compression_level(3);
    // The marker that lets the next level up recognise this workbook (see REPORT_MARKER).
    wb.define_name(REPORT_MARKER, "='概览'!$A$1")?;
    let units = unit_order(c, settings);
    // The overview comes first but its charts reference 分单位明细, which is built below.
    let info = run_info(c, settings, prov, &units);
    overview::write(wb.add_worksheet().set_name(crate::layout::OVERVIEW)?, &st, c, &info)?;
    official::write(wb.add_worksheet().set_name(crate::layout::OFFICIAL_SHEET)?, &st, &district_official(c, settings))?;
    sheets::per_unit(wb.add_worksheet().set_name(UNIT_SHEET)?, &st, c, settings, &units)?;
    sheets::projects(&mut wb, &st, c)?;
    sheets::ledger_sheets(&mut wb, &st, c)?;
    sheets::missing(&mut wb, &st, c)?;
    sheets::findings_sheet(&mut wb, &st, c.findings.iter().zip(marks_of_findings(c)))?;
    sheets::feedback_sheet(&mut wb, &st, notices)?;
    sheets::file_list(&mut wb, &st, c)?;
    sheets::texts_sheet(&mut wb, &st, c.monthlies())?;
    overview::trend_sheet(wb.add_worksheet().set_name(overview::TREND_SHEET)?, &st, c)?;
    sheets::mark_record(&mut wb, &st, c)?;
    wb.save_to_writer(out)
}

/// What the overview says about the run, and where its unit chart finds its data.
fn run_info<'a>(c: &Consolidated, settings: &'a Settings, prov: &Provenance<'a>, units: &[String]) -> overview::RunInfo<'a> {
    let unit_columns: Vec<(String, u16)> =
        units.iter().enumerate().filter(|(_, u)| c.monthlies().any(|m| &m.unit == *u)).map(|(i, u)| (u.clone(), 2 + 2 * i as u16)).collect();
    overview::RunInfo {
        district: &settings.district,
        input: prov.input,
        generated: prov.generated,
        roster_size: prov.roster_size,
        units: &settings.units,
        unit_columns,
        unit_rows: (2 + 3, 2 + INDICATORS.len() as u32 - 1),
    }
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
    let ws = wb.add_worksheet().set_name(crate::layout::OFFICIAL_SHEET)?;
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
    sheets::texts_sheet(&mut wb, &st, std::iter::once(m))?;
    sheets::findings_sheet(&mut wb, &st, c.findings.iter().zip(marks_of_findings(c)).filter(|(f, _)| f.location.path == m.source.path))?;
    wb.save_to_buffer()
}

/// The workbook for the city: the district's official 附件2 alone, as the notice lays it out
/// (汇总人 and 联系方式 from the configuration, no empty 无 lines), carrying the marker that
/// lets huizong read it one level up.
///
/// # Errors
/// rust_xlsxwriter's.
pub fn build_report(c: &Consolidated, settings: &Settings) -> Result<Vec<u8>, XlsxError> {
    let st = styles();
    let mut wb = Workbook::new();
    fix_creation_time(&mut wb);
    official::write(wb.add_worksheet().set_name(crate::layout::OFFICIAL_SHEET)?, &st, &district_official(c, settings))?;
    wb.define_name(REPORT_MARKER, &format!("='{}'!$A$1", crate::layout::OFFICIAL_SHEET))?;
    wb.save_to_buffer()
}

/// The workbook's file name: `{district}物业专项整治汇总_{YYYY}年{M}月.xlsx`.
pub fn file_name(district: &str, month: Month) -> String {
    crate::layout::workbook_name(district, month)
}

/// Whether a file name is that of a district workbook (or a copy of one the run kept).
pub fn is_workbook_name(name: &str) -> bool {
    crate::layout::month_of_workbook_name(name).is_some()
}

/// Who signs the replies: the district, and the compiler with a phone when configured.
pub fn sender(settings: &Settings) -> String {
    [settings.district.as_str(), settings.compiler.as_str(), settings.contact.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ")
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
