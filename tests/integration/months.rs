//! Three months of one district: September, October and November returns in
//! `fixtures/months/`, in which projects re-submit, extend, silently drop, forget, fix and report
//! a closed problem again, and the clerk marks the October workbook. Checked month by month:
//! the ledger, 督办清单, closed items, the version findings, the 累积 checks and the marks, with
//! the marked workbook written by a spreadsheet writer (rust_xlsxwriter, here) and re-saved by
//! LibreOffice as `.xlsx` and `.ods` (`fixtures/months/marked/`).

use crate::common::*;
use calamine::{open_workbook_auto, Data, Reader};
use polars::prelude::DataFrame;
use std::path::{Path, PathBuf};

const BOOK: &str = "东湖风景区物业专项整治汇总";

fn months() -> PathBuf {
    fixtures().join("months")
}

fn run_month(out: &Path, month: &str, as_of: &str) -> String {
    run_ok(&months().join(month), out, &["--month", month, "--as-of", as_of, "--quiet"])
}

/// As [`run_month`], printing the summary (the counts a clerk reads on the terminal).
fn run_month_with_summary(out: &Path, month: &str, as_of: &str) -> String {
    run_ok(&months().join(month), out, &["--month", month, "--as-of", as_of])
}

fn book(out: &Path, label: &str) -> PathBuf {
    out.join(format!("{BOOK}_{label}.xlsx"))
}

/// The ledger as (item_id, status, closed_month, closed_by).
fn ledger(out: &Path) -> Vec<(String, String, String, String)> {
    let l = table(out, "ledger");
    let (ids, status, closed, by) = (strings(&l, "item_id"), strings(&l, "status"), strings(&l, "closed_month"), strings(&l, "closed_by"));
    (0..l.height()).map(|i| (ids[i].clone(), status[i].clone(), closed[i].clone(), by[i].clone())).collect()
}

fn row<'a>(ledger: &'a [(String, String, String, String)], id: &str) -> (&'a str, &'a str, &'a str) {
    let r = ledger.iter().find(|r| r.0 == id).unwrap_or_else(|| panic!("{id} not in {ledger:?}"));
    (r.1.as_str(), r.2.as_str(), r.3.as_str())
}

fn codes_at(findings: &DataFrame, code: &str) -> Vec<(String, String)> {
    let f = rows_where(findings, "code", code);
    strings(&f, "path").into_iter().zip(strings(&f, "cell")).collect()
}

/// Picks a row by its cells, given a getter by header.
type Pick = dyn Fn(&dyn Fn(&str) -> String) -> bool;
/// Makes the clerk's copy of the October workbook: (output folder, where to put it).
type ClerkCopy = Box<dyn Fn(&Path, &Path)>;

/// The October workbook as the clerk leaves it after typing the three marks of
/// `mark_october.py`, written again with rust_xlsxwriter: every sheet's cells as text and
/// numbers, nothing of huizong's formatting.
fn retype_with_marks(from: &Path, to: &Path) {
    let mut wb = open_workbook_auto(from).unwrap();
    let mut out = rust_xlsxwriter::Workbook::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        let ws = out.add_worksheet().set_name(&name).unwrap();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, cells) in rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                let (r, c) = (r0 + r as u32, (c0 as usize + c) as u16);
                match v {
                    Data::String(s) => drop(ws.write_string(r, c, s).unwrap()),
                    Data::Float(f) => drop(ws.write_number(r, c, *f).unwrap()),
                    Data::Int(i) => drop(ws.write_number(r, c, *i as f64).unwrap()),
                    Data::Empty => {}
                    other => drop(ws.write_string(r, c, other.to_string()).unwrap()),
                }
            }
        }
        let header = rows.first().cloned().unwrap_or_default();
        let at = |h: &str| header.iter().position(|v| *v == h).map(|c| c as u16);
        let mut mark = |pick: &Pick, action: &str, note: &str| {
            let (Some(mc), Some(nc)) = (at("处理"), at("处理说明")) else { return };
            for (r, cells) in rows.iter().enumerate().skip(1) {
                let get = |h: &str| at(h).and_then(|c| cells.get(c as usize)).map(|v| v.to_string()).unwrap_or_default();
                if pick(&get) {
                    ws.write_string(r as u32, mc, action).unwrap();
                    ws.write_string(r as u32, nc, note).unwrap();
                }
            }
        };
        match name.as_str() {
            "数据问题" => {
                mark(&|g| g("代码") == "item.deadline_extended" && g("文件").contains("梨园小区"), "已核实", "已电话核实：施工队进场晚");
                mark(&|g| g("代码") == "item.silently_dropped", "退回修改", "请如实填写第4项");
            }
            "整改台账" => mark(&|g| g("物业项目") == "听涛苑" && g("序号") == "3", "已销号", "11月3日现场核查已整改"),
            _ => {}
        }
    }
    out.save(to).unwrap();
}

/// September and October run into `out`; the October workbook is then replaced by `marked`
/// (the clerk's copy), named `name`.
fn october_marked(out: &Path, marked: &dyn Fn(&Path), name: &str) {
    run_month(out, "2021-09", "2021-10-05");
    run_month(out, "2021-10", "2021-11-05");
    let october = book(out, "2021年10月");
    let target = out.join(name);
    marked(&target);
    if target != october {
        std::fs::remove_file(&october).unwrap();
    }
}

#[test]
fn three_months_with_the_clerks_marks() {
    let clerk_copies: [(&str, ClerkCopy); 3] = [
        ("rust_xlsxwriter", Box::new(|out, to| retype_with_marks(&book(out, "2021年10月"), to))),
        (
            "LibreOffice .xlsx",
            Box::new(|_, to| {
                std::fs::copy(months().join("marked").join(format!("{BOOK}_2021年10月.xlsx")), to).unwrap();
            }),
        ),
        (
            "LibreOffice .ods",
            Box::new(|_, to| {
                std::fs::copy(months().join("marked").join(format!("{BOOK}_2021年10月.ods")), to).unwrap();
            }),
        ),
    ];
    for (producer, copy) in clerk_copies {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let name = if producer.ends_with(".ods") { format!("{BOOK}_2021年10月.ods") } else { format!("{BOOK}_2021年10月.xlsx") };
        october_marked(&out, &|to: &Path| copy(&out, to), &name);
        check_october_rerun(&out, producer);
        check_november(&out, producer);
    }
}

/// October run again over the clerk's copy: the marks applied, carried and stable.
fn check_october_rerun(out: &Path, producer: &str) {
    // Re-running October reads the clerk's marks from the October workbook (the run's own month)
    // and applies them.
    let first = run_month_with_summary(out, "2021-10", "2021-11-05");
    assert!(first.starts_with("汇总月份：2021年10月（按 --month 指定）\n东湖风景区物业专项整治汇总 2021年10月（截止 2021年11月5日）"), "{producer}: {first}");
    let l = ledger(out);
    assert_eq!(row(&l, "听涛苑#3@2021-09"), ("closed", "2021-10", "clerk"), "{producer}: 已销号 in 整改台账 closes the problem");
    let notes = table(out, "ledger");
    let note = strings(&rows_where(&notes, "item_id", "听涛苑#3@2021-09"), "note");
    assert_eq!(note, ["已销号：11月3日现场核查已整改"], "{producer}");
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["findings_handled"], 1, "{producer}: the 已核实 finding is counted apart (退回修改 is not)");
    let problems = rows_of(&book(out, "2021年10月"), "数据问题");
    let (code, mark, note) = (col(&problems, "代码"), col(&problems, "处理"), col(&problems, "处理说明"));
    let marked: Vec<(&str, &str, &str)> =
        problems[1..].iter().filter(|r| !r[mark].is_empty()).map(|r| (r[code].as_str(), r[mark].as_str(), r[note].as_str())).collect();
    assert_eq!(
        marked,
        [("item.silently_dropped", "退回修改", "请如实填写第4项"), ("item.deadline_extended", "已核实", "已电话核实：施工队进场晚")],
        "{producer}: the marks are carried into the new workbook"
    );
    let chase = rows_of(&book(out, "2021年10月"), "督办清单");
    assert_eq!(chase.len(), 1, "{producer}: the one overdue problem is closed by the clerk, nothing left to chase: {chase:?}");
    // The clerk checked 梨园小区's extension (已核实): no reply for it any more; 春树里's was
    // sent back (退回修改) and still is.
    let stems = replies(out);
    assert!(stems.contains(&"退回修改_春树里".to_string()) && !stems.contains(&"退回修改_梨园小区".to_string()), "{producer}: {stems:?}");

    // Re-running again changes nothing: the same tables, the same marks.
    let tables = sha256_tree(&out.join("history/month=2021-10"));
    let again = run_month_with_summary(out, "2021-10", "2021-11-05");
    assert_eq!(sha256_tree(&out.join("history/month=2021-10")), tables, "{producer}: re-running October changes nothing");
    assert_eq!(again, first, "{producer}: the same summary");
    assert_eq!(rows_of(&book(out, "2021年10月"), "数据问题"), problems);
    assert_eq!(rows_of(&book(out, "2021年10月"), "督办清单"), chase);
}

fn check_november(out: &Path, producer: &str) {
    run_month(out, "2021-11", "2021-12-05");
    let l = ledger(out);
    assert_eq!(row(&l, "梨园小区#2@2021-09"), ("closed", "2021-11", "return"), "{producer}: fixed, says the return");
    assert_eq!(row(&l, "梨园小区#5@2021-10"), ("overdue", "", ""), "{producer}");
    assert_eq!(row(&l, "听涛苑#3@2021-09"), ("closed", "2021-10", "clerk"), "{producer}: stays closed by the clerk");
    assert_eq!(row(&l, "春树里#4@2021-09"), ("in_progress", "", ""), "{producer}: dropped in October, reported again: the same problem");
    assert_eq!(row(&l, "湖光雅居#1@2021-09"), ("closed", "2021-09", "return"), "{producer}");
    assert_eq!(row(&l, "湖光雅居#1@2021-11"), ("in_progress", "", ""), "{producer}: reported again after closing: a new problem");
    assert_eq!(l.len(), 6, "{producer}: {l:?}");

    let findings = table(out, "findings");
    assert_eq!(codes_at(&findings, "item.reopened"), [("湖光雅居_自查表.xlsx".to_string(), "C5".to_string())], "{producer}");
    let breaks = rows_where(&findings, "code", "monthly.cumulative_mismatch");
    let messages = strings(&breaks, "message");
    assert!(messages.iter().any(|m| m.starts_with("指标4：上月累积5 + 本月1 = 6，但本月累积填的是9")), "{producer}: from history: {messages:?}");
    // 13 is a stock indicator: in the final month only the stock source unit is asked for it;
    // 区经发局 leaving it blank is no finding and brings no reply.
    assert_eq!(codes_at(&findings, "monthly.final_missing"), [], "{producer}");
    let missing = table(out, "missing");
    assert_eq!(strings(&rows_where(&missing, "name", "区公安分局"), "kind"), ["unit"], "{producer}: reported in October, not in November");

    let november = book(out, "2021年11月");
    let chase = rows_of(&november, "督办清单");
    let (project, no) = (col(&chase, "物业项目"), col(&chase, "序号"));
    assert_eq!(chase[1..].iter().map(|r| (r[project].as_str(), r[no].as_str())).collect::<Vec<_>>(), [("梨园小区", "5")], "{producer}");
    // The October marks: the problem's stays with it; the findings' are gone with their
    // findings, and kept in 处理记录.
    let ledger_sheet = rows_of(&november, "整改台账");
    let (id, mark) = (col(&ledger_sheet, "问题编号"), col(&ledger_sheet, "处理"));
    let marked: Vec<(&str, &str)> = ledger_sheet[1..].iter().filter(|r| !r[mark].is_empty()).map(|r| (r[id].as_str(), r[mark].as_str())).collect();
    assert_eq!(marked, [("听涛苑#3@2021-09", "已销号")], "{producer}");
    let record = rows_of(&november, "处理记录");
    let (what, action, note) = (col(&record, "对象"), col(&record, "处理"), col(&record, "处理说明"));
    let mut resolved: Vec<(&str, &str)> = record[1..].iter().map(|r| (r[action].as_str(), r[note].as_str())).collect();
    resolved.sort();
    assert_eq!(resolved, [("已核实", "已电话核实：施工队进场晚"), ("退回修改", "请如实填写第4项")], "{producer}");
    // A 处理记录 with rows is shown (only an empty one is hidden from print).
    let sheets = open_workbook_auto(&november).unwrap().sheets_metadata().to_vec();
    let meta = sheets.iter().find(|m| m.name == "处理记录").unwrap();
    assert_eq!(meta.visible, calamine::SheetVisible::Visible, "{producer}");
    assert!(
        record[1..].iter().any(|r| r[what].contains("item.deadline_extended") && r[what].contains("梨园小区_自查表（更新）.xlsx")),
        "{producer}: {record:?}"
    );

    // The campaign month by month, from the history store: the ledger at each month's end.
    let trend = rows_of(&november, "各月趋势");
    assert_eq!(trend[0], ["整改台账（月末）", "2021年9月", "2021年10月", "2021年11月"], "{producer}");
    let counts = |label: &str| trend.iter().find(|r| r[0] == label).unwrap()[1..].to_vec();
    assert_eq!(counts("未销号问题"), ["3", "3", "3"], "{producer}");
    assert_eq!(counts("其中已逾期"), ["1", "0", "1"], "{producer}");
    assert_eq!(counts("累计销号"), ["1", "2", "3"], "{producer}");
    assert_eq!(trend.iter().find(|r| r[0].starts_with("4 ")).unwrap()[1..], ["3", "5", "1"], "{producer}: indicator 4, 本月, summed over units");

    // December reads November's workbook: what was resolved stays on record.
    run_ok(&months().join("2021-11"), out, &["--month", "2021-12", "--as-of", "2022-01-05", "--quiet"]);
    let record = rows_of(&book(out, "2021年12月"), "处理记录");
    assert_eq!(record.len(), 3, "{producer}: nothing the clerk typed is lost when the month changes: {record:?}");
}

#[test]
fn september_and_october_before_the_marks() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_month(&out, "2021-09", "2021-10-05");
    let l = ledger(&out);
    assert_eq!(row(&l, "听涛苑#3@2021-09"), ("overdue", "", ""));
    assert_eq!(row(&l, "湖光雅居#1@2021-09"), ("closed", "2021-09", "return"));
    assert_eq!(l.len(), 4);

    run_month(&out, "2021-10", "2021-11-05");
    let l = ledger(&out);
    assert_eq!(row(&l, "听涛苑#3@2021-09"), ("overdue", "", ""), "no return this month: carried, still overdue");
    assert_eq!(row(&l, "春树里#4@2021-09"), ("in_progress", "", ""), "turned into 无 without being done: still open");
    assert_eq!(row(&l, "梨园小区#5@2021-10"), ("in_progress", "", ""));
    let led = table(&out, "ledger");
    let pear = rows_where(&led, "item_id", "梨园小区#2@2021-09");
    assert_eq!(
        (strings(&pear, "first_deadline"), strings(&pear, "deadline"), ints(&pear, "extensions")),
        (vec!["2021-10-15".to_string()], vec!["2021-11-30".to_string()], vec![Some(2)]),
        "pushed later twice: by the first October return, then by its update in the same run"
    );
    let findings = table(&out, "findings");
    assert_eq!(
        codes_at(&findings, "item.deadline_extended"),
        [("梨园小区_自查表（更新）.xlsx".to_string(), "E6".to_string())],
        "at the newer version's cell only; the superseded copy is not sent back"
    );
    let extended = strings(&rows_where(&findings, "code", "item.deadline_extended"), "message");
    assert!(extended[0].contains("由2021-11-15") && extended[0].contains("最初承诺2021-10-15") && extended[0].contains("推迟到2021-11-30"), "{extended:?}");
    assert_eq!(codes_at(&findings, "item.silently_dropped"), [("春树里_自查表.xlsx".to_string(), "C8".to_string())]);
    let dropped = strings(&rows_where(&findings, "code", "item.silently_dropped"), "message");
    assert!(dropped[0].contains("“交接资料不全”") && dropped[0].contains("春树里_自查表.xlsx"), "the previous text and file are quoted: {dropped:?}");
    let chase = rows_of(&book(&out, "2021年10月"), "督办清单");
    let project = col(&chase, "物业项目");
    assert_eq!(chase[1..].iter().map(|r| r[project].as_str()).collect::<Vec<_>>(), ["听涛苑"], "a carried overdue problem is chased");

    // A reply for every submitter with something to change: 春树里 (its dropped problem) gets a
    // 退回修改通知; 梨园小区's later deadline is information for the clerk (item.deadline_extended
    // is a note), not a reply; the three configured units that sent nothing get a 催报 note; as
    // text and as Word.
    assert_eq!(replies(&out), ["催报_区城乡工作办事处（民政）", "催报_区市场监管局", "催报_区建设（房管）局", "退回修改_春树里"]);
    let spring = std::fs::read_to_string(out.join("反馈/退回修改_春树里.txt")).unwrap();
    assert!(spring.starts_with("退回修改通知\n\n春树里（武汉东湖物业服务有限公司）：\n"), "{spring}");
    assert!(spring.contains("（文件：春树里_自查表.xlsx）。经核对，有以下1处需要修改："), "{spring}");
    assert!(spring.contains("1. [警告] “自查表”C8（问题描述），原填“无”：第4项的问题“交接资料不全”"), "{spring}");
    assert!(spring.contains("请按以上说明修改后，于2021年11月25日前重新报送。"), "the 25th of the month after: {spring}");
    let police = std::fs::read_to_string(out.join("反馈/催报_区市场监管局.txt")).unwrap();
    assert!(police.contains("截至2021年11月5日，尚未收到你单位2021年10月的《专项整治月度工作汇总表》（附件2）。请于2021年11月25日前报送。"), "{police}");
    let sheet = rows_of(&book(&out, "2021年10月"), "反馈汇总");
    let (kind, name, errors, warnings) = (col(&sheet, "类别"), col(&sheet, "对象"), col(&sheet, "错误"), col(&sheet, "警告"));
    let listed: Vec<(&str, &str, &str, &str)> =
        sheet[1..].iter().map(|r| (r[kind].as_str(), r[name].as_str(), r[errors].as_str(), r[warnings].as_str())).collect();
    assert_eq!(listed[..1], [("退回修改", "春树里", "0", "1")]);
    assert_eq!(listed.len(), 4);
}

/// The replies in `反馈/`, one `.txt` each, by stem; every one is also a page of the printable
/// document of its kind.
fn replies(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.join("反馈")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let stems: Vec<String> = names.iter().filter_map(|n| n.strip_suffix(".txt")).map(str::to_string).collect();
    let docs: Vec<&String> = names.iter().filter(|n| n.ends_with(".docx")).collect();
    assert_eq!(docs, ["催报通知（全部）.docx", "退回修改通知（全部）.docx"], "two printable documents, sorted");
    for stem in &stems {
        let (kind, name) = stem.split_once('_').unwrap();
        let doc = huizong_read_docx(&out.join(format!("反馈/{kind}通知（全部）.docx")));
        assert!(doc.contains(name), "{stem} has its page");
        assert_eq!(doc.matches(&format!("{kind}通知")).count(), stems.iter().filter(|s| s.starts_with(kind)).count(), "one page per reply");
    }
    stems
}

/// The text of a `.docx`, as the program reads Word returns.
fn huizong_read_docx(path: &Path) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    xml
}
