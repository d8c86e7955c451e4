//! Helpers for the integration tests: the one way to run the program ([`huizong`], any
//! subcommand, in a given folder, with a given environment), fixture folders, file times set
//! on purpose, and readers for what the program writes (the workbook through calamine, the
//! tables through polars).

use calamine::{open_workbook_auto, Data, Reader};
use polars::prelude::*;
use polars_io::prelude::ParquetReader;
use polars_io::SerReader;
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The program about to run: `huizong ARGS...`, made by [`huizong`].
pub struct Huizong {
    command: Command,
}

/// `huizong ARGS...`: any subcommand with its arguments, or no argument at all (the clerk's
/// double-click). Stdin is empty (no keyboard); the working directory and the environment are
/// the test's unless [`Huizong::current_dir`] and [`Huizong::env`] say otherwise.
pub fn huizong<I, S>(args: I) -> Huizong
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Huizong::program(Path::new(env!("CARGO_BIN_EXE_huizong"))).args(args)
}

impl Huizong {
    /// Another copy of the program (as a clerk keeps one in a folder of its own), no argument.
    pub fn program(path: &Path) -> Huizong {
        let mut command = Command::new(path);
        command.stdin(Stdio::null());
        Huizong { command }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Huizong {
        self.command.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Huizong
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.command.args(args);
        self
    }

    /// Run in `dir` (a scratch folder).
    pub fn current_dir(mut self, dir: &Path) -> Huizong {
        self.command.current_dir(dir);
        self
    }

    /// Add environment variables.
    pub fn env(mut self, vars: &[(&str, &str)]) -> Huizong {
        self.command.envs(vars.iter().copied());
        self
    }

    /// Run to the end and return what it printed and its exit status.
    pub fn output(mut self) -> Output {
        // A copy of the program just written can be "busy" for a moment: another test thread's
        // fork may still hold the copy's write handle until that child execs (ETXTBSY). Try
        // again shortly.
        for _ in 0..100 {
            match self.command.output() {
                Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => std::thread::sleep(Duration::from_millis(20)),
                other => return other.expect("the program runs"),
            }
        }
        panic!("{:?} stayed busy", self.command.get_program());
    }

    /// Run, insist on success, and return stdout.
    pub fn ok(self) -> String {
        let out = self.output();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "exit {:?}\nstdout:\n{stdout}\nstderr:\n{}", out.status, String::from_utf8_lossy(&out.stderr));
        stdout
    }
}

/// `huizong run INPUT -o OUTPUT ARGS...`.
pub fn run_cmd(input: &Path, output: &Path, args: &[&str]) -> Huizong {
    huizong(["run"]).arg(input).arg("-o").arg(output).args(args)
}

/// Run `huizong run INPUT -o OUTPUT ARGS...` and return its output.
pub fn run(input: &Path, output: &Path, args: &[&str]) -> Output {
    run_cmd(input, output, args).output()
}

/// Run `huizong run INPUT -o OUTPUT ARGS...` with extra environment variables.
pub fn run_env(input: &Path, output: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    run_cmd(input, output, args).env(env).output()
}

/// Run `huizong run INPUT -o OUTPUT ARGS...`, insist on success, and return stdout.
pub fn run_ok(input: &Path, output: &Path, args: &[&str]) -> String {
    run_cmd(input, output, args).ok()
}

/// A moment given as `YYYY-MM-DD HH:MM:SS` in UTC.
pub fn utc(at: &str) -> SystemTime {
    let t = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M:%S").unwrap().and_utc();
    UNIX_EPOCH + Duration::from_secs(t.timestamp().try_into().unwrap())
}

/// `SOURCE_DATE_EPOCH` for a moment given as [`utc`] takes it: the program's "now" (its
/// default as-of date and the workbook's creation time).
pub fn source_date_epoch(at: &str) -> String {
    utc(at).duration_since(UNIX_EPOCH).unwrap().as_secs().to_string()
}

/// Set a file's modification time: which of two returns is the newer must not depend on when
/// the test wrote or copied them.
pub fn set_modified(path: &Path, time: SystemTime) {
    std::fs::File::options().write(true).open(path).unwrap().set_modified(time).unwrap();
}

/// Set the modification time of every file under `dir`.
pub fn set_modified_tree(dir: &Path, time: SystemTime) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            set_modified_tree(&path, time);
        } else {
            set_modified(&path, time);
        }
    }
}

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

/// The members of a zip, by name.
pub fn members(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = ::zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

pub fn rezip(path: &Path, parts: &[(String, Vec<u8>)]) {
    let mut z = ::zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in parts {
        z.start_file(name.as_str(), ::zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

pub fn text_of(parts: &[(String, Vec<u8>)], name: &str) -> String {
    String::from_utf8(parts.iter().find(|(n, _)| n == name).unwrap().1.clone()).unwrap()
}
