//! The real binary on the shared sample returns (made by openpyxl, XlsxWriter, xlwt and
//! LibreOffice), as of 2021-11-20 for October 2021 with the samples' roster: every file's
//! status, the values read, the findings at their cells, and the workbook read back.

use crate::common::*;
use std::collections::BTreeMap;

fn run_samples() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_dir(&fixtures().join("samples"), &input);
    // Every file modified at the same moment: which of two returns of one project is the newer
    // is decided by what they say (and then by name), never by when the copy was made.
    set_modified_tree(&input, utc("2021-10-30 09:00:00"));
    let out = tmp.path().join("out");
    let roster = input.join("名册.xlsx");
    run_ok(&input, &out, &["--as-of", "2021-11-20", "--month", "2021-10", "--roster", roster.to_str().unwrap(), "--quiet"]);
    (tmp, out)
}

#[test]
fn every_sample_file_gets_the_right_status() {
    let (_tmp, out) = run_samples();
    let files = table(&out, "files");
    let status: BTreeMap<String, String> = strings(&files, "path").into_iter().zip(strings(&files, "status")).collect();
    assert_eq!(status.len(), 28, "every file under INPUT is listed");
    let expect = [
        ("README.md", "ignored"),
        ("其他/乱码.xlsx", "unreadable"),
        ("其他/加密.xlsx", "unreadable"),
        ("其他/截断.xlsx", "unreadable"),
        ("其他/无关表格.xlsx", "unrecognized"),
        ("其他/空文件.xlsx", "unreadable"),
        ("其他/说明.txt", "ignored"),
        ("名册.xlsx", "ignored"),
        ("月报/区公安分局_2021年10月_月度汇总表.xls", "consolidated"),
        ("月报/区市场监管局_2021年10月_月度汇总表.ods", "consolidated"),
        ("月报/区建设（房管）局_2021年9月_月度汇总表.ods", "consolidated"),
        ("自查表/~$武汉碧桂物业管理有限公司_梨园小区_自查表.xlsx", "ignored"),
        ("自查表/扩展名错误_武汉碧桂物业管理有限公司_梨园小区_自查表.xls", "superseded"),
        ("自查表/武汉东湖物业服务有限公司_东湖春树里_自查表.xlsx", "superseded"),
        ("自查表/武汉东湖物业服务有限公司_东湖春树里_自查表（更新）.xlsx", "consolidated"),
        ("自查表/武汉东湖物业服务有限公司_湖光雅居等_自查表.xlsx", "consolidated"),
        ("自查表/武汉长江物业管理有限公司_落雁景苑_自查表.ods", "consolidated"),
        ("自查表/湖北楚天物业有限公司_碧波园_自查表.xls", "consolidated"),
    ];
    for (path, want) in expect {
        assert_eq!(status.get(path).map(String::as_str), Some(want), "{path}");
    }
    let reasons: BTreeMap<String, String> = strings(&files, "path").into_iter().zip(strings(&files, "reason")).collect();
    assert!(reasons["其他/加密.xlsx"].contains("密码"));
    assert!(reasons["其他/空文件.xlsx"].contains("0 字节"));
    assert!(reasons["其他/截断.xlsx"].contains("损坏"));
    assert!(reasons["自查表/武汉东湖物业服务有限公司_东湖春树里_自查表.xlsx"].contains("填报日期更晚"));
    // The same 梨园小区 return twice, same fill date, same modification time: the name decides.
    assert!(reasons["自查表/扩展名错误_武汉碧桂物业管理有限公司_梨园小区_自查表.xls"].contains("取文件名排序靠后的一份"));
    // The xlsx saved as .xls is read by its content.
    let formats: BTreeMap<String, String> = strings(&files, "path").into_iter().zip(strings(&files, "format")).collect();
    assert_eq!(formats["自查表/扩展名错误_武汉碧桂物业管理有限公司_梨园小区_自查表.xls"], "xlsx");
    assert_eq!(formats["月报/区公安分局_2021年10月_月度汇总表.xls"], "xls");
    assert_eq!(formats["其他/加密.xlsx"], "encrypted");
}

#[test]
fn items_are_read_with_statuses_at_the_as_of_date() {
    let (_tmp, out) = run_samples();
    let items = table(&out, "items");
    assert_eq!(items.height(), 46, "8 projects: 7 with six rows, 碧波园 with four");
    let projects: std::collections::BTreeSet<String> = strings(&items, "project").into_iter().collect();
    assert_eq!(projects.len(), 8);
    // The updated 东湖春树里 replaced the first one.
    let spring = rows_where(&items, "project", "东湖春树里");
    assert!(strings(&spring, "path").iter().all(|p| p.ends_with("（更新）.xlsx")));
    assert_eq!(strings(&spring, "fill_date")[0], "2021-10-28");
    // 湖光雅居 item 1: deadline 10月31日, year from the fill date, 20 days overdue on 11-20.
    let lake = rows_where(&items, "project", "湖光雅居");
    let first = rows_where(&lake, "item_no", "1");
    assert_eq!(strings(&first, "deadline"), ["2021-10-31"]);
    assert_eq!(strings(&first, "status"), ["overdue"]);
    assert_eq!(ints(&first, "days_overdue"), [Some(20)]);
    assert_eq!(strings(&first, "responsible"), ["张伟"]);
    let by_no = |df: &polars::prelude::DataFrame, n: &str, col: &str| strings(&rows_where(df, "item_no", n), col)[0].clone();
    assert_eq!(by_no(&lake, "4", "status"), "long_term");
    assert_eq!(by_no(&lake, "3", "status"), "missing_deadline");
    assert_eq!(by_no(&lake, "5", "phone"), "13693227324");
    // 鹏程小区: rows reordered and focus shortened; 9月31日 is impossible, never guessed.
    let peng = rows_where(&items, "project", "鹏程小区");
    assert_eq!(by_no(&peng, "4", "status"), "missing_deadline");
    assert_eq!(by_no(&peng, "4", "deadline_raw"), "2021年9月31日");
    assert_eq!(by_no(&peng, "2", "deadline"), "2021-10-20");
    assert_eq!(by_no(&peng, "3", "deadline"), "2021-10-31");
    // 听涛苑: status words in the deadline column.
    let tao = rows_where(&items, "project", "听涛苑");
    assert_eq!(by_no(&tao, "3", "status"), "done");
    assert_eq!(by_no(&tao, "1", "status"), "no_problem");
    // 磨山花园: spaced phone number.
    let mo = rows_where(&items, "project", "磨山花园");
    assert_eq!(by_no(&mo, "2", "phone"), "15469973653");
    assert_eq!(by_no(&mo, "2", "status"), "long_term");
    // 落雁景苑 (.ods): date cell and 11月底前.
    let luo = rows_where(&items, "project", "落雁景苑");
    assert_eq!(by_no(&luo, "6", "deadline"), "2021-11-22");
    assert_eq!(by_no(&luo, "3", "deadline"), "2021-11-30");
}

#[test]
fn monthly_values_totals_and_findings() {
    let (_tmp, out) = run_samples();
    let monthly = table(&out, "monthly");
    let police_oct = rows_where(&rows_where(&monthly, "unit", "区公安分局"), "month", "2021-10");
    let fourteen = rows_where(&police_oct, "indicator", "14");
    assert_eq!(ints(&fourteen, "this_month"), [Some(7)], "full-width ７");
    assert_eq!(ints(&fourteen, "cumulative"), [Some(13)]);
    let ten = rows_where(&police_oct, "indicator", "10");
    assert_eq!(ints(&ten, "this_month"), [None], "blank is not zero");
    let town_sep = rows_where(&rows_where(&monthly, "unit", "区城乡工作办事处（民政）"), "month", "2021-09");
    let part = rows_where(&town_sep, "indicator", "5.1");
    assert_eq!(ints(&part, "this_month"), [Some(2)], "5(其中2)");
    assert_eq!(ints(&part, "cumulative"), [Some(2)], "5（2）");

    let district = table(&out, "district");
    let get = |id: &str| {
        let r = rows_where(&district, "indicator", id);
        (ints(&r, "this_month")[0], ints(&r, "cumulative")[0])
    };
    assert_eq!(district.height(), 15);
    assert_eq!(get("1"), (Some(44), None), "stock from 区建设（房管）局");
    assert_eq!(get("4"), (Some(27), Some(41)), "5 + 4 + 2 + 5 + 11 and 5 + 11 + 3 + 9 + 13");
    assert_eq!(get("10"), (Some(19), Some(37)), "a blank unit value is left out of the sum");

    let findings = table(&out, "findings");
    let at = |code: &str| -> Vec<(String, String)> {
        let f = rows_where(&findings, "code", code);
        strings(&f, "path").into_iter().zip(strings(&f, "cell")).collect()
    };
    assert!(at("monthly.sum_mismatch").contains(&("月报/区建设（房管）局_2021年10月_月度汇总表.xlsx".into(), "C6".into())));
    assert!(at("monthly.cumulative_below_month").contains(&("月报/区经发局_2021年10月_月度汇总表.xlsx".into(), "C13:D13".into())));
    assert!(at("monthly.cumulative_mismatch").contains(&("月报/区经发局_2021年10月_月度汇总表.xlsx".into(), "C13:D13".into())));
    assert!(at("count.blank").contains(&("月报/区公安分局_2021年10月_月度汇总表.xls".into(), "C16".into())));
    assert!(at("deadline.impossible").contains(&("自查表/武汉东湖物业服务有限公司_湖光雅居等_自查表.xlsx".into(), "E6".into())));
    assert!(at("responsible.phone_invalid").contains(&("自查表/武汉东湖物业服务有限公司_东湖春树里_自查表（更新）.xlsx".into(), "D9".into())));
    // Every finding carries a Chinese message and a known severity.
    for (sev, msg) in strings(&findings, "severity").iter().zip(strings(&findings, "message")) {
        assert!(["error", "warning", "info"].contains(&sev.as_str()));
        assert!(msg.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)), "{msg}");
    }
    assert_eq!(table(&out, "missing").height(), 0, "all eight roster projects and five units reported");
}

#[test]
fn workbook_and_summary_agree_with_the_tables() {
    let (_tmp, out) = run_samples();
    assert!(workbook_path(&out).ends_with("东湖风景区物业专项整治汇总_2021年10月.xlsx"));
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["files_total"], 28);
    assert_eq!(summary["files"]["consolidated"], 17);
    assert_eq!(summary["files"]["superseded"], 2);
    assert_eq!(summary["month"], "2021-10");
    assert_eq!(summary["as_of"], "2021-11-20");
    let items = table(&out, "items");
    let overdue = strings(&items, "status").iter().filter(|s| *s == "overdue").count();
    assert_eq!(summary["items"]["overdue"], overdue);

    let month = sheet(&out, "月度汇总表");
    let row4 = month.iter().find(|r| r[0] == "4").unwrap();
    assert_eq!(&row4[2..4], ["27", "41"]);
    let list = sheet(&out, "文件清单");
    assert_eq!(list.len(), 29, "header + 28 files");
    let chase = sheet(&out, "督办清单");
    let days = col(&chase, "逾期天数");
    let first: i64 = chase[1][days].parse().unwrap();
    assert!(chase[2..].iter().all(|r| r[days].parse::<i64>().map_or(true, |d| d <= first)), "most overdue first");
    let problems = sheet(&out, "数据问题");
    assert_eq!(problems.len() - 1, table(&out, "findings").height());
    let ledger = sheet(&out, "整改台账");
    let problem_items = items.column("has_problem").unwrap().bool().unwrap().iter().filter(|v| *v == Some(true)).count();
    // The ledger: every problem reported, plus those a re-submission dropped without marking
    // them done (they stay open).
    let findings = table(&out, "findings");
    let dropped = strings(&findings, "code").iter().filter(|c| *c == "item.silently_dropped").count();
    assert_eq!(dropped, 1, "东湖春树里's update drops item 2");
    assert_eq!(ledger.len() - 1, problem_items + dropped);
}
