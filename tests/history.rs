//! The history store (SPEC §7): each run leaves its month under `history/month=YYYY-MM/`, the
//! next month compares with it (累积 continuity, units that stopped reporting) even when last
//! month's files are not in the folder; re-running a month replaces it; losing the store only
//! loses the comparisons.

mod common;
use common::*;
use huizong_testkit::*;
use std::path::Path;

fn monthly(unit: &str, month: &str, four: (i64, i64)) -> SheetForm {
    let mut values: Vec<(&'static str, Typed, Typed)> = vec![("1", 40.into(), Typed::Blank), ("2", 30.into(), Typed::Blank), ("3", 10.into(), Typed::Blank)];
    values.push(("4", four.0.into(), four.1.into()));
    for id in ["5", "6", "7", "8", "9", "10", "11", "12", "14"] {
        values.push((id, 1.into(), 3.into()));
    }
    values.push(("13", Typed::Blank, Typed::Blank));
    SheetForm::Monthly(MonthlyForm {
        unit: unit.into(),
        month: month.into(),
        compiler: "李四".into(),
        contact: "13900139000".into(),
        values,
        part_row: false,
        cases: String::new(),
        experience: String::new(),
        layout: Layout::default(),
    })
}

fn save(dir: &Path, name: &str, form: SheetForm) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), workbook(&[("Sheet1", form)]).unwrap()).unwrap();
}

fn run_month(input: &Path, out: &Path, month: &str) -> String {
    run_ok(input, out, &["--as-of", "2021-11-20", "--month", month, "--quiet"])
}

#[test]
fn last_month_comes_from_the_history_store() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // September: 区经发局 (a configured unit) and 区城管局 (one the config does not name).
    let sep = tmp.path().join("sep");
    save(&sep, "经发局9月.xlsx", monthly("区经发局", "（2021年9月）", (2, 5)));
    save(&sep, "城管局9月.xlsx", monthly("区城管局", "（2021年9月）", (1, 1)));
    run_month(&sep, &out, "2021-09");
    let stored = out.join("history/month=2021-09");
    for table in ["files", "items", "monthly", "district", "findings", "missing"] {
        assert!(stored.join(format!("{table}.parquet")).is_file(), "{table}");
    }

    // October, without September's files: 4's 累积 should be 5 + 3 = 8 but says 9; 区城管局 is
    // silent this month.
    let oct = tmp.path().join("oct");
    save(&oct, "经发局10月.xlsx", monthly("区经发局", "（2021年10月）", (3, 9)));
    run_month(&oct, &out, "2021-10");
    let findings = table(&out, "findings");
    let breaks = rows_where(&findings, "code", "monthly.cumulative_mismatch");
    let messages = strings(&breaks, "message");
    assert!(messages.iter().any(|m| m.starts_with("指标4：上月累积5 + 本月3 = 8，但本月累积填的是9") && m.contains("2021-09的历史记录")), "{messages:?}");
    assert_eq!(strings(&rows_where(&breaks, "path", "经发局10月.xlsx"), "cell").len(), messages.len());
    let missing = table(&out, "missing");
    let gone = rows_where(&missing, "name", "区城管局");
    assert_eq!(strings(&gone, "detail"), ["2021-09报送过月度工作汇总表，2021-10未报送"]);

    // Re-running October replaces its month and never duplicates it; September stays.
    let snapshot = |dir: &Path| sha256_tree(dir);
    let october = out.join("history/month=2021-10");
    let first = snapshot(&october);
    run_month(&oct, &out, "2021-10");
    assert_eq!(snapshot(&october), first, "same input, same month: the same tables");
    let mut months: Vec<String> = std::fs::read_dir(out.join("history")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    months.sort();
    assert_eq!(months, ["month=2021-09", "month=2021-10"], "no duplicate, no leftover temporary folder");

    // Without the store, October is still consolidated; only the comparison is lost.
    std::fs::remove_dir_all(out.join("history")).unwrap();
    run_month(&oct, &out, "2021-10");
    assert_eq!(rows_where(&table(&out, "findings"), "code", "monthly.cumulative_mismatch").height(), 0);
    assert_eq!(rows_where(&table(&out, "district"), "indicator", "4").height(), 1);
}

/// `--history DIR` keeps the store elsewhere (a shared drive), and a store inside the input
/// folder is never read as returns.
#[test]
fn the_store_can_live_elsewhere_and_is_never_read_as_input() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    save(&input, "经发局9月.xlsx", monthly("区经发局", "（2021年9月）", (2, 5)));
    let shared = input.join("历史");
    let out = tmp.path().join("out");
    run_ok(&input, &out, &["--as-of", "2021-11-20", "--month", "2021-09", "--quiet", "--history", shared.to_str().unwrap()]);
    assert!(shared.join("month=2021-09/monthly.parquet").is_file());
    assert!(!out.join("history").exists());
    run_ok(&input, &out, &["--as-of", "2021-11-20", "--month", "2021-09", "--quiet", "--history", shared.to_str().unwrap()]);
    assert_eq!(strings(&table(&out, "files"), "path"), ["经发局9月.xlsx"], "the store inside INPUT is not listed");
}
