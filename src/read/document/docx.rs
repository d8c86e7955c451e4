//! `.docx`: the main document part (found through the package relationships, like a
//! workbook) read as a stream of XML events with quick-xml, calamine's own parser. Only what a
//! form needs is kept: the body's paragraphs and tables in order; a paragraph's text (runs,
//! tabs, line breaks; tracked deletions and field codes left out, as Word shows them); a
//! table's rows and cells with `w:gridBefore`, `w:gridSpan` and `w:vMerge`; a nested table's
//! text inside its cell; text boxes inside their paragraph. A paragraph numbered by Word
//! (`w:numPr`) whose text is empty gets its number as text, counted per list, as Word shows
//! it in a 序号 column.

use super::xml::{end_paragraph, walk, Node, Then};
use super::{Body, Document, VMerge};
use crate::grid::{Limits, ReadError};
use quick_xml::events::BytesStart;
use std::collections::HashMap;

/// The document of a `.docx` package.
pub fn read(bytes: &[u8], limits: Limits) -> Result<Document, ReadError> {
    let xml = crate::read::package::main_part(bytes)?;
    parse(&xml, limits)
}

/// A paragraph being read: its text so far, and its list if Word numbers it.
#[derive(Default)]
struct Para {
    text: String,
    list: Option<(String, u32)>,
}

/// Parse `word/document.xml` (or whatever the main part is called).
pub fn parse(xml: &[u8], limits: Limits) -> Result<Document, ReadError> {
    let mut body = Body::default();
    let mut paras: Vec<Para> = Vec::new();
    let mut counters: HashMap<(String, u32), u32> = HashMap::new();
    // Inside `w:t`, whose text is kept.
    let mut in_text = false;
    walk(xml, limits, "tc", |node| {
        match node {
            Node::Open(e) => match e.local_name().as_ref() {
                // Word's own fallback repeats the choice's content (text boxes, shapes).
                "Fallback" | "delText" | "instrText" | "sdtPr" | "rPr" => return Then::Skip,
                "p" => paras.push(Para::default()),
                "t" => in_text = true,
                "tbl" => body.start_table(),
                "tr" => body.start_row(),
                "tc" => body.start_cell(1, VMerge::None),
                _ => property(e, &mut body, &mut paras),
            },
            Node::Empty(e) => match e.local_name().as_ref() {
                "tab" => push_char(&mut paras, '\t'),
                "br" | "cr" => push_char(&mut paras, '\n'),
                "noBreakHyphen" => push_char(&mut paras, '-'),
                _ => property(e, &mut body, &mut paras),
            },
            Node::Text(t) | Node::CData(t) if in_text => push_str(&mut paras, t),
            Node::Char(c) if in_text => push_char(&mut paras, c),
            Node::Close(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    if let Some(mut para) = paras.pop() {
                        if let Some(list) = para.list.take() {
                            let n = counters.entry(list).or_insert(0);
                            *n += 1;
                            if para.text.trim().is_empty() {
                                para.text = n.to_string();
                            }
                        }
                        end_paragraph(paras.last_mut().map(|p| &mut p.text), para.text, &mut body);
                    }
                }
                "tc" => body.end_cell(),
                "tbl" => body.end_table(),
                _ => {}
            },
            _ => {}
        }
        Then::Enter
    })?;
    Ok(body.finish())
}

/// A property element that matters: a list, a span, a merge, columns skipped.
fn property(e: &BytesStart, body: &mut Body, paras: &mut [Para]) {
    let val = || {
        e.attributes()
            .flatten()
            .find(|a| a.key.local_name().as_ref() == "val")
            .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
            .map(|v| v.into_owned())
    };
    let number = || val().and_then(|v| v.trim().parse::<u32>().ok());
    match e.local_name().as_ref() {
        "numId" => {
            if let (Some(p), Some(id)) = (paras.last_mut(), val()) {
                // numId 0 means "no numbering".
                if id != "0" {
                    p.list = Some((id, p.list.as_ref().map_or(0, |l| l.1)));
                }
            }
        }
        "ilvl" => {
            if let (Some(p), Some(level)) = (paras.last_mut(), number()) {
                p.list = Some((p.list.take().map_or_else(String::new, |l| l.0), level));
            }
        }
        "gridSpan" => {
            if let (Some(cell), Some(n)) = (body.cell(), number()) {
                cell.span = n.max(1);
            }
        }
        "vMerge" => {
            if let Some(cell) = body.cell() {
                cell.merge = if val().as_deref() == Some("restart") { VMerge::Restart } else { VMerge::Continue };
            }
        }
        "gridBefore" => {
            if let (Some(row), Some(n)) = (body.table().and_then(|t| t.rows.last_mut()), number()) {
                row.skip = n.min(64);
            }
        }
        _ => {}
    }
}

fn push_str(paras: &mut [Para], s: &str) {
    if let Some(p) = paras.last_mut() {
        p.text.push_str(s);
    }
}

fn push_char(paras: &mut [Para], c: char) {
    if let Some(p) = paras.last_mut() {
        p.text.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::document::{Block, TableCell};

    fn doc(body: &str) -> Document {
        let xml = format!(
            r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        parse(xml.as_bytes(), Limits::default()).unwrap()
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    #[test]
    fn paragraphs_and_runs_as_word_shows_them() {
        let d = doc(&format!(
            "{}<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">物业项目：</w:t></w:r><w:r><w:t>梨园&amp;小区</w:t><w:tab/><w:t>A</w:t><w:br/><w:t>B</w:t></w:r><w:del><w:r><w:delText>删掉的</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>",
            p("附件1")
        ));
        assert_eq!(d.blocks, vec![Block::Paragraph("附件1".into()), Block::Paragraph("物业项目：梨园&小区\tA\nB".into())]);
    }

    #[test]
    fn tables_with_spans_merges_skipped_columns_and_paragraphs_in_cells() {
        let d = doc(&format!(
            "{}<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>{}</w:tc><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>{}</w:tc></w:tr>\
             <w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr><w:tc>{}{}</w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>{}",
            p("标题"),
            p("数量"),
            p("案例"),
            p("第一段"),
            p("第二段"),
            p("表后")
        ));
        let Block::Table(t) = &d.blocks[1] else { panic!("{d:?}") };
        assert_eq!(t.rows[0].cells[0], TableCell { span: 2, ..TableCell::new("数量") });
        assert_eq!(t.rows[0].cells[1].merge, VMerge::Restart);
        assert_eq!((t.rows[1].skip, t.rows[1].cells[0].text.as_str()), (1, "第一段\n第二段"));
        assert_eq!(t.rows[1].cells[1].merge, VMerge::Continue);
        assert_eq!(d.blocks[2], Block::Paragraph("表后".into()));
    }

    #[test]
    fn automatic_numbers_are_counted_per_list_and_nested_tables_join_their_cell() {
        let numbered = "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"3\"/></w:numPr></w:pPr></w:p>";
        let d = doc(&format!(
            "<w:tbl><w:tr><w:tc>{numbered}</w:tc><w:tc><w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl></w:tc></w:tr><w:tr><w:tc>{numbered}</w:tc></w:tr></w:tbl>",
            p("内"),
            p("表")
        ));
        let Block::Table(t) = &d.blocks[0] else { panic!("{d:?}") };
        assert_eq!(t.rows[0].cells[0].text, "1");
        assert_eq!(t.rows[1].cells[0].text, "2");
        assert_eq!(t.rows[0].cells[1].text, "内 表");
    }
}
