//! `huizong check` (docs/contract.md, “Other commands and the replies”): exit codes, the Chinese
//! report and JSON on fixture files with known findings, and the annotated copies: opened by
//! calamine, the bad cells' notes in the file, the original unchanged.

use crate::common::*;
use calamine::Reader;
use std::path::Path;
use std::process::Output;

/// The exit code of `check` when a file has an error (its return would be sent back): its own
/// code, apart from 1 (an output could not be written) and 2 (bad arguments).
const SENT_BACK: i32 = 3;

fn check(args: &[&str]) -> Output {
    huizong(["check"]).args(args).output()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn sha(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    format!("{:x}", Sha256::digest(std::fs::read(path).unwrap()))
}

/// Three 附件2 errors (是, 2.5, -1) and Chinese numerals (openpyxl, fixtures/corpus).
fn numbers() -> std::path::PathBuf {
    fixtures().join("corpus/openpyxl_月报各种数字.xlsx")
}

#[test]
fn exit_codes_and_the_report() {
    let clean = fixtures().join("months/2021-09/区经发局_2021年9月.xlsx");
    let o = check(&[clean.to_str().unwrap(), "--as-of", "2021-10-05"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("没有发现问题"));
    assert!(stdout(&o).ends_with("共检查 1 个文件，没有错误和警告，不需要修改。\n"));
    assert!(stdout(&o).contains("核对不了与上月累积数、与存量指标来源单位的比较"), "check says what only the run can know");

    let o = check(&[numbers().to_str().unwrap(), clean.to_str().unwrap(), "--as-of", "2021-11-20"]);
    assert_eq!(o.status.code(), Some(SENT_BACK), "an error in any file");
    let text = stdout(&o);
    assert!(text.contains("附件2 月度工作汇总表（区市场监管局 2021-10）：错误 3，警告 3，提示 1"), "{text}");
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("    [")).collect();
    assert_eq!(lines.len(), 7, "{text}");
    assert!(lines.contains(&"    [错误] “Sheet”C13 指标6本月：指标6本月“是”不是数量，请填写阿拉伯数字"), "{text}");
    let cells: Vec<&str> = lines.iter().map(|l| l.split_whitespace().nth(1).unwrap()).collect();
    assert_eq!(cells, ["“Sheet”C8", "“Sheet”C10", "“Sheet”D10", "“Sheet”C13", "“Sheet”C15", "“Sheet”D18", "“Sheet”C19"], "row by row");
    assert!(text.contains("1 个文件需要修改（错误 3 处，警告 3 处），汇总时会退回修改"), "{text}");

    // Warnings alone bring a 退回修改 in the run: check says so with the same exit code.
    let warned = Path::new(env!("CARGO_MANIFEST_DIR")).join("input/自查表/武汉碧桂物业管理有限公司_梨园小区_自查表.xlsx");
    let o = check(&[warned.to_str().unwrap(), "--as-of", "2021-11-20"]);
    assert_eq!(o.status.code(), Some(SENT_BACK), "{}", stdout(&o));
    assert!(stdout(&o).contains("1 个文件需要修改（错误 0 处，警告 1 处），汇总时会退回修改"), "{}", stdout(&o));

    // A Word return (python-docx) says where the cell is in Word.
    let word = fixtures().join("word/python-docx_附件1_武汉长江物业管理有限公司_绿洲花园_自查表.docx");
    let o = check(&[word.to_str().unwrap(), "--as-of", "2021-11-20"]);
    assert_eq!(o.status.code(), Some(SENT_BACK));
    assert!(
        stdout(&o)
            .contains("    [错误] 第1个表格第5行第5列 整改完成期限：第4项整改期限“2021年9月31日”不是真实存在的日期（2021年9月没有31日）：请改为正确的日期\n"),
        "{}",
        stdout(&o)
    );

    // Bad arguments: no file, a file that does not exist.
    assert_eq!(check(&[]).status.code(), Some(2));
    let o = check(&["/no/such/file.xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("找不到文件"));

    // A file that is no spreadsheet is listed with its reason, as in the run.
    let empty = Path::new(env!("CARGO_MANIFEST_DIR")).join("input/其他/空文件.xlsx");
    let o = check(&[empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(SENT_BACK));
    assert!(stdout(&o).contains("无法读取：空文件（0 字节）"));
}

#[test]
fn json_for_other_tools() {
    let o = check(&[numbers().to_str().unwrap(), "--json", "--as-of", "2021-11-20"]);
    assert_eq!(o.status.code(), Some(SENT_BACK));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["errors"], 3);
    let f = &v["files"][0];
    assert_eq!((f["status"].as_str(), f["format"].as_str()), (Some("consolidated"), Some("xlsx")));
    let codes: Vec<&str> = f["findings"].as_array().unwrap().iter().map(|x| x["code"].as_str().unwrap()).collect();
    assert_eq!(codes.iter().filter(|c| **c == "count.invalid").count(), 3, "{codes:?}");
    let six = f["findings"].as_array().unwrap().iter().find(|x| x["cell"] == "C13").unwrap();
    assert_eq!((six["severity"].as_str(), six["value"].as_str(), six["sheet"].as_str()), (Some("error"), Some("是"), Some("Sheet")));
}

#[test]
fn annotated_copies_for_the_submitter() {
    let tmp = tempfile::tempdir().unwrap();
    let original = tmp.path().join("月报.xlsx");
    std::fs::copy(numbers(), &original).unwrap();
    let before = sha(&original);
    let dir = tmp.path().join("标注");
    let o = check(&[original.to_str().unwrap(), "--as-of", "2021-11-20", "--annotate", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(SENT_BACK));
    assert_eq!(sha(&original), before, "the original is never touched");
    let copy = dir.join("月报_待修改（请按批注修改）.xlsx");
    let mut wb = calamine::open_workbook_auto(&copy).unwrap();
    assert_eq!(wb.sheet_names(), ["检查结果", "Sheet"]);
    let summary = wb.worksheet_range("检查结果").unwrap();
    assert_eq!(summary.height(), 8, "a header and the seven findings");
    let data = wb.worksheet_range("Sheet").unwrap();
    assert_eq!(data.get_value((12, 2)).map(|v| v.to_string()), Some("是".to_string()), "the values as read");
    // The notes: one per marked cell, with the message.
    let mut z = zip::ZipArchive::new(std::fs::File::open(&copy).unwrap()).unwrap();
    let mut comments = String::new();
    std::io::Read::read_to_string(&mut z.by_name("xl/comments1.xml").unwrap(), &mut comments).unwrap();
    assert_eq!(comments.matches("<comment ").count(), 7, "{comments}");
    assert!(comments.contains("ref=\"C13\"") && comments.contains("【错误】指标6本月“是”不是数量"), "{comments}");
    let styles = {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name("xl/styles.xml").unwrap(), &mut s).unwrap();
        s
    };
    assert!(styles.contains("FFFF9999"), "errors are filled red");

    // A clean file gets no copy.
    let clean = fixtures().join("months/2021-09/区经发局_2021年9月.xlsx");
    let o = check(&[clean.to_str().unwrap(), "--annotate", dir.to_str().unwrap(), "--as-of", "2021-10-05"]);
    assert_eq!(o.status.code(), Some(0), "no error in the clean file: {}", stdout(&o));
    let copies: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(copies, ["月报_待修改（请按批注修改）.xlsx"], "only the earlier file's copy");
}
