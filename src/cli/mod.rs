//! The command line: clap arguments turned once into a checked [`Run`], the clerk's ways in
//! (double-click, a folder dropped on the program), and what the run says on the terminal (a
//! progress bar, warnings, the one-screen summary). The run itself is [`crate::run`]; the exit
//! codes are [`Exit`].

mod args;
mod terminal;

use crate::error::{Error, Exit};
use crate::read::roster;
use crate::run::{self, Finished, Run};
use args::{checked, load_settings, parse_as_of, CheckArgs, Cli, Command, RunArgs, TemplateArgs};
use clap::Parser;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use terminal::{print_summary, Terminal};

/// Entry point of the binary.
pub fn main() -> ExitCode {
    // A panic while reading one file is caught and that file is listed as unreadable; the
    // default hook would still print a Rust backtrace hint the clerk cannot act on.
    std::panic::set_hook(Box::new(|info| {
        let what =
            info.payload().downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| info.payload().downcast_ref::<String>().cloned()).unwrap_or_default();
        eprintln!("内部错误（已记录，汇总继续）：{what}");
    }));
    // The clerk's way in: started by double-click (no argument), with one folder dragged onto
    // the program (consolidated), or with files dragged onto it (checked).
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let command = |a: &std::ffi::OsString| ["run", "template", "check"].iter().any(|c| a == *c) || a.to_string_lossy().starts_with('-');
    match args.as_slice() {
        [] => return clerk_mode(None).into(),
        [one] if Path::new(one).is_dir() && !command(one) => return clerk_mode(Some(PathBuf::from(one))).into(),
        dropped if dropped.iter().all(|a| Path::new(a).is_file() && !command(a)) => {
            return clerk_check(dropped.iter().map(PathBuf::from).collect()).into();
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
    let args = RunArgs {
        input: input.clone(),
        output: output_dir,
        month: None,
        as_of: None,
        roster: None,
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
    wait_for_enter();
    exit
}

/// Files dropped on the program: each checked as `huizong check` does, the report printed,
/// and the window kept open.
fn clerk_check(files: Vec<PathBuf>) -> Exit {
    println!("汇总（huizong）：检查拖入的 {} 个文件", files.len());
    let args = CheckArgs { files, json: false, annotate: None, as_of: None, config: None };
    let exit = match check_files(&args) {
        Ok(exit) => exit,
        Err(e) => {
            eprintln!("错误：{e}");
            e.exit()
        }
    };
    wait_for_enter();
    exit
}

/// Started by double-click or by dropping something on it, the program's console window
/// closes when it ends: keep it open until the clerk has read what it says. Whether the
/// console was opened for this program alone cannot be told portably, so a clerk who typed
/// `huizong` in a terminal presses Enter once too; without a keyboard (a script, a test) the
/// read ends at once.
fn wait_for_enter() {
    if std::io::stdin().is_terminal() {
        println!("按回车键关闭窗口……");
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
    }
}

/// `huizong run`: the run, then its summary unless quiet.
fn consolidate(run: &Run, quiet: bool) -> Result<Finished, Error> {
    if let (Some(config), false) = (&run.config, quiet) {
        println!("使用配置文件“{}”", config.display());
    }
    let terminal = Terminal::new(quiet);
    let finished = run::execute(run, &terminal)?;
    if !quiet {
        print_summary(&finished, &run.output);
    }
    crate::timings::lap("summary");
    crate::timings::report();
    Ok(finished)
}

/// `huizong check`: every file read and checked on its own; [`Exit::ReturnsSentBack`] when any
/// has an error or a warning (the run would send it back).
fn check_files(args: &CheckArgs) -> Result<Exit, Error> {
    let as_of = parse_as_of(args.as_of.as_deref())?;
    let config = args.config.clone().or_else(|| args.files.first().and_then(|f| f.parent()).and_then(args::find_config));
    let settings = load_settings(config.as_deref())?;
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
    Ok(if checked.iter().any(crate::check::Checked::sent_back) { Exit::ReturnsSentBack } else { Exit::Success })
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
