//! The history store (docs/contract.md, “History”): each run leaves its month under
//! `history/month=YYYY-MM/`, the next month compares with it (累积 continuity, units that stopped
//! reporting) even when last month's files are not in the folder; re-running a month replaces
//! it; losing the store only loses the comparisons.

use crate::common::*;
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
    assert!(messages.iter().any(|m| m.starts_with("指标4：上月累积5 + 本月3 = 8，但本月累积填的是9") && m.contains("2021年9月的历史记录")), "{messages:?}");
    assert_eq!(strings(&rows_where(&breaks, "path", "经发局10月.xlsx"), "cell").len(), messages.len());
    let missing = table(&out, "missing");
    let gone = rows_where(&missing, "name", "区城管局");
    assert_eq!(strings(&gone, "detail"), ["2021年9月报送过月度工作汇总表，2021年10月未报送"]);

    // Re-running October replaces its month and never duplicates it; September stays.
    let snapshot = |dir: &Path| sha256_tree(dir);
    let october = out.join("history/month=2021-10");
    let first = snapshot(&october);
    run_month(&oct, &out, "2021-10");
    assert_eq!(snapshot(&october), first, "same input, same month: the same tables");
    let mut months: Vec<String> = std::fs::read_dir(out.join("history")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    months.sort();
    assert_eq!(months, ["month=2021-09", "month=2021-10"], "no duplicate, no leftover temporary folder");

    // Without the store, last month comes from September's workbook in the output folder:
    // the comparison is kept, and the terminal says where it came from.
    std::fs::remove_dir_all(out.join("history")).unwrap();
    let rebuilt = run(&oct, &out, &["--month", "2021-10", "--as-of", "2021-11-20", "--quiet"]);
    assert!(String::from_utf8_lossy(&rebuilt.stderr).contains("各单位上月的月度汇总表从工作簿"), "{}", String::from_utf8_lossy(&rebuilt.stderr));
    let messages = strings(&rows_where(&table(&out, "findings"), "code", "monthly.cumulative_mismatch"), "message");
    assert!(messages.iter().any(|m| m.starts_with("指标4：上月累积5 + 本月3 = 8，但本月累积填的是9") && m.contains("2021年9月的工作簿")), "{messages:?}");
    assert_eq!(strings(&rows_where(&table(&out, "missing"), "name", "区城管局"), "detail"), ["2021年9月报送过月度工作汇总表，2021年10月未报送"]);

    // Without the store and without September's workbook, October is still consolidated; only
    // the comparison is lost.
    std::fs::remove_dir_all(out.join("history")).unwrap();
    std::fs::remove_file(out.join("东湖风景区物业专项整治汇总_2021年9月.xlsx")).unwrap();
    run_month(&oct, &out, "2021-10");
    assert_eq!(rows_where(&table(&out, "findings"), "code", "monthly.cumulative_mismatch").height(), 0);
    let four = rows_where(&table(&out, "district"), "indicator", "4");
    assert_eq!((ints(&four, "this_month"), ints(&four, "cumulative")), (vec![Some(3)], vec![Some(9)]), "October's own 4 as the unit typed it");
    assert_eq!(strings(&four, "units"), ["区经发局"]);
    assert_eq!(rows_where(&table(&out, "missing"), "name", "区城管局").height(), 0, "without September, nobody is known to have stopped reporting");
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

fn self_check(project: &str, fill: &str, item2: ItemRow) -> SheetForm {
    let rows = (1..=6).map(|n| if n == 2 { item2.clone() } else { ItemRow::none(n) }).collect();
    SheetForm::SelfCheck(SelfCheckForm {
        project: project.into(),
        company: "武汉碧桂物业管理有限公司".into(),
        fill_date: fill.into(),
        rows,
        layout: Layout::default(),
    })
}

/// The ledger across months: a problem carried while nobody reports it (and overdue once its
/// deadline passes), a deadline extended, a problem dropped without being done, one closed by
/// its return; re-running a month gives the same ledger.
#[test]
fn the_ledger_carries_problems_from_month_to_month() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let sep = tmp.path().join("sep");
    save(&sep, "梨园.xlsx", self_check("梨园小区", "2021年9月10日", ItemRow::new(2, "占道经营", "王芳 13800138000", "2021年10月15日")));
    save(&sep, "桂园.xlsx", self_check("桂园", "2021年9月10日", ItemRow::new(2, "广告位出租", "李强 13900139000", "2021年12月31日")));
    save(&sep, "碧波园.xlsx", self_check("碧波园", "2021年9月10日", ItemRow::new(2, "楼道堆物", "赵磊 13700137000", "2021年10月10日")));
    save(&sep, "听涛苑.xlsx", self_check("听涛苑", "2021年9月10日", ItemRow::new(2, "公示栏未更新", "陈静 13600136000", "2021年9月30日")));
    run_ok(&sep, &out, &["--as-of", "2021-09-20", "--month", "2021-09", "--quiet"]);
    assert_eq!(table(&out, "ledger").height(), 4);

    // October: 梨园 moves its deadline later, 桂园 writes 无 without saying it is done, 碧波园
    // reports it done, 听涛苑 sends nothing.
    let oct = tmp.path().join("oct");
    save(&oct, "梨园.xlsx", self_check("梨园小区", "2021年10月12日", ItemRow::new(2, "占道经营（已部分清理）", "王芳 13800138000", "2021年11月30日")));
    save(&oct, "桂园.xlsx", self_check("桂园", "2021年10月12日", ItemRow::none(2)));
    save(&oct, "碧波园.xlsx", self_check("碧波园", "2021年10月12日", ItemRow::new(2, "楼道堆物", "赵磊 13700137000", "已整改")));
    run_ok(&oct, &out, &["--as-of", "2021-10-20", "--month", "2021-10", "--quiet"]);
    let ledger = table(&out, "ledger");
    let row = |project: &str, col: &str| strings(&rows_where(&ledger, "project", project), col)[0].clone();
    assert_eq!(
        (row("梨园小区", "status"), row("梨园小区", "first_deadline"), row("梨园小区", "deadline"), row("梨园小区", "extensions")),
        ("in_progress".into(), "2021-10-15".into(), "2021-11-30".into(), "1".into())
    );
    assert_eq!(row("梨园小区", "description"), "占道经营（已部分清理）", "the latest description, as typed");
    assert!(row("梨园小区", "item_id").ends_with("#2@2021-09"), "the same problem, first reported in September");
    assert_eq!((row("桂园", "status"), row("桂园", "closed_month")), ("in_progress".into(), String::new()), "dropped, not closed");
    assert_eq!((row("碧波园", "status"), row("碧波园", "closed_month"), row("碧波园", "closed_by")), ("closed".into(), "2021-10".into(), "return".into()));
    assert_eq!((row("听涛苑", "status"), row("听涛苑", "months_open")), ("overdue".into(), "2".into()), "carried and overdue");

    let findings = table(&out, "findings");
    let at = |code: &str| -> Vec<(String, String)> {
        let f = rows_where(&findings, "code", code);
        strings(&f, "path").into_iter().zip(strings(&f, "cell")).collect()
    };
    assert_eq!(at("item.deadline_extended"), [("梨园.xlsx".to_string(), "E5".to_string())]);
    assert_eq!(at("item.silently_dropped"), [("桂园.xlsx".to_string(), "C5".to_string())]);
    let dropped = strings(&rows_where(&findings, "code", "item.silently_dropped"), "message")[0].clone();
    assert!(dropped.contains("广告位出租"), "{dropped}");

    // The 整改台账 sheet is the ledger: carried problems included, closing said.
    let sheet_rows = sheet(&out, "整改台账");
    let (status, closed_by, first) = (col(&sheet_rows, "状态"), col(&sheet_rows, "销号方式"), col(&sheet_rows, "首次报告"));
    let of = |project: &str| sheet_rows.iter().find(|r| r[0] == project).unwrap_or_else(|| panic!("{project}: {sheet_rows:?}")).clone();
    assert_eq!(of("听涛苑")[status], "已逾期");
    assert_eq!((of("碧波园")[status].as_str(), of("碧波园")[closed_by].as_str()), ("已销号", "报表写明已整改"));
    assert_eq!(of("梨园小区")[first], "2021年9月");
    // 督办清单 chases the carried overdue problem too, and not the closed one.
    let chase = sheet(&out, "督办清单");
    let chased: Vec<&str> = chase[1..].iter().map(|r| r[0].as_str()).collect();
    assert!(chased.contains(&"听涛苑") && !chased.contains(&"碧波园"), "{chased:?}");

    // Re-running October reads the same September and gives the same ledger.
    let first = sha256_tree(&out.join("history/month=2021-10"));
    run_ok(&oct, &out, &["--as-of", "2021-10-20", "--month", "2021-10", "--quiet"]);
    assert_eq!(sha256_tree(&out.join("history/month=2021-10")), first);
}
