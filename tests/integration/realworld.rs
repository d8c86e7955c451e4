//! Real-world spreadsheets from the test suites of other libraries (Apache POI, xlrd, SheetJS,
//! PhpSpreadsheet; kept outside the project in `../shared/fetched/realworld/`, sources and
//! licences in its README): every file is listed, none is taken for a form, nothing in them is
//! "repaired" or called garbled, and every file that cannot be read says what it is.

use crate::common::*;
use std::collections::BTreeMap;

/// Words the reason of an unreadable file of each kind must contain (`expected.tsv` gives the
/// kind of every file, found from its bytes).
fn reason_words(kind: &str, path: &str) -> &'static [&'static str] {
    match kind {
        "biff2" | "biff3" | "biff4" => &["旧版 Excel（2.x–4.x）", "另存为 .xlsx"],
        "fods" => &[".fods", "另存为"],
        "numbers" => &["Numbers", "导出为 Excel"],
        "encrypted" => &["密码"],
        "damaged" => &["已损坏"],
        "other" if path.ends_with(".qpw") => &["Quattro Pro"],
        // Sound but vast sheets, refused by the guard with their size.
        "xls-biff8" => &["工作表太大", "行 ×"],
        // Files calamine cannot read: the reason says it may be damaged or written in a way
        // huizong does not read, and what to do.
        _ => &["读不了的写法", "另存为 .xlsx"],
    }
}

#[test]
fn real_world_files_are_listed_and_none_is_taken_for_a_form() {
    let dir = fetched().join("realworld");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_ok(&dir, &out, &["--as-of", "2021-11-20", "--month", "2021-10", "--quiet"]);

    let files = table(&out, "files");
    let on_disk = walkdir(&dir);
    assert_eq!(strings(&files, "path"), on_disk, "every file is listed once");
    let status: BTreeMap<String, String> = strings(&files, "path").into_iter().zip(strings(&files, "status")).collect();
    let reason: BTreeMap<String, String> = strings(&files, "path").into_iter().zip(strings(&files, "reason")).collect();
    assert!(status.values().all(|s| ["unrecognized", "unreadable", "ignored"].contains(&s.as_str())), "none is a form: {status:?}");

    let expected = std::fs::read_to_string(dir.join("expected.tsv")).unwrap();
    let mut checked = 0;
    for line in expected.lines().skip(1) {
        let [path, kind, expect] = line.split('\t').collect::<Vec<_>>()[..] else { panic!("{line}") };
        let want = match expect {
            "read" => "unrecognized",
            other => other,
        };
        assert_eq!(status[path], want, "{path} ({kind}): {}", reason[path]);
        if expect == "unreadable" {
            for word in reason_words(kind, path) {
                assert!(reason[path].contains(word), "{path} ({kind}) should say “{word}”: {}", reason[path]);
            }
        }
        checked += 1;
    }
    assert!(checked >= 50, "{checked}");

    // Nothing inside these files is anybody's to fix: no cell-level finding, no repair, no
    // garbled text (Czech, Slovak, German, Polish, Hebrew, Japanese and Chinese among them).
    let findings = table(&out, "findings");
    let codes = strings(&findings, "code");
    assert!(codes.iter().all(|c| c.starts_with("file.")), "{codes:?}");
}

/// Every file under `dir`, relative, `/`-separated, sorted as the files table is.
fn walkdir(dir: &std::path::Path) -> Vec<String> {
    fn walk(base: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}
