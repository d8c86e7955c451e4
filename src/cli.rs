//! The command line: clap arguments turned once into a checked [`Run`], the run itself, and
//! the one-screen summary. Exit codes: 0 outputs written, 2 bad arguments or config, 1 no
//! output could be written.

use crate::config::Settings;
use crate::consolidate::{self, Consolidated};
use crate::model::{FileStatus, ItemStatus, Severity};
use crate::{discover, pipeline, report, roster, tables};
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
    /// 另外为每个单位生成一份本单位的月度汇总表（写在输出文件夹的“分单位报送”下），便于分别报送
    #[arg(long = "split-by-unit", help_heading = "选项")]
    split_by_unit: bool,
    /// 不显示进度条和结果摘要
    #[arg(short, long, help_heading = "选项")]
    quiet: bool,
}

/// A run's checked settings.
struct Run {
    input: PathBuf,
    output: PathBuf,
    month: String,
    as_of: NaiveDate,
    roster: Option<PathBuf>,
    settings: Settings,
    split_by_unit: bool,
    quiet: bool,
}

fn check(args: RunArgs) -> Result<Run, String> {
    let as_of = match &args.as_of {
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("--as-of 应写成 YYYY-MM-DD（如 2021-11-20），现为“{s}”"))?,
        None => Local::now().date_naive(),
    };
    let month = match &args.month {
        Some(s) => {
            let ok = s.len() == 7 && crate::clean::parse_month(s).is_some();
            if !ok {
                return Err(format!("--month 应写成 YYYY-MM（如 2021-10），现为“{s}”"));
            }
            s.clone()
        }
        None => consolidate::previous_month(&format!("{}-{:02}", as_of.year(), as_of.month())).expect("valid month"),
    };
    let mut settings = match &args.config {
        Some(p) => Settings::load(p)?,
        None => Settings::default(),
    };
    if args.codepage.is_some() {
        settings.codepage = args.codepage;
    }
    if !args.input.is_dir() {
        return Err(format!("输入文件夹“{}”不存在或不是文件夹", args.input.display()));
    }
    let roster = args.roster.clone().or(settings.roster.clone());
    if let Some(r) = &roster {
        if !r.is_file() {
            return Err(format!("名册文件“{}”不存在", r.display()));
        }
    }
    Ok(Run { input: args.input, output: args.output, month, as_of, roster, settings, split_by_unit: args.split_by_unit, quiet: args.quiet })
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    // A panic while reading one file is caught and that file is listed as unreadable; the
    // default hook would still print a Rust backtrace hint the clerk cannot act on.
    std::panic::set_hook(Box::new(|info| {
        let what = info.payload().downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| info.payload().downcast_ref::<String>().cloned()).unwrap_or_default();
        eprintln!("内部错误（已记录，汇总继续）：{what}");
    }));
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
    let Command::Run(args) = cli.command;
    let run = match check(args) {
        Ok(r) => r,
        Err(msg) => {
            eprintln!("错误：{msg}");
            return ExitCode::from(2);
        }
    };
    match execute(&run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("错误：{msg}");
            ExitCode::from(1)
        }
    }
}

fn execute(run: &Run) -> Result<(), String> {
    let roster = match &run.roster {
        Some(p) => Some(roster::load(p)?),
        None => None,
    };
    std::fs::create_dir_all(&run.output).map_err(|e| format!("无法创建输出文件夹“{}”：{e}", run.output.display()))?;
    let found = discover::walk(&run.input, Some(&run.output)).map_err(|e| format!("无法读取输入文件夹“{}”：{e}", run.input.display()))?;
    let bar = if !run.quiet && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(found.len() as u64);
        bar.set_style(indicatif::ProgressStyle::with_template("读取报表 {bar:40} {pos}/{len} {elapsed}").expect("valid template"));
        Some(bar)
    } else {
        None
    };
    let year = crate::clean::parse_month(&run.month).map_or(run.as_of.year(), |(y, _)| y);
    let files = pipeline::read_all(&found, &run.settings, year, run.roster.as_deref(), &|| {
        if let Some(b) = &bar {
            b.inc(1);
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let result = consolidate::consolidate(files, &run.settings, &run.month, run.as_of, roster.as_deref())
        .map_err(|e| format!("汇总数据时出错（程序缺陷，请报告）：{e}"))?;
    let name = report::file_name(&run.settings.district, &run.month);
    let prov = report::Provenance {
        input: &run.input.display().to_string(),
        generated: &generated_at(),
        roster_size: roster.as_ref().map(Vec::len),
    };
    let bytes = report::build(&result, &run.settings, &prov).map_err(|e| format!("生成工作簿时出错（程序缺陷，请报告）：{e}"))?;
    let workbook_path = run.output.join(&name);
    tables::write_atomic(&workbook_path, |f| std::io::Write::write_all(f, &bytes)).map_err(|e| format!("无法写入工作簿：{e}"))?;
    tables::write_tables(&result, &run.output).map_err(|e| format!("无法写入数据表：{e}"))?;
    if run.split_by_unit {
        write_unit_books(&result, &run.output)?;
    }
    let summary = tables::summary(&result, &run.settings.district, &name);
    tables::write_summary(&summary, &run.output).map_err(|e| format!("无法写入 summary.json：{e}"))?;
    if !run.quiet {
        print_summary(&result, run, &workbook_path);
    }
    Ok(())
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
fn write_unit_books(c: &Consolidated, out: &std::path::Path) -> Result<(), String> {
    let dir = out.join("分单位报送");
    std::fs::create_dir_all(&dir).map_err(|e| format!("无法创建文件夹“{}”：{e}", dir.display()))?;
    for m in c.monthlies() {
        let bytes = report::build_unit(c, m).map_err(|e| format!("生成{}的工作簿时出错（程序缺陷，请报告）：{e}", m.unit))?;
        let safe: String = m.unit.chars().map(|ch| if matches!(ch, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') { '_' } else { ch }).collect();
        let path = dir.join(format!("{safe}_专项整治月度工作汇总表_{}.xlsx", report::month_label(&c.month)));
        tables::write_atomic(&path, |f| std::io::Write::write_all(f, &bytes)).map_err(|e| format!("无法写入：{e}"))?;
    }
    Ok(())
}

fn print_summary(c: &Consolidated, run: &Run, workbook: &std::path::Path) {
    // Built as one string and written once: a closed pipe (`| head`) must not panic the run.
    let mut o = String::new();
    let count = |s: FileStatus| c.files.iter().filter(|f| f.status == s).count();
    line!(o, "{}物业专项整治汇总 {}（截止 {}）", run.settings.district, report::month_label(&c.month), c.as_of.format("%Y年%-m月%-d日"));
    line!(o, 
        "文件 {} 个：已汇总 {}，已被替代 {}，未识别 {}，无法读取 {}，已忽略 {}",
        c.files.len(),
        count(FileStatus::Consolidated),
        count(FileStatus::Superseded),
        count(FileStatus::Unrecognized),
        count(FileStatus::Unreadable),
        count(FileStatus::Ignored)
    );
    let projects = c.self_checks().count();
    let monthly = c.monthlies().count();
    line!(o, "自查表 {projects} 份，{} 月度汇总表 {monthly} 份", report::month_label(&c.month));
    let items: Vec<_> = c.self_checks().flat_map(|s| &s.items).filter(|i| i.has_problem).collect();
    let n = |s: ItemStatus| items.iter().filter(|i| i.status == s).count();
    line!(o, 
        "报告问题 {} 个：已整改 {}，整改中 {}，已逾期 {}，长期整改 {}，缺期限 {}，缺责任人 {}",
        items.len(),
        n(ItemStatus::Done),
        n(ItemStatus::InProgress),
        n(ItemStatus::Overdue),
        n(ItemStatus::LongTerm),
        n(ItemStatus::MissingDeadline),
        n(ItemStatus::MissingResponsible)
    );
    let projects_missing: Vec<&str> = c.missing.iter().filter(|m| m.kind == "project").map(|m| m.name.as_str()).collect();
    let units_missing: Vec<&str> = c.missing.iter().filter(|m| m.kind == "unit").map(|m| m.name.as_str()).collect();
    if !projects_missing.is_empty() {
        line!(o, "未报送自查表的项目 {} 个：{}", projects_missing.len(), projects_missing.join("、"));
    }
    if !units_missing.is_empty() {
        line!(o, "未报送月度汇总表的单位 {} 个：{}", units_missing.len(), units_missing.join("、"));
    }
    let sev = |s: Severity| c.findings.iter().filter(|f| f.severity == s).count();
    line!(o, "数据问题：错误 {}，警告 {}，提示 {}（详见工作簿“数据问题”表）", sev(Severity::Error), sev(Severity::Warning), sev(Severity::Info));
    for f in c.files.iter().filter(|f| matches!(f.status, FileStatus::Unreadable | FileStatus::Unrecognized)) {
        line!(o, "  ! {}：{}", f.rel, f.reason);
    }
    line!(o, "已写入：{}", workbook.display());
    line!(o, "        {}", run.output.join("tables").display());
    line!(o, "        {}", run.output.join("summary.json").display());
    let _ = std::io::Write::write_all(&mut std::io::stdout(), o.as_bytes());
}
