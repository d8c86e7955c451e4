//! The command line: clap arguments turned once into a checked [`Run`], the clerk's ways in
//! (double-click, a folder dropped on the program), and what the run says on the terminal (a
//! progress bar, warnings, the one-screen summary). The run itself is [`crate::run`]; the exit
//! codes are [`Exit`].

use crate::config::Settings;
use crate::error::{Error, Exit};
use crate::findings::Severity;
use crate::forms::{ItemStatus, Month};
use crate::output::template::Per;
use crate::read::{roster, FileStatus};
use crate::rules::MissingKind;
use crate::run::{self, Finished, MonthDone, Observer, Run};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

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
    #[arg(
        long,
        value_name = "project|company",
        value_enum,
        default_value = "project",
        hide_default_value = true,
        hide_possible_values = true,
        help_heading = "选项"
    )]
    per: PerArg,
    /// 配置文件（TOML）：按其中的单位名单为每个单位生成附件2
    #[arg(long, value_name = "配置文件", help_heading = "选项")]
    config: Option<PathBuf>,
}

/// `--per`: how the 附件1 templates of a roster are split into files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PerArg {
    Project,
    Company,
}

impl From<PerArg> for Per {
    fn from(p: PerArg) -> Per {
        match p {
            PerArg::Project => Per::Project,
            PerArg::Company => Per::Company,
        }
    }
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

/// The checked run of `run` arguments (and whether to stay quiet).
fn checked(args: RunArgs) -> Result<(Run, bool), Error> {
    let as_of = parse_as_of(args.as_of.as_deref())?;
    let month = match &args.month {
        Some(s) => Month::parse_iso(s).ok_or_else(|| Error::Argument(format!("--month 应写成 YYYY-MM（如 2021-10），现为“{s}”")))?,
        None => run::default_month(as_of),
    };
    let mut settings = load_settings(args.config.as_deref())?;
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
    let run = Run { input: args.input, output: args.output, month, as_of, roster, settings, history, split_by_unit: args.split_by_unit };
    Ok((run, args.quiet))
}

fn load_settings(path: Option<&Path>) -> Result<Settings, Error> {
    path.map_or_else(|| Ok(Settings::default()), Settings::load)
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
        [] => return clerk_mode(None).into(),
        [one] if Path::new(one).is_dir() && !["run", "template", "check"].iter().any(|c| one == *c) => {
            return clerk_mode(Some(PathBuf::from(one))).into();
        }
        _ => {}
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            if e.use_stderr() {
                eprintln!("参数有误（运行 huizong run --help 查看用法）：");
            }
            let _ = e.print();
            return if e.use_stderr() { Exit::Usage } else { Exit::Success }.into();
        }
    };
    let result = match cli.command {
        Command::Run(args) => checked(args).and_then(|(run, quiet)| consolidate(&run, quiet)).map(|_| Exit::Success),
        Command::Template(args) => templates(&args).map(|()| Exit::Success),
        Command::Check(args) => check_files(&args),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(e) => {
            eprintln!("错误：{e}");
            e.exit().into()
        }
    }
}

/// No command: consolidate the `input` folder beside the program into `output` beside it, or
/// the folder given into `output` beside that folder, as of today, with a roster file named
/// 名册 found in the folder; print the summary and, when not started from a terminal (a
/// double-click opens a window that closes when the program ends), wait for Enter.
fn clerk_mode(folder: Option<PathBuf>) -> Exit {
    let beside_program = std::env::current_exe().ok().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or_else(|| PathBuf::from("."));
    let (input, output_dir) = match folder {
        Some(f) => {
            let parent = f.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
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
    let exit = match checked(args).and_then(|(run, quiet)| consolidate(&run, quiet)) {
        Ok(_) => Exit::Success,
        Err(Error::InputMissing(p)) => {
            eprintln!("错误：找不到文件夹“{}”。请把报表放进程序旁边的 input 文件夹，或把报表文件夹拖到程序图标上。", p.display());
            Exit::Usage
        }
        Err(e) => {
            eprintln!("错误：{e}");
            e.exit()
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
    exit
}

/// What the terminal shows while a run goes: a progress bar per month read (on a terminal,
/// unless quiet), warnings always, and the months caught up on the way.
struct Terminal {
    quiet: bool,
    bar: Mutex<Option<indicatif::ProgressBar>>,
}

impl Observer for Terminal {
    fn reading(&self, _month: Month, files: usize) {
        if self.quiet || !std::io::stderr().is_terminal() {
            return;
        }
        let bar = indicatif::ProgressBar::new(files as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("读取报表 {bar:40} {pos}/{len}  每秒 {per_sec}  已用 {elapsed}  剩余约 {eta}").expect("valid template"),
        );
        if let Ok(mut b) = self.bar.lock() {
            *b = Some(bar);
        }
    }

    fn file_read(&self) {
        if let Ok(b) = self.bar.lock() {
            if let Some(bar) = b.as_ref() {
                bar.inc(1);
            }
        }
    }

    fn read_done(&self) {
        if let Some(bar) = self.bar.lock().ok().and_then(|mut b| b.take()) {
            bar.finish_and_clear();
        }
    }

    fn warning(&self, text: &str) {
        eprintln!("{text}");
    }

    fn caught_up(&self, done: &MonthDone) {
        if !self.quiet {
            println!("已补做{}的汇总（{}个文件，截止{}）：{}", done.month.label(), done.files, done.as_of.format("%Y年%-m月%-d日"), done.workbook.display());
        }
    }
}

/// `huizong run`: the run, then its summary unless quiet.
fn consolidate(run: &Run, quiet: bool) -> Result<Finished, Error> {
    let terminal = Terminal { quiet, bar: Mutex::new(None) };
    let finished = run::execute(run, &terminal)?;
    if !quiet {
        print_summary(&finished, &run.output);
    }
    crate::timings::lap("summary");
    crate::timings::report();
    Ok(finished)
}

/// `huizong check`: every file read and checked on its own; [`Exit::ReturnsHaveErrors`] when
/// any has an error.
fn check_files(args: &CheckArgs) -> Result<Exit, Error> {
    let as_of = parse_as_of(args.as_of.as_deref())?;
    let settings = load_settings(args.config.as_deref())?;
    if let Some(missing) = args.files.iter().find(|f| !f.is_file()) {
        return Err(Error::Argument(format!("找不到文件“{}”", missing.display())));
    }
    let checked: Vec<crate::check::Checked> = args.files.iter().map(|f| crate::check::check_file(f, &settings, as_of)).collect();
    if let Some(dir) = &args.annotate {
        crate::check::annotate_all(&checked, &settings, dir)?;
    }
    let text = if args.json {
        serde_json::to_string_pretty(&crate::check::json_report(&checked)).unwrap_or_default() + "\n"
    } else {
        crate::check::text_report(&checked)
    };
    let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
    Ok(if checked.iter().any(|c| c.errors() > 0) { Exit::ReturnsHaveErrors } else { Exit::Success })
}

/// `--as-of`, or today.
fn parse_as_of(text: Option<&str>) -> Result<NaiveDate, Error> {
    match text {
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Error::Argument(format!("--as-of 应写成 YYYY-MM-DD（如 2021-11-20），现为“{s}”"))),
        None => Ok(run::today()),
    }
}

/// `huizong template`: the blank forms, and with a roster one 附件1 per project (or per
/// company); one 附件2 per configured unit.
fn templates(args: &TemplateArgs) -> Result<(), Error> {
    let settings = load_settings(args.config.as_deref())?;
    let roster = args.roster.as_deref().map(roster::load).transpose()?;
    let written = crate::output::template::write_all(&args.output, roster.as_deref(), &settings, args.per.into())?;
    println!("已在“{}”生成 {} 个模板文件（附件1 {} 个项目）", args.output.display(), written.files, written.projects);
    Ok(())
}

fn print_summary(finished: &Finished, output: &Path) {
    let (c, district, workbook) = (&finished.result, &finished.settings.district, &finished.workbook);
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
    line!(o, "        {}", output.join("tables").display());
    line!(o, "        {}", output.join("summary.json").display());
    let _ = std::io::Write::write_all(&mut std::io::stdout(), o.as_bytes());
}
