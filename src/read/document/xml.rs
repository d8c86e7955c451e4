//! The one walk over a document's XML that the `.docx` and `.odt` readers share: quick-xml
//! events in order, with what neither reader wants handled here once — a subtree the reader
//! skips, the cell limit, the per-file deadline, entity references resolved to characters, and
//! malformed XML as a read error. Each reader only says what an element means.

use crate::grid::{Limits, ReadError};
use quick_xml::events::{BytesEnd, BytesStart, Event};

/// What the walk hands a reader, subtrees it skipped already left out.
pub(super) enum Node<'a> {
    /// An element that opens; the reader answers whether to go inside.
    Open(&'a BytesStart<'a>),
    /// An element without content (`<w:tab/>`).
    Empty(&'a BytesStart<'a>),
    Close(&'a BytesEnd<'a>),
    /// Text, its XML escapes resolved.
    Text(&'a str),
    /// A character written as an entity reference (`&#26376;`).
    Char(char),
    /// A CDATA section, as written.
    CData(&'a str),
}

/// Whether to read an element that opens, or skip it whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Then {
    Enter,
    Skip,
}

/// Walk `xml`, calling `on` for each node. An element named `cell` (its local name) counts
/// against `limits.max_cells_per_sheet` before the reader sees it.
///
/// # Errors
/// Malformed XML, too many cells, or the deadline passed.
pub(super) fn walk(xml: &[u8], limits: Limits, cell: &str, mut on: impl FnMut(Node) -> Then) -> Result<(), ReadError> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    // Depth inside a subtree that is skipped.
    let mut skip = 0usize;
    let mut cells = 0usize;
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| ReadError::Corrupt(format!("XML 错误：{e}")))?;
        match event {
            Event::Eof => break,
            Event::Start(_) if skip > 0 => skip += 1,
            Event::End(_) if skip > 0 => skip -= 1,
            _ if skip > 0 => {}
            Event::Start(e) => {
                if e.local_name().as_ref() == cell {
                    cells += 1;
                    if cells > limits.max_cells_per_sheet {
                        return Err(ReadError::Corrupt(format!("表格单元格超过 {} 个", limits.max_cells_per_sheet)));
                    }
                }
                if on(Node::Open(&e)) == Then::Skip {
                    skip = 1;
                }
            }
            Event::Empty(e) => {
                on(Node::Empty(&e));
            }
            Event::End(e) => {
                on(Node::Close(&e));
            }
            Event::Text(t) => {
                on(Node::Text(&t.xml_content(quick_xml::XmlVersion::Implicit1_0)));
            }
            Event::GeneralRef(r) => {
                if let Some(c) = entity(r.as_ref()) {
                    on(Node::Char(c));
                }
            }
            Event::CData(t) => {
                on(Node::CData(t.as_ref()));
            }
            _ => {}
        }
        buf.clear();
        if limits.deadline.is_some_and(|d| std::time::Instant::now() > d) {
            return Err(ReadError::Corrupt("读取超时".into()));
        }
    }
    Ok(())
}

/// A paragraph that has ended: inside another paragraph (a text box's, a frame's) it joins
/// that one on a new line; otherwise it is one of the body's.
pub(super) fn end_paragraph(outer: Option<&mut String>, text: String, body: &mut super::Body) {
    match outer {
        Some(outer) if !text.is_empty() => {
            if !outer.is_empty() {
                outer.push('\n');
            }
            outer.push_str(&text);
        }
        Some(_) => {}
        None => body.paragraph(text),
    }
}

/// The character an entity reference stands for (`amp`, `#26376`, `#x6708`).
pub(crate) fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let code = name.strip_prefix("#x").map(|h| u32::from_str_radix(h, 16)).or_else(|| name.strip_prefix('#').map(str::parse))?.ok()?;
            char::from_u32(code)
        }
    }
}
