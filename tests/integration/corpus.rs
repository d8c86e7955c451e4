//! The fixture corpus (fixtures/corpus, made by openpyxl and LibreOffice; see
//! fixtures/make_corpus.py): each file run alone through the binary, every value checked.

use crate::common::*;
use polars::prelude::DataFrame;

const ARGS: [&str; 5] = ["--as-of", "2021-11-20", "--month", "2021-10", "--quiet"];

/// Run one corpus file alone and return (items, monthly, findings, files).
fn one(name: &str) -> (DataFrame, DataFrame, DataFrame, DataFrame) {
    one_from("corpus", name)
}

fn one_from(folder: &str, name: &str) -> (DataFrame, DataFrame, DataFrame, DataFrame) {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(fixtures().join(folder).join(name), input.join(name)).unwrap();
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    (table(&out, "items"), table(&out, "monthly"), table(&out, "findings"), table(&out, "files"))
}

fn item(items: &DataFrame, no: &str, col: &str) -> String {
    strings(&rows_where(items, "item_no", no), col)[0].clone()
}

fn finding_at(findings: &DataFrame, code: &str) -> Vec<String> {
    strings(&rows_where(findings, "code", code), "cell")
}

fn dates_and_phones(name: &str) {
    let (items, _, findings, files) = one(name);
    assert_eq!(strings(&files, "status"), ["consolidated"]);
    let expect = [
        ("1", "2021-10-15", "13800138000", "张伟"),
        ("2", "2021-10-15", "13900139000", "王芳"),
        ("3", "2021-10-31", "027-86779132转8012", "李强"),
        ("4", "2021-10-31", "13800138001、13900139001", "赵磊 陈静"),
        ("5", "2021-10-01", "85807478转6", "孙丽"),
        ("6", "2021-10-15", "", "周杰(经理)"),
    ];
    for (no, deadline, phone, name) in expect {
        assert_eq!(item(&items, no, "deadline"), deadline, "item {no}");
        assert_eq!(item(&items, no, "phone"), phone, "item {no}");
        assert_eq!(item(&items, no, "responsible"), name, "item {no}");
        assert_eq!(item(&items, no, "status"), "overdue", "item {no}");
    }
    assert_eq!(finding_at(&findings, "responsible.phone_invalid"), ["D10"]);
    assert_eq!(finding_at(&findings, "deadline.inferred").len(), 5, "10.15, 2021年10月, 十月底, 国庆前, the range");
}

#[test]
fn dates_and_phones_openpyxl() {
    dates_and_phones("openpyxl_日期与电话.xlsx");
}

#[test]
fn dates_and_phones_libreoffice_ods() {
    dates_and_phones("libreoffice_日期与电话.ods");
}

#[test]
fn instruction_sheet_hidden_form_extra_column_and_notes() {
    let (items, _, findings, files) = one("openpyxl_说明页与隐藏表.xlsx");
    assert_eq!(ints(&files, "forms"), [Some(1)]);
    assert_eq!(strings(&items, "sheet")[0], "隐藏的自查表");
    assert_eq!(item(&items, "2", "deadline"), "2021-11-30");
    assert_eq!(item(&items, "2", "status"), "in_progress");
    assert_eq!(finding_at(&findings, "sheet.hidden"), [""]);
    assert_eq!(strings(&rows_where(&findings, "code", "form.extra_column"), "value"), ["已约谈"]);
    // The notes below the table are kept, located, not lost.
    let unused = rows_where(&findings, "code", "cell.unused");
    assert_eq!(strings(&unused, "cell"), ["B13", "B14"]);
    assert_eq!(strings(&unused, "value"), ["备注：本表一式两份。", "填表人：王芳"]);
}

fn odd_headers(name: &str) {
    let (items, _, findings, _) = one(name);
    assert_eq!(items.height(), 4, "four rows matched by their focus wording alone");
    assert_eq!(item(&items, "6", "status"), "long_term");
    assert_eq!(item(&items, "6", "phone"), "13900139000");
    assert_eq!(item(&items, "3", "status"), "done");
    assert_eq!(item(&items, "1", "status"), "no_problem");
    assert_eq!(item(&items, "5", "status"), "no_problem");
    assert_eq!(strings(&rows_where(&findings, "code", "item.row_missing"), "value"), ["2", "4"]);
    assert_eq!(strings(&rows_where(&findings, "code", "form.column_missing"), "field"), ["序号"]);
    assert_eq!(finding_at(&findings, "header.fill_date_missing"), ["A1"]);
}

#[test]
fn header_texts_with_breaks_and_brackets_without_number_column_openpyxl() {
    odd_headers("openpyxl_表头变形无序号.xlsx");
}

#[test]
fn header_texts_with_breaks_and_brackets_without_number_column_libreoffice_xls() {
    odd_headers("libreoffice_表头变形无序号.xls");
}

#[test]
fn numbers_typed_every_way() {
    let (_, monthly, findings, _) = one("openpyxl_月报各种数字.xlsx");
    let v = |id: &str| {
        let r = rows_where(&monthly, "indicator", id);
        (ints(&r, "this_month")[0], ints(&r, "cumulative")[0])
    };
    assert_eq!(v("2"), (Some(30), None), "spaces around a number stored as text");
    assert_eq!(v("3"), (Some(10), None), "十");
    assert_eq!(v("4"), (Some(2), Some(3)), "两 and 三");
    assert_eq!(v("5.1"), (Some(2), Some(3)), "5.1 on its own row");
    assert_eq!(v("6"), (None, Some(4)), "是 is not a count");
    assert_eq!(v("8"), (Some(0), Some(1)), "— means 0");
    assert_eq!(v("11"), (Some(5), None), "2.5 is not a count");
    assert_eq!(v("12"), (None, Some(8)), "-1 is not a count");
    let invalid = rows_where(&findings, "code", "count.invalid");
    assert_eq!(strings(&invalid, "cell"), ["C13", "C19", "D18"]);
    assert_eq!(finding_at(&findings, "count.chinese_numeral"), ["C10", "C8", "D10"]);
    assert_eq!(finding_at(&findings, "count.dash_as_zero"), ["C15"]);
    assert_eq!(rows_where(&findings, "code", "monthly.sum_mismatch").height(), 0, "30 + 10 = 40");
}

#[test]
fn formula_cells_use_the_cached_value_and_errors_are_findings() {
    let (_, monthly, findings, _) = one("libreoffice_公式_月报.xls");
    let r = rows_where(&monthly, "indicator", "4");
    assert_eq!((ints(&r, "this_month")[0], ints(&r, "cumulative")[0]), (Some(2), Some(6)), "=1+1 and =2*3, cached by LibreOffice");
    let r = rows_where(&monthly, "indicator", "5");
    assert_eq!(ints(&r, "this_month")[0], None);
    let err = rows_where(&findings, "code", "cell.formula_error");
    assert_eq!(strings(&err, "cell"), ["C11"]);
    assert_eq!(strings(&err, "value"), ["#DIV/0!"]);
}

/// fixtures/codepage (made by fixtures/make_gbk_xls.py with xlwt): Chinese stored as 8-bit GBK
/// bytes under a UTF-16 code page record — what a reader shows as `¶«ºþ´ºÊ÷Àï`.
#[test]
fn gbk_text_under_a_wrong_code_page_is_mended_and_said() {
    let (items, _, findings, files) = one_from("codepage", "gbk_8bit_strings.xls");
    assert_eq!(strings(&files, "status"), ["consolidated"]);
    assert_eq!(strings(&items, "project")[0], "东湖春树里");
    assert_eq!(strings(&items, "company")[0], "武汉东湖物业服务有限公司");
    assert_eq!(strings(&items, "fill_date")[0], "2021-09-25");
    assert_eq!(item(&items, "2", "responsible"), "黄敏");
    assert_eq!(item(&items, "2", "deadline"), "2021-12-31");
    assert_eq!(item(&items, "5", "phone"), "027-85807478");
    // Every mended cell is a warning at that cell showing the text as read and as mended.
    let notes = rows_where(&findings, "code", "text.codepage_guessed");
    assert!(notes.height() > 10, "{notes:?}");
    assert!(strings(&notes, "severity").iter().all(|s| s == "warning"));
    assert!(strings(&notes, "cell").iter().all(|c| !c.is_empty()));
    let (values, messages) = (strings(&notes, "value"), strings(&notes, "message"));
    let title = values.iter().position(|v| v == "×¨ÏîÕûÖÎ×Ô²é±í").expect("the title was mended");
    assert!(messages[title].contains("已纠正为“专项整治自查表”"), "{}", messages[title]);
    assert_eq!(rows_where(&findings, "code", "text.garbled").height(), 0);
}

#[test]
fn garbled_text_that_cannot_be_mended_is_an_error_at_its_cell() {
    use huizong_testkit::*;
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let rows = vec![
        ItemRow::new(1, "\u{FFFD}\u{FFFD}\u{FFFD}", "王芳 13800138000", "2021年12月1日"),
        ItemRow::none(2),
        ItemRow::none(3),
        ItemRow::none(4),
        ItemRow::none(5),
        ItemRow::none(6),
    ];
    let form = SelfCheckForm { project: "甲".into(), company: "乙".into(), fill_date: "2021年10月8日".into(), rows, layout: Layout::default() };
    std::fs::write(input.join("a.xlsx"), workbook(&[("Sheet1", SheetForm::SelfCheck(form))]).unwrap()).unwrap();
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let f = rows_where(&table(&out, "findings"), "code", "text.garbled");
    assert_eq!(strings(&f, "cell"), ["C4"]);
    assert_eq!(strings(&f, "severity"), ["error"]);
}

/// calamine's own `.xlsb` test files (`../shared/fetched/xlsb/`): Excel's binary workbook is
/// read like xlsx, not called damaged; a workbook that holds no form gets no cell-level finding,
/// even for French accents (`àâéêèçöïî«»` in `issues.xlsb`) that were once taken for GBK
/// mojibake.
#[test]
fn xlsb_is_read_and_foreign_text_in_an_unrecognised_workbook_is_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_dir(&fetched().join("xlsb"), &input);
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let files = table(&out, "files");
    let status = |name: &str| strings(&rows_where(&files, "path", name), "status");
    let format = |name: &str| strings(&rows_where(&files, "path", name), "format");
    assert_eq!((status("issues.xlsb"), format("issues.xlsb")), (vec!["unrecognized".to_string()], vec!["xlsb".to_string()]));
    assert_eq!(status("date.xlsb"), ["unrecognized"]);
    assert_eq!(status("pass_protected.xlsb"), ["unreadable"]);
    assert!(strings(&rows_where(&files, "path", "pass_protected.xlsb"), "reason")[0].contains("密码"));
    assert!(strings(&rows_where(&files, "path", "issues.xlsb"), "reason")[0].contains("6个工作表"));
    let findings = table(&out, "findings");
    assert!(strings(&findings, "cell").iter().all(|c| c.is_empty()), "{findings:?}");
    assert_eq!(rows_where(&findings, "code", "text.garbled").height(), 0);
}
