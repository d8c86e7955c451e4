//! Finding the returned files: every file under INPUT, in a stable order. What a file holds
//! is decided later from its bytes (`format`), never from its name.

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
}

/// Every file under `root`, recursively, sorted by relative path. Symbolic links to
/// directories are not followed (a link loop cannot trap the walk); the folders in `exclude`
/// (the output and history folders, when they lie inside INPUT) are skipped.
pub fn walk(root: &Path, exclude: &[&Path]) -> std::io::Result<Vec<Found>> {
    let mut found = Vec::new();
    let exclude: Vec<PathBuf> = exclude.iter().filter_map(|e| fs::canonicalize(e).ok()).collect();
    walk_dir(root, root, &exclude, &mut found)?;
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(found)
}

fn walk_dir(root: &Path, dir: &Path, exclude: &[PathBuf], out: &mut Vec<Found>) -> std::io::Result<()> {
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
                out.push(Found { path, rel, skip: Some(format!("无法读取文件信息：{e}")) });
                continue;
            }
        };
        if meta.is_dir() {
            if fs::canonicalize(&path).is_ok_and(|p| exclude.contains(&p)) {
                continue;
            }
            if let Err(e) = walk_dir(root, &path, exclude, out) {
                out.push(Found { path, rel, skip: Some(format!("无法读取文件夹：{e}")) });
            }
        } else if meta.file_type().is_symlink() {
            match fs::metadata(&path) {
                Ok(m) if m.is_file() => out.push(Found { path, rel, skip: None }),
                Ok(_) => out.push(Found { path, rel, skip: Some("指向文件夹的快捷方式（符号链接），未跟随".into()) }),
                Err(_) => out.push(Found { path, rel, skip: Some("失效的快捷方式（符号链接）".into()) }),
            }
        } else if meta.is_file() {
            out.push(Found { path, rel, skip: None });
        }
    }
    Ok(())
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}
