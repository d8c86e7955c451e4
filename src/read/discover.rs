//! Finding the returned files: every file under INPUT, in a stable order. What a file holds
//! is decided later from its bytes (`format`), never from its name.

use super::archive;
use crate::forms::Month;
use std::fs;
use std::path::{Path, PathBuf};

/// One file found under INPUT.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    /// Path relative to INPUT with `/` separators: the key every output uses.
    pub rel: String,
    /// Set when the walk already knows the file is not to be read.
    pub skip: Option<String>,
    /// A member of the archive at `path` (`rel` is then `包.zip/成员`).
    pub member: Option<archive::Member>,
    /// Set when the file is an archive that cannot be listed: the reason, in Chinese.
    pub unreadable: Option<String>,
}

impl Found {
    /// A file on disk, to be read.
    pub fn file(path: PathBuf, rel: String) -> Found {
        Found { path, rel, skip: None, member: None, unreadable: None }
    }

    /// A file on disk the walk already knows is not to be read, with why.
    pub fn skipped(path: PathBuf, rel: String, why: String) -> Found {
        Found { skip: Some(why), ..Found::file(path, rel) }
    }
}

/// Every file under `root`, recursively, sorted by relative path. Symbolic links to
/// directories are not followed (a link loop cannot trap the walk); the folders and files in
/// `exclude` (what the run writes, when it lies inside INPUT) are skipped.
///
/// An archive whose members declare more than `max_unzipped` bytes in all is one unreadable
/// file (each member is also held to the per-file limit when it is read).
pub fn walk(root: &Path, exclude: &[&Path], max_unzipped: u64) -> std::io::Result<Vec<Found>> {
    let mut found = Vec::new();
    let exclude: Vec<PathBuf> = exclude.iter().filter_map(|e| fs::canonicalize(e).ok()).collect();
    walk_dir(root, root, &exclude, max_unzipped, &mut found)?;
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(found)
}

fn walk_dir(root: &Path, dir: &Path, exclude: &[PathBuf], max_unzipped: u64, out: &mut Vec<Found>) -> std::io::Result<()> {
    let entries = fs::read_dir(dir)?;
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(_) => continue,
        };
        let path = entry.path();
        let rel = relative(root, &path);
        let meta = match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                out.push(Found::skipped(path, rel, format!("无法读取文件信息：{e}")));
                continue;
            }
        };
        if meta.is_dir() {
            if fs::canonicalize(&path).is_ok_and(|p| exclude.contains(&p)) {
                continue;
            }
            if let Err(e) = walk_dir(root, &path, exclude, max_unzipped, out) {
                out.push(Found::skipped(path, rel, format!("无法读取文件夹：{e}")));
            }
        } else if meta.file_type().is_symlink() {
            match fs::metadata(&path) {
                Ok(m) if m.is_file() => out.push(Found::file(path, rel)),
                Ok(_) => out.push(Found::skipped(path, rel, "指向文件夹的快捷方式（符号链接），未跟随".into())),
                Err(_) => out.push(Found::skipped(path, rel, "失效的快捷方式（符号链接）".into())),
            }
        } else if meta.is_file() {
            if fs::canonicalize(&path).is_ok_and(|p| exclude.contains(&p)) {
                continue;
            }
            push_file(path, rel, max_unzipped, out);
        }
    }
    Ok(())
}

/// A file found: an archive's members each as a file of their own (`包.zip/成员.xlsx`), an
/// archive that cannot be listed as one unreadable file, anything else as itself.
fn push_file(path: PathBuf, rel: String, max_unzipped: u64, out: &mut Vec<Found>) {
    if !archive::is_archive_name(&rel) {
        out.push(Found::file(path, rel));
        return;
    }
    match archive::list(&path) {
        Ok(None) => out.push(Found::file(path, rel)),
        Ok(Some(members)) if members.is_empty() => out.push(Found::skipped(path, rel, "压缩包中没有文件".into())),
        Ok(Some(members)) if members.iter().map(|(_, m)| m.size).fold(0u64, u64::saturating_add) > max_unzipped => {
            let total = members.iter().map(|(_, m)| m.size).fold(0u64, u64::saturating_add);
            let why = format!("压缩包中的文件解压后共 {total} 字节，超过上限 {max_unzipped} 字节，未读取（可在配置文件 max_unzipped_bytes 调整）：请分开压缩或直接报送其中的文件");
            out.push(Found { unreadable: Some(why), ..Found::file(path, rel) });
        }
        Ok(Some(members)) => {
            out.extend(members.into_iter().map(|(inner, member)| Found { member: Some(member), ..Found::file(path.clone(), format!("{rel}/{inner}")) }));
        }
        Err(e) => out.push(Found { unreadable: Some(e.reason()), ..Found::file(path, rel) }),
    }
}

/// The month a folder's name names: `2021-09`, `2021年9月`, `2021年09月`, or `9月` (of
/// `run`'s year, or the year before when that month would come after `run`).
pub fn month_of_folder(name: &str, run: Month) -> Option<Month> {
    let name = name.trim();
    if let Some(m) = Month::parse_iso(name) {
        return Some(m);
    }
    let body = name.strip_suffix('月')?;
    let (year, month) = match body.split_once('年') {
        Some((y, m)) => (y.parse().ok()?, m.parse().ok()?),
        None => {
            let m: u32 = body.parse().ok()?;
            (if m > run.month() { run.year() - 1 } else { run.year() }, m)
        }
    };
    Month::new(year, month)
}

/// Split the files found between the run's month and the earlier months kept in folders of
/// their own directly under INPUT (`2021年9月/…`). The run's month gets every file; those of
/// another month's folder are marked to skip, with the reason, so the file list still names
/// them. The earlier months are returned in order with their files.
pub fn split_months(found: Vec<Found>, run: Month) -> (Vec<Found>, Vec<(Month, Vec<Found>)>) {
    let mut earlier: std::collections::BTreeMap<Month, Vec<Found>> = std::collections::BTreeMap::new();
    let mut this = Vec::with_capacity(found.len());
    for mut f in found {
        let folder = f.rel.split_once('/').map(|(first, _)| first);
        match folder.and_then(|d| month_of_folder(d, run)).filter(|m| *m != run) {
            Some(m) if m < run => {
                earlier.entry(m).or_default().push(f.clone());
                f.skip.get_or_insert_with(|| format!("{}的报表（在该月的文件夹中）：已按{}汇总，见{}的工作簿和历史记录", m.label(), m.label(), m.label()));
                this.push(f);
            }
            Some(m) => {
                f.skip.get_or_insert_with(|| format!("{}的报表（在该月的文件夹中）：晚于本次汇总的月份，未读取", m.label()));
                this.push(f);
            }
            None => this.push(f),
        }
    }
    (this, earlier.into_iter().collect())
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod month_tests {
    use super::*;

    fn found(rel: &str) -> Found {
        Found::file(PathBuf::from(rel), rel.into())
    }

    #[test]
    fn month_folders_by_name() {
        let oct = Month::new(2021, 10).unwrap();
        let sep = Month::new(2021, 9);
        assert_eq!(month_of_folder("2021-09", oct), sep);
        assert_eq!(month_of_folder("2021年9月", oct), sep);
        assert_eq!(month_of_folder("2021年09月", oct), sep);
        assert_eq!(month_of_folder("9月", oct), sep);
        assert_eq!(month_of_folder("12月", oct), Month::new(2020, 12), "a month after the run's is last year's");
        assert_eq!(month_of_folder("自查表", oct), None);
        assert_eq!(month_of_folder("13月", oct), None);
    }

    #[test]
    fn earlier_months_are_split_off_and_still_listed() {
        let oct = Month::new(2021, 10).unwrap();
        let all = ["2021年9月/a.xlsx", "2021年10月/b.xlsx", "2021年11月/c.xlsx", "月报/d.xlsx", "9月.xlsx"].map(found).to_vec();
        let (this, earlier) = split_months(all, oct);
        assert_eq!(this.len(), 5, "every file is listed in the run's month");
        let read: Vec<&str> = this.iter().filter(|f| f.skip.is_none()).map(|f| f.rel.as_str()).collect();
        assert_eq!(read, ["2021年10月/b.xlsx", "月报/d.xlsx", "9月.xlsx"], "a file named like a month is not a folder");
        assert_eq!(earlier.len(), 1);
        assert_eq!((earlier[0].0, earlier[0].1[0].rel.as_str()), (Month::new(2021, 9).unwrap(), "2021年9月/a.xlsx"));
        assert!(this[0].skip.as_deref().is_some_and(|s| s.starts_with("2021年9月的报表")));
    }
}
