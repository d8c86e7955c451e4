//! Helpers for the integration tests: a scratch folder, the real binary, and readers for
//! what it writes (the workbook through calamine, the tables through polars).
#![allow(dead_code)]

use calamine::{open_workbook_auto, Data, Reader};
use polars::prelude::*;
use polars_io::prelude::ParquetReader;
use polars_io::SerReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Files taken from other libraries' test suites: not part of the project, kept beside it in
/// `../shared/fetched/` (its README names each file's source and licence).
pub fn fetched() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fetched")
}

/// Copy a folder recursively.
pub fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// Run `huizong run INPUT -o OUTPUT ARGS...` and return its output.
pub fn run(input: &Path, output: &Path, args: &[&str]) -> Output {
    run_env(input, output, args, &[])
}

/// Run `huizong run INPUT -o OUTPUT ARGS...` with extra environment variables.
pub fn run_env(input: &Path, output: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_huizong")).arg("run").arg(input).arg("-o").arg(output).args(args).envs(env.iter().copied()).output().expect("binary runs")
}

/// Run and insist on success.
pub fn run_ok(input: &Path, output: &Path, args: &[&str]) -> String {
    let out = run(input, output, args);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "exit {:?}\nstdout:\n{stdout}\nstderr:\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    stdout
}

pub fn table(output: &Path, name: &str) -> DataFrame {
    let file = std::fs::File::open(output.join("tables").join(format!("{name}.parquet"))).unwrap();
    ParquetReader::new(file).finish().unwrap()
}

/// The string values of a column, nulls as "".
pub fn strings(df: &DataFrame, col: &str) -> Vec<String> {
    let c = df.column(col).unwrap().cast(&DataType::String).unwrap();
    c.str().unwrap().iter().map(|v| v.unwrap_or("").to_string()).collect()
}

pub fn ints(df: &DataFrame, col: &str) -> Vec<Option<i64>> {
    let c = df.column(col).unwrap().cast(&DataType::Int64).unwrap();
    c.i64().unwrap().iter().collect()
}

/// Rows of a frame where `col` equals `value`.
pub fn rows_where(df: &DataFrame, col: &str, value: &str) -> DataFrame {
    let mask: Vec<bool> = strings(df, col).iter().map(|v| v == value).collect();
    df.filter(&BooleanChunked::from_slice("m".into(), &mask)).unwrap()
}

/// The workbook of the run's month, as `summary.json` names it (an output folder may also hold
/// earlier months' workbooks).
pub fn workbook_path(output: &Path) -> PathBuf {
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(output.join("summary.json")).unwrap()).unwrap();
    output.join(summary["workbook"].as_str().expect("summary.json names the workbook"))
}

/// A sheet of the output workbook as rows of display strings.
pub fn sheet(output: &Path, name: &str) -> Vec<Vec<String>> {
    rows_of(&workbook_path(output), name)
}

/// A sheet of any workbook (`.xlsx`, `.xls`, `.ods`) as rows of display strings.
pub fn rows_of(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    Data::DateTime(d) => d.as_datetime().map(|t| t.date().to_string()).unwrap_or_default(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Column index of a header in a sheet's first row.
pub fn col(rows: &[Vec<String>], header: &str) -> usize {
    rows[0].iter().position(|h| h == header).unwrap_or_else(|| panic!("no column {header} in {:?}", rows[0]))
}

pub fn sha256_tree(dir: &Path) -> Vec<(PathBuf, String)> {
    use sha2::{Digest, Sha256};
    let mut out = Vec::new();
    fn walk(d: &Path, out: &mut Vec<(PathBuf, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.push((p, format!("{:x}", Sha256::digest(bytes))));
            }
        }
    }
    walk(dir, &mut out);
    out
}
