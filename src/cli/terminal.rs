//! What the terminal shows: a progress bar while files are read, warnings, the months caught
//! up on the way, and the one-screen summary at the end.

use crate::findings::Severity;
use crate::forms::file::FileStatus;
use crate::forms::ItemStatus;
use crate::rules::MissingKind;
use crate::run::{Finished, MonthDone, Observer};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Mutex;

/// `writeln!` into a String, which cannot fail.
macro_rules! line {
    ($o:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($o, $($arg)*);
    }};
}

/// What the terminal shows while a run goes: a progress bar per month read (on a terminal,
/// unless quiet), warnings always, and the months caught up on the way.
pub(super) struct Terminal {
    quiet: bool,
    bar: Mutex<Option<indicatif::ProgressBar>>,
}

impl Terminal {
    pub(super) fn new(quiet: bool) -> Terminal {
        Terminal { quiet, bar: Mutex::new(None) }
    }
}

impl Observer for Terminal {
    fn month_chosen(&self, choice: &crate::rules::month::Choice) {
        if !self.quiet {
            println!("{}", choice.explain());
        }
    }

    fn reading(&self, files: usize) {
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

pub(super) fn print_summary(finished: &Finished, output: &Path) {
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
        "本月报表报告问题 {} 个：已整改 {}，整改中 {}，本月报表中已逾期 {}，长期整改 {}，缺期限 {}，缺责任人 {}",
        n.problems,
        n.item(ItemStatus::Done),
        n.item(ItemStatus::InProgress),
        n.item(ItemStatus::Overdue),
        n.item(ItemStatus::LongTerm),
        n.item(ItemStatus::MissingDeadline),
        n.item(ItemStatus::MissingResponsible)
    );
    let l = &n.ledger;
    line!(
        o,
        "整改台账（含往月带入）：未销号 {} 个，其中已逾期 {} 个；本月销号 {} 个（其中人工销号 {} 个），累计销号 {} 个",
        l.open,
        l.overdue,
        l.closed_this_month,
        l.closed_by_clerk,
        l.closed_total
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
    // Every file that may be a return and was not read: unreadable, unrecognised, and the
    // scans, pictures and archives that were only listed.
    let maybe_a_return = |f: &&crate::rules::Settled| match f.status {
        FileStatus::Unreadable | FileStatus::Unrecognized => true,
        FileStatus::Ignored => f.reason.contains("扫描件或图片") || f.reason.contains("压缩包"),
        FileStatus::Consolidated | FileStatus::Superseded => false,
    };
    for f in c.files.iter().filter(maybe_a_return) {
        line!(o, "  ! {}：{}", f.rel, f.reason);
    }
    line!(o, "已写入：{}", workbook.display());
    line!(o, "        {}", output.join("tables").display());
    line!(o, "        {}", output.join("summary.json").display());
    line!(
        o,
        "        {}：退回修改 {} 份（需重新报送），催报 {} 份",
        output.join(crate::output::feedback::FOLDER).display(),
        finished.returns,
        finished.reminders
    );
    let _ = std::io::Write::write_all(&mut std::io::stdout(), o.as_bytes());
}
