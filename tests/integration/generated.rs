//! Forms written with rust_xlsxwriter in the layouts and typing habits submitters use, run
//! through the real binary: what was written must come back, or a finding at that cell.

use crate::common::*;
use huizong_testkit::*;
use std::path::Path;

fn form(project: &str, fill: &str, rows: Vec<ItemRow>, layout: Layout) -> SheetForm {
    SheetForm::SelfCheck(SelfCheckForm { project: project.into(), company: "武汉测试物业有限公司".into(), fill_date: fill.into(), rows, layout })
}

fn six(deadline: &str) -> Vec<ItemRow> {
    vec![ItemRow::new(1, "楼道堆物", "王芳 13800138000", deadline), ItemRow::none(2), ItemRow::none(3), ItemRow::none(4), ItemRow::none(5), ItemRow::none(6)]
}

fn save(dir: &Path, name: &str, sheets: &[(&str, SheetForm)]) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), workbook(sheets).unwrap()).unwrap();
}

fn monthly(unit: &str, month: &str, values: Vec<(&'static str, Typed, Typed)>) -> SheetForm {
    SheetForm::Monthly(MonthlyForm {
        unit: unit.into(),
        month: month.into(),
        compiler: "张三".into(),
        contact: "13800138000".into(),
        values,
        part_row: false,
        cases: format!("{unit}的案例"),
        experience: String::new(),
        layout: Layout::default(),
    })
}

fn full(stock: [i64; 3], m: i64, c: i64) -> Vec<(&'static str, Typed, Typed)> {
    let mut v: Vec<(&'static str, Typed, Typed)> =
        vec![("1", stock[0].into(), Typed::Blank), ("2", stock[1].into(), Typed::Blank), ("3", stock[2].into(), Typed::Blank)];
    for id in ["4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14"] {
        let (m, c) = if id == "13" { (0, 0) } else { (m, c) };
        v.push((id, m.into(), c.into()));
    }
    v
}

const ARGS: [&str; 5] = ["--as-of", "2021-11-20", "--month", "2021-10", "--quiet"];

#[test]
fn layouts_submitters_use_are_all_read() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let layouts = [
        ("plain", Layout::default()),
        ("offset", Layout { top: 4, left: 3, ..Layout::default() }),
        ("split", Layout { split_header: true, attachment_line: true, ..Layout::default() }),
        ("broken", Layout { broken_headers: true, attachment_line: true, top: 1, ..Layout::default() }),
        ("extra", Layout { extra_column: Some("备注".into()), ..Layout::default() }),
    ];
    for (name, layout) in &layouts {
        save(&input, &format!("{name}.xlsx"), &[("Sheet1", form(&format!("项目{name}"), "2021年10月8日", six("2021年11月30日"), layout.clone()))]);
    }
    // An instruction sheet before two projects in one workbook.
    save(
        &input,
        "多项目.xlsx",
        &[
            ("填表说明", SheetForm::Text(vec!["请每个项目填一张表".into()])),
            ("甲", form("项目甲", "2021年10月9日", six("10月15日"), Layout::default())),
            ("乙", form("项目乙", "2021年10月9日", six("长期坚持"), Layout::default())),
        ],
    );
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let items = table(&out, "items");
    assert_eq!(items.height(), 6 * 7);
    for name in ["plain", "offset", "split", "broken", "extra"] {
        let rows = rows_where(&items, "project", &format!("项目{name}"));
        assert_eq!(rows.height(), 6, "{name}");
        let first = rows_where(&rows, "item_no", "1");
        assert_eq!(strings(&first, "deadline"), ["2021-11-30"], "{name}");
        assert_eq!(strings(&first, "status"), ["in_progress"], "{name}");
        assert_eq!(strings(&first, "responsible"), ["王芳"], "{name}");
        assert_eq!(strings(&first, "phone"), ["13800138000"], "{name}");
        assert_eq!(strings(&first, "fill_date"), ["2021-10-08"], "{name}");
        assert_eq!(strings(&first, "company"), ["武汉测试物业有限公司"], "{name}");
    }
    let a = rows_where(&rows_where(&items, "project", "项目甲"), "item_no", "1");
    assert_eq!(strings(&a, "status"), ["overdue"]);
    assert_eq!(ints(&a, "days_overdue"), [Some(36)]);
    let b = rows_where(&rows_where(&items, "project", "项目乙"), "item_no", "1");
    assert_eq!(strings(&b, "status"), ["long_term"]);
    // The offset form's cells are reported where they really are.
    let offset = rows_where(&items, "project", "项目offset");
    assert_eq!(ints(&rows_where(&offset, "item_no", "1"), "row"), [Some(8)]);
    let files = table(&out, "files");
    assert!(strings(&files, "status").iter().all(|s| s == "consolidated"));
    let multi = rows_where(&files, "path", "多项目.xlsx");
    assert_eq!(ints(&multi, "forms"), [Some(2)]);
}

#[test]
fn extra_column_is_kept_and_reported_at_its_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let mut rows = six("2021年12月1日");
    rows[0].extra = "已约谈".into();
    save(&input, "a.xlsx", &[("Sheet1", form("甲", "2021年10月8日", rows, Layout { extra_column: Some("备注".into()), ..Layout::default() }))]);
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let f = rows_where(&table(&out, "findings"), "code", "form.extra_column");
    assert_eq!(strings(&f, "cell"), ["F4"]);
    assert_eq!(strings(&f, "value"), ["已约谈"]);
    let ledger = sheet(&out, "整改台账");
    let extra = col(&ledger, "其他列（如备注）");
    assert_eq!(ledger[1][extra], "备注：已约谈", "the extra column's content is kept in the ledger");
}

#[test]
fn resubmission_with_later_fill_date_wins_whatever_the_file_names() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    // The newer return sorts first by name: the fill date must decide, not the order.
    save(&input, "a_新.xlsx", &[("Sheet1", form("东湖 春树里", "2021年10月28日", six("已整改"), Layout::default()))]);
    save(&input, "b_旧.xlsx", &[("Sheet1", form("东湖春树里", "2021年9月25日", six("2021年10月1日"), Layout::default()))]);
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let files = table(&out, "files");
    assert_eq!(strings(&rows_where(&files, "path", "b_旧.xlsx"), "status"), ["superseded"]);
    assert_eq!(strings(&rows_where(&files, "path", "a_新.xlsx"), "status"), ["consolidated"]);
    let items = table(&out, "items");
    assert_eq!(items.height(), 6);
    assert_eq!(strings(&rows_where(&items, "item_no", "1"), "status"), ["done"]);
}

#[test]
fn roster_names_match_after_normalisation_and_missing_are_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    save(&input, "a.xlsx", &[("Sheet1", form("东湖 春树里（一期）", "2021年10月8日", six("2021年12月1日"), Layout::default()))]);
    save(&input, "b.xlsx", &[("Sheet1", form("不在名册的项目", "2021年10月8日", six("2021年12月1日"), Layout::default()))]);
    let roster = tmp.path().join("名册.csv");
    std::fs::write(&roster, "序号,物业项目,物业公司\n1,东湖春树里(一期),甲公司\n2,梨园小区 ,乙公司\n").unwrap();
    let out = tmp.path().join("out");
    let mut args = ARGS.to_vec();
    args.extend(["--roster", roster.to_str().unwrap()]);
    run_ok(&input, &out, &args);
    let missing = table(&out, "missing");
    let projects = rows_where(&missing, "kind", "project");
    assert_eq!(strings(&projects, "name"), ["梨园小区"]);
    assert!(strings(&projects, "detail")[0].contains("乙公司"));
    assert_eq!(rows_where(&missing, "kind", "unit").height(), 5, "no 附件2 at all: every configured unit is missing");
    let unknown = rows_where(&table(&out, "findings"), "code", "roster.unknown_project");
    assert_eq!(strings(&unknown, "value"), ["不在名册的项目"]);
    let sheet = sheet(&out, "未报送");
    assert!(sheet.iter().any(|r| r.contains(&"梨园小区".to_string())));
}

#[test]
fn district_totals_sum_activity_and_take_stock_from_the_source_unit() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    save(&input, "建设.xlsx", &[("Sheet1", monthly("东湖风景区建设（房管）局", "（2021年10月）", full([40, 30, 10], 2, 5)))]);
    save(&input, "公安.xlsx", &[("Sheet1", monthly("东湖风景区公安分局", "（2021年10月）", full([41, 30, 11], 3, 4)))]);
    let mut blank = full([40, 30, 10], 1, 1);
    blank.retain(|(id, _, _)| *id != "6");
    blank.push(("6", Typed::Blank, Typed::Blank));
    save(&input, "经发.xlsx", &[("Sheet1", monthly("东湖风景区经发局", "2021年10月", blank))]);
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let district = table(&out, "district");
    let get = |id: &str| {
        let r = rows_where(&district, "indicator", id);
        (ints(&r, "this_month")[0], ints(&r, "cumulative")[0], strings(&r, "units")[0].clone())
    };
    assert_eq!(get("1"), (Some(40), None, "区建设（房管）局".into()));
    assert_eq!(get("4"), (Some(6), Some(10), "区公安分局、区建设（房管）局、区经发局".into()));
    assert_eq!(get("6").0, Some(5), "the blank unit is left out, not counted as 0");
    assert_eq!(get("6").2, "区公安分局、区建设（房管）局");
    let findings = table(&out, "findings");
    let conflicts = rows_where(&findings, "code", "district.stock_conflict");
    assert_eq!(strings(&conflicts, "cell"), ["C5", "C7"], "公安分局's 1 and 3 differ");
    let blank = rows_where(&findings, "code", "count.blank");
    assert_eq!(blank.height(), 2);
    let missing = table(&out, "missing");
    assert_eq!(strings(&missing, "name"), ["区城乡工作办事处（民政）", "区市场监管局"]);
    // The cumulative sum is also checked month over month once September is present.
    save(&input, "建设9月.xlsx", &[("Sheet1", monthly("东湖风景区建设（房管）局", "（2021年9月）", full([40, 30, 10], 2, 2)))]);
    run_ok(&input, &out, &ARGS);
    let mom = rows_where(&table(&out, "findings"), "code", "monthly.cumulative_mismatch");
    assert_eq!(mom.height(), 10, "2 + 2 ≠ 5 for each activity indicator but 13");
    assert!(strings(&mom, "path").iter().all(|p| p == "建设.xlsx"));
}

#[test]
fn exit_codes_tell_bad_arguments_from_unwritable_output() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let out = tmp.path().join("out");
    assert_eq!(run(&input, &out, &["--month", "2021-13"]).status.code(), Some(2));
    assert_eq!(run(&input, &out, &["--as-of", "yesterday"]).status.code(), Some(2));
    assert_eq!(run(&tmp.path().join("nope"), &out, &[]).status.code(), Some(2));
    let bad_config = tmp.path().join("c.toml");
    std::fs::write(&bad_config, "distrct = 1").unwrap();
    let o = run(&input, &out, &["--config", bad_config.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("配置文件"));
    // A month that is not YYYY-MM, even a readable one, would match no form.
    assert_eq!(run(&input, &out, &["--month", "2021/10"]).status.code(), Some(2));
    let bad_final = tmp.path().join("f.toml");
    std::fs::write(&bad_final, "final_month = \"2021年11月\"").unwrap();
    assert_eq!(run(&input, &out, &["--config", bad_final.to_str().unwrap()]).status.code(), Some(2));
    // A roster without a 物业项目 column is a bad argument too, said with the file's name.
    let roster = tmp.path().join("名册.csv");
    std::fs::write(&roster, "名称,公司\n梨园小区,万家\n").unwrap();
    let o = run(&input, &out, &["--roster", roster.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("名册") && stderr.contains("名册.csv") && stderr.contains("物业项目"), "{stderr}");
    // An output path that is a file cannot be written.
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let o = run(&input, &file, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("输出"));
    // An empty folder is a valid run: everything missing, outputs written.
    run_ok(&input, &out, &ARGS);
    assert_eq!(table(&out, "files").height(), 0);
    assert_eq!(table(&out, "missing").height(), 5);
}

#[test]
fn inputs_are_never_modified_and_output_is_the_same_with_one_thread() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_dir(&fixtures().join("samples"), &input);
    let before = sha256_tree(&input);
    let out_a = tmp.path().join("a");
    run_ok(&input, &out_a, &ARGS);
    assert_eq!(sha256_tree(&input), before);
    let out_b = tmp.path().join("b");
    assert!(run_env(&input, &out_b, &ARGS, &[("RAYON_NUM_THREADS", "1")]).status.success());
    for t in ["files", "items", "monthly", "district", "findings", "missing"] {
        let a = std::fs::read(out_a.join("tables").join(format!("{t}.parquet"))).unwrap();
        let b = std::fs::read(out_b.join("tables").join(format!("{t}.parquet"))).unwrap();
        assert!(a == b, "{t}.parquet differs between thread counts");
    }
}

#[test]
fn a_responsible_person_merged_over_several_items_applies_to_each() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let rows = vec![
        ItemRow::none(1),
        ItemRow::new(2, "楼道堆物", "", "2021年12月1日"),
        ItemRow::new(3, "信息公示不全", "", "2021年12月2日"),
        ItemRow::none(4),
        ItemRow::none(5),
        ItemRow::none(6),
    ];
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    write_self_check(
        ws,
        &SelfCheckForm {
            project: "合并小区".into(), company: "合并物业".into(), fill_date: "2021年10月8日".into(), rows, layout: Layout::default()
        },
    )
    .unwrap();
    // Items 2 and 3 are rows 5 and 6 (0-based 4 and 5); the person is merged over D5:D6.
    ws.merge_range(4, 3, 5, 3, "王芳 13800138000", &rust_xlsxwriter::Format::new()).unwrap();
    wb.save(input.join("合并.xlsx")).unwrap();
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let items = table(&out, "items");
    for no in ["2", "3"] {
        let r = rows_where(&items, "item_no", no);
        assert_eq!(strings(&r, "responsible"), ["王芳"], "item {no}");
        assert_eq!(strings(&r, "phone"), ["13800138000"], "item {no}");
        assert_eq!(strings(&r, "status"), ["in_progress"], "item {no}");
    }
    assert_eq!(rows_where(&table(&out, "findings"), "code", "item.responsible_missing").height(), 0);
}
