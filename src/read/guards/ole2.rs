//! The OLE2 guard for legacy `.xls`: structures that make calamine loop or allocate without
//! bound are refused before calamine sees the bytes.
//!
//! Hand-written, for a measured reason. The maintained `cfb` crate (0.16) was tried in its
//! place against the fuzz corpus and the fixtures: it reads the tree, not the directory as
//! calamine reads it, so it misses what calamine trips on (calamine takes the *first* entry
//! named `Workbook`, ASCII case ignored, whatever its type and whether the tree reaches it, and
//! copies its chain up to the declared size: a good `.xls` with such a hidden entry declaring
//! 4 GiB opens in `cfb` and aborts calamine with a 4 GiB allocation), and it is stricter than
//! calamine elsewhere: of the 2 041 inputs in `fuzz/corpus/file`, it refused 156 that
//! calamine reads. So this walk follows calamine's view: the DIFAT, FAT and directory chains
//! with bounds, entry 0 as the root's mini stream, the workbook stream looked up by name.

/// What the guard found wrong with an OLE2 file, before calamine sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ole2Problem {
    /// The workbook is encrypted (a FILEPASS record: RC4, CryptoAPI or XOR obfuscation).
    /// calamine reports only some of these; the others it would read as noise.
    Protected,
    /// The container holds no workbook stream; what it is instead, in Chinese.
    NotWorkbook(&'static str),
    /// A sheet declares (or reaches) more cells than the reader may build.
    TooLarge(String),
    /// The container is damaged.
    Damaged(String),
}

/// A structural problem in an OLE2 (legacy `.xls`) container that would make calamine loop or
/// allocate without bound, found by fuzzing calamine 0.38: a sector chain that cycles or
/// leaves the file (it follows the directory chain with no length limit), a stream longer
/// than the file, or a sheet whose DIMENSIONS record declares a vast range (it reserves
/// rows × columns cells up front). Such a file kills the process where `catch_unwind`
/// cannot help, so nothing after this check may see it. Also an encrypted workbook, whose
/// records calamine would otherwise read as noise, and a container that holds no workbook.
pub fn ole2_problem(bytes: &[u8]) -> Option<Ole2Problem> {
    let ole = match Ole2::parse(bytes) {
        Ok(o) => o,
        Err(e) => return Some(Ole2Problem::Damaged(e.to_string())),
    };
    match ole.stream(&["Workbook", "Book"]) {
        Ok(Some(workbook)) => scan_records(&workbook),
        Ok(None) => Some(Ole2Problem::NotWorkbook(ole.what_instead())),
        Err(e) => Some(Ole2Problem::Damaged(e.to_string())),
    }
}

/// The largest sheet range (rows × columns) calamine may be asked to build: it makes a dense
/// grid of that many cells (32 bytes each) for every `.xls` sheet, from the DIMENSIONS record
/// and from the cells themselves. A form fills a few hundred cells.
const MAX_DECLARED_CELLS: u64 = 16_384 * 256;

/// Cell records (NUMBER, LABEL, RSTRING, LABELSST, RK, MULRK, BOOLERR, FORMULA): each starts
/// with its row and column; MULRK ends with its last column.
const CELL_RECORDS: [u16; 8] = [0x0203, 0x0204, 0x00D6, 0x00FD, 0x027E, 0x00BD, 0x0205, 0x0006];

/// The names of an OLE2 file's directory entries, or `None` if its structure is damaged (the
/// guard then says how).
pub fn ole2_names(bytes: &[u8]) -> Option<Vec<String>> {
    Ole2::parse(bytes).ok().map(|ole| ole.entries.into_iter().map(|(name, ..)| name).collect())
}

/// The named streams of an OLE2 file (a Word document's `WordDocument` and table stream), read
/// with the guard's bounded walk: chains checked for cycles and for leaving the file, sizes
/// within the file. A stream that is absent is `None`.
///
/// # Errors
/// The container is damaged (`ReadError::Corrupt`, saying where).
pub fn ole2_streams(bytes: &[u8], names: &[&str]) -> Result<Vec<Option<Vec<u8>>>, crate::grid::ReadError> {
    let corrupt = |why: &str| crate::grid::ReadError::Corrupt(why.to_string());
    let ole = Ole2::parse(bytes).map_err(corrupt)?;
    names.iter().map(|name| ole.stream(&[name]).map_err(corrupt)).collect()
}

/// Walk the workbook stream's records: FILEPASS means encrypted; DIMENSIONS and cell records
/// must stay within [`MAX_DECLARED_CELLS`] per sheet. calamine reads each sheet from the
/// position its BOUNDSHEET record gives, which need not be where the walk from the start
/// arrives (a damaged or crafted stream): each sheet is walked again from there.
fn scan_records(stream: &[u8]) -> Option<Ole2Problem> {
    let mut sheets = Vec::new();
    if let Some(problem) = scan_from(stream, 0, &mut sheets) {
        return Some(problem);
    }
    sheets.sort_unstable();
    sheets.dedup();
    sheets.into_iter().filter(|&pos| pos < stream.len()).find_map(|pos| scan_from(stream, pos, &mut Vec::new()))
}

/// Walk the records from `start` until the stream ends or a record runs past it, noting the
/// sheet positions of BOUNDSHEET records in `sheets`.
fn scan_from(stream: &[u8], start: usize, sheets: &mut Vec<usize>) -> Option<Ole2Problem> {
    let (mut max_row, mut max_col) = (0u64, 0u64);
    let mut at = start;
    while at + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = u16::from_le_bytes([stream[at + 2], stream[at + 3]]) as usize;
        let data = stream.get(at + 4..at + 4 + len)?;
        let u16_at = |i: usize| data.get(i..i + 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]) as u64);
        let u32_at = |i: usize| data.get(i..i + 4).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64);
        match typ {
            0x0809 => (max_row, max_col) = (0, 0), // BOF: a new sheet begins
            // FILEPASS comes before any sheet: the rest is encrypted.
            0x002F => return Some(Ole2Problem::Protected),
            0x0085 if len >= 4 => sheets.push(u32_at(0) as usize),
            0x0200 => {
                let (first_row, last_row, first_col, last_col) = match len {
                    10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
                    14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
                    _ => (0, 0, 0, 0),
                };
                // calamine computes last - first + 1 and reserves that many rows × columns; a
                // first column past 255 or after the last it takes for 0.
                if first_row > last_row {
                    return Some(Ole2Problem::Damaged(format!("工作表声明的范围无效：第{first_row}–{last_row}行，第{first_col}–{last_col}列")));
                }
                let first_col = if first_col > 0xFF || last_col < first_col { 0 } else { first_col };
                let (rows, cols) = (last_row - first_row + 1, last_col - first_col + 1);
                if rows.saturating_mul(cols) > MAX_DECLARED_CELLS {
                    return Some(Ole2Problem::TooLarge(format!("工作表声明的范围是 {rows} 行 × {cols} 列")));
                }
            }
            t if CELL_RECORDS.contains(&t) && len >= 4 => {
                max_row = max_row.max(u16_at(0));
                let last_col = if t == 0x00BD && len >= 6 { u16_at(len - 2) } else { u16_at(2) };
                max_col = max_col.max(last_col);
                if (max_row + 1).saturating_mul(max_col + 1) > MAX_DECLARED_CELLS {
                    return Some(Ole2Problem::TooLarge(format!("工作表中有单元格远在第{}行第{}列", max_row + 1, max_col + 1)));
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

    /// Sector `id`; the file's last sector may be cut short, and is then what remains (as
    /// calamine reads it: Excel and other writers do leave a short last sector).
    fn sector(&self, id: u32) -> Option<&'a [u8]> {
        let size = 1usize << self.shift;
        let start = (id as usize + 1).checked_mul(size)?;
        if start >= self.bytes.len() {
            return None;
        }
        self.bytes.get(start..(start + size).min(self.bytes.len()))
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
            // A DIFAT sector cut short by the end of the file may hold no id at all.
            let (&next, ids) = ids.split_last().ok_or("DIFAT 扇区不完整")?;
            fat_ids.extend(ids.iter().filter(|id| **id < FREE));
            difat = next;
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
            // The name as calamine reads it: all 64 bytes decoded with encoding_rs, which
            // honours a byte-order mark (a leading U+FEFF is dropped, `FE FF` switches to
            // UTF-16BE), cut at the first NUL; the declared name length is ignored.
            let mut name = encoding_rs::UTF_16LE.decode(&entry[..64]).0.into_owned();
            if let Some(nul) = name.find('\0') {
                name.truncate(nul);
            }
            let kind = entry[66];
            let start = u32::from_le_bytes([entry[116], entry[117], entry[118], entry[119]]);
            let low = u32::from_le_bytes([entry[120], entry[121], entry[122], entry[123]]) as u64;
            let high = u32::from_le_bytes([entry[124], entry[125], entry[126], entry[127]]) as u64;
            let size64 = if version >= 4 { low | (high << 32) } else { low };
            let size = size64.min(usize::MAX as u64) as usize;
            // calamine reads the first entry as the root's mini stream whatever its type, and a
            // workbook stream by its name whatever its type, and copies a chain until the
            // declared size: a size beyond the file, or a cycle, there is unbounded memory.
            let workbook = is_workbook_name(&name);
            if (kind == 2 || kind == 5 || index == 0 || workbook) && size64 > bytes.len() as u64 {
                return Err("数据流长度超过文件大小");
            }
            if index == 0 || kind == 5 || ((kind == 2 || workbook) && size >= 4096) {
                Self::chain(&ole.fat, start, ole.sectors())?;
            }
            ole.entries.push((name, kind, start, size));
        }
        Ok(ole)
    }

    /// The content of the stream calamine reads for the first of `names` it finds: the first
    /// directory entry with that name, ASCII case ignored, whatever its type.
    fn stream(&self, names: &[&str]) -> Result<Option<Vec<u8>>, &'static str> {
        let found = names.iter().find_map(|want| self.entries.iter().find(|(n, _, _, _)| n.eq_ignore_ascii_case(want)));
        let Some(&(_, _, start, size)) = found else {
            return Ok(None);
        };
        let mut data = if size >= 4096 {
            self.read_chain(start)?
        } else {
            // Small streams live in 64-byte sectors of the root entry's mini stream; calamine
            // takes entry 0 as the root.
            let root = self.entries.first().ok_or("缺少根目录")?;
            let mini = self.read_chain(root.2)?;
            let mut out = Vec::new();
            for id in Self::chain(&self.mini_fat, start, mini.len() / 64 + 1)? {
                // The mini stream may end inside its last sector, like the file.
                let at = id as usize * 64;
                out.extend_from_slice(mini.get(at..(at + 64).min(mini.len())).filter(|_| at < mini.len()).ok_or("小扇区超出文件")?);
            }
            out
        };
        data.truncate(size);
        Ok(Some(data))
    }
}

impl Ole2<'_> {
    /// What an OLE2 file without a workbook stream is, from the streams it holds.
    fn what_instead(&self) -> &'static str {
        let has = |want: &str| self.entries.iter().any(|(n, _, _, _)| n.eq_ignore_ascii_case(want));
        if has("WordDocument") {
            "这是 Word 文档（.doc/.wps），不是电子表格：请报送 Excel 表格"
        } else if has("PowerPoint Document") {
            "这是 PowerPoint 演示文稿，不是电子表格：请报送 Excel 表格"
        } else if has("NativeContent_MAIN") {
            "这是 Quattro Pro 表格（.qpw/.wb3），无法读取：请另存为 Excel（.xlsx）后报送"
        } else if has("EncryptedPackage") {
            "文件设有打开密码，无法读取：请提供未加密的副本"
        } else {
            "这是 OLE2 复合文档，其中没有 Excel 工作簿，无法读取：请报送 Excel（.xlsx）表格"
        }
    }
}

/// A name calamine may read as the workbook stream.
fn is_workbook_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("Workbook") || name.eq_ignore_ascii_case("Book")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn read(rel: &str) -> Vec<u8> {
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)).unwrap()
    }

    /// Files taken from other libraries' test suites, kept outside the project (see
    /// `../shared/fetched/README.md`).
    fn fetched(rel: &str) -> Vec<u8> {
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fetched").join(rel)).unwrap()
    }

    /// The detail of a damaged or too large file, for comparing with the expected text.
    fn text(problem: Option<Ole2Problem>) -> Option<String> {
        match problem? {
            Ole2Problem::Damaged(why) | Ole2Problem::TooLarge(why) => Some(why),
            other => Some(format!("{other:?}")),
        }
    }

    #[test]
    fn a_sheet_is_walked_from_where_its_boundsheet_points() {
        let record = |typ: u16, data: &[u8]| -> Vec<u8> {
            let mut r = typ.to_le_bytes().to_vec();
            r.extend_from_slice(&(data.len() as u16).to_le_bytes());
            r.extend_from_slice(data);
            r
        };
        // DIMENSIONS of 1 000 000 rows × 200 columns, hidden inside another record's data.
        let mut dims = Vec::new();
        dims.extend_from_slice(&0u32.to_le_bytes());
        dims.extend_from_slice(&1_000_000u32.to_le_bytes());
        dims.extend_from_slice(&0u16.to_le_bytes());
        dims.extend_from_slice(&200u16.to_le_bytes());
        dims.extend_from_slice(&0u16.to_le_bytes());
        let hidden = record(0x0200, &dims);
        let head = record(0x0809, &[0; 16]);
        let sheet_at = head.len() + 4 + 8 + 4 + 2; // inside the junk record, past 2 bytes of it
        let mut boundsheet = (sheet_at as u32).to_le_bytes().to_vec();
        boundsheet.extend_from_slice(&[0, 0, 1, 0]);
        let mut junk = vec![0xAA, 0xBB];
        junk.extend_from_slice(&hidden);
        let mut stream = head.clone();
        stream.extend(record(0x0085, &boundsheet));
        stream.extend(record(0x00FC, &junk));
        assert_eq!(&stream[sheet_at..sheet_at + 2], &0x0200u16.to_le_bytes(), "the sheet position lands on the hidden record");
        let walked_from_start = scan_from(&stream, 0, &mut Vec::new());
        assert!(walked_from_start.is_none(), "the walk from the start never meets it");
        assert!(matches!(scan_records(&stream), Some(Ole2Problem::TooLarge(_))));
    }

    #[test]
    fn every_hostile_fixture_is_refused_with_its_reason() {
        for (name, reason) in [
            ("calamine_cfb_chain_cycle_oom.xls", "扇区链循环"),
            // Its FAT sector is cut short; what remains of it makes the directory chain cycle.
            ("calamine_cfb_fat_beyond_eof_oom.xls", "扇区链循环"),
            ("calamine_utils_assert_panic.xls", "扇区链循环"),
            // Entry 0 (not even a root entry) declares 4 GiB.
            ("calamine_cfb_root_ministream_oom.xls", "数据流长度超过文件大小"),
            // Sound containers whose workbook stream is the trap.
            ("calamine_xls_far_cell_dense_grid_oom.xls", "工作表中有单元格远在第32774行第50177列"),
            ("calamine_xls_vast_dimensions_oom.xls", "工作表声明的范围无效：第786432–23行，第0–4列"),
            // Fuzzing the short-last-sector change: a DIFAT sector of 2 bytes at the end of the
            // file made the guard itself subtract with overflow (outside any catch_unwind).
            ("ole2_short_difat_sector_underflow.xls", "DIFAT 扇区不完整"),
            // Found on the final code: the workbook entry is named `\u{FEFF}Workbook`; calamine's
            // decoder drops the byte-order mark, finds it and reserves 10¹² cells.
            ("calamine_xls_bom_named_workbook_oom.xls", "数据流长度超过文件大小"),
            // Found by the fuzzer after the restructure: a DIMENSIONS whose first column is past
            // 255, which calamine takes for 0, so it reserved 41 GB for the columns up to the
            // last; the guard took the narrow range as declared.
            ("calamine_xls_first_column_reset_oom.xls", "工作表声明的范围"),
        ] {
            let problem = text(ole2_problem(&read(&format!("fuzz/{name}")))).unwrap_or_default();
            assert!(problem.starts_with(reason), "{name}: {problem}");
        }
    }

    fn ole2_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                // Hostile files.
                if path.file_name().unwrap() != "fuzz" {
                    ole2_files(&path, out);
                }
            } else if crate::read::format::sniff(&std::fs::read(&path).unwrap()) == crate::forms::file::Format::Xls {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_good_xls_passes() {
        let mut files = Vec::new();
        ole2_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"), &mut files);
        assert!(files.len() >= 10, "{files:?}");
        for path in files {
            assert_eq!(ole2_problem(&std::fs::read(&path).unwrap()), None, "{}", path.display());
        }
    }

    const GOOD: &str = "libreoffice/湖北楚天物业有限公司_碧波园_自查表.xls";

    /// The good file with its `Workbook` entry (1) moved to the free slot 6 and, in its place,
    /// an entry that only calamine finds: named `Workbook`, of type `kind`, unreachable from
    /// the root, starting at sector 1 whose FAT entry is made to point to itself, declaring
    /// `declared` bytes. calamine 0.38 aborts on it with a 4 GiB allocation.
    fn hidden_workbook(kind: u8, declared: u32) -> Vec<u8> {
        let mut b = read(GOOD);
        let at = |b: &[u8], i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap()) as usize;
        let put = |b: &mut [u8], i: usize, v: u32| b[i..i + 4].copy_from_slice(&v.to_le_bytes());
        let fat = (at(&b, 76) + 1) * 512;
        put(&mut b, fat + 4, 1);
        let dir = (at(&b, 48) + 1) * 512;
        b.copy_within(dir + 128..dir + 256, dir + 6 * 128);
        put(&mut b, dir + 76, 6); // the root's child
        let e = dir + 128;
        b[e + 66] = kind;
        for field in [68, 72, 76] {
            put(&mut b, e + field, u32::MAX);
        }
        put(&mut b, e + 116, 1);
        put(&mut b, e + 120, declared);
        b
    }

    #[test]
    fn a_workbook_entry_of_any_type_declaring_more_than_the_file_is_refused() {
        // Regression: the unallocated and storage variants passed the check before.
        for kind in [0, 1, 2] {
            assert_eq!(text(ole2_problem(&hidden_workbook(kind, 0xFFFF_FFF0))).as_deref(), Some("数据流长度超过文件大小"), "type {kind}");
        }
    }

    #[test]
    fn a_cycling_workbook_mini_chain_is_refused() {
        let mut b = read(GOOD);
        // Workbook: 3 084 bytes from mini sector 0, so mini sectors 0..=48; its last link is
        // made to go back to its first.
        let minifat = (u32::from_le_bytes(b[60..64].try_into().unwrap()) as usize + 1) * 512;
        assert_eq!(&b[minifat + 48 * 4..minifat + 49 * 4], &0xFFFF_FFFEu32.to_le_bytes());
        b[minifat + 48 * 4..minifat + 49 * 4].copy_from_slice(&0u32.to_le_bytes());
        assert_eq!(text(ole2_problem(&b)).as_deref(), Some("扇区链循环"));
    }

    #[test]
    fn not_ole2_or_truncated() {
        assert_eq!(text(ole2_problem(b"")).as_deref(), Some("文件头不完整"));
        let good = read(GOOD);
        assert!(ole2_problem(&good[..600]).is_some());
        assert!(ole2_problem(&good[..good.len() - 512]).is_some());
    }

    /// Real files from other libraries' test suites (`realworld/` of the fetched files, sources
    /// in its README).
    #[test]
    fn real_files_are_told_apart() {
        let problem = |rel: &str| ole2_problem(&fetched(&format!("realworld/{rel}")));
        // Encrypted: RC4 CryptoAPI, BIFF8 XOR (calamine misses this one), BIFF5 XOR.
        for rel in
            ["apache-poi/password.xls", "apache-poi/xor-encryption-abc.xls", "apache-poi/35897-type4.xls", "sheetjs-test_files/biff5/password_2002_40_xor.xls"]
        {
            assert_eq!(problem(rel), Some(Ole2Problem::Protected), "{rel}");
        }
        // A last sector shorter than 512 bytes, as calamine, xlrd and POI accept.
        assert_eq!(problem("apache-poi/47251.xls"), None);
        assert_eq!(problem("phpspreadsheet/sample.xls"), None);
        // Sound but vast: 65 536 × 256.
        assert!(matches!(problem("apache-poi/51535.xls"), Some(Ole2Problem::TooLarge(_))));
        assert!(matches!(problem("sheetjs-test_files/artifacts/quattro/write_9.qpw"), Some(Ole2Problem::NotWorkbook(w)) if w.contains("Quattro Pro")));
    }
}
