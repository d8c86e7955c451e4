//! Whatever the folder holds, the run finishes, lists every file with a reason, never touches
//! an input, contains a panic to its file, and leaves no half-written output.

use crate::common::*;
use huizong_testkit::*;
use std::io::Write;
use std::path::Path;

const ARGS: [&str; 5] = ["--as-of", "2021-11-20", "--month", "2021-10", "--quiet"];

fn form_bytes() -> Vec<u8> {
    let rows = vec![
        ItemRow::new(1, "楼道堆物", "王芳 13800138000", "2021年12月1日"),
        ItemRow::none(2),
        ItemRow::none(3),
        ItemRow::none(4),
        ItemRow::none(5),
        ItemRow::none(6),
    ];
    workbook(&[(
        "Sheet1",
        SheetForm::SelfCheck(SelfCheckForm {
            project: "好小区".into(),
            company: "好物业".into(),
            fill_date: "2021年10月8日".into(),
            rows,
            layout: Layout::default(),
        }),
    )])
    .unwrap()
}

/// A zip with the given members, each written in chunks (so a bomb need not sit in memory).
fn zip_file(path: &Path, members: &[(&str, &[u8], usize)]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    for (name, chunk, times) in members {
        z.start_file(*name, opts).unwrap();
        for _ in 0..*times {
            z.write_all(chunk).unwrap();
        }
    }
    z.finish().unwrap();
}

fn status_of(out: &Path) -> std::collections::BTreeMap<String, (String, String)> {
    let files = table(out, "files");
    strings(&files, "path").into_iter().zip(strings(&files, "status").into_iter().zip(strings(&files, "reason"))).collect()
}

#[test]
fn bad_files_are_listed_with_reasons_and_never_stop_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("好.xlsx"), form_bytes()).unwrap();
    std::fs::write(input.join("空.xlsx"), b"").unwrap();
    let mut seed = 0x2545F4914F6CDD1Du64;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect();
    std::fs::write(input.join("随机.xlsx"), &random).unwrap();
    std::fs::write(input.join("图片.xlsx"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    zip_file(&input.join("文档.xlsx"), &[("[Content_Types].xml", b"<Types/>", 1), ("word/document.xml", b"<w:document/>", 1)]);
    // A sheet that inflates to 1 GiB from about a megabyte.
    let zeros = vec![b' '; 1 << 20];
    zip_file(
        &input.join("炸弹.xlsx"),
        &[("[Content_Types].xml", b"<Types/>", 1), ("xl/workbook.xml", b"<workbook/>", 1), ("xl/worksheets/sheet1.xml", &zeros, 1024)],
    );
    std::fs::copy(fixtures().join("samples/其他/加密.xlsx"), input.join("加密.xlsx")).unwrap();
    std::fs::write(input.join("~$好.xlsx"), b"\x04lock").unwrap();
    // A tiny file whose extent is vast: a form, plus a value in XFD1048576.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let rows = vec![ItemRow::new(1, "远处有值", "王芳 13800138000", "2021年12月1日")];
    write_self_check(
        ws,
        &SelfCheckForm { project: "远小区".into(), company: "远物业".into(), fill_date: "2021年10月8日".into(), rows, layout: Layout::default() },
    )
    .unwrap();
    ws.write_string(1_048_575, 16_383, "远").unwrap();
    wb.save(input.join("巨大范围.xlsx")).unwrap();

    let before = sha256_tree(&input);
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    assert_eq!(sha256_tree(&input), before, "inputs untouched");
    let s = status_of(&out);
    assert_eq!(s.len(), 9, "every file listed: {s:?}");
    assert_eq!(s["好.xlsx"].0, "consolidated");
    assert_eq!(s["~$好.xlsx"].0, "ignored");
    for (name, words) in [("空.xlsx", "0 字节"), ("随机.xlsx", "损坏"), ("图片.xlsx", "图片"), ("炸弹.xlsx", "压缩炸弹"), ("加密.xlsx", "密码")]
    {
        assert_eq!(s[name].0, "unreadable", "{name}");
        assert!(s[name].1.contains(words), "{name}: {}", s[name].1);
    }
    // A Word document named .xlsx is read as Word, whatever its name: it holds no form.
    assert_eq!(s["文档.xlsx"].0, "unrecognized", "{}", s["文档.xlsx"].1);
    assert_eq!(s["巨大范围.xlsx"].0, "consolidated", "the form is read, the far cell skipped");
    let f = rows_where(&table(&out, "findings"), "code", "sheet.too_large");
    assert_eq!(strings(&f, "path"), ["巨大范围.xlsx"]);
}

#[test]
fn a_form_truncated_anywhere_is_a_finding_never_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let sources = [
        ("xlsx", form_bytes()),
        ("xls", std::fs::read(fixtures().join("libreoffice/湖北楚天物业有限公司_碧波园_自查表.xls")).unwrap()),
        ("ods", std::fs::read(fixtures().join("libreoffice/武汉长江物业管理有限公司_落雁景苑_自查表.ods")).unwrap()),
    ];
    for (ext, bytes) in &sources {
        for pct in (5..100).step_by(5) {
            std::fs::write(input.join(format!("截断{pct:02}.{ext}")), &bytes[..bytes.len() * pct / 100]).unwrap();
        }
    }
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let s = status_of(&out);
    assert_eq!(s.len(), 57);
    for (path, (status, reason)) in &s {
        let (pct, ext) = path.trim_start_matches("截断").split_once('.').unwrap();
        // A zip (.xlsx, .ods) keeps its central directory at the very end: cut anywhere, the
        // package cannot be opened. This OLE2 .xls (7168 bytes) keeps its directory in its last
        // two sectors (bytes 6144–7168): cut at up to 90 % (6451 bytes), a sector the file
        // points to lies past its end; cut at 95 % (6809 bytes) only the last sector is short,
        // and it holds no more than the summary streams' entries (the Workbook entry is in the
        // sector before). A short last sector is accepted, as calamine, xlrd and Apache POI do:
        // the form is read whole.
        if (ext, pct) == ("xls", "95") {
            assert_eq!(status, "consolidated", "{path}: {reason}");
        } else {
            assert_eq!(status, "unreadable", "{path}");
            assert!(reason.contains("损坏"), "{path}: {reason}");
        }
        if ext == "xls" && pct != "95" {
            assert!(reason.contains("扇区超出文件"), "{path}: {reason}");
        }
    }
    let items = table(&out, "items");
    assert_eq!(strings(&items, "path"), ["截断95.xls"; 4], "碧波园's four items");
}

#[test]
fn a_panic_while_reading_one_file_is_contained_to_that_file() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.xlsx"), form_bytes()).unwrap();
    std::fs::write(input.join("b.xlsx"), form_bytes()).unwrap();
    let out = tmp.path().join("out");
    let o = run_env(&input, &out, &ARGS, &[("HUIZONG_TEST_FAULT", "panic:a.xlsx")]);
    assert!(o.status.success());
    let s = status_of(&out);
    assert_eq!(s["a.xlsx"].0, "unreadable");
    assert!(s["a.xlsx"].1.contains("内部错误"));
    assert_eq!(s["b.xlsx"].0, "consolidated");
    assert!(!String::from_utf8_lossy(&o.stderr).contains("RUST_BACKTRACE"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_odd_file_names() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(input.join("子")).unwrap();
    std::os::unix::fs::symlink(&input, input.join("子/回环")).unwrap();
    std::os::unix::fs::symlink(input.join("不存在"), input.join("断链.xlsx")).unwrap();
    // 东湖 in GBK bytes: not valid UTF-8.
    let gbk = std::ffi::OsStr::from_bytes(b"\xb6\xab\xba\xfe.xlsx");
    std::fs::write(input.join(gbk), form_bytes()).unwrap();
    std::fs::write(input.join("带 空格 & 符号 (1) #.xlsx"), form_bytes()).unwrap();
    // Two copies of one return, modified at the same moment: the name that sorts last wins.
    for name in [gbk, "带 空格 & 符号 (1) #.xlsx".as_ref()] {
        set_modified(&input.join(name), utc("2021-10-08 09:00:00"));
    }
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let s = status_of(&out);
    assert_eq!(s.len(), 4, "{s:?}");
    assert_eq!(s["子/回环"].0, "ignored");
    assert_eq!(s["断链.xlsx"].0, "ignored");
    let spaced = &s["带 空格 & 符号 (1) #.xlsx"];
    assert_eq!(spaced.0, "superseded", "same project as the GBK-named copy, whose lossy name (U+FFFD) sorts after");
    assert!(spaced.1.contains("取文件名排序靠后的一份"), "{}", spaced.1);
    assert!(s.keys().any(|k| k.ends_with(".xlsx") && k.contains('\u{FFFD}')), "the GBK name is listed, lossily: {s:?}");
}

/// A workbook with one column of `rows` numbers: no form, just size.
fn number_column(path: &Path, rows: u32) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for r in 0..rows {
        ws.write_number(r, 0, r as f64).unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn a_sheet_with_a_million_rows_is_read_within_the_limits() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    number_column(&input.join("百万行.xlsx"), 1_000_000);
    std::fs::write(input.join("好.xlsx"), form_bytes()).unwrap();
    // Default limits: the run finishes, the big sheet is cut short with a finding.
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let s = status_of(&out);
    assert_eq!(s["百万行.xlsx"].0, "unrecognized");
    assert_eq!(s["好.xlsx"].0, "consolidated");
    let f = rows_where(&table(&out, "findings"), "code", "sheet.too_large");
    assert_eq!(strings(&f, "path"), ["百万行.xlsx"]);
    assert!(strings(&f, "message")[0].contains("200000"));
    // The limit is configurable.
    let config = tmp.path().join("c.toml");
    std::fs::write(&config, "max_cells_per_sheet = 20000\n").unwrap();
    let mut args = ARGS.to_vec();
    args.extend(["--config", config.to_str().unwrap()]);
    run_ok(&input, &out, &args);
    let f = rows_where(&table(&out, "findings"), "code", "sheet.too_large");
    assert!(strings(&f, "message")[0].contains("20000"));
}

#[test]
fn a_failed_run_leaves_the_previous_outputs_whole_and_no_temporary_files() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.xlsx"), form_bytes()).unwrap();
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let summary_before = std::fs::read(out.join("summary.json")).unwrap();
    // Make the tables folder unusable: the next run cannot finish its outputs.
    std::fs::remove_dir_all(out.join("tables")).unwrap();
    std::fs::write(out.join("tables"), b"not a folder").unwrap();
    std::fs::write(input.join("b.xlsx"), form_bytes()).unwrap();
    let o = run(&input, &out, &ARGS);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("无法写入数据表"));
    assert_eq!(std::fs::read(out.join("summary.json")).unwrap(), summary_before, "summary.json untouched");
    let leftovers: Vec<_> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.contains(".tmp-")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_same_input_gives_identical_outputs_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("input"), &input);
    let roster = input.join("名册.xlsx");
    let mut outs = Vec::new();
    for threads in ["1", "2", "8"] {
        let out = tmp.path().join(format!("out{threads}"));
        let mut args = ARGS.to_vec();
        args.extend(["--roster", roster.to_str().unwrap()]);
        let o = run_env(&input, &out, &args, &[("RAYON_NUM_THREADS", threads), ("SOURCE_DATE_EPOCH", "1637366400")]);
        assert!(o.status.success());
        outs.push(out);
    }
    let read_all = |out: &Path| -> Vec<(String, Vec<u8>)> {
        let mut files = vec![];
        for name in [
            "summary.json",
            "tables/files.parquet",
            "tables/items.parquet",
            "tables/monthly.parquet",
            "tables/district.parquet",
            "tables/findings.parquet",
            "tables/missing.parquet",
        ] {
            files.push((name.to_string(), std::fs::read(out.join(name)).unwrap()));
        }
        let wb = workbook_path(out);
        files.push(("workbook".into(), std::fs::read(wb).unwrap()));
        files
    };
    let first = read_all(&outs[0]);
    for other in &outs[1..] {
        for ((name, a), (_, b)) in first.iter().zip(read_all(other)) {
            assert!(*a == b, "{name} differs between thread counts");
        }
    }
}

/// Found by `cargo fuzz` (target `file`): an OLE2 file that trips an assertion inside
/// calamine 0.38 (`utils.rs:29`). The panic was contained (internal error); since the OLE2
/// structure check it is refused as damaged before calamine sees it. Either way: unreadable,
/// with a reason, and the other file is read.
#[test]
fn regression_calamine_assertion_panic_on_a_fuzzed_xls() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(fixtures().join("fuzz/calamine_utils_assert_panic.xls"), input.join("坏.xls")).unwrap();
    std::fs::write(input.join("好.xlsx"), form_bytes()).unwrap();
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let s = status_of(&out);
    assert_eq!(s["坏.xls"].0, "unreadable");
    assert!(s["坏.xls"].1.contains("损坏") || s["坏.xls"].1.contains("内部错误"), "{}", s["坏.xls"].1);
    assert_eq!(s["好.xlsx"].0, "consolidated");
}

/// Found by `cargo fuzz` (target `file`): OLE2 files whose sector chain cycles (or whose FAT
/// points past the end) make calamine 0.38 grow memory without bound, killing the process
/// where `catch_unwind` cannot help. They are now refused before calamine sees them.
#[test]
fn regression_ole2_sector_chain_cycle_would_exhaust_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    for name in [
        "calamine_cfb_chain_cycle_oom.xls",
        "calamine_cfb_fat_beyond_eof_oom.xls",
        "calamine_xls_vast_dimensions_oom.xls",
        "calamine_xls_far_cell_dense_grid_oom.xls",
        "calamine_cfb_root_ministream_oom.xls",
        "calamine_xls_first_column_reset_oom.xls",
    ] {
        std::fs::copy(fixtures().join("fuzz").join(name), input.join(name)).unwrap();
    }
    std::fs::copy(fixtures().join("libreoffice/湖北楚天物业有限公司_碧波园_自查表.xls"), input.join("好.xls")).unwrap();
    let out = tmp.path().join("out");
    run_ok(&input, &out, &ARGS);
    let s = status_of(&out);
    assert_eq!(s["calamine_cfb_chain_cycle_oom.xls"].0, "unreadable");
    assert!(s["calamine_cfb_chain_cycle_oom.xls"].1.contains("循环"), "{}", s["calamine_cfb_chain_cycle_oom.xls"].1);
    assert_eq!(s["calamine_cfb_fat_beyond_eof_oom.xls"].0, "unreadable");
    // A DIMENSIONS record whose first row is after its last: calamine reserves (last - first
    // + 1) × columns cells, which wraps to a vast number in a release build.
    assert_eq!(s["calamine_xls_vast_dimensions_oom.xls"].0, "unreadable");
    assert!(s["calamine_xls_vast_dimensions_oom.xls"].1.contains("范围"), "{}", s["calamine_xls_vast_dimensions_oom.xls"].1);
    // A cell record far out (row 32774, column 50177): calamine builds a dense grid to it.
    assert_eq!(s["calamine_xls_far_cell_dense_grid_oom.xls"].0, "unreadable");
    assert!(s["calamine_xls_far_cell_dense_grid_oom.xls"].1.contains("工作表太大"));
    // The first directory entry declares a mini stream far larger than the file: calamine
    // copies its (cycling) chain up to that size.
    assert_eq!(s["calamine_cfb_root_ministream_oom.xls"].0, "unreadable");
    // A DIMENSIONS whose first column is past 255: calamine takes it for 0 and reserves every
    // column up to the last for every row (the process aborted asking for 41 GB).
    assert_eq!(s["calamine_xls_first_column_reset_oom.xls"].0, "unreadable");
    assert!(s["calamine_xls_first_column_reset_oom.xls"].1.contains("工作表太大"), "{}", s["calamine_xls_first_column_reset_oom.xls"].1);
    assert_eq!(s["好.xls"].0, "consolidated", "a sound .xls passes the structure check");
}

#[test]
fn a_file_whose_reading_stalls_is_given_up_after_the_time_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    // .xls and .ods are parsed whole by calamine, so they are read on a watched thread.
    std::fs::copy(fixtures().join("libreoffice/湖北楚天物业有限公司_碧波园_自查表.xls"), input.join("a.xls")).unwrap();
    std::fs::write(input.join("b.xlsx"), form_bytes()).unwrap();
    let config = tmp.path().join("c.toml");
    std::fs::write(&config, "max_seconds_per_file = 1\n").unwrap();
    let out = tmp.path().join("out");
    let mut args = ARGS.to_vec();
    args.extend(["--config", config.to_str().unwrap()]);
    let started = std::time::Instant::now();
    let o = run_env(&input, &out, &args, &[("HUIZONG_TEST_FAULT", "stall:a.xls")]);
    assert!(o.status.success());
    assert!(started.elapsed() < std::time::Duration::from_secs(25), "the run did not wait for the stalled read");
    let s = status_of(&out);
    assert_eq!(s["a.xls"].0, "unreadable");
    assert!(s["a.xls"].1.contains("超过 1 秒"), "{}", s["a.xls"].1);
    assert_eq!(s["b.xlsx"].0, "consolidated");
}

#[test]
fn the_time_limit_per_file_cuts_a_slow_sheet_short() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    number_column(&input.join("慢.xlsx"), 20_000);
    let config = tmp.path().join("c.toml");
    std::fs::write(&config, "max_seconds_per_file = 0\n").unwrap();
    let out = tmp.path().join("out");
    let mut args = ARGS.to_vec();
    args.extend(["--config", config.to_str().unwrap()]);
    run_ok(&input, &out, &args);
    let f = rows_where(&table(&out, "findings"), "code", "sheet.too_large");
    assert_eq!(strings(&f, "path"), ["慢.xlsx"], "a zero-second budget stops reading at the first check");
}
