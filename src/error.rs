//! The fatal errors of a run: the few things that stop it before any output is written. Each
//! has a Chinese message that says what to do, and an exit code. Everything about one file or
//! one cell is a finding instead, and the run goes on.

use std::fmt;
use std::path::PathBuf;

/// Why a run could not produce its outputs.
#[derive(Debug)]
pub enum Error {
    /// A command-line value cannot be used; the message names the option and the value.
    Argument(String),
    /// The configuration file cannot be read or has a wrong value.
    Config { path: PathBuf, why: String },
    /// The input folder does not exist.
    InputMissing(PathBuf),
    /// The roster file does not exist, cannot be read, or has no 物业项目 column.
    Roster { path: PathBuf, why: String },
    /// An output cannot be written (folder, workbook, table).
    Output { what: String, source: std::io::Error },
    /// A bug: building the workbook or a table failed on data under the program's control.
    Internal { what: String, why: String },
}

/// The process's exit codes, one per meaning (listed in `docs/contract.md` and the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: the outputs were written, findings or not; for `check`, no file has an error.
    Success,
    /// 1: an output could not be written (or a bug stopped the run).
    OutputFailed,
    /// 2: an argument, the configuration file, the roster or the input folder cannot be used.
    Usage,
    /// 3: `check` only: at least one file has an error or a warning, so its return would be
    /// sent back (退回修改).
    ReturnsSentBack,
}

impl Exit {
    /// The number the process exits with.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::OutputFailed => 1,
            Exit::Usage => 2,
            Exit::ReturnsSentBack => 3,
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit.code())
    }
}

impl Error {
    /// How the process ends on this error: [`Exit::Usage`] for what the user gave (arguments,
    /// configuration, roster, input folder), [`Exit::OutputFailed`] when the outputs could not
    /// be written.
    pub fn exit(&self) -> Exit {
        match self {
            Error::Argument(_) | Error::Config { .. } | Error::InputMissing(_) | Error::Roster { .. } => Exit::Usage,
            Error::Output { .. } | Error::Internal { .. } => Exit::OutputFailed,
        }
    }

    /// An output that could not be written, described by `what` (for `map_err`).
    pub fn output(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
        let what = what.into();
        move |source| Error::Output { what, source }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Argument(why) => write!(f, "{why}"),
            Error::Config { path, why } => write!(f, "配置文件 {} {why}", path.display()),
            Error::InputMissing(path) => write!(f, "输入文件夹“{}”不存在或不是文件夹", path.display()),
            Error::Roster { path, why } => write!(f, "名册 {} {why}", path.display()),
            Error::Output { what, source } => write!(f, "{what}：{source}"),
            Error::Internal { what, why } => write!(f, "{what}时出错（程序缺陷，请报告）：{why}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Output { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_user_gave_exits_2_and_output_failures_exit_1() {
        assert_eq!(Error::Argument("x".into()).exit(), Exit::Usage);
        assert_eq!(Error::InputMissing("in".into()).exit(), Exit::Usage);
        assert_eq!(Error::Roster { path: "r.xlsx".into(), why: "无法读取".into() }.exit(), Exit::Usage);
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let e = Error::output("无法写入工作簿")(io);
        assert_eq!(e.exit(), Exit::OutputFailed);
        assert_eq!(e.to_string(), "无法写入工作簿：denied");
    }

    #[test]
    fn each_meaning_has_its_own_code() {
        let all = [Exit::Success, Exit::OutputFailed, Exit::Usage, Exit::ReturnsSentBack];
        let mut codes: Vec<u8> = all.iter().map(|e| e.code()).collect();
        codes.dedup();
        assert_eq!(codes, [0, 1, 2, 3]);
    }
}
