//! Finding the returned files: every file under INPUT, in a stable order, with the format its
//! bytes show (never its extension: a `.xls` that is really an `.xlsx` is read as one).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The container a file's first bytes reveal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Xlsx,
    Xlsm,
    Xls,
    Ods,
    /// An OLE2 container holding an encrypted OOXML package: a password-protected `.xlsx`.
    EncryptedOoxml,
    Other,
}

impl Format {
    /// The name used in the `files` table.
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsm => "xlsm",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::EncryptedOoxml => "encrypted",
            Format::Other => "other",
        }
    }
}

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
/// directories are not followed (a link loop cannot trap the walk); `exclude` (the output
/// folder when it lies inside INPUT) is skipped.
pub fn walk(root: &Path, exclude: Option<&Path>) -> std::io::Result<Vec<Found>> {
    let mut found = Vec::new();
    let exclude = exclude.and_then(|e| fs::canonicalize(e).ok());
    walk_dir(root, root, exclude.as_deref(), &mut found)?;
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(found)
}

fn walk_dir(root: &Path, dir: &Path, exclude: Option<&Path>, out: &mut Vec<Found>) -> std::io::Result<()> {
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
            if exclude.is_some_and(|ex| fs::canonicalize(&path).ok().as_deref() == Some(ex)) {
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

/// Read the first bytes of a file.
pub fn head(path: &Path, n: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(n);
    fs::File::open(path)?.take(n as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

const OLE2_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The format of a file from its whole content. Zip packages are told apart by their
/// member names; OLE2 containers by the streams they hold.
pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PK\x03\x04") {
        return sniff_zip(bytes);
    }
    if bytes.starts_with(&OLE2_MAGIC) {
        if contains_utf16(bytes, "EncryptedPackage") {
            return Format::EncryptedOoxml;
        }
        return Format::Xls;
    }
    Format::Other
}

fn sniff_zip(bytes: &[u8]) -> Format {
    // The ODF `mimetype` member comes first and is stored uncompressed.
    if bytes.len() > 80 && find(&bytes[..bytes.len().min(200)], b"application/vnd.oasis.opendocument.spreadsheet") {
        return Format::Ods;
    }
    if find(bytes, b"xl/vbaProject.bin") || find(bytes, b"macroEnabled") {
        return Format::Xlsm;
    }
    if find(bytes, b"xl/workbook.xml") || find(bytes, b"xl/_rels") || find(bytes, b"[Content_Types].xml") && find(bytes, b"xl/") {
        return Format::Xlsx;
    }
    if find(bytes, b"content.xml") && find(bytes, b"mimetype") {
        return Format::Ods;
    }
    Format::Other
}

/// The uncompressed size a zip package declares in its central directory, and the largest
/// compression ratio of one member, or `None` if the directory cannot be found (a truncated
/// file: the reader will say so). A zip bomb declares gigabytes from kilobytes.
pub fn zip_declared_size(bytes: &[u8]) -> Option<(u64, u64)> {
    // End of central directory: signature PK\x05\x06, within the last 64 KiB + 22 bytes.
    let tail_start = bytes.len().saturating_sub(65_557);
    let eocd = (tail_start..bytes.len().saturating_sub(21)).rev().find(|&i| bytes[i..i + 4] == *b"PK\x05\x06")?;
    let u16_at = |i: usize| -> Option<u64> { Some(u16::from_le_bytes(bytes.get(i..i + 2)?.try_into().ok()?) as u64) };
    let u32_at = |i: usize| -> Option<u64> { Some(u32::from_le_bytes(bytes.get(i..i + 4)?.try_into().ok()?) as u64) };
    let entries = u16_at(eocd + 10)?;
    let mut at = u32_at(eocd + 16)? as usize;
    let (mut total, mut worst_ratio) = (0u64, 0u64);
    for _ in 0..entries {
        if bytes.get(at..at + 4)? != b"PK\x01\x02" {
            return None;
        }
        let mut compressed = u32_at(at + 20)?;
        let mut uncompressed = u32_at(at + 24)?;
        let (name_len, extra_len) = (u16_at(at + 28)? as usize, u16_at(at + 30)? as usize);
        if uncompressed == 0xFFFF_FFFF || compressed == 0xFFFF_FFFF {
            // Zip64: the real sizes are in the extra field 0x0001, uncompressed first.
            let mut x = at + 46 + name_len;
            let end = x + extra_len;
            while x + 4 <= end {
                let (id, len) = (u16_at(x)?, u16_at(x + 2)? as usize);
                if id == 1 {
                    let u64_at = |i: usize| -> Option<u64> { Some(u64::from_le_bytes(bytes.get(i..i + 8)?.try_into().ok()?)) };
                    let mut p = x + 4;
                    if uncompressed == 0xFFFF_FFFF {
                        uncompressed = u64_at(p)?;
                        p += 8;
                    }
                    if compressed == 0xFFFF_FFFF {
                        compressed = u64_at(p)?;
                    }
                    break;
                }
                x += 4 + len;
            }
        }
        total = total.saturating_add(uncompressed);
        if uncompressed > 1 << 20 {
            worst_ratio = worst_ratio.max(uncompressed / compressed.max(1));
        }
        at += 46 + name_len + extra_len + u16_at(at + 32)? as usize;
    }
    Some((total, worst_ratio))
}

/// A structural problem in an OLE2 (legacy `.xls`) container that would make a reader loop
/// or allocate without bound: a sector chain that cycles or leaves the file, or a stream
/// longer than the file. calamine 0.38 follows the directory chain with no length limit, so
/// a cycle there grows memory until the process dies (found by fuzzing); nothing after this
/// check may see such a file.
pub fn ole2_problem(bytes: &[u8]) -> Option<String> {
    const FREE: u32 = 0xFFFF_FFFA; // ids at or above this are markers (end of chain, free, FAT...)
    let u16_at = |i: usize| -> Option<u32> { Some(u16::from_le_bytes(bytes.get(i..i + 2)?.try_into().ok()?) as u32) };
    let u32_at = |i: usize| -> Option<u32> { Some(u32::from_le_bytes(bytes.get(i..i + 4)?.try_into().ok()?)) };
    let broken = |what: &str| Some(what.to_string());
    let Some(shift) = u16_at(30) else { return broken("文件头不完整") };
    if shift != 9 && shift != 12 {
        return broken("扇区大小无效");
    }
    let size = 1usize << shift;
    let sectors = bytes.len().saturating_sub(size) / size + 1;
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize + 1).checked_mul(size)?;
        bytes.get(start..start + size)
    };
    // The FAT sectors: 109 ids in the header, then the DIFAT chain.
    let mut fat_ids: Vec<u32> = (0..109).filter_map(|i| u32_at(76 + 4 * i)).filter(|id| *id < FREE).collect();
    let mut difat = u32_at(68)?;
    let mut steps = 0;
    while difat < FREE {
        steps += 1;
        if steps > sectors {
            return broken("DIFAT 链循环");
        }
        let Some(sec) = sector(difat) else { return broken("DIFAT 扇区超出文件") };
        let ids: Vec<u32> = sec.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap_or([0xFF; 4]))).collect();
        fat_ids.extend(ids[..ids.len() - 1].iter().filter(|id| **id < FREE));
        difat = ids[ids.len() - 1];
    }
    let mut fat: Vec<u32> = Vec::new();
    for id in fat_ids {
        let Some(sec) = sector(id) else { return broken("FAT 扇区超出文件") };
        fat.extend(sec.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap_or([0xFF; 4]))));
        if fat.len() > 4 * sectors + 1024 {
            return broken("FAT 过大");
        }
    }
    let walk = |start: u32| -> Result<Vec<u32>, &'static str> {
        let mut chain = Vec::new();
        let mut id = start;
        while id < FREE {
            if chain.len() > sectors {
                return Err("扇区链循环");
            }
            if id as usize >= fat.len() || sector(id).is_none() {
                return Err("扇区链超出文件");
            }
            chain.push(id);
            id = fat[id as usize];
        }
        Ok(chain)
    };
    let dirs = match walk(u32_at(48)?) {
        Ok(c) => c,
        Err(e) => return broken(e),
    };
    if let Err(e) = walk(u32_at(60)?) {
        return broken(e);
    }
    for dir in dirs {
        let sec = sector(dir)?;
        for entry in sec.chunks_exact(128) {
            let kind = entry[66];
            let start = u32::from_le_bytes(entry[116..120].try_into().ok()?);
            let len = u32::from_le_bytes(entry[120..124].try_into().ok()?) as usize;
            let is_big_stream = kind == 5 || (kind == 2 && len >= 4096);
            if kind == 2 && len > bytes.len() {
                return broken("数据流长度超过文件大小");
            }
            if is_big_stream {
                if let Err(e) = walk(start) {
                    return broken(e);
                }
            }
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn contains_utf16(hay: &[u8], text: &str) -> bool {
    let needle: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    find(hay, &needle)
}

/// Why a zip that is not a workbook was refused: a Word document says so.
pub fn describe_other(bytes: &[u8]) -> &'static str {
    if bytes.is_empty() {
        "空文件（0 字节）"
    } else if bytes.starts_with(b"PK\x03\x04") && find(bytes, b"word/") {
        "这是 Word 文档，不是电子表格：请报送 Excel 表格"
    } else if bytes.starts_with(b"PK\x03\x04") {
        "压缩包中没有工作簿内容，不是电子表格"
    } else if bytes.starts_with(b"\x89PNG") || bytes.starts_with(b"\xFF\xD8\xFF") || bytes.starts_with(b"GIF8") {
        "这是图片，不是电子表格：请报送 Excel 表格"
    } else if bytes.starts_with(b"%PDF") {
        "这是 PDF 文件，不是电子表格：请报送 Excel 表格"
    } else {
        "不是电子表格文件（内容无法识别）"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(sniff(b""), Format::Other);
        assert_eq!(sniff(b"hello"), Format::Other);
        let mut ole = OLE2_MAGIC.to_vec();
        ole.extend_from_slice(&[0; 100]);
        assert_eq!(sniff(&ole), Format::Xls);
        let enc: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        ole.extend_from_slice(&enc);
        assert_eq!(sniff(&ole), Format::EncryptedOoxml);
    }

    #[test]
    fn describes_foreign_files() {
        assert_eq!(describe_other(b""), "空文件（0 字节）");
        assert!(describe_other(b"PK\x03\x04....word/document.xml").contains("Word"));
        assert!(describe_other(b"\x89PNG\r\n").contains("图片"));
    }
}
