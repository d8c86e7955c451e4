//! `.doc` and WPS `.wps`: Word 97–2003 binary documents ([MS-DOC]), read for their main text
//! and its tables. The streams come from the OLE2 guard's bounded walk (`guards::ole2_streams`),
//! the one compound-file reader of the project.
//!
//! - The FIB at the start of `WordDocument` (§2.5.1) gives the text length (`ccpText`), which
//!   table stream holds the rest (`fWhichTblStm`), whether the file is encrypted, and where
//!   the piece table (`fcClx`, §2.9.38) and the paragraph properties (`fcPlcfBtePapx`) are.
//! - The piece table maps character positions to the bytes of `WordDocument`: each piece is
//!   8-bit Windows-1252 (`fCompressed`, at `fc / 2`) or UTF-16LE (§2.9.73, §2.4.1).
//! - A paragraph ends in 0x0D; a table cell in 0x07, and a table row in a 0x07 whose paragraph
//!   properties say "table terminating paragraph" (sprmPFTtp). The properties come from the
//!   PAPX FKPs (§2.9.176) found for the mark's file position; the row's cell boundaries and
//!   merge flags from sprmTDefTable (§2.6.4), which give each cell's span over the table's grid.
//! - Field codes (between 0x13 and 0x14) are left out and their results kept, as Word shows.

use super::{Block, Document, Row, Table, TableCell, VMerge};
use crate::grid::{Limits, ReadError};
use std::collections::HashMap;

/// What the FIB says.
struct Fib {
    ccp_text: u32,
    table_stream: &'static str,
    clx: (u32, u32),
    papx: (u32, u32),
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

fn corrupt(what: &str) -> ReadError {
    ReadError::Corrupt(format!("Word 文档结构不完整（{what}）"))
}

/// The document of a Word 97–2003 binary file.
pub fn read(bytes: &[u8], limits: Limits) -> Result<Document, ReadError> {
    let streams = crate::read::guards::ole2_streams(bytes, &["WordDocument"])?;
    let word = streams.into_iter().next().flatten().ok_or_else(|| corrupt("缺少 WordDocument 数据流"))?;
    let fib = fib(&word)?;
    let table = crate::read::guards::ole2_streams(bytes, &[fib.table_stream])?.into_iter().next().flatten().ok_or_else(|| corrupt("缺少表格数据流"))?;
    let text = text(&word, &table, &fib, limits)?;
    let props = Papx::new(&word, &table, fib.papx);
    Ok(structure(&text, &props, limits))
}

fn fib(word: &[u8]) -> Result<Fib, ReadError> {
    if u16_at(word, 0) != Some(0xA5EC) {
        return Err(corrupt("文件头标识不对"));
    }
    let n_fib = u16_at(word, 2).ok_or_else(|| corrupt("文件头"))?;
    if n_fib < 0x00C1 {
        return Err(ReadError::Unsupported("这是旧版 Word（6.0/95 或更早）文档，无法读取：请用 Word 或 WPS 另存为 .docx 后报送".into()));
    }
    let flags = u16_at(word, 0x0A).ok_or_else(|| corrupt("文件头"))?;
    if flags & 0x0100 != 0 || flags & 0x8000 != 0 {
        return Err(ReadError::Protected);
    }
    let table_stream = if flags & 0x0200 != 0 { "1Table" } else { "0Table" };
    // FibBase (32 bytes), csw, fibRgW, cslw, fibRgLw, cbRgFcLcb, fibRgFcLcbBlob.
    let csw = u16_at(word, 32).ok_or_else(|| corrupt("FIB"))? as usize;
    let lw = 34 + csw * 2 + 2;
    let cslw = u16_at(word, lw - 2).ok_or_else(|| corrupt("FIB"))? as usize;
    let ccp_text = u32_at(word, lw + 3 * 4).ok_or_else(|| corrupt("FIB"))?;
    let blob = lw + cslw * 4 + 2;
    let pairs = u16_at(word, blob - 2).ok_or_else(|| corrupt("FIB"))? as usize;
    let pair = |i: usize| -> Result<(u32, u32), ReadError> {
        if i >= pairs {
            return Err(corrupt("FIB"));
        }
        Ok((u32_at(word, blob + i * 8).ok_or_else(|| corrupt("FIB"))?, u32_at(word, blob + i * 8 + 4).ok_or_else(|| corrupt("FIB"))?))
    };
    Ok(Fib { ccp_text, table_stream, clx: pair(33)?, papx: pair(13)? })
}

/// One character of the main text with its position in `WordDocument` (for a mark's
/// paragraph properties).
struct Char {
    c: char,
    fc: u32,
}

fn text(word: &[u8], table: &[u8], fib: &Fib, limits: Limits) -> Result<Vec<Char>, ReadError> {
    let (fc_clx, lcb_clx) = (fib.clx.0 as usize, fib.clx.1 as usize);
    let clx = table.get(fc_clx..fc_clx.saturating_add(lcb_clx)).ok_or_else(|| corrupt("片段表超出数据流"))?;
    // Skip the Prc entries (0x01) to the Pcdt (0x02).
    let mut at = 0;
    let plc = loop {
        match clx.get(at) {
            Some(0x01) => at += 3 + u16_at(clx, at + 1).ok_or_else(|| corrupt("片段表"))? as usize,
            Some(0x02) => {
                let lcb = u32_at(clx, at + 1).ok_or_else(|| corrupt("片段表"))? as usize;
                break clx.get(at + 5..(at + 5).saturating_add(lcb)).ok_or_else(|| corrupt("片段表"))?;
            }
            _ => return Err(corrupt("片段表")),
        }
    };
    let pieces = plc.len().saturating_sub(4) / 12;
    // A filled form is a few thousand characters; the cap keeps a hostile length from
    // reserving more than tens of MB (about 3 million characters at the default cell limit).
    let max_chars = (limits.max_cells_per_sheet as u32).saturating_mul(16).min(fib.ccp_text);
    let mut out = Vec::new();
    for i in 0..pieces {
        let (start, end) = (u32_at(plc, i * 4).unwrap_or(0), u32_at(plc, i * 4 + 4).unwrap_or(0));
        let raw = u32_at(plc, (pieces + 1) * 4 + i * 8 + 2).ok_or_else(|| corrupt("片段表"))?;
        let (compressed, fc) = (raw & 0x4000_0000 != 0, raw & 0x3FFF_FFFF);
        let end = end.min(max_chars);
        if start >= end {
            continue;
        }
        let count = (end - start) as usize;
        if compressed {
            let from = fc as usize / 2;
            let bytes = word.get(from..from + count).ok_or_else(|| corrupt("文字超出数据流"))?;
            let (decoded, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            out.extend(decoded.chars().zip(0u32..).map(|(c, k)| Char { c, fc: fc / 2 + k }));
        } else {
            let from = fc as usize;
            let bytes = word.get(from..from + count * 2).ok_or_else(|| corrupt("文字超出数据流"))?;
            let units = bytes.chunks_exact(2).map(|b| u16::from_le_bytes([b[0], b[1]]));
            for (k, c) in char::decode_utf16(units).enumerate() {
                out.push(Char { c: c.unwrap_or('\u{FFFD}'), fc: fc + 2 * k as u32 });
            }
        }
    }
    Ok(out)
}

/// The paragraph properties that shape tables.
#[derive(Debug, Clone, Default)]
struct Props {
    in_table: bool,
    /// The mark ends a table row (sprmPFTtp, a 0x07 at depth 1).
    row_end: bool,
    /// The mark ends a cell of a nested table (a 0x0D with sprmPFInnerTableCell, [MS-DOC]
    /// §2.4.3).
    inner_cell: bool,
    /// The mark ends a row of a nested table (sprmPFInnerTtp).
    inner_row: bool,
    /// Nesting depth (1 = a top-level table).
    depth: i32,
    /// The list the paragraph is numbered in (sprmPIlfo, sprmPIlvl), if any: Word shows a
    /// number the text does not hold.
    list: Option<(u16, u8)>,
    /// The row's cells: (left, right) boundaries in twips and vertical-merge flag.
    cells: Vec<(i16, i16, VMerge)>,
}

/// The PAPX FKPs: paragraph properties for a paragraph mark's position.
struct Papx<'a> {
    word: &'a [u8],
    fcs: Vec<u32>,
    pages: Vec<u32>,
    cache: std::cell::RefCell<HashMap<(u32, usize), Props>>,
}

impl<'a> Papx<'a> {
    fn new(word: &'a [u8], table: &[u8], (fc, lcb): (u32, u32)) -> Papx<'a> {
        let plc = table.get(fc as usize..(fc as usize).saturating_add(lcb as usize)).unwrap_or(&[]);
        let n = plc.len().saturating_sub(4) / 8;
        let fcs = (0..=n).filter_map(|i| u32_at(plc, i * 4)).collect();
        let pages = (0..n).filter_map(|i| u32_at(plc, (n + 1) * 4 + i * 4).map(|p| p & 0x003F_FFFF)).collect();
        Papx { word, fcs, pages, cache: Default::default() }
    }

    /// The properties of the paragraph whose mark is at `fc`.
    fn at(&self, fc: u32) -> Props {
        let Some(i) = self.fcs.windows(2).position(|w| w[0] <= fc && fc < w[1]) else { return Props::default() };
        let Some(&pn) = self.pages.get(i) else { return Props::default() };
        let Some(page) = self.word.get(pn as usize * 512..pn as usize * 512 + 512) else { return Props::default() };
        let crun = page[511] as usize;
        let Some(j) = (0..crun).find(|&j| matches!((u32_at(page, j * 4), u32_at(page, j * 4 + 4)), (Some(a), Some(b)) if a <= fc && fc < b)) else {
            return Props::default();
        };
        self.cache.borrow_mut().entry((pn, j)).or_insert_with(|| props_in(page, crun, j)).clone()
    }
}

/// The properties of run `j` of an FKP page.
fn props_in(page: &[u8], crun: usize, j: usize) -> Props {
    let b_offset = page.get(4 * (crun + 1) + 13 * j).copied().unwrap_or(0) as usize * 2;
    if b_offset == 0 || b_offset >= 511 {
        return Props::default();
    }
    let (start, size) = match page[b_offset] {
        0 => (b_offset + 2, 2 * page.get(b_offset + 1).copied().unwrap_or(0) as usize),
        cb => (b_offset + 1, 2 * cb as usize - 1),
    };
    // The grpprl follows the style index (2 bytes).
    let grpprl = page.get(start + 2..(start + size).min(511)).unwrap_or(&[]);
    let mut props = Props::default();
    for (sprm, operand) in sprms(grpprl) {
        match sprm {
            0x2416 => props.in_table = operand.first().is_some_and(|b| *b != 0),
            0x2417 => props.row_end = operand.first().is_some_and(|b| *b != 0),
            0x244B => props.inner_cell = operand.first().is_some_and(|b| *b != 0),
            0x244C => props.inner_row = operand.first().is_some_and(|b| *b != 0),
            0x6649 => props.depth = u32_at(operand, 0).map_or(0, |d| d as i32),
            0x460B => props.list = u16_at(operand, 0).filter(|ilfo| *ilfo != 0).map(|ilfo| (ilfo, props.list.map_or(0, |l| l.1))),
            0x260A => props.list = props.list.map(|(ilfo, _)| (ilfo, operand.first().copied().unwrap_or(0))),
            0xD608 => props.cells = row_cells(operand),
            _ => {}
        }
    }
    if props.in_table && props.depth == 0 {
        props.depth = 1;
    }
    props
}

/// The sprms of a grpprl with their operands ([MS-DOC] §2.6.1: the operand size follows from
/// the sprm's top three bits, `spra`; 6 means a size byte, or a size word for sprmTDefTable).
fn sprms(mut g: &[u8]) -> Vec<(u16, &[u8])> {
    let mut out = Vec::new();
    while g.len() >= 2 {
        let sprm = u16::from_le_bytes([g[0], g[1]]);
        let rest = &g[2..];
        let (skip, len): (usize, usize) = match sprm >> 13 {
            0 | 1 => (0, 1),
            2 | 4 | 5 => (0, 2),
            3 => (0, 4),
            7 => (0, 3),
            _ if sprm == 0xD608 => (0, u16_at(rest, 0).map_or(usize::MAX, |cb| cb as usize + 1)),
            _ if sprm == 0xC615 && rest.first() == Some(&255) => break,
            _ => (1, rest.first().map_or(usize::MAX, |b| *b as usize)),
        };
        let Some(operand) = rest.get(skip..skip.saturating_add(len)) else { break };
        out.push((sprm, operand));
        g = &rest[skip + len..];
    }
    out
}

/// A row's cells from sprmTDefTable's operand: `cb` (2 bytes), `itcMac`, `itcMac + 1` cell
/// boundaries, then one 20-byte TC80 per cell whose flags hold the vertical merge (bits 5–6: 3
/// the first cell of a merge, 1 a cell merged with the one above).
fn row_cells(operand: &[u8]) -> Vec<(i16, i16, VMerge)> {
    let Some(&n) = operand.get(2) else { return vec![] };
    let n = n as usize;
    let bound = |i: usize| u16_at(operand, 3 + 2 * i).map(|v| v as i16);
    let tc = 3 + 2 * (n + 1);
    (0..n)
        .map_while(|i| {
            let merge = match u16_at(operand, tc + 20 * i).map(|f| (f >> 5) & 3) {
                Some(3) => VMerge::Restart,
                Some(1) => VMerge::Continue,
                _ => VMerge::None,
            };
            Some((bound(i)?, bound(i + 1)?, merge))
        })
        .collect()
}

/// Paragraphs and tables from the text and its marks.
fn structure(text: &[Char], props: &Papx, limits: Limits) -> Document {
    let mut doc = Document::default();
    let mut rows: Vec<(Vec<String>, Props)> = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut cell_paras: Vec<String> = Vec::new();
    let mut para = String::new();
    // Field nesting: true while in a field's code (before its separator).
    let mut fields: Vec<bool> = Vec::new();
    // Numbers Word shows for numbered paragraphs, counted per list and level as in `.docx`.
    let mut counters: HashMap<(u16, u8), u32> = HashMap::new();
    for ch in text {
        match ch.c {
            '\u{13}' => fields.push(true),
            '\u{14}' => {
                if let Some(top) = fields.last_mut() {
                    *top = false;
                }
            }
            '\u{15}' => {
                fields.pop();
            }
            _ if fields.iter().any(|code| *code) => {}
            '\r' | '\u{7}' => {
                let p = props.at(ch.fc);
                let ends_row = ch.c == '\u{7}' && p.row_end;
                if let (Some(list), false) = (p.list, ends_row) {
                    let n = counters.entry(list).or_insert(0);
                    *n += 1;
                    if para.trim().is_empty() {
                        para = n.to_string();
                    }
                }
                if !p.in_table {
                    flush_table(&mut doc, &mut rows, limits);
                    doc.blocks.push(Block::Paragraph(std::mem::take(&mut para)));
                } else if p.depth > 1 {
                    // A nested table's marks: its text stays in the outer cell, its cells
                    // separated by spaces, its rows by line breaks (as for .docx).
                    if p.inner_row {
                        let row = std::mem::take(&mut para);
                        cell_paras.push(row.trim_end_matches(' ').to_string());
                    } else if p.inner_cell && !para.is_empty() {
                        para.push(' ');
                    } else if !p.inner_cell {
                        cell_paras.push(std::mem::take(&mut para));
                    }
                } else if ch.c == '\r' {
                    cell_paras.push(std::mem::take(&mut para));
                } else if p.row_end {
                    rows.push((std::mem::take(&mut cells), p));
                    para.clear();
                } else {
                    cell_paras.push(std::mem::take(&mut para));
                    cells.push(cell_paras.drain(..).filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n"));
                }
            }
            '\u{b}' | '\u{c}' | '\u{e}' => para.push('\n'),
            '\u{1e}' => para.push('-'),
            '\t' => para.push('\t'),
            c if (c as u32) < 0x20 => {}
            c => para.push(c),
        }
    }
    flush_table(&mut doc, &mut rows, limits);
    if !para.is_empty() {
        doc.blocks.push(Block::Paragraph(para));
    }
    doc
}

/// The rows read so far become a table: each cell spans the grid columns between its
/// boundaries, the grid being every boundary of every row.
fn flush_table(doc: &mut Document, rows: &mut Vec<(Vec<String>, Props)>, limits: Limits) {
    if rows.is_empty() {
        return;
    }
    let mut grid: Vec<i16> = rows.iter().flat_map(|(_, p)| p.cells.iter().flat_map(|&(l, r, _)| [l, r])).collect();
    grid.sort_unstable();
    grid.dedup_by(|a, b| (*a - *b).abs() <= 10);
    let column = |x: i16| grid.iter().position(|&g| (g - x).abs() <= 10).unwrap_or(0) as u32;
    let mut table = Table::default();
    for (texts, p) in rows.drain(..).take(limits.max_row as usize) {
        let shaped = texts.len() == p.cells.len() && !p.cells.is_empty();
        let cells = texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| match shaped {
                true => {
                    let (l, r, merge) = p.cells[i];
                    TableCell { text, span: column(r).saturating_sub(column(l)).max(1), merge }
                }
                false => TableCell::new(&text),
            })
            .collect();
        let skip = if shaped { column(p.cells[0].0) } else { 0 };
        table.rows.push(Row { skip, cells });
    }
    doc.blocks.push(Block::Table(table));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sprm_operands_are_sized_by_their_kind() {
        // sprmPFInTable (1 byte), sprmPItap (4 bytes), a variable one (size byte), sprmPFTtp.
        let g = [0x16, 0x24, 1, 0x49, 0x66, 2, 0, 0, 0, 0x00, 0xC6, 2, 9, 9, 0x17, 0x24, 1];
        let got: Vec<(u16, Vec<u8>)> = sprms(&g).into_iter().map(|(s, o)| (s, o.to_vec())).collect();
        assert_eq!(got, vec![(0x2416, vec![1]), (0x6649, vec![2, 0, 0, 0]), (0xC600, vec![9, 9]), (0x2417, vec![1])]);
        // Cut short: what is whole is kept, nothing panics.
        assert_eq!(sprms(&g[..4]).len(), 1);
    }

    #[test]
    fn row_cells_give_boundaries_and_vertical_merges() {
        let mut op = vec![0, 0, 2];
        for b in [0i16, 1000, 3000] {
            op.extend_from_slice(&b.to_le_bytes());
        }
        let mut tc = vec![0u8; 40];
        tc[0] = 3 << 5; // first cell: restart
        op.extend_from_slice(&tc);
        assert_eq!(row_cells(&op), vec![(0, 1000, VMerge::Restart), (1000, 3000, VMerge::None)]);
        assert_eq!(row_cells(&op[..6]), vec![]);
    }

    /// The 序号 column of this 附件1 is numbered by Word (no number in the text); the `.doc`
    /// LibreOffice saved gives the numbers, like the `.docx` it came from.
    #[test]
    fn numbered_paragraphs_get_their_numbers() {
        let read = |name: &str, format| {
            let bytes = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/word").join(name)).unwrap();
            crate::read::workbook::read(&bytes, format, Limits::default(), None).unwrap()
        };
        let column_a = |book: &crate::grid::Workbook| {
            let sheet = &book.sheets[0];
            let rows = sheet.table.unwrap();
            (rows.first_row + 1..=rows.last_row).map(|r| sheet.get(r, 0).map(|v| v.display()).unwrap_or_default()).collect::<Vec<_>>()
        };
        let name = "武汉长江物业管理有限公司_绿洲花园_自查表";
        let docx = read(&format!("python-docx_附件1_{name}.docx"), crate::forms::file::Format::Docx);
        let doc = read(&format!("libreoffice_附件1_{name}.doc"), crate::forms::file::Format::Doc);
        assert_eq!(column_a(&docx), ["1", "2", "3", "4", "5", "6"]);
        assert_eq!(column_a(&doc), column_a(&docx));
    }
}
