//! The clerk's way in (docs/contract.md, “Other commands and the replies”): the program started
//! with no command consolidates the `input` folder beside it into `output` beside it; with one
//! folder as its only argument (a folder dropped on the program) it consolidates that folder into
//! `output` beside the folder; both print the summary. Without a keyboard (here, stdin is empty)
//! it does not wait. The clerk gives no date: the run is as of today, here pinned by
//! `SOURCE_DATE_EPOCH`, and reports the month before.

use crate::common::*;
use std::path::Path;

/// The clerk's "today": 5 November 2021, so the month reported is October 2021 (noon UTC is
/// that day in every time zone from UTC−11 to UTC+11).
const TODAY: &str = "2021-11-05 12:00:00";

/// The program copied into `dir`, as a clerk keeps it in a folder of its own.
fn program_in(dir: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let exe = dir.join(Path::new(env!("CARGO_BIN_EXE_huizong")).file_name().unwrap());
    std::fs::copy(env!("CARGO_BIN_EXE_huizong"), &exe).unwrap();
    exe
}

fn start(exe: &Path, args: &[&Path], cwd: &Path) -> std::process::Output {
    Huizong::program(exe).args(args).current_dir(cwd).env(&[("SOURCE_DATE_EPOCH", &source_date_epoch(TODAY))]).output()
}

/// `summary.json`'s month and as-of date.
fn month_and_as_of(out: &Path) -> (String, String) {
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    (summary["month"].as_str().unwrap().to_string(), summary["as_of"].as_str().unwrap().to_string())
}

#[test]
fn double_click_consolidates_the_input_folder_beside_the_program() {
    let tmp = tempfile::tempdir().unwrap();
    let exe = program_in(&tmp.path().join("汇总工具"));
    copy_dir(&fixtures().join("months/2021-10"), &tmp.path().join("汇总工具/input"));
    // Started from elsewhere: the folders beside the program count, not the working directory.
    let o = start(&exe, &[], tmp.path());
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{text}\n{}", String::from_utf8_lossy(&o.stderr));
    assert!(text.contains("文件 6 个：已汇总 5，已被替代 1"), "{text}");
    let out = tmp.path().join("汇总工具/output");
    assert_eq!(month_and_as_of(&out), ("2021-10".to_string(), "2021-11-05".to_string()), "as of today, the month before");
    assert!(workbook_path(&out).ends_with("东湖风景区物业专项整治汇总_2021年10月.xlsx"));
    assert!(out.join("反馈").is_dir());
    assert!(!text.contains("按回车键"), "no keyboard, no wait: {text}");
}

#[test]
fn a_folder_dropped_on_the_program_is_consolidated_into_output_beside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let exe = program_in(&tmp.path().join("程序"));
    let folder = tmp.path().join("10月报表");
    copy_dir(&fixtures().join("months/2021-10"), &folder);
    // A roster named 名册 in the folder is used as the roster.
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("input/名册.xlsx"), folder.join("名册.xlsx")).unwrap();
    let o = start(&exe, &[&folder], tmp.path());
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("未报送自查表的项目"), "{}", String::from_utf8_lossy(&o.stdout));
    let out = tmp.path().join("output");
    assert_eq!(month_and_as_of(&out), ("2021-10".to_string(), "2021-11-05".to_string()), "as of today, the month before");
    assert_eq!(strings(&table(&out, "files"), "path").len(), 7, "six returns and the roster");
    assert!(!tmp.path().join("程序/output").exists());
}

#[test]
fn without_an_input_folder_the_clerk_is_told_where_to_put_the_returns() {
    let tmp = tempfile::tempdir().unwrap();
    let exe = program_in(tmp.path());
    let o = start(&exe, &[], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("请把报表放进程序旁边的 input 文件夹，或把报表文件夹拖到程序图标上"));
}
