//! Files saved by LibreOffice (`.xls` BIFF8 and `.ods`, committed under fixtures/libreoffice)
//! read the same as the rust_xlsxwriter originals they were converted from; and the shipped
//! `input/` gives the numbers the README promises.

use crate::common::*;

const ARGS: [&str; 5] = ["--as-of", "2021-11-20", "--month", "2021-10", "--quiet"];

#[test]
fn libreoffice_xls_and_ods_are_read_like_their_originals() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_dir(&fixtures().join("libreoffice"), &input);
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let files = table(&out, "files");
    assert_eq!(files.height(), 6);
    assert!(strings(&files, "status").iter().all(|s| s == "consolidated"), "{:?}", strings(&files, "reason"));
    let formats = strings(&files, "format");
    assert_eq!(formats.iter().filter(|f| *f == "xls").count(), 4);
    assert_eq!(formats.iter().filter(|f| *f == "ods").count(), 2);

    let items = table(&out, "items");
    let item = |project: &str, no: &str, col: &str| strings(&rows_where(&rows_where(&items, "project", project), "item_no", no), col)[0].clone();
    assert_eq!(rows_where(&items, "project", "碧波园").height(), 4);
    assert_eq!(item("碧波园", "4", "phone"), "13426611484");
    assert_eq!(item("碧波园", "4", "status"), "done");
    assert_eq!(item("碧波园", "1", "fill_date"), "2021-09-11", "split header line in .xls");
    assert_eq!(item("磨山花园", "2", "phone"), "15469973653");
    assert_eq!(item("磨山花园", "2", "status"), "long_term");
    assert_eq!(item("磨山花园", "6", "status"), "done");
    assert_eq!(item("落雁景苑", "6", "deadline"), "2021-11-22", "a serial number in the deadline cell");
    assert_eq!(item("落雁景苑", "3", "deadline"), "2021-11-30");
    assert_eq!(item("落雁景苑", "3", "phone"), "19253999250");

    let monthly = table(&out, "monthly");
    let value = |unit: &str, month: &str, id: &str| {
        let r = rows_where(&rows_where(&rows_where(&monthly, "unit", unit), "month", month), "indicator", id);
        (ints(&r, "this_month")[0], ints(&r, "cumulative")[0])
    };
    assert_eq!(value("区公安分局", "2021-10", "14"), (Some(7), Some(13)));
    assert_eq!(value("区公安分局", "2021-10", "10"), (None, Some(5)));
    assert_eq!(value("区公安分局", "2021-10", "5.1"), (Some(1), Some(8)));
    assert_eq!(value("区城乡工作办事处（民政）", "2021-09", "7"), (Some(12), Some(12)));
    assert_eq!(value("区市场监管局", "2021-10", "11"), (Some(10), Some(21)));
    assert_eq!(value("区市场监管局", "2021-10", "12"), (None, Some(4)));
    let invalid = rows_where(&table(&out, "findings"), "code", "count.invalid");
    assert_eq!(strings(&invalid, "value"), ["是"]);
    assert!(strings(&invalid, "path")[0].ends_with(".ods"));
    assert_eq!(strings(&invalid, "cell"), ["C18"]);
}

#[test]
fn shipped_input_runs_as_the_readme_says() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    copy_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("input"), &input);
    let out = tmp.path().join("output");
    let roster = input.join("名册.xlsx");
    let stdout = run_ok(&input, &out, &["--as-of", "2021-11-20", "--month", "2021-10", "--roster", roster.to_str().unwrap()]);
    assert!(stdout.contains("未报送自查表的项目 2 个：东湖港湾、清河苑"), "{stdout}");
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    // September's returns sit in their own folder: consolidated first into history and a
    // September workbook, then listed in October's file list without being read again.
    assert!(stdout.contains("已补做2021年9月的汇总（10个文件，截止2021年10月20日）"), "{stdout}");
    assert!(out.join("东湖风景区物业专项整治汇总_2021年9月.xlsx").is_file());
    assert!(out.join("history/month=2021-09/ledger.parquet").is_file());
    assert_eq!(summary["files_total"], 32);
    assert_eq!(summary["files"]["unreadable"], 2);
    assert_eq!(summary["files"]["superseded"], 1);
    assert_eq!(summary["forms"]["self_check"], 11);
    let files = table(&out, "files");
    let formats: std::collections::BTreeSet<String> = strings(&files, "format").into_iter().collect();
    for f in ["xlsx", "xls", "ods", "docx", "doc", "other"] {
        assert!(formats.contains(f), "input/ shows every format: {formats:?}");
    }
    // The .xls that is really an .xlsx.
    let maple = rows_where(&files, "path", "自查表/武汉市万家物业服务有限公司_枫林苑_自查表.xls");
    assert_eq!(strings(&maple, "format"), ["xlsx"]);
    assert_eq!(strings(&maple, "status"), ["consolidated"]);
    let findings = table(&out, "findings");
    for code in [
        "monthly.sum_mismatch",
        "monthly.cumulative_below_month",
        "monthly.cumulative_mismatch",
        "count.invalid",
        "deadline.impossible",
        "deadline.unreadable",
        "count.chinese_numeral",
        "monthly.final_only_early",
        "item.deadline_extended",
        "item.silently_dropped",
        "item.reopened",
    ] {
        assert!(strings(&findings, "code").iter().any(|c| c == code), "input/ shows {code}");
    }
    let september = rows_where(&files, "status", "ignored");
    assert_eq!(strings(&september, "path").iter().filter(|p| p.starts_with("2021年9月/")).count(), 10);
    // 东湖港湾 returned in September, not in October: its problem is carried and chased.
    let ledger = table(&out, "ledger");
    let harbour = rows_where(&ledger, "project", "东湖港湾");
    assert_eq!((strings(&harbour, "status"), strings(&harbour, "first_month")), (vec!["overdue".to_string()], vec!["2021-09".to_string()]));
    let chase = sheet(&out, "督办清单");
    assert!(chase.iter().any(|r| r[0] == "东湖港湾"), "{chase:?}");
    // Running again does not redo September (its month is in the history store).
    let again = run_ok(&input, &out, &["--as-of", "2021-11-20", "--month", "2021-10", "--roster", roster.to_str().unwrap()]);
    assert!(!again.contains("已补做"), "{again}");
}

#[test]
fn xlsm_wps_et_in_both_containers_and_upper_case_extensions_are_read_by_content() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_dir(&fixtures().join("formats"), &input);
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let files = table(&out, "files");
    let got: std::collections::BTreeMap<String, (String, String)> =
        strings(&files, "path").into_iter().zip(strings(&files, "format").into_iter().zip(strings(&files, "status"))).collect();
    assert_eq!(got["libreoffice_江滩花园.xlsm"], ("xlsm".into(), "consolidated".into()));
    assert_eq!(got["碧波园_OLE2.et"], ("xls".into(), "consolidated".into()));
    assert_eq!(got["梨园小区_zip.et"], ("xlsx".into(), "consolidated".into()));
    assert_eq!(got["经发局_大写扩展名.XLSX"], ("xlsx".into(), "consolidated".into()));
    let items = table(&out, "items");
    let river = rows_where(&rows_where(&items, "project", "江滩花园"), "item_no", "3");
    assert_eq!(strings(&river, "deadline"), ["2021-10-31"]);
    assert_eq!(strings(&river, "phone"), ["85807478转8012"]);
}

/// A package is found through its relationships and content types: Windows separators
/// (`xl\workbook.xml`), a workbook outside `xl/` and Strict OOXML read like the original they
/// were re-packaged from (fixtures/packages/make_variants.py); calamine's own odd packages
/// (`../shared/fetched/packages/`) open.
#[test]
fn packages_are_found_by_relationships_not_by_part_names() {
    let tmp = tempfile::tempdir().unwrap();
    let original = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("input/自查表/武汉长江物业管理有限公司_江滩花园_自查表.xlsx");
    let item_rows = |path: &std::path::Path| {
        let input = tmp.path().join(format!("in-{}", path.file_stem().unwrap().to_string_lossy()));
        std::fs::create_dir_all(&input).unwrap();
        std::fs::copy(path, input.join(path.file_name().unwrap())).unwrap();
        let out = input.with_extension("out");
        run_ok(&input, &out, &ARGS);
        let files = table(&out, "files");
        assert_eq!((strings(&files, "format"), strings(&files, "status")), (vec!["xlsx".to_string()], vec!["consolidated".to_string()]), "{path:?}");
        let items = table(&out, "items");
        ["item_no", "description", "responsible", "phone", "deadline", "deadline_raw", "status"].map(|c| strings(&items, c))
    };
    let want = item_rows(&original);
    assert_eq!(want[0].len(), 6);
    for variant in ["江滩花园_反斜杠路径.xlsx", "江滩花园_工作簿不在xl目录.xlsx", "江滩花园_Strict.xlsx"] {
        assert_eq!(item_rows(&fixtures().join("packages").join(variant)), want, "{variant}");
    }

    let input = tmp.path().join("calamine");
    std::fs::create_dir_all(&input).unwrap();
    for name in ["issue_530.xlsx", "minimal_package.xlsx", "strict_iso_paths.xlsx"] {
        std::fs::copy(fetched().join("packages").join(name), input.join(name)).unwrap();
    }
    let out = tmp.path().join("calamine-out");
    run_ok(&input, &out, &ARGS);
    let files = table(&out, "files");
    assert_eq!(strings(&files, "status"), ["unrecognized"; 3], "{:?}", strings(&files, "reason"));
    assert_eq!(strings(&files, "format"), ["xlsx"; 3]);
}

/// Excel 5.0/95 (BIFF5, an OLE2 `Book` stream, code page 936) made by Gnumeric reads like the
/// rust_xlsxwriter originals; one saved under code page 1252 lost its Chinese in the file
/// itself; a flat ODS says what it is (fixtures/oldformats, made by make.sh there).
#[test]
fn excel_95_and_flat_ods_from_other_producers() {
    let tmp = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run_on = |files: &[std::path::PathBuf], name: &str| {
        let input = tmp.path().join(name);
        std::fs::create_dir_all(&input).unwrap();
        for f in files {
            std::fs::copy(f, input.join(f.file_name().unwrap())).unwrap();
        }
        let out = tmp.path().join(format!("{name}-out"));
        run_ok(&input, &out, &ARGS);
        out
    };
    let old = |name: &str| fixtures().join("oldformats").join(name);
    let ours =
        run_on(&[root.join("input/自查表/武汉碧桂物业管理有限公司_梨园小区_自查表.xlsx"), root.join("input/月报/区经发局_2021年10月_月度汇总表.xlsx")], "xlsx");
    let theirs = run_on(
        &[
            old("gnumeric_excel95_cp936_梨园小区_自查表.xls"),
            old("gnumeric_excel95_cp936_区经发局_2021年10月_月度汇总表.xls"),
            old("gnumeric_excel95_cp1252_梨园小区_自查表.xls"),
            old("libreoffice_梨园小区_自查表.fods"),
        ],
        "old",
    );
    let files = table(&theirs, "files");
    let status =
        |path: &str| (strings(&rows_where(&files, "path", path), "format")[0].clone(), strings(&rows_where(&files, "path", path), "status")[0].clone());
    assert_eq!(status("gnumeric_excel95_cp936_梨园小区_自查表.xls"), ("xls".into(), "consolidated".into()));
    assert_eq!(status("gnumeric_excel95_cp936_区经发局_2021年10月_月度汇总表.xls"), ("xls".into(), "consolidated".into()));
    assert_eq!(status("gnumeric_excel95_cp1252_梨园小区_自查表.xls").1, "unrecognized");
    let lost = strings(&rows_where(&files, "path", "gnumeric_excel95_cp1252_梨园小区_自查表.xls"), "reason")[0].clone();
    assert!(lost.contains("中文在保存时已丢失") && lost.contains("另存为 .xlsx"), "{lost}");
    assert_eq!(status("libreoffice_梨园小区_自查表.fods").1, "unreadable");
    let fods = strings(&rows_where(&files, "path", "libreoffice_梨园小区_自查表.fods"), "reason")[0].clone();
    assert!(fods.contains(".fods") && fods.contains("另存为"), "{fods}");

    for col in ["project", "company", "fill_date", "item_no", "description", "responsible", "phone", "deadline", "status"] {
        assert_eq!(strings(&table(&theirs, "items"), col), strings(&table(&ours, "items"), col), "items.{col}");
    }
    for col in ["unit", "month", "indicator"] {
        assert_eq!(strings(&table(&theirs, "monthly"), col), strings(&table(&ours, "monthly"), col), "monthly.{col}");
    }
    for col in ["this_month", "cumulative"] {
        assert_eq!(ints(&table(&theirs, "monthly"), col), ints(&table(&ours, "monthly"), col), "monthly.{col}");
    }
}
