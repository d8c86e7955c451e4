//! Extraction: the sheets of a workbook become forms. Each sheet is recognised by its content
//! (`recognise`), then read through a [`SheetReader`] by the extractor of its form
//! (`self_check` for 附件1, `monthly` for 附件2), which turns cells into records and findings.

pub mod monthly;
pub mod recognise;
pub mod self_check;
pub mod sheet_reader;

pub use sheet_reader::SheetReader;

use crate::clean::canonical_unit;
use crate::config::Settings;
use crate::findings::{At, Code, Finding, Location};
use crate::forms::{Form, REPORT_MARKER};
use crate::grid::{Limits, Sheet, Workbook};
use recognise::{classify, Kind};

/// The forms of one workbook.
#[derive(Debug, Default)]
pub struct Extracted {
    pub forms: Vec<Form>,
    pub findings: Vec<Finding>,
    /// For each sheet with a form's title but no table: why, for the file list.
    pub broken: Vec<String>,
}

/// Every form in `book`, the file at `rel` named `file_name`.
///
/// A district workbook huizong wrote (it carries [`REPORT_MARKER`]) gives only its official
/// 附件2, as a return one level up; its other sheets are results, not forms, and are skipped
/// with one info rather than read for forms.
pub fn forms_of(book: &Workbook, rel: &str, file_name: &str, settings: &Settings, fallback_year: i32) -> Extracted {
    let mut out = Extracted::default();
    let report = book.names.iter().any(|n| n.eq_ignore_ascii_case(REPORT_MARKER));
    let mut skipped = Vec::new();
    for sheet in &book.sheets {
        let place = Location::of_sheet(rel, sheet);
        if sheet.truncated {
            out.findings.push(Finding::new(
                Code::SheetTooLarge,
                place.clone(),
                "",
                "",
                format!(
                    "工作表超过读取上限（{} 个单元格、{} 行或 {} 秒），只读取了前面部分",
                    settings.max_cells_per_sheet,
                    Limits::default().max_row,
                    settings.max_seconds_per_file
                ),
            ));
        }
        match classify(sheet) {
            Kind::SelfCheck { header_row } => {
                let mut rd = SheetReader::new(sheet, rel);
                let form = self_check::extract(&mut rd, header_row, fallback_year);
                note_hidden(sheet, &mut rd);
                out.findings.extend(rd.finish());
                out.forms.push(Form::SelfCheck(form));
            }
            Kind::Monthly { header_row } => {
                let mut rd = SheetReader::new(sheet, rel);
                let mut form = monthly::extract(&mut rd, header_row, file_name);
                form.from_report = report;
                match_unit(&mut form, &mut rd, file_name, settings);
                out.findings.extend(rd.finish());
                out.forms.push(Form::Monthly(form));
            }
            _ if report => skipped.push(format!("“{}”", sheet.name)),
            Kind::Broken { form, reason } => {
                out.findings.push(Finding::new(Code::FormUnlocated, place, form, "", reason.clone()));
                out.broken.push(format!("工作表“{}”：{reason}", sheet.name));
            }
            Kind::None => {}
        }
    }
    if out.forms.is_empty() && text_lost(book) {
        out.broken.push(LOST_TEXT.to_string());
    }
    if report && !skipped.is_empty() {
        out.findings.push(Finding::new(
            Code::ReportSheetsSkipped,
            Location::file(rel),
            "工作表",
            "",
            format!("这是 huizong 生成的汇总工作簿：只读取其中的月度汇总表（附件2），其余工作表{}是汇总结果，不是报表，已跳过", skipped.join("、")),
        ));
    }
    out
}

/// Why a workbook whose words are question marks holds no form that can be found.
const LOST_TEXT: &str =
    "工作簿中的文字大多是“?”：文件是在不支持中文的系统或编码下保存的（如西文版 Excel 95），中文在保存时已丢失，无法恢复。请用原来的文件另存为 .xlsx 后重新报送";

/// Whether most texts of the workbook are runs of `?`: what a Chinese workbook looks like once
/// saved in a Western code page (every character it cannot hold becomes `?`, in the file).
fn text_lost(book: &Workbook) -> bool {
    let texts: Vec<&str> = book
        .sheets
        .iter()
        .flat_map(|s| s.cells.values())
        .filter_map(|v| match v {
            crate::grid::Value::Text(t) if !t.trim().is_empty() => Some(t.as_str()),
            _ => None,
        })
        .collect();
    let lost = texts.iter().filter(|t| t.contains("??")).count();
    lost >= 3 && lost * 2 >= texts.len()
}

fn note_hidden(sheet: &Sheet, rd: &mut SheetReader) {
    if sheet.hidden {
        rd.report(Code::SheetHidden, At::Whole, "", "", "此表格在隐藏的工作表中，已照常读取");
    }
}

/// The configured unit a 附件2 is from: its unit line, or its file name when the line is
/// blank; an unknown unit is kept under its cleaned name and reported.
///
/// A district workbook's 附件2 is from a district: without a config naming the units it is
/// kept under its district's name, which is what a city run expects (`rules::level`).
fn match_unit(form: &mut crate::forms::Monthly, rd: &mut SheetReader, file_name: &str, settings: &Settings) {
    if form.from_report && !settings.is_configured("units") {
        form.unit = crate::clean::display_text(&form.unit_raw);
        return;
    }
    let by_line = canonical_unit(&form.unit_raw, &settings.district, &settings.units);
    let by_name = || canonical_unit(file_name, &settings.district, &settings.units).filter(|_| form.unit_raw.is_empty());
    match by_line.or_else(by_name) {
        Some(unit) => form.unit = unit,
        None => {
            form.unit = crate::clean::display_text(&form.unit_raw);
            if !form.unit.is_empty() {
                rd.report(
                    Code::UnitUnknown,
                    At::Whole,
                    "单位",
                    &form.unit_raw,
                    format!("报送单位“{}”不在配置的单位名单中：已按原名汇总，如是名单内单位请写全称", form.unit_raw),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{Sheet, Value};

    fn book(texts: &[&str]) -> Workbook {
        let mut sheet = Sheet::default();
        for (i, t) in texts.iter().enumerate() {
            sheet.cells.insert((i as u32, 0), Value::Text(t.to_string()));
        }
        Workbook { sheets: vec![sheet], ..Workbook::default() }
    }

    #[test]
    fn question_marks_for_words_mean_the_text_was_lost_in_saving() {
        assert!(text_lost(&book(&["??1", "???????", "?????????  ???????2021?9?12?", "??", "1"])));
        // A question or two is just a question.
        assert!(!text_lost(&book(&["Why??", "Name", "Phone", "Total", "Notes"])));
        assert!(!text_lost(&book(&["专项整治自查表", "物业项目：梨园小区", "??"])));
        assert!(!text_lost(&book(&[])));
    }
}
