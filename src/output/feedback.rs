//! `OUTPUT/反馈/`: the replies of `rules::feedback` as files: each as a `.txt` ready to paste
//! into a chat (`退回修改_<名称>.txt` for a return to correct, `催报_<名称>.txt` for one not
//! received), and all of them in two printable Word documents, one reply per page
//! (`退回修改通知（全部）.docx`, `催报通知（全部）.docx`): a district's or a city's thousands of
//! replies print in one go, and a folder of thousands of small Word files would cost more to
//! write than the whole consolidation. The folder is replaced whole by every run, so it never
//! holds last run's replies.

use super::word::{Cell, Document, Look, Stream};
use crate::rules::feedback::{Notice, NoticeKind};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The folder's name under OUTPUT.
pub const FOLDER: &str = "反馈";

fn date(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

/// The addressee line: `梨园小区（武汉碧桂物业管理有限公司）`.
fn addressee(n: &Notice) -> String {
    if n.company.is_empty() {
        n.name.clone()
    } else {
        format!("{}（{}）", n.name, n.company)
    }
}

/// One finding as a line of the notice.
fn item_line(i: usize, f: &crate::findings::Finding) -> String {
    let typed = if f.value.is_empty() { "未填写".to_string() } else { format!("原填“{}”", f.value) };
    let field = if f.field.is_empty() { String::new() } else { format!("（{}）", f.field) };
    format!("{}. [{}] {}{field}，{typed}：{}", i + 1, f.severity.label(), f.location.place_text(), f.message)
}

/// The file name of a notice, without extension: `退回修改_梨园小区`.
pub fn stem(n: &Notice) -> String {
    format!("{}_{}", n.kind.label(), super::safe_file_name(&n.name))
}

/// The notice as plain text, to paste into a chat.
pub fn text(n: &Notice, sender: &str, as_of: NaiveDate) -> String {
    let mut o = String::new();
    match n.kind {
        NoticeKind::Return => {
            o.push_str("退回修改通知\n\n");
            o.push_str(&format!("{}：\n", addressee(n)));
            if !n.contact.is_empty() {
                o.push_str(&format!("（联系人：{}）\n", n.contact));
            }
            o.push_str(&format!("    你单位报送的{}已收到（文件：{}）。经核对，有以下{}处需要修改：\n", n.form, n.files.join("、"), n.findings.len()));
            for (i, f) in n.findings.iter().enumerate() {
                o.push_str(&format!("    {}\n", item_line(i, f)));
            }
            o.push_str(&format!("    请按以上说明修改后，于{}前重新报送。\n", date(n.deadline)));
        }
        NoticeKind::Remind => {
            o.push_str("催报通知\n\n");
            o.push_str(&format!("{}：\n", addressee(n)));
            if !n.contact.is_empty() {
                o.push_str(&format!("（联系人：{}）\n", n.contact));
            }
            if n.received.is_empty() {
                o.push_str(&format!("    截至{}，尚未收到你单位{}的{}。请于{}前报送。\n", date(as_of), n.month.label(), n.form, date(n.deadline)));
            } else {
                o.push_str(&format!("    截至{}，收到你单位的以下文件，但读不出{}的{}：\n", date(as_of), n.month.label(), n.form));
                for (file, why) in &n.received {
                    o.push_str(&format!("      {file}：{why}\n"));
                }
                o.push_str(&format!("    请按说明处理后，于{}前重新报送。\n", date(n.deadline)));
            }
            if !n.open_problems.is_empty() {
                o.push_str(&format!("    你单位尚未销号的问题{}个，请在报表中写明整改进展：\n", n.open_problems.len()));
                for r in &n.open_problems {
                    o.push_str(&format!("      {}\n", problem_line(r, as_of)));
                }
            }
        }
    }
    o.push_str(&format!("\n{sender}\n{}\n", date(as_of)));
    o
}

/// One open problem in a reminder: `第2项 消防通道堵塞（整改期限2021年10月15日，已逾期36天）`.
fn problem_line(r: &crate::rules::ledger::LedgerRow, as_of: NaiveDate) -> String {
    let deadline = r.deadline.map(|d| format!("整改期限{}", date(d))).unwrap_or_else(|| "未写整改期限".into());
    let overdue = r.days_overdue(as_of).map(|d| format!("，已逾期{d}天")).unwrap_or_default();
    format!("第{}项 {}（{deadline}{overdue}）", r.item_no, r.description)
}

/// The printable documents' names.
pub const RETURNS_DOC: &str = "退回修改通知（全部）.docx";
pub const REMINDERS_DOC: &str = "催报通知（全部）.docx";

/// Every notice of one kind in a printable Word document written to `out`, one per page, page
/// by page.
///
/// # Errors
/// Writing to `out`.
pub fn document<W: std::io::Write + std::io::Seek>(notices: &[&Notice], sender: &str, as_of: NaiveDate, out: W) -> std::io::Result<W> {
    let mut stream = Stream::new(out, false)?;
    for (i, n) in notices.iter().enumerate() {
        let mut d = Document::new();
        if i > 0 {
            d.page_break();
        }
        page(&mut d, n, sender, as_of);
        stream.append(&d)?;
    }
    Ok(stream.finish()?)
}

/// One notice on a page: the same text as the `.txt`, the items as a table.
fn page(d: &mut Document, n: &Notice, sender: &str, as_of: NaiveDate) {
    let title = Look { bold: true, centered: true, size: 18, heading_font: false };
    match n.kind {
        NoticeKind::Return => {
            d.text("退回修改通知", title);
            d.text(&format!("{}：", addressee(n)), Look::default());
            d.text(
                &format!(
                    "    你单位报送的{}已收到（文件：{}）。经核对，有以下{}处需要修改，请按“修改要求”改正：",
                    n.form,
                    n.files.join("、"),
                    n.findings.len()
                ),
                Look::default(),
            );
            let mut rows = vec![["序号", "位置", "栏目", "原填内容", "修改要求"].map(Cell::new).to_vec()];
            for (i, f) in n.findings.iter().enumerate() {
                rows.push(vec![
                    Cell::new(&(i + 1).to_string()),
                    Cell::new(&f.location.place_text()),
                    Cell::new(&f.field),
                    Cell::new(&f.value),
                    Cell::new(&format!("[{}] {}", f.severity.label(), f.message)),
                ]);
            }
            d.table(&[600, 1900, 1300, 1500, 4300], &rows);
            d.text(&format!("    请按以上说明修改后，于{}前重新报送。", date(n.deadline)), Look::default());
        }
        NoticeKind::Remind => {
            d.text("催报通知", title);
            d.text(&format!("{}：", addressee(n)), Look::default());
            if !n.contact.is_empty() {
                d.text(&format!("（联系人：{}）", n.contact), Look::default());
            }
            if n.received.is_empty() {
                d.text(&format!("    截至{}，尚未收到你单位{}的{}。请于{}前报送。", date(as_of), n.month.label(), n.form, date(n.deadline)), Look::default());
            } else {
                d.text(&format!("    截至{}，收到你单位的以下文件，但读不出{}的{}：", date(as_of), n.month.label(), n.form), Look::default());
                for (file, why) in &n.received {
                    d.text(&format!("      {file}：{why}"), Look::default());
                }
                d.text(&format!("    请按说明处理后，于{}前重新报送。", date(n.deadline)), Look::default());
            }
            if !n.open_problems.is_empty() {
                d.text(&format!("    你单位尚未销号的问题{}个，请在报表中写明整改进展：", n.open_problems.len()), Look::default());
                for r in &n.open_problems {
                    d.text(&format!("      {}", problem_line(r, as_of)), Look::default());
                }
            }
        }
    }
    d.text("", Look::default()).text(sender, Look::default()).text(&date(as_of), Look::default());
}

/// Write every notice into `OUTPUT/反馈/` (replacing the folder), returning the folder.
///
/// # Errors
/// The file system's.
pub fn write(out: &Path, notices: &[Notice], sender: &str, as_of: NaiveDate) -> std::io::Result<PathBuf> {
    let dir = out.join(FOLDER);
    let fresh = out.join(format!(".{FOLDER}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_dir_all(&fresh);
    std::fs::create_dir_all(&fresh)?;
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    let named: Vec<(String, &Notice)> = notices
        .iter()
        .map(|n| {
            let mut name = stem(n);
            let mut k = 2;
            while taken.contains(&name) {
                name = format!("{}({k})", stem(n));
                k += 1;
            }
            taken.insert(name.clone());
            (name, n)
        })
        .collect();
    // Thousands of small files at city scale: written on every core.
    use rayon::prelude::*;
    named.par_iter().try_for_each(|(name, n)| std::fs::write(fresh.join(format!("{name}.txt")), text(n, sender, as_of)))?;
    for (kind, file) in [(NoticeKind::Return, RETURNS_DOC), (NoticeKind::Remind, REMINDERS_DOC)] {
        let these: Vec<&Notice> = notices.iter().filter(|n| n.kind == kind).collect();
        if !these.is_empty() {
            let written = document(&these, sender, as_of, std::io::BufWriter::new(std::fs::File::create(fresh.join(file))?))?;
            written.into_inner().map_err(|e| e.into_error())?;
        }
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::rename(&fresh, &dir)?;
    Ok(dir)
}
