//! `.odt` (OpenDocument text, what LibreOffice and WPS save by default in some set-ups): the
//! `content.xml` member read with quick-xml into the same [`Document`] as Word. Paragraphs
//! (`text:p`, `text:h`, list items) with their spans, `text:s` spaces, tabs and line breaks;
//! tables with `table:number-columns-spanned` (a span), `table:number-rows-spanned` (a vertical
//! merge, the cells it covers being `table:covered-table-cell`), repeated cells and rows.

use super::xml::{end_paragraph, walk, Node, Then};
use super::{Body, Document, TableCell, VMerge};
use crate::grid::{Limits, ReadError};
use quick_xml::events::BytesStart;

/// The document of an `.odt` package.
pub fn read(bytes: &[u8], limits: Limits) -> Result<Document, ReadError> {
    let xml = crate::read::package::member_bytes(bytes, "content.xml")?;
    parse(&xml, limits)
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
        .map(|v| v.into_owned())
}

fn count(e: &BytesStart, name: &str) -> u32 {
    attr(e, name).and_then(|v| v.trim().parse().ok()).unwrap_or(1).clamp(1, 64)
}

/// Where a table being read stands, beyond what [`Body`] keeps: the grid column of the next
/// cell, the covered cells still to skip after a horizontal span, per grid column the rows a
/// vertical merge still covers there (with its width), and how often the row repeats.
#[derive(Default)]
struct Grid {
    col: u32,
    skip: u32,
    below: Vec<(u32, u32)>,
    repeat: u32,
}

/// Parse `content.xml`.
pub fn parse(xml: &[u8], limits: Limits) -> Result<Document, ReadError> {
    let mut body = Body::default();
    // One per table being read, beside `body`'s.
    let mut grids: Vec<Grid> = Vec::new();
    let mut paras: Vec<String> = Vec::new();
    let mut in_body = false;
    walk(xml, limits, "table-cell", |node| {
        match node {
            Node::Open(e) => match e.local_name().as_ref() {
                "text" if !in_body => in_body = true,
                // Notes, annotations and tracked deletions are not what the page shows.
                "note" | "annotation" | "tracked-changes" | "table-columns" | "table-column" => return Then::Skip,
                "p" | "h" if in_body => paras.push(String::new()),
                "table" if in_body => {
                    body.start_table();
                    grids.push(Grid::default());
                }
                "table-row" => {
                    body.start_row();
                    if let Some(g) = grids.last_mut() {
                        (g.col, g.skip, g.repeat) = (0, 0, count(e, "number-rows-repeated"));
                    }
                }
                "table-cell" => start_cell(&mut body, &mut grids, e),
                _ => {}
            },
            Node::Empty(e) => match e.local_name().as_ref() {
                "s" => {
                    let n = count(e, "c") as usize;
                    if let Some(p) = paras.last_mut() {
                        p.push_str(&" ".repeat(n));
                    }
                }
                "tab" => paras.last_mut().into_iter().for_each(|p| p.push('\t')),
                "line-break" => paras.last_mut().into_iter().for_each(|p| p.push('\n')),
                "table-cell" => {
                    // An empty cell, maybe repeated.
                    for _ in 0..count(e, "number-columns-repeated") {
                        start_cell(&mut body, &mut grids, e);
                        end_cell(&mut body, &mut grids);
                    }
                }
                "covered-table-cell" => {
                    for _ in 0..count(e, "number-columns-repeated") {
                        covered(&mut body, &mut grids);
                    }
                }
                "p" | "h" if in_body && paras.is_empty() => body.paragraph(String::new()),
                _ => {}
            },
            Node::Text(t) => paras.last_mut().into_iter().for_each(|p| p.push_str(t)),
            Node::Char(c) => paras.last_mut().into_iter().for_each(|p| p.push(c)),
            Node::Close(e) => match e.local_name().as_ref() {
                "p" | "h" if in_body => {
                    if let Some(text) = paras.pop() {
                        end_paragraph(paras.last_mut(), text, &mut body);
                    }
                }
                "table-cell" => end_cell(&mut body, &mut grids),
                "covered-table-cell" => covered(&mut body, &mut grids),
                "table-row" => end_row(&mut body, &grids),
                "table" => {
                    body.end_table();
                    grids.pop();
                }
                "text" => in_body = false,
                _ => {}
            },
            // LibreOffice writes no CDATA in content.xml.
            Node::CData(_) => {}
        }
        Then::Enter
    })?;
    Ok(body.finish())
}

/// A repeated row (empty rows written once) is repeated as read, within reason.
fn end_row(body: &mut Body, grids: &[Grid]) {
    let repeat = grids.last().map_or(1, |g| g.repeat);
    let Some(t) = body.table() else { return };
    if let Some(row) = t.rows.last().cloned() {
        for _ in 1..repeat.min(16) {
            t.rows.push(row.clone());
        }
    }
}

fn start_cell(body: &mut Body, grids: &mut [Grid], e: &BytesStart) {
    let Some(g) = grids.last_mut() else { return };
    let span = count(e, "number-columns-spanned");
    let rows = count(e, "number-rows-spanned");
    let merge = if rows > 1 {
        let col = g.col as usize;
        if g.below.len() <= col {
            g.below.resize(col + 1, (0, 0));
        }
        g.below[col] = (rows - 1, span);
        VMerge::Restart
    } else {
        VMerge::None
    };
    g.skip = span - 1;
    body.start_cell(span, merge);
}

fn end_cell(body: &mut Body, grids: &mut [Grid]) {
    if let (Some(g), Some(cell)) = (grids.last_mut(), body.cell()) {
        g.col += cell.span;
    }
    body.end_cell();
}

/// A covered cell: the rest of a horizontal span (skipped), or a cell under a vertical merge.
fn covered(body: &mut Body, grids: &mut [Grid]) {
    let Some(g) = grids.last_mut() else { return };
    if g.skip > 0 {
        g.skip -= 1;
        return;
    }
    let col = g.col as usize;
    let (span, merge) = match g.below.get_mut(col) {
        Some((left, span)) if *left > 0 => {
            *left -= 1;
            (*span, VMerge::Continue)
        }
        _ => (1, VMerge::None),
    };
    g.skip = span - 1;
    g.col += span;
    if let Some(row) = body.table().and_then(|t| t.rows.last_mut()) {
        row.cells.push(TableCell { text: String::new(), span, merge });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::document::Block;

    #[test]
    fn paragraphs_tables_spans_and_covered_cells() {
        let xml = r#"<office:document-content xmlns:office="o" xmlns:text="t" xmlns:table="tb"><office:body><office:text>
            <text:p>附件2</text:p><text:p>物业项目：<text:s text:c="3"/>甲<text:tab/>乙<text:line-break/>丙</text:p>
            <table:table><table:table-column table:number-columns-repeated="4"/>
              <table:table-row><table:table-cell><text:p>序号</text:p></table:table-cell><table:table-cell><text:p>内容</text:p></table:table-cell>
                <table:table-cell table:number-columns-spanned="2"><text:p>数量</text:p></table:table-cell><table:covered-table-cell/></table:table-row>
              <table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>案例</text:p></table:table-cell><table:table-cell table:number-columns-repeated="3"/></table:table-row>
              <table:table-row><table:covered-table-cell/><table:table-cell><text:p>b</text:p><text:p>c</text:p></table:table-cell></table:table-row>
            </table:table><text:p>表后</text:p></office:text></office:body></office:document-content>"#;
        let d = parse(xml.as_bytes(), Limits::default()).unwrap();
        assert_eq!(d.blocks[1], Block::Paragraph("物业项目：   甲\t乙\n丙".into()));
        let Block::Table(t) = &d.blocks[2] else { panic!("{d:?}") };
        assert_eq!(t.rows[0].cells.len(), 3);
        assert_eq!(t.rows[0].cells[2], TableCell { span: 2, ..TableCell::new("数量") });
        assert_eq!(t.rows[1].cells[0].merge, VMerge::Restart);
        assert_eq!(t.rows[1].cells.len(), 4, "three repeated empty cells");
        assert_eq!(t.rows[2].cells[0].merge, VMerge::Continue);
        assert_eq!(t.rows[2].cells[1].text, "b\nc");
        assert_eq!(d.blocks[3], Block::Paragraph("表后".into()));
    }
}
