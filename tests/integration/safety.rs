//! Safe in the clerk's hands (docs/contract.md, "Command" and "History"): the ordinary ways a
//! clerk runs the program must not lose a month, a mark or a return. Each test is one way a
//! clerk meets it: no `--month` near the end of the month, a month skipped, the workbook left
//! open, a configuration typed in Notepad, the roster dropped into the input folder, the output
//! folder made the same as the input folder, a return dropped on the program.

use crate::common::*;
use std::path::{Path, PathBuf};

/// The shipped `input/` (September in `2021年9月/`, October's returns beside it) copied into a
/// scratch folder, with the files' times pinned.
fn input_copy(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("input"), &input);
    set_modified_tree(&input, utc("2021-10-29 09:00:00"));
    input
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn without_a_month_the_returns_decide_not_the_calendar() {
    // Consolidating October on 30 October: the month before the date is September, whose
    // workbook (with the clerk's marks) the run used to replace with October's returns.
    let tmp = tempfile::tempdir().unwrap();
    let input = input_copy(tmp.path());
    let out = tmp.path().join("out");
    let stdout = run_ok(&input, &out, &["--as-of", "2021-10-30"]);
    let month_line = stdout.lines().find(|l| l.starts_with("汇总月份")).unwrap_or("");
    assert!(month_line.starts_with("汇总月份：2021年10月（报表所写："), "{stdout}");
    assert!(stdout.contains("已补做2021年9月的汇总"), "September's folder is September's: {stdout}");
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["month"], "2021-10");
    // September's workbook holds September's returns only: 5 units' 附件2 of September.
    let september = rows_of(&out.join("东湖风景区物业专项整治汇总_2021年9月.xlsx"), "文件清单");
    assert!(september.iter().skip(1).all(|r| r[0].starts_with("2021年9月/")), "{september:?}");
    assert!(out.join("history/month=2021-09").is_dir() && out.join("history/month=2021-10").is_dir());
}

#[test]
fn a_month_no_return_is_for_is_warned_about() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input_copy(tmp.path());
    std::fs::remove_dir_all(input.join("2021年9月")).unwrap();
    let out = run(&input, &tmp.path().join("out"), &["--month", "2021-08", "--as-of", "2021-09-20", "--quiet"]);
    assert!(out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("指定的汇总月份是2021年8月，但没有一份报表是该月的") && stderr.contains("是2021年10月的"), "{stderr}");
}

#[test]
fn a_skipped_month_keeps_the_open_problems() {
    // September run, then November with no October run: September's open problems go on.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let months = fixtures().join("months");
    run_ok(&months.join("2021-09"), &out, &["--month", "2021-09", "--as-of", "2021-10-05", "--quiet"]);
    let open_in_september: Vec<String> = {
        let l = table(&out, "ledger");
        let (ids, status) = (strings(&l, "item_id"), strings(&l, "status"));
        ids.into_iter().zip(status).filter(|(_, s)| s != "closed").map(|(id, _)| id).collect()
    };
    assert!(!open_in_september.is_empty());
    let november = run(&months.join("2021-11"), &out, &["--month", "2021-11", "--as-of", "2021-12-05", "--quiet"]);
    assert!(november.status.success());
    assert!(text(&november.stderr).contains("历史记录中没有2021年10月的汇总：整改台账从2021年9月的汇总接续"), "{}", text(&november.stderr));
    let ids = strings(&table(&out, "ledger"), "item_id");
    for id in &open_in_september {
        assert!(ids.contains(id), "{id} was open in September and is not in November's ledger: {ids:?}");
    }
}

#[test]
fn a_workbook_left_open_in_excel_is_warned_about() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input_copy(tmp.path());
    let out = tmp.path().join("out");
    let args = ["--month", "2021-10", "--as-of", "2021-11-20", "--quiet"];
    run_ok(&input, &out, &args);
    let lock = out.join("~$东湖风景区物业专项整治汇总_2021年10月.xlsx");
    std::fs::write(&lock, [0u8; 165]).unwrap();
    let again = run(&input, &out, &args);
    assert!(again.status.success());
    let stderr = text(&again.stderr);
    assert!(stderr.contains("正在 Excel 或 WPS 中打开") && stderr.contains("请先保存并关闭该工作簿"), "{stderr}");
}

#[test]
fn a_configuration_in_the_input_folder_is_read_in_gbk_and_its_errors_are_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input_copy(tmp.path());
    // Notepad on a Chinese Windows saves "ANSI": GBK.
    let config = encoding_rs::GBK.encode("district = \"洪山区\"\ncompiler = \"张敏\"\n").0.into_owned();
    std::fs::write(input.join("huizong.toml"), config).unwrap();
    let out = tmp.path().join("out");
    let stdout = run_ok(&input, &out, &["--month", "2021-10", "--as-of", "2021-11-20"]);
    assert!(stdout.contains("使用配置文件") && stdout.contains("huizong.toml"), "{stdout}");
    assert!(out.join("洪山区物业专项整治汇总_2021年10月.xlsx").is_file());
    let files = table(&out, "files");
    assert!(!strings(&files, "path").iter().any(|p| p.ends_with("huizong.toml")), "the configuration is no return");

    std::fs::write(input.join("huizong.toml"), "district = \"洪山区\"\ncodepage = \"936\"\n").unwrap();
    let bad = run(&input, &out, &["--month", "2021-10", "--as-of", "2021-11-20"]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = text(&bad.stderr);
    assert!(stderr.contains("huizong.toml") && stderr.contains("第2行（codepage）写法不对"), "{stderr}");
}

#[test]
fn the_roster_in_the_input_folder_is_used_without_being_named() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input_copy(tmp.path());
    let out = tmp.path().join("out");
    let stdout = run_ok(&input, &out, &["--month", "2021-10", "--as-of", "2021-11-20"]);
    assert!(stdout.contains("未报送自查表的项目"), "the roster's missing projects are listed: {stdout}");
    // The terminal says where the replies are and how many must resubmit.
    let replies: Vec<String> = std::fs::read_dir(out.join("反馈")).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
    let count = |prefix: &str| replies.iter().filter(|n| n.starts_with(prefix) && n.ends_with(".txt")).count();
    let line = format!("反馈：退回修改 {} 份（需重新报送），催报 {} 份", count("退回修改_"), count("催报_"));
    assert!(stdout.contains(&line), "{line} in {stdout}");
    let files = table(&out, "files");
    let roster = rows_where(&files, "path", "名册.xlsx");
    assert_eq!(strings(&roster, "status"), ["ignored"]);
    assert_eq!(strings(&roster, "reason"), ["这是应报项目名册，不是报表"]);
}

#[test]
fn an_output_folder_inside_the_input_folder_is_never_read_back() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input_copy(tmp.path());
    let args = ["--month", "2021-10", "--as-of", "2021-11-20", "--quiet"];
    run_ok(&input, &input, &args);
    let first = strings(&table(&input, "files"), "path");
    run_ok(&input, &input, &args);
    let second = strings(&table(&input, "files"), "path");
    assert_eq!(first, second, "the second run reads the same returns");
    for p in &second {
        assert!(!p.starts_with("tables/") && !p.starts_with("反馈/") && !p.starts_with("history/") && !p.contains("物业专项整治汇总_"), "{p} is an output");
    }
}

#[test]
fn files_dropped_on_the_program_are_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input_copy(tmp.path());
    let file = input.join("自查表/武汉碧桂物业管理有限公司_梨园小区_自查表.xlsx");
    let out = huizong([&file]).current_dir(tmp.path()).env(&[("SOURCE_DATE_EPOCH", &source_date_epoch("2021-11-05 12:00:00"))]).output();
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("汇总（huizong）：检查拖入的 1 个文件"), "{stdout}");
    assert!(stdout.contains("■ ") && stdout.contains("梨园小区"), "the check report: {stdout}");
    assert!(matches!(out.status.code(), Some(0) | Some(3)), "{:?}", out.status);
    assert!(!tmp.path().join("output").exists(), "a dropped file is checked, not consolidated");
}

#[test]
fn a_workbook_that_cannot_be_replaced_leaves_every_earlier_output_as_it_was() {
    // On Windows a workbook open in Excel cannot be replaced; here its place is taken by a
    // folder, which no file can replace either.
    let tmp = tempfile::tempdir().unwrap();
    let input = input_copy(tmp.path());
    let out = tmp.path().join("out");
    let args = ["--month", "2021-10", "--as-of", "2021-11-20", "--quiet"];
    run_ok(&input, &out, &args);
    let before = [sha256_tree(&out.join("tables")), sha256_tree(&out.join("反馈")), sha256_tree(&out.join("history"))];
    let summary = std::fs::read(out.join("summary.json")).unwrap();
    let book = out.join("东湖风景区物业专项整治汇总_2021年10月.xlsx");
    std::fs::remove_file(&book).unwrap();
    std::fs::create_dir_all(book.join("占位")).unwrap();
    std::fs::remove_file(input.join("自查表/武汉碧桂物业管理有限公司_梨园小区_自查表.xlsx")).unwrap();
    let failed = run(&input, &out, &args);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = text(&failed.stderr);
    assert!(stderr.contains("无法替换工作簿") && stderr.contains("请关闭后重新运行"), "{stderr}");
    let after = [sha256_tree(&out.join("tables")), sha256_tree(&out.join("反馈")), sha256_tree(&out.join("history"))];
    assert_eq!(after, before, "tables/, 反馈/ and history/ are those of the run before");
    assert_eq!(std::fs::read(out.join("summary.json")).unwrap(), summary);
    let leftovers: Vec<String> =
        std::fs::read_dir(&out).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).filter(|n| n.starts_with('.')).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_rerun_over_other_returns_keeps_the_earlier_workbook() {
    let tmp = tempfile::tempdir().unwrap();
    let input = input_copy(tmp.path());
    let out = tmp.path().join("out");
    let args = ["--month", "2021-10", "--as-of", "2021-11-20"];
    run_ok(&input, &out, &args);
    let book = out.join("东湖风景区物业专项整治汇总_2021年10月.xlsx");
    let earlier = std::fs::read(&book).unwrap();
    // The same month again over the same returns: nothing to keep.
    let again = run(&input, &out, &args);
    assert!(!text(&again.stderr).contains("旧版"), "{}", text(&again.stderr));
    assert!(!out.join("旧版").exists());
    // Again after a return was taken out: the earlier workbook came from other returns.
    let earlier = if std::fs::read(&book).unwrap() == earlier { earlier } else { std::fs::read(&book).unwrap() };
    std::fs::remove_file(input.join("自查表/武汉碧桂物业管理有限公司_梨园小区_自查表.xlsx")).unwrap();
    let third = run(&input, &out, &args);
    assert!(third.status.success());
    let stderr = text(&third.stderr);
    assert!(stderr.contains("上次的2021年10月工作簿由另一批报表汇总而来，已另存为"), "{stderr}");
    let kept: Vec<PathBuf> = std::fs::read_dir(out.join("旧版")).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read(&kept[0]).unwrap(), earlier, "the earlier workbook, byte for byte");
    let files = strings(&table(&out, "files"), "path");
    assert!(!files.iter().any(|p| p.starts_with("旧版/")), "a kept workbook is no return");
}

#[test]
fn returns_in_a_zip_with_gbk_names_are_read_and_a_rar_is_named() {
    // fixtures/archives/make_archives.py: a company's zip written the way Windows writes it
    // (GBK names, no UTF-8 flag), with a folder and a zip inside; and a RAR.
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_dir(&fixtures().join("archives"), &input);
    std::fs::remove_file(input.join("make_archives.py")).unwrap();
    let out = tmp.path().join("out");
    let stdout = run_ok(&input, &out, &["--month", "2021-10", "--as-of", "2021-11-20"]);
    let files = table(&out, "files");
    let zip = "武汉东湖物业服务有限公司_报表.zip";
    let status = |path: &str| strings(&rows_where(&files, "path", path), "status");
    assert_eq!(status(&format!("{zip}/东湖春树里_自查表.xlsx")), ["consolidated"]);
    assert_eq!(status(&format!("{zip}/湖光雅居等/湖光雅居等_自查表.xlsx")), ["consolidated"]);
    assert_eq!(status(&format!("{zip}/万家/听涛苑.zip/听涛苑_自查表.docx")), ["consolidated"], "a zip inside the zip");
    let projects = strings(&table(&out, "items"), "project");
    for p in ["东湖春树里", "听涛苑"] {
        assert!(projects.iter().any(|x| x.contains(p)), "{p} in {projects:?}");
    }
    // Its items point at the member, as every path does.
    assert!(strings(&table(&out, "items"), "path").iter().all(|p| p.starts_with(zip)));
    let rar = rows_where(&files, "path", "湖北楚天物业有限公司_报表.rar");
    assert_eq!(strings(&rar, "status"), ["unreadable"]);
    assert!(strings(&rar, "reason")[0].contains("请解压后"), "{:?}", strings(&rar, "reason"));
    assert!(stdout.contains("! 湖北楚天物业有限公司_报表.rar：这是 RAR 压缩包"), "the terminal names it: {stdout}");

    // With a total limit below what the archive's members declare, the archive is one
    // unreadable file that says why.
    let config = tmp.path().join("small.toml");
    std::fs::write(&config, "max_unzipped_bytes = 1000\n").unwrap();
    let small = tmp.path().join("small");
    run_ok(&input, &small, &["--month", "2021-10", "--as-of", "2021-11-20", "--quiet", "--config", config.to_str().unwrap()]);
    let files = table(&small, "files");
    let zip_row = rows_where(&files, "path", zip);
    assert_eq!(strings(&zip_row, "status"), ["unreadable"]);
    assert!(strings(&zip_row, "reason")[0].contains("超过上限 1000 字节"), "{:?}", strings(&zip_row, "reason"));
}

#[test]
fn a_lost_history_is_rebuilt_from_last_months_workbook() {
    // September and October consolidated from folders of their own; then history/ is deleted
    // (or the output folder copied without it) and October is run again.
    let tmp = tempfile::tempdir().unwrap();
    let all = input_copy(tmp.path());
    let september = tmp.path().join("9月");
    copy_dir(&all.join("2021年9月"), &september);
    std::fs::remove_dir_all(all.join("2021年9月")).unwrap();
    let out = tmp.path().join("out");
    run_ok(&september, &out, &["--month", "2021-09", "--as-of", "2021-10-20", "--quiet"]);
    let october = ["--month", "2021-10", "--as-of", "2021-11-20", "--quiet"];
    run_ok(&all, &out, &october);
    let with_history = table(&out, "ledger");
    let chase = sheet(&out, "督办清单");
    let findings_of = |out: &Path| {
        let f = table(out, "findings");
        let mut rows: Vec<(String, String, String)> =
            strings(&f, "code").into_iter().zip(strings(&f, "path")).zip(strings(&f, "cell")).map(|((c, p), x)| (c, p, x)).collect();
        rows.sort();
        rows
    };
    let findings = findings_of(&out);
    let missing = strings(&table(&out, "missing"), "name");
    std::fs::remove_dir_all(out.join("history")).unwrap();
    let again = run(&all, &out, &october);
    assert!(again.status.success());
    let stderr = text(&again.stderr);
    assert!(stderr.contains("历史记录中没有2021年9月的汇总：整改台账从工作簿“东湖风景区物业专项整治汇总_2021年9月.xlsx”重建"), "{stderr}");
    assert!(stderr.contains("各单位上月的月度汇总表从工作簿“东湖风景区物业专项整治汇总_2021年9月.xlsx”重建（5个单位）"), "{stderr}");
    assert_eq!(findings_of(&out), findings, "the same checks against September (累积 continuity included)");
    assert_eq!(strings(&table(&out, "missing"), "name"), missing);
    let rebuilt = table(&out, "ledger");
    for column in ["item_id", "status", "closed_month", "closed_by", "first_month", "deadline", "first_deadline", "extensions", "months_open"] {
        assert_eq!(strings(&rebuilt, column), strings(&with_history, column), "{column}");
    }
    assert_eq!(sheet(&out, "督办清单"), chase, "the same problems to chase");
}

#[test]
fn the_clerks_marks_are_found_in_a_renamed_copy_of_the_workbook() {
    // The clerk marked October's workbook, saved it from LibreOffice as .ods under a name of
    // their own, and deleted the original: November still carries the marks.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let months = fixtures().join("months");
    run_ok(&months.join("2021-09"), &out, &["--month", "2021-09", "--as-of", "2021-10-05", "--quiet"]);
    run_ok(&months.join("2021-10"), &out, &["--month", "2021-10", "--as-of", "2021-11-05", "--quiet"]);
    std::fs::remove_file(out.join("东湖风景区物业专项整治汇总_2021年10月.xlsx")).unwrap();
    std::fs::copy(months.join("marked/东湖风景区物业专项整治汇总_2021年10月.ods"), out.join("10月汇总（经办人已核）.ods")).unwrap();
    run_ok(&months.join("2021-11"), &out, &["--month", "2021-11", "--as-of", "2021-12-05", "--quiet"]);
    let l = table(&out, "ledger");
    let row = rows_where(&l, "item_id", "听涛苑#3@2021-09");
    assert_eq!(
        (strings(&row, "status"), strings(&row, "closed_by"), strings(&row, "closed_month")),
        (vec!["closed".to_string()], vec!["clerk".to_string()], vec!["2021-10".to_string()]),
        "the clerk's 已销号 was read from the renamed copy"
    );
}
