//! `huizong template` (docs/contract.md, “Other commands and the replies”): the blank forms'
//! validation rules and protection as written in the files, and the round trip: every template,
//! filled with typical values the way a submitter types them (cells of the sheet XML, runs of
//! the Word table), reads back with no finding.

use crate::common::*;

use std::path::{Path, PathBuf};

fn make_templates(dir: &Path, extra: &[&str]) -> Vec<PathBuf> {
    let roster = Path::new(env!("CARGO_MANIFEST_DIR")).join("input/名册.xlsx");
    let mut args = vec!["template", "-o", dir.to_str().unwrap(), "--roster", roster.to_str().unwrap()];
    args.extend(extra);
    huizong(args).ok();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

fn set_text(parts: &mut [(String, Vec<u8>)], name: &str, text: String) {
    parts.iter_mut().find(|(n, _)| n == name).unwrap().1 = text.into_bytes();
}

/// A value typed into a cell.
enum Typed<'a> {
    Text(&'a str),
    Number(f64),
}

/// Type values into the first sheet of a workbook, as a spreadsheet program saves them: the
/// cell keeps its style (so its validation and unlocked format stay); texts in the shared
/// strings replaced (`from` → `to`).
fn fill_xlsx(path: &Path, cells: &[(String, Typed)], texts: &[(&str, &str)]) {
    let mut parts = members(path);
    let mut sheet = text_of(&parts, "xl/worksheets/sheet1.xml");
    for (at, value) in cells {
        let re = regex::Regex::new(&format!(r#"<c r="{at}"( s="\d+")?( t="\w+")?(/>|>.*?</c>)"#)).unwrap();
        let style = re.captures(&sheet).unwrap_or_else(|| panic!("{at} is a cell of the template")).get(1).map_or("", |m| m.as_str()).to_string();
        let cell = match value {
            Typed::Text(t) => format!(r#"<c r="{at}"{style} t="inlineStr"><is><t>{t}</t></is></c>"#),
            Typed::Number(n) => format!(r#"<c r="{at}"{style}><v>{n}</v></c>"#),
        };
        sheet = re.replace(&sheet, regex::NoExpand(&cell)).into_owned();
    }
    set_text(&mut parts, "xl/worksheets/sheet1.xml", sheet);
    let mut strings = text_of(&parts, "xl/sharedStrings.xml");
    for (from, to) in texts {
        assert!(strings.contains(from), "{from} in the shared strings");
        strings = strings.replace(from, to);
    }
    set_text(&mut parts, "xl/sharedStrings.xml", strings);
    rezip(path, &parts);
}

/// Type into a Word template: the empty table cells in document order, and text replaced.
fn fill_docx(path: &Path, cells: &[&str], texts: &[(&str, &str)]) {
    let mut parts = members(path);
    let mut doc = text_of(&parts, "word/document.xml");
    let empty = "<w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr></w:pPr></w:p>";
    for value in cells {
        let at = doc.find(empty).expect("an empty cell left to fill");
        let filled = format!("<w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr></w:pPr><w:r><w:t>{value}</w:t></w:r></w:p>");
        doc.replace_range(at..at + empty.len(), &filled);
    }
    for (from, to) in texts {
        assert!(doc.contains(from), "{from} in the document");
        doc = doc.replacen(from, to, 1);
    }
    set_text(&mut parts, "word/document.xml", doc);
    rezip(path, &parts);
}

/// Excel's serial number of a date in 2021.
fn serial(month: u32, day: u32) -> f64 {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    (chrono::NaiveDate::from_ymd_opt(2021, month, day).unwrap() - base).num_days() as f64
}

#[test]
fn templates_carry_their_validation_and_protection() {
    let tmp = tempfile::tempdir().unwrap();
    let files = make_templates(tmp.path(), &[]);
    let names: Vec<String> = files.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert!(names.contains(&"附件1_武汉碧桂物业管理有限公司_梨园小区_自查表.xlsx".to_string()), "{names:?}");
    assert!(names.contains(&"附件1_武汉碧桂物业管理有限公司_梨园小区_自查表.docx".to_string()));
    assert!(names.contains(&"附件2_区经发局_专项整治月度工作汇总表.xlsx".to_string()));
    assert_eq!(names.iter().filter(|n| n.starts_with("附件1_") && n.ends_with(".xlsx")).count(), 14, "13 roster projects and the blank one");

    let parts = members(&tmp.path().join("附件1_武汉碧桂物业管理有限公司_梨园小区_自查表.xlsx"));
    let sheet = text_of(&parts, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<sheetProtection sheet=\"1\""), "protected");
    assert!(!sheet.contains("password"), "without a password");
    let validation = |sqref: &str| {
        let re = regex::Regex::new(&format!(r#"<dataValidation ([^>]*)sqref="{sqref}"(/>|>(.*?)</dataValidation>)"#)).unwrap();
        let c = re.captures(&sheet).unwrap_or_else(|| panic!("a validation on {sqref}"));
        format!("{} {}", &c[1], c.get(3).map_or("", |m| m.as_str()))
    };
    let deadline = validation("E6:E11");
    assert!(
        deadline.contains("type=\"custom\"") && deadline.contains("ISNUMBER(E6)") && deadline.contains("已整改") && deadline.contains("长期坚持"),
        "{deadline}"
    );
    assert!(validation("E4").contains("type=\"date\""), "the fill date is a date");
    assert!(validation("D6:D11").contains("prompt=\"有问题时必填"), "input messages say what to type");
    let styles = text_of(&parts, "xl/styles.xml");
    assert!(styles.contains("<protection locked=\"0\"/>"), "input cells are unlocked");
    let shared = text_of(&parts, "xl/sharedStrings.xml");
    assert!(shared.contains("梨园小区") && shared.contains("武汉碧桂物业管理有限公司"), "pre-filled from the roster");

    let monthly = members(&tmp.path().join("附件2_区经发局_专项整治月度工作汇总表.xlsx"));
    let sheet = text_of(&monthly, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<sheetProtection sheet=\"1\""));
    let re = regex::Regex::new(r#"<dataValidation type="whole" operator="greaterThanOrEqual"[^>]*sqref="C6:D(\d+)"><formula1>0</formula1>"#).unwrap();
    assert!(re.is_match(&sheet), "counts are whole numbers ≥ 0: {sheet}");
    // Each line's prompt: the stock indicators (1, 2, 3) say who fills them; the others ask for 0.
    let prompt = |sqref: &str| {
        let re = regex::Regex::new(&format!(r#"<dataValidation [^>]*prompt="([^"]*)"[^>]*sqref="{sqref}""#)).unwrap();
        re.captures(&sheet).map(|c| c[1].to_string()).unwrap_or_else(|| panic!("a prompt on {sqref}: {sheet}"))
    };
    assert!(prompt("C6:D6").contains("全区数以区建设（房管）局为准") && prompt("C6:D6").contains("可空着或填 0"), "{}", prompt("C6:D6"));
    assert!(prompt("C9:D9").contains("没有发生填 0，不要空着"), "{}", prompt("C9:D9"));
    let source = text_of(&members(&tmp.path().join("附件2_区建设（房管）局_专项整治月度工作汇总表.xlsx")), "xl/worksheets/sheet1.xml");
    assert!(!source.contains("可空着或填 0"), "the stock source itself is asked to fill them");

    // --per company: a workbook per company, a sheet per project.
    let by_company = tempfile::tempdir().unwrap();
    make_templates(by_company.path(), &["--per", "company"]);
    let wb = calamine::open_workbook_auto(by_company.path().join("附件1_湖北楚天物业有限公司_自查表.xlsx")).unwrap();
    use calamine::Reader;
    assert_eq!(wb.sheet_names(), ["碧波园", "磨山花园", "清河苑"], "in the order of the roster");
}

#[test]
fn filled_templates_read_back_with_no_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("templates");
    make_templates(&dir, &[]);
    let input = tmp.path().join("input");
    std::fs::create_dir_all(&input).unwrap();
    let take = |name: &str, to: &str| {
        let target = input.join(to);
        std::fs::copy(dir.join(name), &target).unwrap();
        target
    };

    // 附件1 in Excel: one problem with a date, one 已整改, the rest 无; the fill date a date.
    let pear = take("附件1_武汉碧桂物业管理有限公司_梨园小区_自查表.xlsx", "梨园小区.xlsx");
    let at = |c: char, r: u32| format!("{c}{r}");
    let mut cells = vec![
        (at('E', 4), Typed::Number(serial(10, 20))),
        (at('C', 7), Typed::Text("楼道堆放杂物")),
        (at('D', 7), Typed::Text("王芳 13800138000")),
        (at('E', 7), Typed::Number(serial(11, 30))),
        (at('C', 9), Typed::Text("物业服务用房未移交")),
        (at('D', 9), Typed::Text("赵磊 13900139000")),
        (at('E', 9), Typed::Text("已整改")),
    ];
    for r in [6, 8, 10, 11] {
        cells.push((at('C', r), Typed::Text("无")));
    }
    fill_xlsx(&pear, &cells, &[]);

    // 附件2 in Excel: every count (1–3 in rows 6–8, 4–14 with 5.1 in rows 10–21), the month and
    // the unit line.
    let unit = take("附件2_区经发局_专项整治月度工作汇总表.xlsx", "经发局.xlsx");
    let mut counts: Vec<(String, Typed)> = [(6, 40.0), (7, 30.0), (8, 10.0)].into_iter().map(|(r, v)| (at('C', r), Typed::Number(v))).collect();
    for r in 10..=21 {
        let (this, total) = match r {
            12 => (1.0, 1.0),
            20 => (0.0, 0.0),
            _ => (2.0, 5.0),
        };
        counts.push((at('C', r), Typed::Number(this)));
        counts.push((at('D', r), Typed::Number(total)));
    }
    fill_xlsx(&unit, &counts, &[("（2021年    月）", "（2021年10月）"), ("汇总人：   联系方式：", "汇总人：李四   联系方式：13900139000")]);

    // 附件1 and 附件2 in Word.
    let river = take("附件1_武汉长江物业管理有限公司_江滩花园_自查表.docx", "江滩花园.docx");
    let mut typed = vec!["无", "", ""];
    typed.extend(["保安言语威胁业主", "钱进 13700137000", "2021年11月15日"]);
    for _ in 3..=6 {
        typed.extend(["无", "", ""]);
    }
    fill_docx(&river, &typed, &[("2021年    月    日", "2021年10月22日")]);
    let police = take("附件2_区公安分局_专项整治月度工作汇总表.docx", "公安分局.docx");
    let mut values: Vec<&str> = vec!["40", "30", "10"];
    for code in ["4", "5", "5.1", "6", "7", "8", "9", "10", "11", "12", "13", "14"] {
        values.extend(match code {
            "5.1" => ["1", "1"],
            "13" => ["0", "0"],
            _ => ["2", "5"],
        });
    }
    values.extend(["查处某小区擅自提价一案。", "每周通报整改进度。"]);
    fill_docx(&police, &values, &[("（2021年    月）", "（2021年10月）"), ("汇总人：            联系方式：", "汇总人：赵六 联系方式：13600136000")]);

    let out = tmp.path().join("out");
    run_ok(&input, &out, &["--month", "2021-10", "--as-of", "2021-10-25", "--quiet"]);
    let files = table(&out, "files");
    assert_eq!(strings(&files, "status"), ["consolidated"; 4], "{:?}", strings(&files, "reason"));
    let findings = table(&out, "findings");
    let own: Vec<String> = strings(&findings, "path")
        .iter()
        .zip(strings(&findings, "code"))
        .zip(strings(&findings, "cell"))
        .filter(|((p, _), _)| !p.is_empty())
        .map(|((p, c), at)| format!("{p} {c} {at}"))
        .collect();
    assert!(own.is_empty(), "a filled template has no finding: {own:?}");
    let items = table(&out, "items");
    let pear_items = rows_where(&items, "project", "梨园小区");
    assert_eq!(strings(&pear_items, "status"), ["no_problem", "in_progress", "no_problem", "done", "no_problem", "no_problem"]);
    assert_eq!(strings(&rows_where(&pear_items, "item_no", "2"), "deadline"), ["2021-11-30"]);
    let monthly = table(&out, "monthly");
    let four = rows_where(&rows_where(&monthly, "unit", "区经发局"), "indicator", "4");
    assert_eq!((ints(&four, "this_month"), ints(&four, "cumulative")), (vec![Some(2)], vec![Some(5)]));
    let police = rows_where(&rows_where(&monthly, "unit", "区公安分局"), "indicator", "5.1");
    assert_eq!(ints(&police, "this_month"), [Some(1)]);
}
