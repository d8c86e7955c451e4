//! The OLE2 guard for legacy `.xls`: structures that make calamine loop or allocate without
//! bound are refused before calamine sees the bytes.

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

