//! Word returns (fixtures/word: python-docx, LibreOffice .doc/.docx, also by way of .odt): each
//! file is run on its own and its `items` and `monthly` rows are compared with what was typed
//! into it (`expected.json`, written by the script that made the files); findings point at
//! `表N` and the cell inside that table; a project that sends an `.xlsx` and later a `.docx` is
//! superseded across formats.

use crate::common::*;
use serde_json::Value as Json;
use std::path::Path;

const AS_OF: &str = "2021-11-20";
const ARGS: [&str; 5] = ["--as-of", AS_OF, "--month", "2021-10", "--quiet"];

fn expected() -> Json {
    serde_json::from_str(&std::fs::read_to_string(fixtures().join("word/expected.json")).unwrap()).unwrap()
}

/// Run the binary on one file, alone in a folder.
fn run_one(tmp: &Path, name: &str) -> std::path::PathBuf {
    let input = tmp.join(format!("in-{name}"));
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(fixtures().join("word").join(name), input.join(name)).unwrap();
    let out = tmp.join(format!("out-{name}"));
    run_ok(&input, &out, &ARGS);
    out
}

/// As the items table keeps descriptions and deadlines: as typed (full-width punctuation
/// kept), whitespace collapsed.
fn as_typed(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// As a responsible person's name is read: full-width letters, digits and punctuation folded,
/// whitespace collapsed.
fn squeeze(s: &str) -> String {
    let folded: String = s.chars().map(|c| if ('\u{FF01}'..='\u{FF5E}').contains(&c) { char::from_u32(c as u32 - 0xFEE0).unwrap() } else { c }).collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Counts of values compared and of those read exactly, per producer.
#[derive(Default, Debug)]
struct Tally {
    compared: usize,
    exact: usize,
    misses: Vec<String>,
}

impl Tally {
    fn check(&mut self, what: String, got: &str, want: &str) {
        self.compared += 1;
        if got == want {
            self.exact += 1;
        } else {
            self.misses.push(format!("{what}: got {got:?}, want {want:?}"));
        }
    }
}

fn check_self_check(t: &mut Tally, file: &str, out: &Path, form: &Json) {
    let items = table(out, "items");
    let sheet = format!("表{}", form["table"]);
    let mine = rows_where(&items, "sheet", &sheet);
    let first = |col: &str| strings(&mine, col).first().cloned().unwrap_or_default();
    t.check(format!("{file} {sheet} project"), &first("project"), form["project"].as_str().unwrap());
    t.check(format!("{file} {sheet} company"), &first("company"), form["company"].as_str().unwrap());
    t.check(format!("{file} {sheet} fill_date"), &first("fill_date"), form["fill_date"].as_str().unwrap_or(""));
    for item in form["items"].as_array().unwrap() {
        let no = item["item_no"].to_string();
        let row = rows_where(&mine, "item_no", &no);
        let got = |col: &str| strings(&row, col).first().cloned().unwrap_or_default();
        let at = format!("{file} {sheet} item {no}");
        t.check(format!("{at} row"), &got("row"), &item["row"].to_string());
        t.check(format!("{at} description"), &got("description"), &as_typed(item["description"].as_str().unwrap()));
        t.check(format!("{at} deadline_raw"), &got("deadline_raw"), &as_typed(item["deadline_raw"].as_str().unwrap()));
        // A date where one is meant; the others (`done`, an impossible date) are statuses.
        if let Some(date) = item["deadline"].as_str().filter(|d| d.len() == 10 && d.as_bytes()[4] == b'-') {
            t.check(format!("{at} deadline"), &got("deadline"), date);
        }
        // The person and the number the generator typed into the responsible cell.
        t.check(format!("{at} responsible"), &got("responsible"), &squeeze(item["responsible_name"].as_str().unwrap()));
        t.check(format!("{at} phone"), &got("phone"), item["phone"].as_str().unwrap());
        t.check(format!("{at} status"), &got("status"), status(&item["deadline"]));
    }
}

/// The status an item has as of [`AS_OF`], from the deadline the generator meant: a date, done,
/// long term, an impossible date or nothing reported (docs/contract.md, “Tables”: `status`).
fn status(deadline: &Json) -> &'static str {
    match deadline.as_str() {
        None => "no_problem",
        Some("done") => "done",
        Some("long_term") => "long_term",
        Some(e) if e.starts_with("error") => "missing_deadline",
        Some(date) if date < AS_OF => "overdue",
        Some(_) => "in_progress",
    }
}

fn check_monthly(t: &mut Tally, file: &str, out: &Path, form: &Json) {
    let monthly = table(out, "monthly");
    let first = |col: &str| strings(&monthly, col).first().cloned().unwrap_or_default();
    t.check(format!("{file} unit"), &first("unit"), form["unit"].as_str().unwrap());
    t.check(format!("{file} month"), &first("month"), form["month"].as_str().unwrap());
    for (id, ind) in form["indicators"].as_object().unwrap() {
        let row = rows_where(&monthly, "indicator", id);
        for col in ["this_month", "cumulative"] {
            let want = ind["parsed"][col].as_i64().map(|v| v.to_string()).unwrap_or_default();
            t.check(format!("{file} indicator {id} {col}"), &strings(&row, col).first().cloned().unwrap_or_default(), &want);
        }
        let cells = &ind["cells"];
        let want_cell = match (cells["this_month"].as_str(), cells["cumulative"].as_str()) {
            (Some(a), Some(b)) => format!("{a}:{b}"),
            (Some(a), None) => a.to_string(),
            _ => continue,
        };
        // 5.1 written inside 5's cells is located at 5's cells.
        if ind["cells"]["inside"].is_null() {
            t.check(format!("{file} indicator {id} cell"), &strings(&row, "cell").first().cloned().unwrap_or_default(), &want_cell);
        }
    }
}

#[test]
fn word_returns_read_exactly_per_producer() {
    let tmp = tempfile::tempdir().unwrap();
    let exp = expected();
    let files = exp["files"].as_object().unwrap();
    let mut by_producer: std::collections::BTreeMap<String, Tally> = Default::default();
    for (name, file) in files {
        let forms = match file["forms_same_as"].as_str() {
            Some(original) => files[original]["forms"].clone(),
            None => file["forms"].clone(),
        };
        let Some(forms) = forms.as_array().filter(|f| !f.is_empty()) else { continue };
        let producer = name.split("_附件").next().unwrap().to_string();
        let t = by_producer.entry(producer).or_default();
        let out = run_one(tmp.path(), name);
        let files_table = table(&out, "files");
        t.check(format!("{name} status"), &strings(&files_table, "status")[0], "consolidated");
        for form in forms {
            match form["kind"].as_str().unwrap() {
                "附件1" => check_self_check(t, name, &out, form),
                _ => check_monthly(t, name, &out, form),
            }
        }
    }
    for (producer, t) in &by_producer {
        eprintln!("{producer}: {} of {} values read exactly", t.exact, t.compared);
    }
    let misses: Vec<&String> = by_producer.values().flat_map(|t| &t.misses).collect();
    assert!(misses.is_empty(), "{misses:#?}");
    assert!(by_producer.len() >= 3, "python-docx, libreoffice and libreoffice-from-odt: {:?}", by_producer.keys());
}

#[test]
fn findings_point_at_the_table_and_its_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_one(tmp.path(), "python-docx_附件1_武汉长江物业管理有限公司_绿洲花园_自查表.docx");
    let findings = table(&out, "findings");
    let impossible = rows_where(&findings, "code", "deadline.impossible");
    assert_eq!((strings(&impossible, "sheet"), strings(&impossible, "cell")), (vec!["表1".to_string()], vec!["E5".to_string()]));
    assert!(strings(&impossible, "message")[0].starts_with("第1个表格第5行第5列："), "{:?}", strings(&impossible, "message"));

    let out = run_one(tmp.path(), "python-docx_附件2_区经发局_2021年10月_月度汇总表.docx");
    let findings = table(&out, "findings");
    let bad = rows_where(&findings, "code", "count.invalid");
    assert_eq!(
        (strings(&bad, "value"), strings(&bad, "sheet"), strings(&bad, "cell")),
        (vec!["约12".to_string()], vec!["表1".to_string()], vec!["C13".to_string()])
    );
    // The workbook's 数据问题 sheet shows the same place.
    let problems = sheet(&out, "数据问题");
    let (s, c) = (col(&problems, "工作表"), col(&problems, "单元格"));
    assert!(problems.iter().any(|r| r[s] == "表1" && r[c] == "C13"), "{problems:?}");

    // Two projects in one document: each its own form, each table its own 表N.
    let out = run_one(tmp.path(), "python-docx_附件1_两个项目_湖北楚天物业有限公司_自查表.docx");
    let items = table(&out, "items");
    let projects: std::collections::BTreeSet<(String, String)> = strings(&items, "sheet").into_iter().zip(strings(&items, "project")).collect();
    assert_eq!(projects.into_iter().collect::<Vec<_>>(), [("表1".to_string(), "桃源居".to_string()), ("表2".to_string(), "翠柳苑".to_string())]);
}

#[test]
fn scans_and_password_documents_say_what_they_are() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, status, words) in [
        ("scan_武汉长江物业管理有限公司_绿洲花园_自查表.pdf", "ignored", "扫描件或图片"),
        ("scan_武汉长江物业管理有限公司_绿洲花园_自查表.png", "ignored", "扫描件或图片"),
        ("libreoffice_password_附件1_武汉长江物业管理有限公司_绿洲花园_自查表.doc", "unreadable", "密码"),
        ("libreoffice_password_附件1_武汉长江物业管理有限公司_绿洲花园_自查表.docx", "unreadable", "密码"),
    ] {
        let files = table(&run_one(tmp.path(), name), "files");
        assert_eq!(strings(&files, "status"), [status], "{name}");
        assert!(strings(&files, "reason")[0].contains(words), "{name}: {:?}", strings(&files, "reason"));
    }
}

/// A project that sent an .xlsx and later a .docx: the later fill date wins, across formats.
#[test]
fn a_later_word_return_supersedes_an_earlier_workbook() {
    use huizong_testkit::*;
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let form = |date: &str, deadline: &str| SelfCheckForm {
        project: "梨园小区".into(),
        company: "武汉碧桂物业管理有限公司".into(),
        fill_date: date.into(),
        rows: (1..=6).map(|n| if n == 2 { ItemRow::new(2, "占道经营", "王芳 13800138000", deadline) } else { ItemRow::none(n) }).collect(),
        layout: Layout::default(),
    };
    std::fs::write(input.join("梨园小区.xlsx"), workbook(&[("Sheet1", SheetForm::SelfCheck(form("2021年9月10日", "2021年9月30日")))]).unwrap()).unwrap();
    let docx = huizong_testkit::docx::document(&[SheetForm::SelfCheck(form("2021年10月12日", "2021年12月31日"))], Default::default());
    std::fs::write(input.join("梨园小区（更新）.docx"), docx).unwrap();
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let files = table(&out, "files");
    assert_eq!(strings(&rows_where(&files, "path", "梨园小区.xlsx"), "status"), ["superseded"]);
    assert_eq!(strings(&rows_where(&files, "path", "梨园小区（更新）.docx"), "status"), ["consolidated"]);
    let items = table(&out, "items");
    assert_eq!(strings(&rows_where(&items, "item_no", "2"), "deadline"), ["2021-12-31"]);
    assert_eq!(strings(&rows_where(&items, "item_no", "2"), "sheet"), ["表1"]);
}
