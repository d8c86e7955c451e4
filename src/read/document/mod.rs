//! Word returns (`docs/contract.md`, "The forms read"): a document becomes the same grids the extractors read from a
//! spreadsheet, so recognition and extraction are shared. Each table is one grid, named `表N`
//! (N its 1-based position in the document), holding above the table the paragraphs since the
//! previous table (the 附件 label, the title, the header line, 附件2's month and unit lines), one
//! per row in column A; then the table's rows, horizontal spans expanded (a cell spanning two
//! grid columns is a merged region, its text in the first) and vertical merges as merged
//! regions; after the last table, the paragraphs that follow it. [`TableRows`] tells which rows
//! are the table's, so that a location counts from the table's first row.
//!
//! The readers (`docx`, `doc`, `odt`) produce a [`Document`]; this module turns it into a
//! [`Workbook`].

pub mod doc;
pub mod docx;
pub mod odt;
mod xml;

use crate::grid::{Limits, ReadError, Region, Sheet, TableRows, Value, Workbook};

/// A document's body in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(String),
    Table(Table),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// Grid columns left empty before the first cell (`w:gridBefore`).
    pub skip: u32,
    pub cells: Vec<TableCell>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableCell {
    /// The cell's paragraphs joined with line breaks.
    pub text: String,
    /// Grid columns the cell spans (`w:gridSpan`), at least 1.
    pub span: u32,
    pub merge: VMerge,
}

impl TableCell {
    pub fn new(text: &str) -> TableCell {
        TableCell { text: text.to_string(), span: 1, merge: VMerge::None }
    }
}

/// A cell's part in a vertical merge (`w:vMerge`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VMerge {
    None,
    /// The first cell of a vertical merge: it holds the text.
    Restart,
    /// A cell covered by the one above.
    Continue,
}

/// What a streaming XML reader (`docx`, `odt`) builds as it goes: the body's blocks, and a
/// stack of the tables being read (a table inside a cell is pushed on its outer table), each
/// with its rows and the cell being read. Kept here so both readers nest tables and place
/// paragraphs the same way.
#[derive(Default)]
pub(crate) struct Body {
    doc: Document,
    tables: Vec<OpenTable>,
}

/// A table being read.
#[derive(Default)]
pub(crate) struct OpenTable {
    pub rows: Vec<Row>,
    /// The cell being read: its paragraphs, its span and its part in a vertical merge.
    pub cell: Option<OpenCell>,
}

pub(crate) struct OpenCell {
    pub paragraphs: Vec<String>,
    pub span: u32,
    pub merge: VMerge,
}

impl Body {
    /// A finished paragraph: into the cell being read, else the body.
    pub fn paragraph(&mut self, text: String) {
        match self.cell() {
            Some(cell) => cell.paragraphs.push(text),
            None => self.doc.blocks.push(Block::Paragraph(text)),
        }
    }

    pub fn start_table(&mut self) {
        self.tables.push(OpenTable::default());
    }

    /// The innermost table being read.
    pub fn table(&mut self) -> Option<&mut OpenTable> {
        self.tables.last_mut()
    }

    /// The cell being read in the innermost table.
    pub fn cell(&mut self) -> Option<&mut OpenCell> {
        self.tables.last_mut().and_then(|t| t.cell.as_mut())
    }

    pub fn start_row(&mut self) {
        if let Some(t) = self.table() {
            t.rows.push(Row::default());
        }
    }

    pub fn start_cell(&mut self, span: u32, merge: VMerge) {
        if let Some(t) = self.table() {
            t.cell = Some(OpenCell { paragraphs: Vec::new(), span, merge });
        }
    }

    /// The cell being read joins its row, its paragraphs joined with line breaks.
    pub fn end_cell(&mut self) {
        let Some(t) = self.table() else { return };
        let Some(open) = t.cell.take() else { return };
        let cell = TableCell { text: open.paragraphs.join("\n"), span: open.span, merge: open.merge };
        match t.rows.last_mut() {
            Some(row) => row.cells.push(cell),
            None => t.rows.push(Row { skip: 0, cells: vec![cell] }),
        }
    }

    /// A finished table: into the body, or, nested, into its outer cell as text (one line
    /// per row, cells separated by spaces).
    pub fn end_table(&mut self) {
        let Some(done) = self.tables.pop() else { return };
        match self.cell() {
            Some(cell) => cell.paragraphs.extend(done.rows.iter().map(|r| r.cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" "))),
            None => self.doc.blocks.push(Block::Table(Table { rows: done.rows })),
        }
    }

    /// The document read; tables left open by a cut-short file are closed.
    pub fn finish(mut self) -> Document {
        while !self.tables.is_empty() {
            self.end_cell();
            self.end_table();
        }
        self.doc
    }
}

/// The grids of a document: one per table (see the module's documentation). A document with
/// no table gives one grid of its paragraphs, named `正文`, so that a title without a table is
/// still reported.
pub fn to_workbook(doc: &Document, limits: Limits) -> Result<Workbook, ReadError> {
    let mut sheets: Vec<Sheet> = Vec::new();
    let mut pending: Vec<&str> = Vec::new();
    for block in &doc.blocks {
        if limits.deadline.is_some_and(|d| std::time::Instant::now() > d) {
            return Err(ReadError::Corrupt("读取超时".into()));
        }
        match block {
            Block::Paragraph(text) => {
                if !text.trim().is_empty() {
                    pending.push(text);
                }
            }
            Block::Table(table) => {
                let index = sheets.len() as u32 + 1;
                sheets.push(table_grid(index, &pending, table, limits));
                pending.clear();
            }
        }
    }
    match sheets.last_mut() {
        Some(last) => {
            let first = last.max_row().map_or(0, |r| r + 1);
            for (row, text) in (first..).zip(pending) {
                push_text(last, row, 0, text, limits);
            }
        }
        None => {
            let mut sheet = Sheet { name: "正文".into(), ..Sheet::default() };
            for (row, text) in pending.into_iter().enumerate() {
                push_text(&mut sheet, row as u32, 0, text, limits);
            }
            sheets.push(sheet);
        }
    }
    Ok(Workbook { sheets, names: vec![] })
}

/// One table with the paragraphs before it.
fn table_grid(index: u32, before: &[&str], table: &Table, limits: Limits) -> Sheet {
    let mut sheet = Sheet { name: format!("表{index}"), ..Sheet::default() };
    for (row, text) in before.iter().enumerate() {
        push_text(&mut sheet, row as u32, 0, text, limits);
    }
    let first_row = before.len() as u32;
    // Open vertical merges by their first grid column: the index of their region.
    let mut open: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    for (r, row) in table.rows.iter().enumerate() {
        let grid_row = first_row + r as u32;
        let mut col = row.skip;
        for cell in &row.cells {
            let span = cell.span.clamp(1, 64);
            let last_col = col + span - 1;
            match cell.merge {
                VMerge::Continue => match open.get(&col) {
                    Some(&i) => {
                        sheet.merges[i].last_row = grid_row;
                        // Word hides text typed into a covered cell; it is kept, so that it is
                        // read or reported like any other cell, never lost.
                        push_text(&mut sheet, grid_row, col, &cell.text, limits);
                    }
                    // A continuation with nothing above to continue: read it as a cell.
                    None => place(&mut sheet, grid_row, col, last_col, &cell.text, limits),
                },
                VMerge::Restart => {
                    place(&mut sheet, grid_row, col, last_col, &cell.text, limits);
                    sheet.merges.push(Region { first_row: grid_row, first_col: col, last_row: grid_row, last_col });
                    open.insert(col, sheet.merges.len() - 1);
                }
                VMerge::None => {
                    open.remove(&col);
                    place(&mut sheet, grid_row, col, last_col, &cell.text, limits);
                }
            }
            col = last_col + 1;
        }
    }
    // One-row "merges" left by a restart that nothing continued are no merges.
    sheet.merges.retain(|m| m.first_row != m.last_row || m.first_col != m.last_col);
    let last_row = (first_row + table.rows.len() as u32).saturating_sub(1).max(first_row);
    sheet.table = Some(TableRows { index, first_row, last_row });
    sheet
}

/// A cell's text at (row, col), spanning to `last_col`.
fn place(sheet: &mut Sheet, row: u32, col: u32, last_col: u32, text: &str, limits: Limits) {
    push_text(sheet, row, col, text, limits);
    if last_col > col {
        sheet.merges.push(Region { first_row: row, first_col: col, last_row: row, last_col });
    }
}

fn push_text(sheet: &mut Sheet, row: u32, col: u32, text: &str, limits: Limits) {
    if text.trim().is_empty() {
        return;
    }
    if sheet.cells.len() >= limits.max_cells_per_sheet || row > limits.max_row || col > 16_383 {
        sheet.truncated = true;
        return;
    }
    sheet.cells.insert((row, col), Value::Text(text.to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Location;

    fn para(t: &str) -> Block {
        Block::Paragraph(t.into())
    }

    fn row(cells: Vec<TableCell>) -> Row {
        Row { skip: 0, cells }
    }

    fn text(sheet: &Sheet, r: u32, c: u32) -> String {
        sheet.get(r, c).map(Value::display).unwrap_or_default()
    }

    #[test]
    fn each_table_is_a_grid_with_the_paragraphs_before_it() {
        let spanned = TableCell { span: 2, ..TableCell::new("数量") };
        let restart = TableCell { merge: VMerge::Restart, ..TableCell::new("典型案例") };
        let cont = TableCell { merge: VMerge::Continue, ..TableCell::new("") };
        let doc = Document {
            blocks: vec![
                para("附件2"),
                para(""),
                para("专项整治月度工作汇总表"),
                Block::Table(Table {
                    rows: vec![
                        row(vec![TableCell::new("序号"), TableCell::new("内容"), spanned]),
                        row(vec![restart, TableCell::new("a"), TableCell::new("1"), TableCell::new("2")]),
                        row(vec![cont, TableCell::new("b"), TableCell::new("3"), TableCell::new("4")]),
                    ],
                }),
                para("注：两张表之间的文字"),
                Block::Table(Table { rows: vec![Row { skip: 1, cells: vec![TableCell::new("x")] }] }),
                para("文末"),
            ],
        };
        let book = to_workbook(&doc, Limits::default()).unwrap();
        assert_eq!(book.sheets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["表1", "表2"]);
        let one = &book.sheets[0];
        assert_eq!((text(one, 0, 0), text(one, 1, 0)), ("附件2".into(), "专项整治月度工作汇总表".into()), "blank paragraphs dropped");
        assert_eq!(one.table, Some(TableRows { index: 1, first_row: 2, last_row: 4 }));
        assert_eq!(text(one, 2, 2), "数量");
        assert!(one.merges.contains(&Region { first_row: 2, first_col: 2, last_row: 2, last_col: 3 }), "{:?}", one.merges);
        assert!(one.merges.contains(&Region { first_row: 3, first_col: 0, last_row: 4, last_col: 0 }), "{:?}", one.merges);
        assert_eq!(text(one, 4, 3), "4");
        let two = &book.sheets[1];
        assert_eq!((text(two, 0, 0), text(two, 1, 1), text(two, 2, 0)), ("注：两张表之间的文字".into(), "x".into(), "文末".into()));

        // Locations count from the table's first row; a paragraph has no cell.
        let at = |s: &Sheet, r, c| Location::of_sheet("a.docx", s).at(crate::findings::At::cell(r, c));
        assert_eq!(at(one, 4, 3).columns(), ("表1".to_string(), "D3".to_string()));
        assert_eq!(at(one, 4, 3).word_place().as_deref(), Some("第1个表格第3行第4列"));
        assert_eq!(at(one, 0, 0).columns(), ("表1".to_string(), String::new()));
        assert_eq!(at(one, 0, 0).word_place(), None);
    }

    #[test]
    fn a_document_without_tables_is_one_grid_of_paragraphs() {
        let book = to_workbook(&Document { blocks: vec![para("专项整治自查表"), para("物业项目：甲")] }, Limits::default()).unwrap();
        assert_eq!(book.sheets.len(), 1);
        assert_eq!((book.sheets[0].name.as_str(), book.sheets[0].table), ("正文", None));
        assert_eq!(text(&book.sheets[0], 1, 0), "物业项目：甲");
    }

    /// The same document as python-docx wrote it and as LibreOffice saved it as `.doc`
    /// (fixtures/word/make_structure.py): a span, a vertical merge, two paragraphs and a line
    /// break in a cell, numbered paragraphs, a nested table. Both become the same grid.
    #[test]
    fn a_doc_reads_into_the_same_grid_as_its_docx() {
        let read = |name: &str, format| {
            let bytes = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/word").join(name)).unwrap();
            crate::read::workbook::read(&bytes, format, Limits::default(), None).unwrap()
        };
        let docx = read("structure.docx", crate::forms::file::Format::Docx);
        let doc = read("libreoffice_structure.doc", crate::forms::file::Format::Doc);
        let (a, b) = (&docx.sheets[0], &doc.sheets[0]);
        assert_eq!(a.table, b.table);
        assert_eq!(text(a, 2, 0), "横向合并A1B1");
        assert!(a.merges.contains(&Region { first_row: 2, first_col: 0, last_row: 2, last_col: 1 }), "{:?}", a.merges);
        assert!(a.merges.contains(&Region { first_row: 3, first_col: 0, last_row: 4, last_col: 0 }), "{:?}", a.merges);
        assert_eq!(text(a, 3, 1), "第一段\n第二段前\n第二段后(换行后)");
        assert_eq!(text(a, 4, 1), "外层\n内1 内2");
        // The grids agree cell for cell, merges included (the .doc's numbered paragraphs carry
        // no number in the text either).
        let cells = |s: &Sheet| s.cells.iter().map(|(k, v)| (*k, v.display())).collect::<Vec<_>>();
        assert_eq!(cells(b), cells(a));
        let merges = |s: &Sheet| {
            let mut m: Vec<_> = s.merges.iter().map(|r| (r.first_row, r.first_col, r.last_row, r.last_col)).collect();
            m.sort_unstable();
            m
        };
        assert_eq!(merges(b), merges(a));
    }
}
