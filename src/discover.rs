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

/// A structural problem in an OLE2 (legacy `.xls`) container that would make calamine loop or
/// allocate without bound, found by fuzzing calamine 0.38: a sector chain that cycles or
/// leaves the file (it follows the directory chain with no length limit), a stream longer
/// than the file, or a sheet whose DIMENSIONS record declares a vast range (it reserves
/// rows × columns cells up front). Such a file kills the process where `catch_unwind`
/// cannot help, so nothing after this check may see it.
pub fn ole2_problem(bytes: &[u8]) -> Option<String> {
    let ole = match Ole2::parse(bytes) {
        Ok(o) => o,
        Err(e) => return Some(e.to_string()),
    };
    let workbook = ole.stream(&["Workbook", "Book"]).ok()??;
    vast_dimensions(&workbook)
}

/// The largest sheet range (rows × columns) calamine may be asked to build: it makes a dense
/// grid of that many cells (32 bytes each) for every `.xls` sheet, from the DIMENSIONS record
/// and from the cells themselves. A form fills a few hundred cells.
const MAX_DECLARED_CELLS: u64 = 16_384 * 256;

/// Cell records (NUMBER, LABEL, RSTRING, LABELSST, RK, MULRK, BOOLERR, FORMULA): each starts
/// with its row and column; MULRK ends with its last column.
const CELL_RECORDS: [u16; 8] = [0x0203, 0x0204, 0x00D6, 0x00FD, 0x027E, 0x00BD, 0x0205, 0x0006];

fn vast_dimensions(stream: &[u8]) -> Option<String> {
    let (mut max_row, mut max_col) = (0u64, 0u64);
    let mut at = 0;
    while at + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = u16::from_le_bytes([stream[at + 2], stream[at + 3]]) as usize;
        let data = stream.get(at + 4..at + 4 + len)?;
        let u16_at = |i: usize| data.get(i..i + 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]) as u64);
        let u32_at = |i: usize| data.get(i..i + 4).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64);
        match typ {
            0x0809 => (max_row, max_col) = (0, 0), // BOF: a new sheet begins
            0x0200 => {
                let (first_row, last_row, first_col, last_col) = match len {
                    10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
                    14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
                    _ => (0, 0, 0, 0),
                };
                // calamine computes last - first + 1 and reserves that many rows × columns.
                if first_row > last_row || first_col > last_col {
                    return Some(format!("工作表声明的范围无效：第{first_row}–{last_row}行，第{first_col}–{last_col}列"));
                }
                let (rows, cols) = (last_row - first_row + 1, last_col - first_col + 1);
                if rows.saturating_mul(cols) > MAX_DECLARED_CELLS {
                    return Some(format!("工作表声明的范围过大：{rows} 行 × {cols} 列"));
                }
            }
            t if CELL_RECORDS.contains(&t) && len >= 4 => {
                max_row = max_row.max(u16_at(0));
                let last_col = if t == 0x00BD && len >= 6 { u16_at(len - 2) } else { u16_at(2) };
                max_col = max_col.max(last_col);
                if (max_row + 1).saturating_mul(max_col + 1) > MAX_DECLARED_CELLS {
                    return Some(format!("工作表中有单元格远在第{}行第{}列，范围过大", max_row + 1, max_col + 1));
                }
            }
            _ => {}
        }
        at += 4 + len;
    }
    None
}

const FREE: u32 = 0xFFFF_FFFA; // sector ids at or above this are markers (end of chain, free...)

/// Just enough of an OLE2 compound file to check its chains and read one stream.
struct Ole2<'a> {
    bytes: &'a [u8],
    shift: u32,
    fat: Vec<u32>,
    mini_fat: Vec<u32>,
    /// (name, type, start sector, size) of every directory entry.
    entries: Vec<(String, u8, u32, usize)>,
}

impl<'a> Ole2<'a> {
    fn u32_at(bytes: &[u8], i: usize) -> Option<u32> {
        Some(u32::from_le_bytes(bytes.get(i..i + 4)?.try_into().ok()?))
    }

    fn sector(&self, id: u32) -> Option<&'a [u8]> {
        let size = 1usize << self.shift;
        let start = (id as usize + 1).checked_mul(size)?;
        self.bytes.get(start..start + size)
    }

    fn sectors(&self) -> usize {
        self.bytes.len() / (1usize << self.shift) + 1
    }

    /// Follow a chain in `table`, refusing cycles and ids outside the table.
    fn chain(table: &[u32], start: u32, limit: usize) -> Result<Vec<u32>, &'static str> {
        let mut chain = Vec::new();
        let mut id = start;
        while id < FREE {
            if chain.len() > limit {
                return Err("扇区链循环");
            }
            let next = *table.get(id as usize).ok_or("扇区链超出文件")?;
            chain.push(id);
            id = next;
        }
        Ok(chain)
    }

    fn read_chain(&self, start: u32) -> Result<Vec<u8>, &'static str> {
        let mut out = Vec::new();
        for id in Self::chain(&self.fat, start, self.sectors())? {
            out.extend_from_slice(self.sector(id).ok_or("扇区超出文件")?);
        }
        Ok(out)
    }

    fn parse(bytes: &'a [u8]) -> Result<Ole2<'a>, &'static str> {
        let header = |i: usize| Self::u32_at(bytes, i).ok_or("文件头不完整");
        let shift = u16::from_le_bytes(bytes.get(30..32).ok_or("文件头不完整")?.try_into().map_err(|_| "文件头不完整")?) as u32;
        if shift != 9 && shift != 12 {
            return Err("扇区大小无效");
        }
        let mut ole = Ole2 { bytes, shift, fat: vec![], mini_fat: vec![], entries: vec![] };
        let words = |sec: &[u8]| -> Vec<u32> { sec.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect() };
        // The FAT sectors: 109 ids in the header, then the DIFAT chain.
        let mut fat_ids: Vec<u32> = (0..109).filter_map(|i| Self::u32_at(bytes, 76 + 4 * i)).filter(|id| *id < FREE).collect();
        let mut difat = header(68)?;
        let mut steps = 0;
        while difat < FREE {
            steps += 1;
            if steps > ole.sectors() {
                return Err("DIFAT 链循环");
            }
            let ids = words(ole.sector(difat).ok_or("DIFAT 扇区超出文件")?);
            fat_ids.extend(ids[..ids.len() - 1].iter().filter(|id| **id < FREE));
            difat = ids[ids.len() - 1];
        }
        for id in fat_ids {
            ole.fat.extend(words(ole.sector(id).ok_or("FAT 扇区超出文件")?));
            if ole.fat.len() > 4 * ole.sectors() + 1024 {
                return Err("FAT 过大");
            }
        }
        let dir = ole.read_chain(header(48)?)?;
        ole.mini_fat = words(&ole.read_chain(header(60)?)?);
        let version = u16::from_le_bytes(bytes.get(26..28).ok_or("文件头不完整")?.try_into().map_err(|_| "文件头不完整")?);
        for (index, entry) in dir.chunks_exact(128).enumerate() {
            let name_len = (u16::from_le_bytes([entry[64], entry[65]]) as usize).min(64);
            let units: Vec<u16> = entry[..name_len].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).take_while(|u| *u != 0).collect();
            let name = String::from_utf16_lossy(&units);
            let kind = entry[66];
            let start = u32::from_le_bytes([entry[116], entry[117], entry[118], entry[119]]);
            let low = u32::from_le_bytes([entry[120], entry[121], entry[122], entry[123]]) as u64;
            let high = u32::from_le_bytes([entry[124], entry[125], entry[126], entry[127]]) as u64;
            let size64 = if version >= 4 { low | (high << 32) } else { low };
            let size = size64.min(usize::MAX as u64) as usize;
            // calamine reads the first entry as the root's mini stream whatever its type, and
            // copies a chain until the declared size: a size beyond the file, or a cycle, there
            // is unbounded memory.
            if (kind == 2 || kind == 5 || index == 0) && size64 > bytes.len() as u64 {
                return Err("数据流长度超过文件大小");
            }
            if index == 0 || kind == 5 || (kind == 2 && size >= 4096) {
                Self::chain(&ole.fat, start, ole.sectors())?;
            }
            ole.entries.push((name, kind, start, size));
        }
        Ok(ole)
    }

    /// The content of the first stream with one of `names`, if any.
    fn stream(&self, names: &[&str]) -> Result<Option<Vec<u8>>, &'static str> {
        let Some(&(_, _, start, size)) = self.entries.iter().find(|(n, k, _, _)| *k == 2 && names.contains(&n.as_str())) else {
            return Ok(None);
        };
        let mut data = if size >= 4096 {
            self.read_chain(start)?
        } else {
            // Small streams live in 64-byte sectors of the root entry's mini stream.
            let root = self.entries.iter().find(|e| e.1 == 5).ok_or("缺少根目录")?;
            let mini = self.read_chain(root.2)?;
            let mut out = Vec::new();
            for id in Self::chain(&self.mini_fat, start, mini.len() / 64 + 1)? {
                out.extend_from_slice(mini.get(id as usize * 64..id as usize * 64 + 64).ok_or("小扇区超出文件")?);
            }
            out
        };
        data.truncate(size);
        Ok(Some(data))
    }
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
