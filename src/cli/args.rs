//! The command line's arguments (clap, with Chinese help) and the one step that turns `run`'s
//! into a checked [`Run`].

use crate::config::Settings;
use crate::error::Error;
use crate::forms::Month;
use crate::output::template::Per;
use crate::run::{self, Run};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

/// 汇总（huizong）：物业专项整治报表的月度汇总工具。
///
/// 把各物业项目报回的《专项整治自查表》（附件1）和各单位的《专项整治月度工作汇总表》（附件2）放进一个文件夹，运行一条命令，就得到全区汇总表、整改台账、督办清单、未报送名单和数据问题清单（精确到文件、工作表和单元格）。
///
/// 常用：huizong run input -o output --as-of 2021-11-20 --roster 名册.xlsx
#[derive(Parser, Debug)]
#[command(name = "huizong", version, disable_help_subcommand = true, disable_help_flag = true, disable_version_flag = true)]
#[command(help_template = "{about}\n\n用法：{usage}\n\n{all-args}", subcommand_help_heading = "命令", subcommand_value_name = "命令")]
pub(super) struct Cli {
    /// 显示帮助
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true, help_heading = "选项")]
    help: Option<bool>,
    /// 显示版本号
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version, help_heading = "选项")]
    version: Option<bool>,
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Subcommand, Debug)]
pub(super) enum Command {
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
pub(super) struct CheckArgs {
    /// 要检查的报表文件（可以几个）
    #[arg(value_name = "文件", required = true, help_heading = "参数")]
    pub(super) files: Vec<PathBuf>,
    /// 以 JSON 输出（供其他程序使用）
    #[arg(long, help_heading = "选项")]
    pub(super) json: bool,
    /// 为每个有问题的表格生成一份标注副本（问题单元格标色、批注写明改法）写到这个文件夹，原文件不动
    #[arg(long, value_name = "文件夹", help_heading = "选项")]
    pub(super) annotate: Option<PathBuf>,
    /// 截止日期（判断是否逾期），如 2021-11-20；默认今天
    #[arg(long = "as-of", value_name = "YYYY-MM-DD", help_heading = "选项")]
    pub(super) as_of: Option<String>,
    /// 配置文件（TOML）
    #[arg(long, value_name = "配置文件", help_heading = "选项")]
    pub(super) config: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub(super) struct TemplateArgs {
    /// 模板写到哪个文件夹，默认 模板/
    #[arg(short = 'o', long = "output", value_name = "文件夹", default_value = "模板", hide_default_value = true, help_heading = "选项")]
    pub(super) output: PathBuf,
    /// 物业项目名册（需有“物业项目”列，可有“物业公司”列）：为每个项目生成填好名称的附件1
    #[arg(long, value_name = "名册文件", help_heading = "选项")]
    pub(super) roster: Option<PathBuf>,
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
    pub(super) per: PerArg,
    /// 配置文件（TOML）：按其中的单位名单为每个单位生成附件2
    #[arg(long, value_name = "配置文件", help_heading = "选项")]
    pub(super) config: Option<PathBuf>,
}

/// `--per`: how the 附件1 templates of a roster are split into files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum PerArg {
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
pub(super) struct RunArgs {
    /// 存放报回表格的文件夹（含子文件夹），默认 input/
    #[arg(value_name = "输入文件夹", default_value = "input", hide_default_value = true, help_heading = "参数")]
    pub(super) input: PathBuf,
    /// 输出文件夹，默认 output/（汇总工作簿、tables/ 数据表、summary.json 写在这里）
    #[arg(short = 'o', long = "output", value_name = "输出文件夹", default_value = "output", hide_default_value = true, help_heading = "选项")]
    pub(super) output: PathBuf,
    /// 汇总的月份，如 2021-10；默认按报表所写（附件2 的月份行、附件1 的填报日期），报表都没写时为“截止日期”的上一个月
    #[arg(long, value_name = "YYYY-MM", help_heading = "选项")]
    pub(super) month: Option<String>,
    /// 截止日期（判断是否逾期），如 2021-11-20；默认今天
    #[arg(long = "as-of", value_name = "YYYY-MM-DD", help_heading = "选项")]
    pub(super) as_of: Option<String>,
    /// 应报送自查表的物业项目名册（.xlsx/.xls/.csv，需有“物业项目”列）
    #[arg(long, value_name = "名册文件", help_heading = "选项")]
    pub(super) roster: Option<PathBuf>,
    /// 配置文件（TOML），可设置区名、单位名单、存量指标来源单位等
    #[arg(long, value_name = "配置文件", help_heading = "选项")]
    pub(super) config: Option<PathBuf>,
    /// 旧版 .xls 文件的字符编码代码页（如 936 = GBK），仅在出现乱码时使用
    #[arg(long, value_name = "代码页", help_heading = "选项")]
    pub(super) codepage: Option<u16>,
    /// 历史记录文件夹（每月一份，用于和上月比较），默认为输出文件夹下的 history/
    #[arg(long, value_name = "历史文件夹", help_heading = "选项")]
    pub(super) history: Option<PathBuf>,
    /// 另外为每个单位生成一份本单位的月度汇总表（写在输出文件夹的“分单位报送”下），便于分别报送
    #[arg(long = "split-by-unit", help_heading = "选项")]
    pub(super) split_by_unit: bool,
    /// 不显示进度条和结果摘要
    #[arg(short, long, help_heading = "选项")]
    pub(super) quiet: bool,
}

/// The checked run of `run` arguments (and whether to stay quiet).
pub(super) fn checked(args: RunArgs) -> Result<(Run, bool), Error> {
    let as_of = parse_as_of(args.as_of.as_deref())?;
    let month = match &args.month {
        Some(s) => Some(Month::parse_iso(s).ok_or_else(|| Error::Argument(format!("--month 应写成 YYYY-MM（如 2021-10），现为“{s}”")))?),
        None => None,
    };
    if !args.input.is_dir() {
        return Err(Error::InputMissing(args.input));
    }
    let config = args.config.clone().or_else(|| find_config(&args.input));
    let mut settings = load_settings(config.as_deref())?;
    if args.codepage.is_some() {
        settings.codepage = args.codepage;
    }
    let roster = args.roster.clone().or(settings.roster.clone()).or_else(|| find_roster(&args.input));
    if let Some(r) = &roster {
        if !r.is_file() {
            return Err(Error::Roster { path: r.clone(), why: "不存在".into() });
        }
    }
    let history = args.history.unwrap_or_else(|| args.output.join("history"));
    let run = Run { input: args.input, output: args.output, month, as_of, roster, settings, config, history, split_by_unit: args.split_by_unit };
    Ok((run, args.quiet))
}

/// The names a configuration file may have when it is found rather than given.
pub(super) const CONFIG_NAMES: [&str; 2] = ["huizong.toml", "配置.toml"];

/// A configuration file nobody named: `huizong.toml` or `配置.toml` in the input folder, else
/// beside the program. Every way in finds it the same way.
pub(super) fn find_config(input: &Path) -> Option<PathBuf> {
    let beside_program = std::env::current_exe().ok().and_then(|p| p.parent().map(Path::to_path_buf));
    [Some(input.to_path_buf()), beside_program].into_iter().flatten().flat_map(|dir| CONFIG_NAMES.map(|n| dir.join(n))).find(|p| p.is_file())
}

/// A roster nobody named: a spreadsheet or CSV called 名册 directly in the input folder.
pub(super) fn find_roster(input: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(input)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file() && p.file_stem().is_some_and(|s| s == "名册") && !p.file_name().is_some_and(|n| crate::forms::file::is_lock_file(&n.to_string_lossy()))
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

pub(super) fn load_settings(path: Option<&Path>) -> Result<Settings, Error> {
    path.map_or_else(|| Ok(Settings::default()), Settings::load)
}

/// `--as-of`, or today.
pub(super) fn parse_as_of(text: Option<&str>) -> Result<NaiveDate, Error> {
    match text {
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Error::Argument(format!("--as-of 应写成 YYYY-MM-DD（如 2021-11-20），现为“{s}”"))),
        None => Ok(run::today()),
    }
}
