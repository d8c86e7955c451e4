//! The district workbook read back with calamine: its sheets, headers and key values, the
//! official 附件2 rolling up into a city return, per-unit books, and text that stays text.

use crate::common::*;
use calamine::{open_workbook, Data, Reader, Xlsx};
use huizong_testkit::*;
use std::path::Path;

fn save(dir: &Path, name: &str, sheets: &[(&str, SheetForm)]) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), workbook(sheets).unwrap()).unwrap();
}

fn monthly(unit: &str, base: i64, cases: &str) -> SheetForm {
    let mut values: Vec<(&'static str, Typed, Typed)> =
        vec![("1", (10 * base).into(), Typed::Blank), ("2", (6 * base).into(), Typed::Blank), ("3", (4 * base).into(), Typed::Blank)];
    for (i, id) in ["4", "5", "5.1", "6", "7", "8", "9", "10", "11", "12", "13", "14"].iter().enumerate() {
        let m = base + i as i64;
        values.push((id, if *id == "5.1" { 1.into() } else { m.into() }, if *id == "5.1" { 2.into() } else { (2 * m).into() }));
    }
    SheetForm::Monthly(MonthlyForm {
        unit: unit.into(),
        month: "（2021年10月）".into(),
        compiler: "李四".into(),
        contact: "13900139000".into(),
        values,
        part_row: true,
        cases: cases.into(),
        experience: format!("{unit}的做法"),
        layout: Layout::default(),
    })
}

const ARGS: [&str; 5] = ["--as-of", "2021-11-20", "--month", "2021-10", "--quiet"];

fn district_run(tmp: &Path, name: &str, units: &[&str], base: i64) -> std::path::PathBuf {
    let input = tmp.join(format!("{name}-in"));
    for (i, unit) in units.iter().enumerate() {
        save(&input, &format!("{i}.xlsx"), &[("Sheet1", monthly(unit, base + i as i64, &format!("{unit}案例")))]);
    }
    let config = tmp.join(format!("{name}.toml"));
    let list = units.iter().map(|u| format!("\"{u}\"")).collect::<Vec<_>>().join(", ");
    std::fs::write(
        &config,
        format!("district = \"{name}\"\nunits = [{list}]\nstock_source_unit = \"{}\"\ncompiler = \"王五\"\ncontact = \"027-86779132\"\n", units[0]),
    )
    .unwrap();
    let out = tmp.join(format!("{name}-out"));
    let mut args = ARGS.to_vec();
    args.extend(["--config", config.to_str().unwrap()]);
    run_ok(&input, &out, &args);
    out
}

#[test]
fn district_workbooks_roll_up_into_a_city_return() {
    let tmp = tempfile::tempdir().unwrap();
    let a = district_run(tmp.path(), "东湖风景区", &["东湖风景区建设局", "东湖风景区公安分局"], 1);
    let b = district_run(tmp.path(), "洪山区", &["洪山区建设局", "洪山区公安分局", "洪山区经发局"], 5);
    let city_in = tmp.path().join("city-in");
    std::fs::create_dir_all(&city_in).unwrap();
    for out in [&a, &b] {
        let wb = workbook_path(out);
        std::fs::copy(&wb, city_in.join(wb.file_name().unwrap())).unwrap();
    }
    let config = tmp.path().join("city.toml");
    std::fs::write(&config, "district = \"武汉市\"\nunits = [\"东湖风景区\", \"洪山区\"]\nstock_mode = \"sum\"\n").unwrap();
    let city = tmp.path().join("city-out");
    let mut args = ARGS.to_vec();
    args.extend(["--config", config.to_str().unwrap()]);
    run_ok(&city_in, &city, &args);

    let files = table(&city, "files");
    assert!(strings(&files, "status").iter().all(|s| s == "consolidated"), "{:?}", strings(&files, "reason"));
    assert_eq!(table(&city, "missing").height(), 0, "both districts recognised by name");
    let monthly = table(&city, "monthly");
    let units: std::collections::BTreeSet<String> = strings(&monthly, "unit").into_iter().collect();
    assert_eq!(units.into_iter().collect::<Vec<_>>(), ["东湖风景区", "洪山区"]);
    let (da, db, dc) = (table(&a, "district"), table(&b, "district"), table(&city, "district"));
    for id in ["1", "2", "3", "4", "5", "5.1", "6", "7", "8", "9", "10", "11", "12", "13", "14"] {
        let v = |df: &polars::prelude::DataFrame, col: &str| ints(&rows_where(df, "indicator", id), col)[0].unwrap_or(0);
        assert_eq!(v(&dc, "this_month"), v(&da, "this_month") + v(&db, "this_month"), "indicator {id} 本月");
        if !["1", "2", "3"].contains(&id) {
            assert_eq!(v(&dc, "cumulative"), v(&da, "cumulative") + v(&db, "cumulative"), "indicator {id} 累积");
        }
    }
    // District stock values come from the source unit, not the sum.
    assert_eq!(ints(&rows_where(&da, "indicator", "1"), "this_month")[0], Some(10));
    // The texts travel up with their units.
    let official = sheet(&city, "月度汇总表");
    let cases = official.iter().find(|r| r[0].starts_with("典型案例")).unwrap();
    assert!(cases[1].contains("【东湖风景区】") && cases[1].contains("洪山区公安分局案例"), "{:?}", cases[1]);
}

/// Without a config, a folder of district workbooks is a city: huizong recognises its own
/// workbooks by their marker, reads only their official 附件2, takes the districts as the
/// units and sums the stock indicators too. A district workbook among unit returns is set
/// aside instead of counted twice.
#[test]
fn district_workbooks_roll_up_without_a_config() {
    let tmp = tempfile::tempdir().unwrap();
    let a = district_run(tmp.path(), "东湖风景区", &["东湖风景区建设局", "东湖风景区公安分局"], 1);
    let b = district_run(tmp.path(), "洪山区", &["洪山区建设局", "洪山区公安分局", "洪山区经发局"], 5);
    let city_in = tmp.path().join("city-in");
    std::fs::create_dir_all(&city_in).unwrap();
    for out in [&a, &b] {
        let wb = workbook_path(out);
        std::fs::copy(&wb, city_in.join(wb.file_name().unwrap())).unwrap();
    }
    let city = tmp.path().join("city-out");
    let stdout = run_ok(&city_in, &city, &ARGS[..4]);
    assert!(stdout.starts_with("汇总月份：2021年10月（按 --month 指定）\n全市物业专项整治汇总"), "{stdout}");
    assert!(workbook_path(&city).ends_with("全市物业专项整治汇总_2021年10月.xlsx"));

    let files = table(&city, "files");
    assert_eq!(strings(&files, "status"), ["consolidated", "consolidated"], "{:?}", strings(&files, "reason"));
    assert_eq!(table(&city, "missing").height(), 0, "the districts that reported are the units");
    let findings = table(&city, "findings");
    let codes = strings(&findings, "code");
    assert_eq!(codes.iter().filter(|c| *c == "report.sheets_skipped").count(), 2);
    // Nothing from the workbooks' own sheets, no unknown unit, no missing stock source: only
    // what the districts' 附件2 themselves carry (13 filled before the final month).
    assert!(codes.iter().all(|c| ["report.sheets_skipped", "monthly.final_only_early"].contains(&c.as_str())), "{codes:?}");
    assert!(strings(&findings, "message")[0].contains("“概览”"));

    let (da, db, dc) = (table(&a, "district"), table(&b, "district"), table(&city, "district"));
    let v = |df: &polars::prelude::DataFrame, id: &str, col: &str| ints(&rows_where(df, "indicator", id), col)[0];
    for id in ["1", "2", "3", "4", "5", "5.1", "13", "14"] {
        let sum = v(&da, id, "this_month").zip(v(&db, id, "this_month")).map(|(x, y)| x + y);
        assert_eq!(v(&dc, id, "this_month"), sum, "indicator {id}: stock summed over districts too");
    }
    assert_eq!(v(&dc, "1", "this_month"), Some(10 + 50));
    assert_eq!(strings(&rows_where(&dc, "indicator", "4"), "units"), ["东湖风景区、洪山区"]);
    let official = sheet(&city, "月度汇总表");
    assert!(official[3][0].starts_with("全市（盖章）"), "{:?}", official[3]);

    // The same district workbook dropped among unit returns is not counted a second time.
    let mixed_in = tmp.path().join("东湖风景区-in");
    std::fs::copy(workbook_path(&a), mixed_in.join("上月汇总.xlsx")).unwrap();
    let mixed = tmp.path().join("mixed-out");
    let config = tmp.path().join("东湖风景区.toml");
    let mut args = ARGS.to_vec();
    args.extend(["--config", config.to_str().unwrap()]);
    run_ok(&mixed_in, &mixed, &args);
    let files = table(&mixed, "files");
    let report = rows_where(&files, "path", "上月汇总.xlsx");
    assert_eq!(strings(&report, "status"), ["ignored"]);
    assert!(strings(&report, "reason")[0].contains("区级汇总工作簿"), "{:?}", strings(&report, "reason"));
    assert_eq!(strings(&rows_where(&files, "status", "consolidated"), "path").len(), 2);
    assert_eq!(table(&mixed, "district"), da, "the totals are those of the unit returns alone");
}

/// huizong's district workbook after a LibreOffice re-save (fixtures/reports) is still known
/// by its marker: its 附件2 is read as the district's return and nothing else is.
#[test]
fn own_workbook_read_back_after_a_libreoffice_resave() {
    let tmp = tempfile::tempdir().unwrap();
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
    let district = tmp.path().join("district");
    run_ok(&input, &district, &["--as-of", "2021-11-20", "--month", "2021-10", "--roster", input.join("名册.xlsx").to_str().unwrap(), "--quiet"]);
    let totals = table(&district, "district");
    for ext in ["xlsx", "ods", "xls"] {
        let city_in = tmp.path().join(format!("in-{ext}"));
        std::fs::create_dir_all(&city_in).unwrap();
        let name = format!("libreoffice_resave.{ext}");
        std::fs::copy(fixtures().join("reports").join(&name), city_in.join(&name)).unwrap();
        let city = tmp.path().join(format!("out-{ext}"));
        run_ok(&city_in, &city, &ARGS);
        let files = table(&city, "files");
        assert_eq!((strings(&files, "status"), strings(&files, "format")), (vec!["consolidated".to_string()], vec![ext.to_string()]), "{ext}");
        let findings = table(&city, "findings");
        assert_eq!(strings(&findings, "code"), ["report.sheets_skipped"], "{ext}: {:?}", strings(&findings, "message"));
        let monthly = table(&city, "monthly");
        assert_eq!(strings(&monthly, "unit")[0], "东湖风景区", "{ext}");
        assert_eq!(monthly.height(), 15, "{ext}");
        let ours = table(&city, "district");
        for col in ["this_month", "cumulative"] {
            assert_eq!(ints(&ours, col), ints(&totals, col), "{ext} {col}");
        }
    }
}

#[test]
fn every_sheet_has_its_headers_and_values() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("input"), &input);
    let out = tmp.path().join("out");
    let roster = input.join("名册.xlsx");
    run_ok(&input, &out, &["--as-of", "2021-11-20", "--month", "2021-10", "--roster", roster.to_str().unwrap(), "--quiet", "--split-by-unit"]);
    let mut wb: Xlsx<_> = open_workbook(workbook_path(&out)).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "概览",
            "月度汇总表",
            "分单位明细",
            "自查汇总",
            "整改台账",
            "督办清单",
            "未报送",
            "数据问题",
            "反馈汇总",
            "文件清单",
            "典型案例与经验做法",
            "各月趋势",
            "处理记录"
        ]
    );
    let overview = sheet(&out, "概览");
    assert!(overview.iter().any(|r| r[0] == "活动阶段" && r[1] == "集中整治（10月1日—11月14日）"), "the report month's phase of the campaign");
    let official = sheet(&out, "月度汇总表");
    assert_eq!(official[1][0], "专项整治月度工作汇总表");
    assert_eq!(official[2][0], "（2021年10月）");
    assert!(official[3][0].starts_with("东湖风景区（盖章）"));
    let district = table(&out, "district");
    let row4 = official.iter().find(|r| r[0] == "4").unwrap();
    assert_eq!(row4[2], ints(&rows_where(&district, "indicator", "4"), "this_month")[0].unwrap().to_string());
    assert!(official.iter().any(|r| r[0] == "5.1"));

    let per_unit = sheet(&out, "分单位明细");
    assert!(per_unit[0].iter().any(|h| h == "区公安分局"));
    assert!(per_unit[0].iter().any(|h| h == "东湖风景区合计"));
    let r4 = per_unit.iter().find(|r| r[0] == "4").unwrap();
    let total = r4[per_unit[0].iter().position(|h| h == "东湖风景区合计").unwrap()].clone();
    assert_eq!(total, row4[2]);

    let projects = sheet(&out, "自查汇总");
    let status = col(&projects, "报送情况");
    let missing: Vec<&str> = projects.iter().filter(|r| r[status] == "未报送").map(|r| r[0].as_str()).collect();
    assert_eq!(missing, ["东湖港湾", "清河苑"]);
    let company = col(&projects, "物业公司");
    assert_eq!(projects.iter().find(|r| r[0] == "东湖港湾").unwrap()[company], "武汉长江物业管理有限公司", "from the roster");
    assert_eq!(projects.iter().filter(|r| r[status] == "已报送").count(), 11);

    let ledger = sheet(&out, "整改台账");
    for h in ["物业项目", "物业公司", "问题描述", "整改责任人", "联系电话", "整改期限", "状态", "逾期天数", "来源文件"] {
        col(&ledger, h);
    }
    let chase = sheet(&out, "督办清单");
    let st = col(&chase, "状态");
    assert!(chase[1..].iter().all(|r| ["已逾期", "缺整改期限", "缺责任人"].contains(&r[st].as_str())));
    let problems = sheet(&out, "数据问题");
    for h in ["级别", "代码", "文件", "工作表", "单元格", "原始内容", "说明（请按此修改）"] {
        col(&problems, h);
    }
    let list = sheet(&out, "文件清单");
    assert_eq!(list.len() - 1, table(&out, "files").height());
    let texts = sheet(&out, "典型案例与经验做法");
    assert_eq!(texts.len() - 1, 10, "five units, two texts each");

    // Deadlines are real dates, shown as 年月日.
    let range = wb.worksheet_range("整改台账").unwrap();
    let dl = col(&ledger, "整改期限");
    let dates = range.rows().skip(1).filter(|r| matches!(r[dl], Data::DateTime(_))).count();
    assert!(dates >= 10, "{dates} date cells");

    // One workbook per unit, each readable as that unit's 附件2.
    let split = out.join("分单位报送");
    let books: Vec<_> = std::fs::read_dir(&split).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(books.len(), 5);
    assert!(books.contains(&"区公安分局_专项整治月度工作汇总表_2021年10月.xlsx".to_string()));
    let again = tmp.path().join("again");
    run_ok(&split, &again, &ARGS);
    let first = table(&out, "monthly");
    let second = table(&again, "monthly");
    let key = |df: &polars::prelude::DataFrame| {
        let mut v: Vec<(String, String, Option<i64>, Option<i64>)> = strings(df, "unit")
            .into_iter()
            .zip(strings(df, "indicator"))
            .zip(ints(df, "this_month").into_iter().zip(ints(df, "cumulative")))
            .map(|((u, i), (t, c))| (u, i, t, c))
            .collect();
        v.sort();
        v
    };
    // September sits in its own folder of input/: consolidated on its own, not in October's
    // tables nor in the per-unit books.
    assert!(strings(&first, "month").iter().all(|m| m == "2021-10"));
    assert_eq!(key(&second), key(&first));
}

#[test]
fn text_from_returns_is_never_a_formula_in_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let rows = vec![
        ItemRow::new(1, "=HYPERLINK(\"http://example.com\",\"点我\")", "+86 13800138000", "2021年12月1日"),
        ItemRow::new(2, "@SUM(A1:A9)", "-王五 13800138000", "2021年12月1日"),
        ItemRow::none(3),
        ItemRow::none(4),
        ItemRow::none(5),
        ItemRow::none(6),
    ];
    save(
        &input,
        "a.xlsx",
        &[(
            "Sheet1",
            SheetForm::SelfCheck(SelfCheckForm {
                project: "=1+1".into(),
                company: "公司".into(),
                fill_date: "2021年10月8日".into(),
                rows,
                layout: Layout::default(),
            }),
        )],
    );
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let mut wb: Xlsx<_> = open_workbook(workbook_path(&out)).unwrap();
    for name in wb.sheet_names() {
        let formulas = wb.worksheet_formula(&name).unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "sheet {name} has a formula");
    }
    let ledger = sheet(&out, "整改台账");
    let d = col(&ledger, "问题描述");
    assert!(ledger.iter().any(|r| r[d] == "=HYPERLINK(\"http://example.com\",\"点我\")"));
    assert!(ledger.iter().any(|r| r[0] == "=1+1"));
}

#[test]
fn item_rows_are_coloured_by_conditional_formats_on_their_status() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("input"), &input);
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(workbook_path(&out)).unwrap()).unwrap();
    // Sheet order: 概览, 月度汇总表, 分单位明细, 自查汇总, 整改台账 (5), 督办清单 (6).
    for n in [5, 6] {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(&format!("xl/worksheets/sheet{n}.xml")).unwrap(), &mut xml).unwrap();
        assert!(xml.contains("<conditionalFormatting"), "sheet{n}");
        for label in ["已逾期", "缺整改期限", "缺责任人", "已整改"] {
            assert!(xml.contains(&format!("$J2=\"{label}\"")) || xml.contains(&format!("$J2=&quot;{label}&quot;")), "sheet{n} {label}");
        }
    }
}

/// The workbook for the city (`…专项整治月度工作汇总表_2021年10月（报送）.xlsx`) holds the
/// official 附件2 alone, with 汇总人 and 联系方式 from the config; a folder of them rolls up to the
/// same city totals as a folder of the working workbooks, with nothing set aside or skipped.
#[test]
fn the_report_for_the_city_holds_the_official_form_and_rolls_up() {
    let tmp = tempfile::tempdir().unwrap();
    let a = district_run(tmp.path(), "东湖风景区", &["东湖风景区建设局", "东湖风景区公安分局"], 1);
    let b = district_run(tmp.path(), "洪山区", &["洪山区建设局", "洪山区公安分局", "洪山区经发局"], 5);
    let report = |out: &Path, name: &str| out.join(format!("{name}专项整治月度工作汇总表_2021年10月（报送）.xlsx"));
    let wb = calamine::open_workbook_auto(report(&a, "东湖风景区")).unwrap();
    use calamine::Reader;
    assert_eq!(wb.sheet_names(), ["月度汇总表"], "the official form alone");
    let official = rows_of(&report(&a, "东湖风景区"), "月度汇总表");
    assert!(official[3][0].contains("东湖风景区") && official[3][0].contains("王五") && official[3][0].contains("027-86779132"), "{:?}", official[3]);

    let (by_book, by_report) = (tmp.path().join("by-book"), tmp.path().join("by-report"));
    for (out, name) in [(&a, "东湖风景区"), (&b, "洪山区")] {
        std::fs::create_dir_all(&by_book).unwrap();
        std::fs::create_dir_all(&by_report).unwrap();
        let book = workbook_path(out);
        std::fs::copy(&book, by_book.join(book.file_name().unwrap())).unwrap();
        std::fs::copy(report(out, name), by_report.join(report(out, name).file_name().unwrap())).unwrap();
    }
    let (city_a, city_b) = (tmp.path().join("city-a"), tmp.path().join("city-b"));
    run_ok(&by_book, &city_a, &ARGS[..4]);
    run_ok(&by_report, &city_b, &ARGS[..4]);
    assert_eq!(table(&city_b, "district"), table(&city_a, "district"), "the same city totals");
    assert!(strings(&table(&city_b, "files"), "status").iter().all(|s| s == "consolidated"));
    assert!(strings(&table(&city_b, "findings"), "code").iter().all(|c| c != "report.sheets_skipped"), "nothing to skip in it");
}

/// A unit that wrote 无 under 典型案例 has no line in the district's official form.
#[test]
fn empty_case_lines_stay_out_of_the_official_form() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    save(&input, "a.xlsx", &[("Sheet1", monthly("区建设（房管）局", 1, "无"))]);
    save(&input, "b.xlsx", &[("Sheet1", monthly("区经发局", 2, "经发局案例"))]);
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let official = sheet(&out, "月度汇总表");
    let cases = official.iter().find(|r| r[0].starts_with("典型案例")).unwrap();
    assert!(cases[1].contains("【区经发局】经发局案例"), "{:?}", cases[1]);
    assert!(!cases[1].contains("区建设（房管）局"), "no 【区建设（房管）局】无 line: {:?}", cases[1]);
}
