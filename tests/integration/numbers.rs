//! One number per meaning (docs/contract.md, "summary.json" and the workbook's sheets): the
//! overdue problems the run reports are the ledger's, carried ones included, on the terminal, in
//! `summary.json` and on 概览; this month's returns' share has its own label; 自查汇总's total
//! row equals the overview's block of this month's returns.

use crate::common::*;
use std::path::Path;

fn int(cell: &str) -> i64 {
    cell.parse::<f64>().map(|v| v as i64).unwrap_or_else(|_| panic!("not a number: {cell}"))
}

#[test]
fn overdue_is_the_ledgers_everywhere_and_the_project_totals_match_the_overview() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("input"), &input);
    let out = tmp.path().join("out");
    let stdout = run_ok(&input, &out, &["--month", "2021-10", "--as-of", "2021-11-20"]);
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let ledger = &summary["ledger"];
    let (open, overdue) = (ledger["open"].as_u64().unwrap(), ledger["overdue"].as_u64().unwrap());
    // The ledger as stored: the same count.
    let l = table(&out, "ledger");
    assert_eq!(strings(&l, "status").iter().filter(|s| *s == "overdue").count() as u64, overdue);
    assert_eq!(strings(&l, "status").iter().filter(|s| *s != "closed").count() as u64, open);
    assert!(stdout.contains(&format!("整改台账（含往月带入）：未销号 {open} 个，其中已逾期 {overdue} 个")), "{stdout}");
    // This month's returns' share, under its own label.
    let share = summary["items"]["overdue"].as_u64().unwrap();
    assert!(stdout.contains(&format!("本月报表中已逾期 {share}，")), "{stdout}");
    assert!(overdue >= share, "carried problems come on top of this month's");

    // 概览: the ledger block and the block of this month's returns, each under its own label.
    let overview = sheet(&out, "概览");
    let value =
        |label: &str| overview.iter().find(|r| r.first().map(String::as_str) == Some(label)).map(|r| int(&r[1])).unwrap_or_else(|| panic!("{label} in 概览"));
    assert_eq!(value("其中已逾期") as u64, overdue);
    assert_eq!(value("本月报表中已逾期") as u64, share);

    // 自查汇总's total row equals the overview's block of this month's returns.
    let projects = sheet(&out, "自查汇总");
    let total = projects.iter().find(|r| r[0] == "合计").expect("a total row");
    let header = &projects[0];
    let at = |name: &str| int(&total[header.iter().position(|h| h == name).unwrap()]);
    assert_eq!(at("已整改"), value("已整改"));
    assert_eq!(at("整改中"), value("整改中"));
    assert_eq!(at("长期整改"), value("长期整改"));
    assert_eq!(at("已逾期"), value("本月报表中已逾期"));
    let rows: i64 = projects[1..]
        .iter()
        .filter(|r| r[0] != "合计")
        .map(|r| r[header.iter().position(|h| h == "整改中").unwrap()].parse::<f64>().unwrap_or(0.0) as i64)
        .sum();
    assert_eq!(at("整改中"), rows, "the total is the column's sum");
}

#[test]
fn the_chase_has_the_contact_and_a_reminder_lists_the_open_problems() {
    // 东湖港湾 reported a problem in September and sent nothing in October: its row in 督办清单
    // keeps September's responsible person and phone, and its 催报 lists the problem.
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("input"), &input);
    let out = tmp.path().join("out");
    run_ok(&input, &out, &["--month", "2021-10", "--as-of", "2021-11-20", "--quiet"]);
    let chase = sheet(&out, "督办清单");
    let (project, who, phone) = (col(&chase, "物业项目"), col(&chase, "整改责任人"), col(&chase, "联系电话"));
    let row = chase.iter().find(|r| r[project] == "东湖港湾").expect("the carried overdue problem is chased");
    assert!(!row[who].is_empty() && !row[phone].is_empty(), "the last known contact: {row:?}");
    let reminder = std::fs::read_to_string(out.join("反馈/催报_东湖港湾.txt")).unwrap();
    assert!(reminder.contains(&format!("（联系人：{} {}）", row[who], row[phone])), "{reminder}");
    assert!(reminder.contains("你单位尚未销号的问题1个") && reminder.contains("已逾期"), "{reminder}");
    // The ledger keeps them too.
    let l = table(&out, "ledger");
    let r = rows_where(&l, "project", "东湖港湾");
    assert_eq!(strings(&r, "responsible"), [row[who].clone()]);
}

#[test]
fn printed_pages_say_what_they_are_and_hide_internal_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_ok(&Path::new(env!("CARGO_MANIFEST_DIR")).join("input"), &out, &["--month", "2021-10", "--as-of", "2021-11-20", "--quiet"]);
    let parts = members(&workbook_path(&out));
    let book = text_of(&parts, "xl/workbook.xml");
    // The sheet file of a sheet name, through the workbook's order (sheetN.xml is the Nth).
    let sheet_xml = |name: &str| {
        let names: Vec<String> = regex::Regex::new(r#"<sheet name="([^"]+)""#).unwrap().captures_iter(&book).map(|c| c[1].to_string()).collect();
        let n = names.iter().position(|s| s == name).unwrap_or_else(|| panic!("{name} in {names:?}")) + 1;
        text_of(&parts, &format!("xl/worksheets/sheet{n}.xml"))
    };
    let files = sheet_xml("文件清单");
    assert!(files.contains("<oddHeader>&amp;L东湖风景区物业专项整治汇总 2021年10月&amp;R文件清单</oddHeader>"), "{files}");
    // SHA-256 is the 7th column (G): kept for the next run, hidden from the page.
    assert!(regex::Regex::new(r#"<col min="7" max="7"[^>]*hidden="1""#).unwrap().is_match(&files), "{files}");
    let findings = sheet_xml("数据问题");
    assert!(regex::Regex::new(r#"<col min="2" max="2"[^>]*hidden="1""#).unwrap().is_match(&findings), "the English finding codes are hidden");
    // The problem lists print who, what, by when and how late (A 物业项目 … K 逾期天数); the
    // history and the clerk's columns after it stay on screen only.
    for name in ["整改台账", "督办清单"] {
        let area =
            regex::Regex::new(&format!(r#"<definedName name="_xlnm.Print_Area" localSheetId="\d+">'?{name}'?!\$A\$1:\$([A-Z]+)\$\d+</definedName>"#)).unwrap();
        let last = area.captures(&book).unwrap_or_else(|| panic!("{name} has a print area: {book}"))[1].to_string();
        assert_eq!(last, "K", "{name}");
        assert_eq!(sheet(&out, name)[0][10], "逾期天数");
    }
    // With no resolved marks yet, 处理记录 is kept for the next run but hidden, so it prints no
    // page of headers alone.
    assert!(regex::Regex::new(r#"<sheet name="处理记录" sheetId="\d+" state="hidden""#).unwrap().is_match(&book), "{book}");
    // 概览 prints its counts and this month's charts on page 1, the trend charts (two months
    // here) on page 2: a manual break under the last count block, at a fixed scale (Excel
    // ignores manual breaks on a sheet fitted to pages).
    let overview_xml = sheet_xml("概览");
    let brk: u32 = regex::Regex::new(r#"<brk id="(\d+)""#).unwrap().captures(&overview_xml).unwrap_or_else(|| panic!("{overview_xml}"))[1].parse().unwrap();
    let overview = sheet(&out, "概览");
    let last_count = overview.iter().position(|r| r[0] == "其中经人工核实或销号").unwrap() as u32;
    assert!(brk > last_count, "break at row {brk}, last count at row {last_count}");
    assert!(!overview_xml.contains("fitToPage"), "{overview_xml}");
    assert!(overview_xml.contains(r#"scale="55""#), "{overview_xml}");
    // The cases' texts keep their wide column on a landscape page.
    assert!(sheet_xml("典型案例与经验做法").contains(r#"orientation="landscape""#));
    // Hidden, still read back: the SHA-256 of each file is in the sheet.
    let list = sheet(&out, "文件清单");
    assert!(list[1..].iter().any(|r| r[6].len() == 64), "{:?}", &list[..2]);
}
