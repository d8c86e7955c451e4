//! A small `.docx` writer for what huizong hands to people: the blank forms of
//! `huizong template` and the printable 退回修改通知 / 催报 notes. Paragraphs and bordered tables in
//! 宋体 on A4, written straight as WordprocessingML into a zip (the zip crate the readers use),
//! which Word, WPS and LibreOffice open. Written here rather than with a docx crate: the few
//! elements needed are a page of XML, and no maintained crate writes East Asian fonts and
//! table spans more simply.

use std::io::Write;

/// How a paragraph looks.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Look {
    pub bold: bool,
    pub centered: bool,
    /// Font size in points; 0 = the body size (10.5 pt, 五号).
    pub size: u32,
    /// 黑体 instead of 宋体.
    pub heading_font: bool,
}

/// One cell of a table: its text (line breaks become separate paragraphs) and how many grid
/// columns it spans.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub span: u32,
}

impl Cell {
    pub fn new(text: &str) -> Cell {
        Cell { text: text.to_string(), span: 1 }
    }

    pub fn spanning(text: &str, span: u32) -> Cell {
        Cell { text: text.to_string(), span }
    }
}

/// A document being built.
#[derive(Debug, Default)]
pub struct Document {
    body: String,
    landscape: bool,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn run(text: &str, look: Look) -> String {
    let font = if look.heading_font { "黑体" } else { "宋体" };
    let mut pr = format!("<w:rFonts w:ascii=\"{font}\" w:hAnsi=\"{font}\" w:eastAsia=\"{font}\"/>");
    if look.bold {
        pr.push_str("<w:b/>");
    }
    let half_points = if look.size == 0 { 21 } else { look.size * 2 };
    pr.push_str(&format!("<w:sz w:val=\"{half_points}\"/><w:szCs w:val=\"{half_points}\"/>"));
    format!("<w:r><w:rPr>{pr}</w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(text))
}

fn paragraph(text: &str, look: Look) -> String {
    let jc = if look.centered { "<w:jc w:val=\"center\"/>" } else { "" };
    let runs = if text.is_empty() { String::new() } else { run(text, look) };
    format!("<w:p><w:pPr>{jc}</w:pPr>{runs}</w:p>")
}

impl Document {
    pub fn new() -> Document {
        Document::default()
    }

    /// Print the page across (landscape A4).
    pub fn landscape(&mut self) -> &mut Document {
        self.landscape = true;
        self
    }

    /// A paragraph per line of `text`.
    pub fn text(&mut self, text: &str, look: Look) -> &mut Document {
        for line in text.split('\n') {
            self.body.push_str(&paragraph(line, look));
        }
        self
    }

    /// Start a new page.
    pub fn page_break(&mut self) -> &mut Document {
        self.body.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
        self
    }

    /// A bordered table; `widths` are the grid columns in twentieths of a point, and each row's
    /// spans add up to their number.
    pub fn table(&mut self, widths: &[u32], rows: &[Vec<Cell>]) -> &mut Document {
        let border = |side: &str| format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>");
        let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"].iter().map(|s| border(s)).collect();
        let grid: String = widths.iter().map(|w| format!("<w:gridCol w:w=\"{w}\"/>")).collect();
        let mut xml = format!("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:jc w:val=\"center\"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>");
        for row in rows {
            xml.push_str("<w:tr><w:trPr><w:trHeight w:val=\"454\"/></w:trPr>");
            let mut col = 0usize;
            for cell in row {
                let span = cell.span.max(1) as usize;
                let width: u32 = widths.iter().skip(col).take(span).sum();
                col += span;
                let grid_span = if span > 1 { format!("<w:gridSpan w:val=\"{span}\"/>") } else { String::new() };
                let paragraphs: String = cell.text.split('\n').map(|l| paragraph(l, Look::default())).collect();
                xml.push_str(&format!(
                    "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>{grid_span}<w:vAlign w:val=\"center\"/></w:tcPr>{paragraphs}</w:tc>"
                ));
            }
            xml.push_str("</w:tr>");
        }
        xml.push_str("</w:tbl>");
        self.body.push_str(&xml);
        self
    }

    /// The `.docx` bytes.
    pub fn finish(&self) -> Vec<u8> {
        // Writing to memory cannot fail; a failure would be a bug in the zip crate.
        let mut stream = Stream::new(std::io::Cursor::new(Vec::new()), self.landscape).expect("a zip in memory");
        stream.append(self).expect("written to memory");
        stream.finish().expect("a finished zip in memory").into_inner()
    }
}

/// A `.docx` written as it is made: documents appended one after another (a page each, say)
/// go straight into the zip, so thousands of replies are never one string in memory.
pub struct Stream<W: Write + std::io::Seek> {
    zip: zip::ZipWriter<W>,
    landscape: bool,
}

impl<W: Write + std::io::Seek> Stream<W> {
    /// Start the package in `out`: its fixed parts, then the document's opening.
    ///
    /// # Errors
    /// Writing to `out`.
    pub fn new(out: W, landscape: bool) -> zip::result::ZipResult<Stream<W>> {
        let mut zip = zip::ZipWriter::new(out);
        // Stored, not deflated: pages of XML, and thousands of replies at city scale.
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let parts = [
            (
                "[Content_Types].xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>",
            ),
            (
                "_rels/.rels",
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>",
            ),
            (
                "word/document.xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>",
            ),
        ];
        for (name, text) in parts {
            zip.start_file(name, options)?;
            zip.write_all(text.as_bytes())?;
        }
        Ok(Stream { zip, landscape })
    }

    /// Append the body of `d`.
    ///
    /// # Errors
    /// Writing to the output.
    pub fn append(&mut self, d: &Document) -> std::io::Result<()> {
        self.zip.write_all(d.body.as_bytes())
    }

    /// Close the document (page setup last, as WordprocessingML wants it) and the package.
    ///
    /// # Errors
    /// Writing to the output.
    pub fn finish(mut self) -> zip::result::ZipResult<W> {
        let (w, h, orient) = if self.landscape { (16838, 11906, " w:orient=\"landscape\"") } else { (11906, 16838, "") };
        let sect = format!("<w:sectPr><w:pgSz w:w=\"{w}\" w:h=\"{h}\"{orient}/><w:pgMar w:top=\"1440\" w:right=\"1247\" w:bottom=\"1440\" w:left=\"1247\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>");
        self.zip.write_all(sect.as_bytes())?;
        self.zip.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_reads_back_as_its_paragraphs_and_table() {
        let mut d = Document::new();
        d.text("附件1\n标题 <&>", Look { bold: true, ..Look::default() });
        d.table(&[1000, 2000, 1000], &[vec![Cell::new("序号"), Cell::spanning("内容", 2)], vec![Cell::new("1"), Cell::new("甲\n乙"), Cell::new("")]]);
        let doc = crate::read::document::docx::read(&d.finish(), crate::grid::Limits::default()).unwrap();
        let grids = crate::read::document::to_workbook(&doc, crate::grid::Limits::default()).unwrap();
        let sheet = &grids.sheets[0];
        let text = |r, c| sheet.get(r, c).map(|v| v.display()).unwrap_or_default();
        assert_eq!((text(0, 0), text(1, 0)), ("附件1".to_string(), "标题 <&>".to_string()));
        assert_eq!((text(2, 0), text(2, 1), text(3, 1)), ("序号".to_string(), "内容".to_string(), "甲\n乙".to_string()));
        assert!(sheet.merges.iter().any(|m| m.first_row == 2 && m.first_col == 1 && m.last_col == 2), "the span is a merged region");
    }
}
