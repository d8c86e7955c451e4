//! The command line: clap arguments turned once into a checked [`Run`], the run itself, and
//! the one-screen summary. Exit codes: 0 outputs written, 2 bad arguments or config, 1 no
//! output could be written.

use crate::config::Settings;
use crate::error::Error;
use crate::findings::Severity;
use crate::forms::{ItemStatus, Month};
use crate::output::{frames, history, report, safe_file_name, tables};
use crate::read::{self, discover, roster, FileStatus};
use crate::rules::{self, Consolidated, MissingKind};
use chrono::{Datelike, Local, NaiveDate};
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// `writeln!` into a String, which cannot fail.
macro_rules! line {
    ($o:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($o, $($arg)*);
    }};
}

/// 汇总（huizong）：物业专项整治报表的月度汇总工具。
///
/// 把各物业项目报回的《专项整治自查表》（附件1）和各单位的《专项整治月度工作汇总表》（附件2）放进一个文件夹，运行一条命令，就得到全区汇总表、整改台账、督办清单、未报送名单和数据问题清单（精确到文件、工作表和单元格）。
///
/// 常用：huizong run input -o output --as-of 2021-11-20 --roster 名册.xlsx
#[derive(Parser, Debug)]
#[command(name = "huizong", version, disable_help_subcommand = true, disable_help_flag = true, disable_version_flag = true)]
#[command(help_template = "{about}\n\n用法：{usage}\n\n{all-args}", subcommand_help_heading = "命令", subcommand_value_name = "命令")]
pub struct Cli {
    /// 显示帮助
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true, help_heading = "选项")]
    help: Option<bool>,
    /// 显示版本号
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version, help_heading = "选项")]
    version: Option<bool>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 汇总一个文件夹中的全部报表，生成全区汇总工作簿、数据表和 summary.json。
    #[command(help_template = "{about}\n\n用法：{usage}\n\n{all-args}", override_usage = "huizong run [输入文件夹] [选项]")]
    Run(RunArgs),
    /// 生成空白的附件1、附件2（Excel 和 Word 两种），带填写提示和输入检查，可按名册为每个项目预填名称。
    #[command(
        help_template = "{about}\n\n用法：{usage}\n\n{all-args}",
        override_usage = "huizong template [-o 文件夹] [--roster 名册] [--per project|company]"
    )]
    Template(TemplateArgs),
    /// 检查一个或几个报表文件（收到就查），逐个列出问题和改法；没有错误时退出码为 0，有错误为 1。
    #[command(help_template = "{about}\n\n用法：{usage}\n\n{all-args}", override_usage = "huizong check 文件... [--json] [--annotate 文件夹]")]
    Check(CheckArgs),
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// 要检查的报表文件（可以几个）
    #[arg(value_name = "文件", required = true, help_heading = "参数")]
    files: Vec<PathBuf>,
    /// 以 JSON 输出（供其他程序使用）
    #[arg(long, help_heading = "选项")]
    json: bool,
    /// 为每个有问题的表格生成一份标注副本（问题单元格标色、批注写明改法）写到这个文件夹，原文件不动
    #[arg(long, value_name = "文件夹", help_heading = "选项")]
    annotate: Option<PathBuf>,
    /// 截止日期（判断是否逾期），如 2021-11-20；默认今天
    #[arg(long = "as-of", value_name = "YYYY-MM-DD", help_heading = "选项")]
    as_of: Option<String>,
    /// 配置文件（TOML）
    #[arg(long, value_name = "配置文件", help_heading = "选项")]
    config: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
struct TemplateArgs {
    /// 模板写到哪个文件夹，默认 模板/
    #[arg(short = 'o', long = "output", value_name = "文件夹", default_value = "模板", hide_default_value = true, help_heading = "选项")]
    output: PathBuf,
    /// 物业项目名册（需有“物业项目”列，可有“物业公司”列）：为每个项目生成填好名称的附件1
    #[arg(long, value_name = "名册文件", help_heading = "选项")]
    roster: Option<PathBuf>,
    /// 有名册时怎么分文件：project 每个项目一个文件（默认）；company 每个物业公司一个工作簿、每个项目一张工作表
    #[arg(long, value_name = "project|company", default_value = "project", hide_default_value = true, value_parser = ["project", "company"], help_heading = "选项")]
    per: String,
    /// 配置文件（TOML）：按其中的单位名单为每个单位生成附件2
    #[arg(long, value_name = "配置文件", help_heading = "选项")]
    config: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
struct RunArgs {
    /// 存放报回表格的文件夹（含子文件夹），默认 input/
    #[arg(value_name = "输入文件夹", default_value = "input", hide_default_value = true, help_heading = "参数")]
    input: PathBuf,
    /// 输出文件夹，默认 output/（汇总工作簿、tables/ 数据表、summary.json 写在这里）
    #[arg(short = 'o', long = "output", value_name = "输出文件夹", default_value = "output", hide_default_value = true, help_heading = "选项")]
    output: PathBuf,
    /// 汇总的月份，如 2021-10；默认为“截止日期”的上一个月
    #[arg(long, value_name = "YYYY-MM", help_heading = "选项")]
    month: Option<String>,
    /// 截止日期（判断是否逾期），如 2021-11-20；默认今天
    #[arg(long = "as-of", value_name = "YYYY-MM-DD", help_heading = "选项")]
    as_of: Option<String>,
    /// 应报送自查表的物业项目名册（.xlsx/.xls/.csv，需有“物业项目”列）
    #[arg(long, value_name = "名册文件", help_heading = "选项")]
    roster: Option<PathBuf>,
    /// 配置文件（TOML），可设置区名、单位名单、存量指标来源单位等
    #[arg(long, value_name = "配置文件", help_heading = "选项")]
    config: Option<PathBuf>,
    /// 旧版 .xls 文件的字符编码代码页（如 936 = GBK），仅在出现乱码时使用
    #[arg(long, value_name = "代码页", help_heading = "选项")]
    codepage: Option<u16>,
    /// 历史记录文件夹（每月一份，用于和上月比较），默认为输出文件夹下的 history/
    #[arg(long, value_name = "历史文件夹", help_heading = "选项")]
    history: Option<PathBuf>,
    /// 另外为每个单位生成一份本单位的月度汇总表（写在输出文件夹的“分单位报送”下），便于分别报送
    #[arg(long = "split-by-unit", help_heading = "选项")]
    split_by_unit: bool,
    /// 不显示进度条和结果摘要
    #[arg(short, long, help_heading = "选项")]
    quiet: bool,
}

/// A run's checked settings.
struct Run {
    /// The folder of returns.
    input: PathBuf,
    /// Where the workbook, tables and summary are written.
    output: PathBuf,
    /// The month consolidated.
    month: Month,
    /// The date overdue items are judged at.
    as_of: NaiveDate,
    /// The roster of projects expected to return a 附件1.
    roster: Option<PathBuf>,
    settings: Settings,
    /// The history store: one folder per month (`--history`, else OUTPUT/history).
    history: PathBuf,
    /// Also write one workbook per unit.
    split_by_unit: bool,
    /// No progress bar and no summary.
    quiet: bool,
}

fn check(args: RunArgs) -> Result<Run, Error> {
    let as_of = parse_as_of(args.as_of.as_deref())?;
    let month = match &args.month {
        Some(s) => Month::parse_iso(s).ok_or_else(|| Error::Argument(format!("--month 应写成 YYYY-MM（如 2021-10），现为“{s}”")))?,
        None => Month::new(as_of.year(), as_of.month()).expect("a date's month exists").previous(),
    };
    let mut settings = match &args.config {
        Some(p) => Settings::load(p)?,
        None => Settings::default(),
    };
    if args.codepage.is_some() {
        settings.codepage = args.codepage;
    }
    if !args.input.is_dir() {
        return Err(Error::InputMissing(args.input));
    }
    let roster = args.roster.clone().or(settings.roster.clone());
    if let Some(r) = &roster {
        if !r.is_file() {
            return Err(Error::Roster { path: r.clone(), why: "不存在".into() });
        }
    }
    let history = args.history.unwrap_or_else(|| args.output.join("history"));
    Ok(Run { input: args.input, output: args.output, month, as_of, roster, settings, history, split_by_unit: args.split_by_unit, quiet: args.quiet })
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    // A panic while reading one file is caught and that file is listed as unreadable; the
    // default hook would still print a Rust backtrace hint the clerk cannot act on.
    std::panic::set_hook(Box::new(|info| {
        let what =
            info.payload().downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| info.payload().downcast_ref::<String>().cloned()).unwrap_or_default();
        eprintln!("内部错误（已记录，汇总继续）：{what}");
    }));
    // The clerk's way in: started by double-click (no argument), or with one folder dragged
    // onto the program.
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    match args.as_slice() {
        [] => return clerk_mode(None),
        [one] if std::path::Path::new(one).is_dir() && !["run", "template", "check"].iter().any(|c| one == *c) => {
            return clerk_mode(Some(PathBuf::from(one)));
        }
        _ => {}
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            if code == 2 {
                eprintln!("参数有误（运行 huizong run --help 查看用法）：");
            }
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Run(args) => check(args).and_then(|run| execute(&run)).map(|()| ExitCode::SUCCESS),
        Command::Template(args) => templates(&args).map(|()| ExitCode::SUCCESS),
        Command::Check(args) => check_files(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// No command: consolidate the `input` folder beside the program into `output` beside it, or
/// the folder given into `output` beside that folder, as of today, with a roster file named
/// 名册 found in the folder; print the summary and, when not started from a terminal (a
/// double-click opens a window that closes when the program ends), wait for Enter.
fn clerk_mode(folder: Option<PathBuf>) -> ExitCode {
    let beside_program = std::env::current_exe().ok().and_then(|p| p.parent().map(std::path::Path::to_path_buf)).unwrap_or_else(|| PathBuf::from("."));
    let (input, output_dir) = match folder {
        Some(f) => {
            let parent = f.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf);
            (f, parent.join("output"))
        }
        None => (beside_program.join("input"), beside_program.join("output")),
    };
    println!("汇总（huizong）：汇总“{}”中的报表，结果写到“{}”", input.display(), output_dir.display());
    let roster = std::fs::read_dir(&input)
        .ok()
        .and_then(|entries| entries.flatten().map(|e| e.path()).find(|p| p.is_file() && p.file_stem().is_some_and(|s| s == "名册")));
    let args = RunArgs {
        input: input.clone(),
        output: output_dir,
        month: None,
        as_of: None,
        roster,
        config: None,
        codepage: None,
        history: None,
        split_by_unit: false,
        quiet: false,
    };
    let code = match check(args).and_then(|run| execute(&run)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::InputMissing(p)) => {
            eprintln!("错误：找不到文件夹“{}”。请把报表放进程序旁边的 input 文件夹，或把报表文件夹拖到程序图标上。", p.display());
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(e.exit_code())
        }
    };
    // Started by double-click or by dropping a folder on it, the program's console window
    // closes when it ends: keep it open until the clerk has read the summary. Whether the
    // console was opened for this program alone cannot be told portably, so a clerk who typed
    // `huizong` in a terminal presses Enter once too; without a keyboard (a script, a test)
    // the read ends at once.
    if std::io::stdin().is_terminal() {
        println!("按回车键关闭窗口……");
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
    }
    code
}

/// An output that could not be written.
fn output(what: String) -> impl FnOnce(std::io::Error) -> Error {
    move |source| Error::Output { what, source }
}

fn execute(run: &Run) -> Result<(), Error> {
    timings::lap("start");
    let roster = run.roster.as_deref().map(roster::load).transpose()?;
    std::fs::create_dir_all(&run.output).map_err(output(format!("无法创建输出文件夹“{}”", run.output.display())))?;
    let found = discover::walk(&run.input, &[&run.output, &run.history]).map_err(output(format!("无法读取输入文件夹“{}”", run.input.display())))?;
    let (found, earlier) = discover::split_months(found, run.month);
    // Earlier months kept in folders of their own (`2021年9月/`) and never consolidated into
    // the history store are consolidated first, in order, so this month has a last month to
    // compare with.
    for (month, files) in earlier {
        if history::month_dir(&run.history, month).exists() {
            continue;
        }
        let as_of = shift_months(run.as_of, month, run.month);
        let (result, settings) = consolidate_month(run, roster.as_deref(), &files, month, as_of);
        let notices = rules::feedback::notices(&result, settings.resubmit_date(result.month));
        let path = write_month(run, &result, &settings, &notices, roster.as_ref().map(Vec::len), false)?;
        if !run.quiet {
            println!("已补做{}的汇总（{}个文件，截止{}）：{}", month.label(), files.len(), as_of.format("%Y年%-m月%-d日"), path.display());
        }
    }
    let (result, settings) = consolidate_month(run, roster.as_deref(), &found, run.month, run.as_of);
    let notices = rules::feedback::notices(&result, settings.resubmit_date(result.month));
    let workbook_path = write_month(run, &result, &settings, &notices, roster.as_ref().map(Vec::len), true)?;
    if run.split_by_unit {
        write_unit_books(&result, &run.output)?;
    }
    let name = workbook_path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let summary = tables::summary(&result, &settings.district, &name);
    tables::write_summary(&summary, &run.output).map_err(output("无法写入 summary.json".into()))?;
    if !run.quiet {
        print_summary(&result, run, &settings.district, &workbook_path);
    }
    timings::lap("summary");
    timings::report();
    Ok(())
}

/// Where a run's time goes, printed to stderr when `HUIZONG_TIMINGS` is set (for
/// docs/PERFORMANCE.md): the time since the previous lap, per named phase.
mod timings {
    use std::sync::Mutex;
    use std::time::Instant;

    /// A phase's name, when it ended, and the resident and peak memory then (MB, Linux only).
    type Lap = (&'static str, Instant, Option<(u64, u64)>);
    static LAPS: Mutex<Vec<Lap>> = Mutex::new(Vec::new());

    pub fn lap(name: &'static str) {
        if std::env::var_os("HUIZONG_TIMINGS").is_some() {
            if let Ok(mut laps) = LAPS.lock() {
                laps.push((name, Instant::now(), memory()));
            }
        }
    }

    /// VmRSS and VmHWM of /proc/self/status, in MB.
    fn memory() -> Option<(u64, u64)> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let field = |key: &str| -> Option<u64> {
            let line = status.lines().find(|l| l.starts_with(key))?;
            line[key.len()..].trim().trim_end_matches("kB").trim().parse::<u64>().ok().map(|kb| kb / 1024)
        };
        Some((field("VmRSS:")?, field("VmHWM:")?))
    }

    pub fn report() {
        let Ok(laps) = LAPS.lock() else { return };
        for pair in laps.windows(2) {
            let memory = pair[1].2.map(|(rss, peak)| format!("  resident {rss:>6} MB, peak {peak:>6} MB")).unwrap_or_default();
            eprintln!("{:>10}: {:>8.3} s{memory}", pair[1].0, (pair[1].1 - pair[0].1).as_secs_f64());
        }
    }
}

/// The as-of date of an earlier month consolidated on the way: the run's as-of moved back by
/// as many months as that month is before the run's (the same day of the month, or the last).
fn shift_months(as_of: NaiveDate, month: Month, run_month: Month) -> NaiveDate {
    let back = (run_month.year() * 12 + run_month.month() as i32) - (month.year() * 12 + month.month() as i32);
    as_of.checked_sub_months(chrono::Months::new(back.max(0) as u32)).unwrap_or(as_of)
}

/// Read `found` and apply the rules for `month`, with last month from the history store and
/// the clerk's marks from the previous workbook.
fn consolidate_month(run: &Run, roster: Option<&[rules::RosterEntry]>, found: &[discover::Found], month: Month, as_of: NaiveDate) -> (Consolidated, Settings) {
    let bar = if !run.quiet && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(found.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("读取报表 {bar:40} {pos}/{len}  每秒 {per_sec}  已用 {elapsed}  剩余约 {eta}").expect("valid template"),
        );
        Some(bar)
    } else {
        None
    };
    let mut files = read::read_all(found, &run.settings, month.year(), run.roster.as_deref(), &|| {
        if let Some(b) = &bar {
            b.inc(1);
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    timings::lap("read");
    // A folder of district workbooks is consolidated as a city, with the districts as units.
    let settings = rules::level::settle(&mut files, &run.settings);
    // Last month as last month's run stored it: a store that cannot be read only loses the
    // comparisons, and the run says so.
    let mut past = match (history::last_month(&run.history, month), history::last_ledger(&run.history, month)) {
        (Ok(last), Ok(ledger)) => rules::Past { last_month: last.unwrap_or_default(), ledger: ledger.unwrap_or_default(), ..Default::default() },
        (Err(why), _) | (_, Err(why)) => {
            eprintln!("历史记录无法读取，本月照常汇总，但不与上月比较：{why}");
            rules::Past::default()
        }
    };
    match history::months(&run.history, month) {
        Ok(months) => past.months = months,
        Err(why) => eprintln!("历史记录无法读取，本次不画各月趋势：{why}"),
    }
    // The clerk's 处理 marks in the previous workbook, read before it is replaced.
    if let Some((path, marked)) = read::marks::previous_workbook(&run.output, month) {
        match read::marks::read(&path, marked) {
            Ok(marks) => past.marks = marks,
            Err(why) => {
                // Never overwrite what the clerk typed: a workbook this run would replace is
                // kept under another name first.
                let kept = keep_unread_workbook(&path, &run.output.join(report::file_name(&settings.district, month)));
                eprintln!("上次工作簿“{}”中的处理标记无法读取，本次不带入：{why}{kept}", path.display());
            }
        }
    }
    timings::lap("past+marks");
    let result = rules::consolidate(files, &settings, month, as_of, roster, &past);
    timings::lap("rules");
    (result, settings)
}

/// Write a month's workbook and, meanwhile on the other core, its history partition and, for
/// the run's own month (`current`), `tables/` and the replies; the partition replaces an
/// earlier run of the month only once the workbook is written too.
fn write_month(
    run: &Run,
    result: &Consolidated,
    settings: &Settings,
    notices: &[rules::feedback::Notice],
    roster_size: Option<usize>,
    current: bool,
) -> Result<PathBuf, Error> {
    let (workbook, partition) = rayon::join(
        || write_workbook(run, result, settings, notices, roster_size),
        || -> Result<history::Partition, Error> {
            if current {
                crate::output::feedback::write(&run.output, notices, &report::sender(settings), result.as_of).map_err(output("无法写入反馈文件夹".into()))?;
                timings::lap("replies");
            }
            // Each table is built, written to the month's history partition (and, for the
            // run's own month, to tables/) and dropped before the next.
            let partition = history::Partition::begin(&run.history, result.month).map_err(output("无法写入历史记录".into()))?;
            for name in frames::TABLES {
                let mut frame = frames::build(result, name).map_err(|e| Error::Internal { what: "汇总数据".into(), why: e.to_string() })?;
                partition.add(name, &mut frame).map_err(output("无法写入历史记录".into()))?;
                if current {
                    tables::write_table(&run.output, name, &mut frame).map_err(output("无法写入数据表".into()))?;
                }
            }
            timings::lap("tables");
            Ok(partition)
        },
    );
    let (path, partition) = (workbook?, partition?);
    partition.commit().map_err(output("无法写入历史记录".into()))?;
    Ok(path)
}

/// Write a month's workbook straight into its file (through a temporary beside it, renamed
/// when complete).
fn write_workbook(
    run: &Run,
    result: &Consolidated,
    settings: &Settings,
    notices: &[rules::feedback::Notice],
    roster_size: Option<usize>,
) -> Result<PathBuf, Error> {
    let name = report::file_name(&settings.district, result.month);
    let prov = report::Provenance { input: &run.input.display().to_string(), generated: &generated_at(), roster_size };
    let workbook_path = run.output.join(&name);
    // A rust_xlsxwriter error other than the file's own is a bug, reported as such.
    let mut internal = None;
    tables::write_atomic(&workbook_path, |f| {
        let mut w = std::io::BufWriter::new(f);
        match report::write(result, settings, &prov, notices, &mut w) {
            Ok(()) => std::io::Write::flush(&mut w),
            Err(rust_xlsxwriter::XlsxError::IoError(e)) => Err(e),
            Err(e) => {
                let why = e.to_string();
                internal = Some(why.clone());
                Err(std::io::Error::other(why))
            }
        }
    })
    .map_err(|e| match internal.take() {
        Some(why) => Error::Internal { what: "生成工作簿".into(), why },
        None => output("无法写入工作簿".into())(e),
    })?;
    timings::lap("workbook");
    Ok(workbook_path)
}

/// `huizong check`: every file read and checked on its own; exit 1 when any has an error.
fn check_files(args: &CheckArgs) -> Result<ExitCode, Error> {
    let as_of = parse_as_of(args.as_of.as_deref())?;
    let settings = match &args.config {
        Some(p) => Settings::load(p)?,
        None => Settings::default(),
    };
    if let Some(missing) = args.files.iter().find(|f| !f.is_file()) {
        return Err(Error::Argument(format!("找不到文件“{}”", missing.display())));
    }
    let checked: Vec<crate::check::Checked> = args.files.iter().map(|f| crate::check::check_file(f, &settings, as_of)).collect();
    if let Some(dir) = &args.annotate {
        std::fs::create_dir_all(dir).map_err(output(format!("无法创建文件夹“{}”", dir.display())))?;
        for c in checked.iter().filter(|c| !c.findings.is_empty()) {
            let Ok(bytes) = std::fs::read(&c.path) else { continue };
            let Some(book) = read::spreadsheet_grids(bytes, &settings, &c.record.rel) else { continue };
            let copy = crate::output::annotate::annotated(&book, &c.findings)
                .map_err(|e| Error::Internal { what: "生成标注副本".into(), why: e.to_string() })?;
            let target = dir.join(crate::check::annotated_name(&c.path));
            if std::fs::canonicalize(&target).ok() == std::fs::canonicalize(&c.path).ok() {
                continue; // never the original
            }
            tables::write_atomic(&target, |f| std::io::Write::write_all(f, &copy)).map_err(output(format!("无法写入“{}”", target.display())))?;
        }
    }
    let text = if args.json {
        serde_json::to_string_pretty(&crate::check::json_report(&checked)).unwrap_or_default() + "\n"
    } else {
        crate::check::text_report(&checked)
    };
    let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
    Ok(if checked.iter().any(|c| c.errors() > 0) { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `--as-of`, or today.
fn parse_as_of(text: Option<&str>) -> Result<NaiveDate, Error> {
    match text {
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Error::Argument(format!("--as-of 应写成 YYYY-MM-DD（如 2021-11-20），现为“{s}”"))),
        None => Ok(Local::now().date_naive()),
    }
}

/// `huizong template`: the blank forms, and with a roster one 附件1 per project (or per
/// company); one 附件2 per configured unit.
fn templates(args: &TemplateArgs) -> Result<(), Error> {
    use crate::output::template::{self, docx, Project};
    let settings = match &args.config {
        Some(p) => Settings::load(p)?,
        None => Settings::default(),
    };
    let roster = args.roster.as_deref().map(roster::load).transpose()?;
    let out = &args.output;
    std::fs::create_dir_all(out).map_err(output(format!("无法创建文件夹“{}”", out.display())))?;
    let book = |r: Result<Vec<u8>, rust_xlsxwriter::XlsxError>| r.map_err(|e| Error::Internal { what: "生成模板".into(), why: e.to_string() });
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("附件1_专项整治自查表.xlsx".into(), book(template::self_check_book(&[]))?),
        ("附件1_专项整治自查表.docx".into(), docx::self_check(&Project::default())),
        ("附件2_专项整治月度工作汇总表.xlsx".into(), book(template::monthly_book(""))?),
        ("附件2_专项整治月度工作汇总表.docx".into(), docx::monthly("")),
    ];
    for unit in &settings.units {
        let name = safe_file_name(unit);
        files.push((format!("附件2_{name}_专项整治月度工作汇总表.xlsx"), book(template::monthly_book(unit))?));
        files.push((format!("附件2_{name}_专项整治月度工作汇总表.docx"), docx::monthly(unit)));
    }
    let projects: Vec<Project> = roster
        .unwrap_or_default()
        .iter()
        .map(|r| Project { project: crate::clean::clean_text(&r.project), company: crate::clean::clean_text(&r.company) })
        .filter(|p| !p.project.is_empty())
        .collect();
    for p in &projects {
        let stem = if p.company.is_empty() { safe_file_name(&p.project) } else { format!("{}_{}", safe_file_name(&p.company), safe_file_name(&p.project)) };
        files.push((format!("附件1_{stem}_自查表.docx"), docx::self_check(p)));
        if args.per == "project" {
            files.push((format!("附件1_{stem}_自查表.xlsx"), book(template::self_check_book(std::slice::from_ref(p)))?));
        }
    }
    if args.per == "company" {
        let mut companies: Vec<&str> = projects.iter().map(|p| p.company.as_str()).collect();
        companies.sort();
        companies.dedup();
        for company in companies {
            let own: Vec<Project> = projects.iter().filter(|p| p.company == company).cloned().collect();
            let name = if company.is_empty() { "未写物业公司".to_string() } else { safe_file_name(company) };
            files.push((format!("附件1_{name}_自查表.xlsx"), book(template::self_check_book(&own))?));
        }
    }
    for (name, bytes) in &files {
        tables::write_atomic(&out.join(name), |f| std::io::Write::write_all(f, bytes)).map_err(output(format!("无法写入“{name}”")))?;
    }
    println!("已在“{}”生成 {} 个模板文件（附件1 {} 个项目）", out.display(), files.len(), projects.len());
    Ok(())
}

/// Copy a workbook whose marks could not be read aside when this run is about to replace it;
/// says where, for the message.
fn keep_unread_workbook(path: &std::path::Path, replaced: &std::path::Path) -> String {
    if path != replaced {
        return String::new();
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let ext = path.extension().map(|e| e.to_string_lossy().to_string()).unwrap_or_default();
    let kept = path.with_file_name(format!("{stem}（处理标记未能读取，原样保留）.{ext}"));
    match std::fs::copy(path, &kept) {
        Ok(_) => format!("（原工作簿已另存为“{}”）", kept.display()),
        Err(e) => format!("（原工作簿无法另存：{e}）"),
    }
}

/// When the workbook was made; `SOURCE_DATE_EPOCH` fixes it for reproducible outputs.
fn generated_at() -> String {
    let fixed = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse::<i64>().ok()).and_then(|t| chrono::DateTime::from_timestamp(t, 0));
    match fixed {
        Some(t) => t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
        None => Local::now().format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// One workbook per unit under `分单位报送/`, named after the unit and month.
fn write_unit_books(c: &Consolidated, out: &std::path::Path) -> Result<(), Error> {
    let dir = out.join("分单位报送");
    std::fs::create_dir_all(&dir).map_err(output(format!("无法创建文件夹“{}”", dir.display())))?;
    for m in c.monthlies() {
        let bytes = report::build_unit(c, m).map_err(|e| Error::Internal { what: format!("生成{}的工作簿", m.unit), why: e.to_string() })?;
        let safe = safe_file_name(&m.unit);
        let path = dir.join(format!("{safe}_专项整治月度工作汇总表_{}.xlsx", c.month.label()));
        tables::write_atomic(&path, |f| std::io::Write::write_all(f, &bytes)).map_err(output("无法写入".into()))?;
    }
    Ok(())
}

fn print_summary(c: &Consolidated, run: &Run, district: &str, workbook: &std::path::Path) {
    // Built as one string and written once: a closed pipe (`| head`) must not panic the run.
    let mut o = String::new();
    let n = &c.counts;
    line!(o, "{}物业专项整治汇总 {}（截止 {}）", district, c.month.label(), c.as_of.format("%Y年%-m月%-d日"));
    line!(
        o,
        "文件 {} 个：已汇总 {}，已被替代 {}，未识别 {}，无法读取 {}，已忽略 {}",
        n.files_total,
        n.file(FileStatus::Consolidated),
        n.file(FileStatus::Superseded),
        n.file(FileStatus::Unrecognized),
        n.file(FileStatus::Unreadable),
        n.file(FileStatus::Ignored)
    );
    line!(o, "自查表 {} 份，{} 月度汇总表 {} 份", n.self_checks, c.month.label(), n.monthly_this_month);
    line!(
        o,
        "报告问题 {} 个：已整改 {}，整改中 {}，已逾期 {}，长期整改 {}，缺期限 {}，缺责任人 {}",
        n.problems,
        n.item(ItemStatus::Done),
        n.item(ItemStatus::InProgress),
        n.item(ItemStatus::Overdue),
        n.item(ItemStatus::LongTerm),
        n.item(ItemStatus::MissingDeadline),
        n.item(ItemStatus::MissingResponsible)
    );
    for (kind, what) in [(MissingKind::Project, "未报送自查表的项目"), (MissingKind::Unit, "未报送月度汇总表的单位")] {
        let names: Vec<&str> = c.missing.iter().filter(|m| m.kind == kind).map(|m| m.name.as_str()).collect();
        if !names.is_empty() {
            line!(o, "{what} {} 个：{}", names.len(), names.join("、"));
        }
    }
    line!(
        o,
        "数据问题：错误 {}，警告 {}，提示 {}（详见工作簿“数据问题”表）",
        n.finding(Severity::Error),
        n.finding(Severity::Warning),
        n.finding(Severity::Info)
    );
    for f in c.files.iter().filter(|f| matches!(f.status, FileStatus::Unreadable | FileStatus::Unrecognized)) {
        line!(o, "  ! {}：{}", f.rel, f.reason);
    }
    line!(o, "已写入：{}", workbook.display());
    line!(o, "        {}", run.output.join("tables").display());
    line!(o, "        {}", run.output.join("summary.json").display());
    let _ = std::io::Write::write_all(&mut std::io::stdout(), o.as_bytes());
}
