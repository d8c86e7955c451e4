//! `huizong template` (`docs/contract.md`, "Other commands and the replies"): blank 附件1 and 附件2 in the notice's official layout, for the
//! submitters. The workbooks resist wrong input: every input cell has data validation with an
//! input message saying what to type (a deadline is a date, 已整改 or 长期坚持; a count is a
//! whole number ≥ 0; the fill date is a date), the labels are locked and the sheet is protected
//! without a password. The Word versions (`docx.rs`) are the notice's own tables, since many
//! units fill in Word. A template filled with typical values reads back with no finding.

pub mod docx;

use super::report::official::{self, Official};
use super::report::{input_styles, Styles};
use crate::error::Error;
use crate::forms::{FOCUS, INDICATORS};
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError};

/// How the 附件1 templates of a roster are split into files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    /// One workbook per project.
    Project,
    /// One workbook per company, a sheet per project.
    Company,
}

/// What [`write_all`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub files: usize,
    /// The roster's projects a 附件1 was made for.
    pub projects: usize,
}

/// Every template into `out`: the blank 附件1 and 附件2 (.xlsx and .docx), one 附件2 per
/// configured unit, and with a roster one 附件1 per project (as .docx, and as .xlsx per project
/// or per company).
///
/// # Errors
/// The folder or a file cannot be written, or a workbook cannot be built (a bug).
pub fn write_all(out: &std::path::Path, roster: Option<&[crate::forms::RosterEntry]>, settings: &crate::config::Settings, per: Per) -> Result<Written, Error> {
    use super::safe_file_name;
    std::fs::create_dir_all(out).map_err(Error::output(format!("无法创建文件夹“{}”", out.display())))?;
    let book = |r: Result<Vec<u8>, XlsxError>| r.map_err(|e| Error::Internal { what: "生成模板".into(), why: e.to_string() });
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("附件1_专项整治自查表.xlsx".into(), book(self_check_book(&[]))?),
        ("附件1_专项整治自查表.docx".into(), docx::self_check(&Project::default())),
        ("附件2_专项整治月度工作汇总表.xlsx".into(), book(monthly_book("", stock_source(settings)))?),
        ("附件2_专项整治月度工作汇总表.docx".into(), docx::monthly("")),
    ];
    for unit in &settings.units {
        let name = safe_file_name(unit);
        files.push((format!("附件2_{name}_专项整治月度工作汇总表.xlsx"), book(monthly_book(unit, stock_source(settings)))?));
        files.push((format!("附件2_{name}_专项整治月度工作汇总表.docx"), docx::monthly(unit)));
    }
    let projects: Vec<Project> = roster
        .unwrap_or_default()
        .iter()
        .map(|r| Project { project: crate::clean::display_text(&r.project), company: crate::clean::display_text(&r.company) })
        .filter(|p| !p.project.is_empty())
        .collect();
    for p in &projects {
        let stem = if p.company.is_empty() { safe_file_name(&p.project) } else { format!("{}_{}", safe_file_name(&p.company), safe_file_name(&p.project)) };
        files.push((format!("附件1_{stem}_自查表.docx"), docx::self_check(p)));
        if per == Per::Project {
            files.push((format!("附件1_{stem}_自查表.xlsx"), book(self_check_book(std::slice::from_ref(p)))?));
        }
    }
    if per == Per::Company {
        let mut companies: Vec<&str> = projects.iter().map(|p| p.company.as_str()).collect();
        companies.sort_unstable();
        companies.dedup();
        for company in companies {
            let own: Vec<Project> = projects.iter().filter(|p| p.company == company).cloned().collect();
            let name = if company.is_empty() { "未写物业公司".to_string() } else { safe_file_name(company) };
            files.push((format!("附件1_{name}_自查表.xlsx"), book(self_check_book(&own))?));
        }
    }
    for (name, bytes) in &files {
        super::tables::write_atomic(&out.join(name), |f| std::io::Write::write_all(f, bytes)).map_err(Error::output(format!("无法写入“{name}”")))?;
    }
    Ok(Written { files: files.len(), projects: projects.len() })
}

/// One 附件1 to make: the project and company, filled in when the roster names them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Project {
    pub project: String,
    pub company: String,
}

/// The row of the 附件1 table header; the six items follow.
pub const SELF_CHECK_HEADER_ROW: u32 = 4;
/// The deadline column (E).
const DEADLINE_COL: u16 = 4;

/// A workbook of 附件1 forms, one sheet per project (named after it), or one blank sheet
/// `附件1` for an empty list.
///
/// # Errors
/// rust_xlsxwriter's, which would be a bug (a sheet name is made safe first).
pub fn self_check_book(projects: &[Project]) -> Result<Vec<u8>, XlsxError> {
    let st = input_styles();
    let mut wb = Workbook::new();
    let blank = [Project::default()];
    let projects = if projects.is_empty() { &blank[..] } else { projects };
    let mut names: Vec<String> = Vec::new();
    for p in projects {
        let name = unique(super::safe_sheet_name(if p.project.is_empty() { "附件1" } else { &p.project }), &names);
        names.push(name.clone());
        self_check_sheet(wb.add_worksheet().set_name(&name)?, &st, p)?;
    }
    wb.save_to_buffer()
}

/// A workbook with one blank 附件2 for `unit` (empty: the unit line is left to fill).
///
/// # Errors
/// rust_xlsxwriter's.
pub fn monthly_book(unit: &str, stock_source: Option<&str>) -> Result<Vec<u8>, XlsxError> {
    let st = input_styles();
    let mut wb = Workbook::new();
    monthly_sheet(wb.add_worksheet().set_name("附件2")?, &st, unit, stock_source)?;
    wb.save_to_buffer()
}

fn unique(name: String, taken: &[String]) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
        let suffix = format!("({n})");
        candidate = format!("{}{suffix}", name.chars().take(31 - suffix.chars().count()).collect::<String>());
        n += 1;
    }
    candidate
}

/// An input message on a range, with an error message when the rule is broken.
fn validate(ws: &mut Worksheet, (r0, c0, r1, c1): (u32, u16, u32, u16), rule: DataValidation, title: &str, message: &str) -> Result<(), XlsxError> {
    let v = rule.set_input_title(title)?.set_input_message(message)?.set_error_title(title)?.set_error_message(message)?;
    ws.add_data_validation(r0, c0, r1, c1, &v)?;
    Ok(())
}

fn self_check_sheet(ws: &mut Worksheet, st: &Styles, p: &Project) -> Result<(), XlsxError> {
    for (col, width) in [(0, 6), (1, 40), (2, 34), (3, 24), (4, 16)] {
        ws.set_column_width(col, width)?;
    }
    let input = st.plain.clone();
    let input_date = st.plain.clone().set_num_format("yyyy年m月d日");
    let label = Format::new().set_font_name("宋体").set_font_charset(134).set_font_size(10.5);
    ws.write_string_with_format(0, 0, "附件1", &st.plain_bold)?;
    ws.merge_range(1, 0, 1, 4, "专项整治自查表", &st.title)?;
    ws.set_row_height(1, 32)?;
    ws.write_string_with_format(2, 0, "物业项目：", &label)?;
    ws.write_string_with_format(2, 1, &p.project, &input)?;
    ws.write_string_with_format(2, 2, "物业公司名称（盖章）：", &label.clone().set_align(rust_xlsxwriter::FormatAlign::Right))?;
    ws.merge_range(2, 3, 2, 4, &p.company, &input)?;
    ws.write_string_with_format(3, 3, "填报日期：", &label.clone().set_align(rust_xlsxwriter::FormatAlign::Right))?;
    ws.write_blank(3, 4, &input_date)?;
    for (c, h) in ["序号", "整改重点", "问题描述", "整改责任人及联系方式", "整改完成期限"].iter().enumerate() {
        ws.write_string_with_format(SELF_CHECK_HEADER_ROW, c as u16, *h, &st.header)?;
    }
    let cell = st.wrap.clone().set_unlocked();
    let deadline = st.text.clone().set_unlocked().set_num_format("yyyy-mm-dd").set_align(rust_xlsxwriter::FormatAlign::Center);
    for (i, f) in FOCUS.iter().enumerate() {
        let r = SELF_CHECK_HEADER_ROW + 1 + i as u32;
        ws.write_number_with_format(r, 0, f.no as f64, &st.center_cell)?;
        ws.write_string_with_format(r, 1, f.wording, &st.wrap)?;
        ws.write_blank(r, 2, &cell)?;
        ws.write_blank(r, 3, &cell)?;
        ws.write_blank(r, DEADLINE_COL, &deadline)?;
        ws.set_row_height(r, 58)?;
    }
    let (first, last) = (SELF_CHECK_HEADER_ROW + 1, SELF_CHECK_HEADER_ROW + FOCUS.len() as u32);
    validate(ws, (2, 1, 2, 1), DataValidation::new().allow_any_value(), "物业项目", "填写物业项目（小区）名称，与名册一致")?;
    validate(ws, (2, 3, 2, 3), DataValidation::new().allow_any_value(), "物业公司", "填写物业服务企业全称")?;
    let from = ExcelDateTime::from_ymd(2021, 1, 1)?;
    let to = ExcelDateTime::from_ymd(2030, 12, 31)?;
    validate(
        ws,
        (3, 4, 3, 4),
        DataValidation::new().allow_date(DataValidationRule::Between(from, to)),
        "填报日期",
        "填写日期，如 2021-10-20（重复报送时按填报日期取最新的一份）",
    )?;
    validate(
        ws,
        (first, 2, last, 2),
        DataValidation::new().allow_any_value(),
        "问题描述",
        "写明发现的问题；没有问题填“无”；已经整改的也写明问题，并在期限栏填“已整改”",
    )?;
    validate(ws, (first, 3, last, 3), DataValidation::new().allow_any_value(), "整改责任人", "有问题时必填：姓名和手机号，如“王芳 13800138000”")?;
    let e = |r: u32| format!("E{}", r + 1);
    let rule = Formula::new(format!("=OR(ISNUMBER({0}),{0}=\"已整改\",{0}=\"长期坚持\")", e(first)));
    validate(
        ws,
        (first, DEADLINE_COL, last, DEADLINE_COL),
        DataValidation::new().allow_custom(rule).set_error_style(DataValidationErrorStyle::Stop),
        "整改完成期限",
        "填日期（如 2021-11-30），或“已整改”“长期坚持”；没有问题不填",
    )?;
    ws.protect();
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 1);
    ws.set_print_center_horizontally(true);
    Ok(())
}

/// The unit whose stock indicators (1, 2, 3, 13) are the district's, when the settings take
/// them from one unit (`stock_mode = source`).
fn stock_source(settings: &crate::config::Settings) -> Option<&str> {
    (settings.stock_mode == crate::config::StockMode::Source && !settings.stock_source_unit.is_empty()).then_some(settings.stock_source_unit.as_str())
}

fn monthly_sheet(ws: &mut Worksheet, st: &Styles, unit: &str, stock_source: Option<&str>) -> Result<(), XlsxError> {
    let blank = Official {
        unit: unit.to_string(),
        month: None,
        compiler: String::new(),
        contact: String::new(),
        values: vec![],
        cases: vec![(String::new(), String::new())],
        experience: vec![(String::new(), String::new())],
    };
    official::write(ws, st, &blank)?;
    let first = official::FIRST_INDICATOR_ROW;
    let rule = DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0));
    // The prompt of each indicator line: a stock indicator says who fills it.
    let stock_note = stock_source
        .filter(|source| *source != unit)
        .map(|source| format!("存量指标，全区数以{source}为准：{source}必须填写；你单位没有统计可空着或填 0；填写整数，不要带单位"));
    for (i, d) in INDICATORS.iter().enumerate() {
        let row = first + i as u32;
        let message = match (&stock_note, d.kind) {
            (Some(note), crate::forms::IndicatorKind::Stock) => note.clone(),
            _ => "填写整数（0 或以上）；没有发生填 0，不要空着；不要带单位".to_string(),
        };
        validate(ws, (row, 2, row, 3), rule.clone(), "数量", &message)?;
    }
    validate(ws, (2, 0, 2, 0), DataValidation::new().allow_any_value(), "月份", "填写报送月份，如“（2021年10月）”")?;
    validate(ws, (3, 0, 3, 0), DataValidation::new().allow_any_value(), "报送单位", "填写“单位名称（盖章） 汇总人：姓名 联系方式：电话”")?;
    ws.protect();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_made_safe_and_unique() {
        assert_eq!(crate::output::safe_sheet_name("东湖/春树里[一期]"), "东湖_春树里_一期_");
        let taken = vec!["梨园小区".to_string()];
        assert_eq!(unique("梨园小区".into(), &taken), "梨园小区(2)");
        assert_eq!(crate::output::safe_sheet_name(&"长".repeat(40)).chars().count(), 31);
    }
}
