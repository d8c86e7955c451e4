//! Word returns for the tests: the same forms as the workbook writer, laid out as the notice
//! prints them (paragraphs for the 附件 label, title and header lines, then a table), written
//! straight as WordprocessingML into a zip. Only what a form needs; enough variety of how Word
//! stores the same thing (spans, vertical merges, automatic numbers, line breaks) to test the
//! reader.

use crate::{MonthlyForm, SelfCheckForm, SheetForm, Typed};
use chrono::Datelike;
use huizong::forms::INDICATORS;
use std::io::Write;

/// How a document stores what the submitter sees.
#[derive(Debug, Clone, Copy, Default)]
pub struct WordStyle {
    /// 序号 cells hold no text: Word numbers them (`w:numPr`).
    pub auto_numbers: bool,
    /// A line break inside a cell as `w:br` rather than a second paragraph.
    pub breaks_as_br: bool,
    /// Labels of the 附件2 text rows merged vertically over two rows (`w:vMerge`).
    pub merged_text_labels: bool,
    /// Full-width spaces between the header line's parts, as people align it.
    pub full_width_spaces: bool,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A paragraph; line breaks in `text` become `w:br` or separate paragraphs.
fn para(text: &str, style: WordStyle) -> String {
    if style.breaks_as_br || !text.contains('\n') {
        let runs: Vec<String> = text.split('\n').map(|l| format!("<w:t xml:space=\"preserve\">{}</w:t>", esc(l))).collect();
        format!("<w:p><w:r>{}</w:r></w:p>", runs.join("<w:br/>"))
    } else {
        text.split('\n').map(|l| para(l, style)).collect()
    }
}

fn typed(v: &Typed) -> String {
    match v {
        Typed::Blank => String::new(),
        Typed::Text(s) => s.clone(),
        Typed::Number(n) if n.fract() == 0.0 => format!("{}", *n as i64),
        Typed::Number(n) => n.to_string(),
        Typed::Date(d) => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
    }
}

/// A cell: its properties and paragraphs.
fn cell(text: &str, span: u32, merge: Option<&str>, style: WordStyle) -> String {
    let mut pr = String::new();
    if span > 1 {
        pr.push_str(&format!("<w:gridSpan w:val=\"{span}\"/>"));
    }
    match merge {
        Some("restart") => pr.push_str("<w:vMerge w:val=\"restart\"/>"),
        Some(_) => pr.push_str("<w:vMerge/>"),
        None => {}
    }
    format!("<w:tc><w:tcPr>{pr}</w:tcPr>{}</w:tc>", para(text, style))
}

fn numbered_cell() -> String {
    "<w:tc><w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr></w:p></w:tc>".into()
}

fn row(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

fn self_check(f: &SelfCheckForm, style: WordStyle) -> String {
    let gap = if style.full_width_spaces { "　　　" } else { "        " };
    let mut out = String::new();
    if f.layout.attachment_line {
        out.push_str(&para("附件1", style));
    }
    out.push_str(&para("专项整治自查表", style));
    out.push_str(&para(&format!("物业项目：{}{gap}物业公司名称（盖章）：{}{gap}填报日期：{}", f.project, f.company, f.fill_date), style));
    let headers = if f.layout.broken_headers {
        ["序\n号", "整改重点", "问题描述", "整改责任人及联系方式", "整改完\n成期限"]
    } else {
        ["序号", "整改重点", "问题描述", "整改责任人及联系方式", "整改完成期限"]
    };
    let mut rows = vec![row(&headers.iter().map(|h| cell(h, 1, None, style)).collect::<Vec<_>>())];
    for r in &f.rows {
        let no = if style.auto_numbers { numbered_cell() } else { cell(&typed(&r.no), 1, None, style) };
        rows.push(row(&[
            no,
            cell(&r.focus, 1, None, style),
            cell(&typed(&r.description), 1, None, style),
            cell(&typed(&r.responsible), 1, None, style),
            cell(&typed(&r.deadline), 1, None, style),
        ]));
    }
    out.push_str(&format!("<w:tbl>{}</w:tbl>", rows.concat()));
    out
}

fn monthly(f: &MonthlyForm, style: WordStyle) -> String {
    let mut out = String::new();
    if f.layout.attachment_line {
        out.push_str(&para("附件2", style));
    }
    out.push_str(&para("专项整治月度工作汇总表", style));
    out.push_str(&para(&f.month, style));
    out.push_str(&para(&format!("{}（盖章）   汇总人：{}   联系方式：{}", f.unit, f.compiler, f.contact), style));
    let get = |id: &str| f.values.iter().find(|(i, _, _)| *i == id).map(|(_, a, b)| (typed(a), typed(b)));
    let mut rows = vec![row(&[cell("序号", 1, None, style), cell("内容", 1, None, style), cell("数量", 2, None, style)])];
    let mut split_written = false;
    for d in &INDICATORS {
        if d.part_of.is_some() && !f.part_row {
            continue;
        }
        if !d.id.single_column() && !split_written {
            split_written = true;
            rows.push(row(&[cell("专项整治工作开展以来", 2, None, style), cell("本月", 1, None, style), cell("累积", 1, None, style)]));
        }
        let Some((a, b)) = get(d.code) else { continue };
        let label = match INDICATORS.iter().find(|p| p.part_of == Some(d.id)) {
            Some(part) => format!("{}({}）", d.wording, part.wording),
            None => d.wording.to_string(),
        };
        let mut cells = vec![cell(d.code, 1, None, style), cell(&label, 1, None, style)];
        if d.id.single_column() {
            cells.push(cell(&a, 2, None, style));
        } else {
            cells.push(cell(&a, 1, None, style));
            cells.push(cell(&b, 1, None, style));
        }
        rows.push(row(&cells));
    }
    rows.push(row(&[cell("项   目", 1, None, style), cell("详 细 描 述", 3, None, style)]));
    for (label, text) in [("典型案例\n和事例", &f.cases), ("专项整治\n经验做法", &f.experience)] {
        if style.merged_text_labels {
            // The label spans two rows; the text sits in the first, the second is left empty.
            rows.push(row(&[cell(label, 1, Some("restart"), style), cell(text, 3, None, style)]));
            rows.push(row(&[cell("", 1, Some("continue"), style), cell("", 3, None, style)]));
        } else {
            rows.push(row(&[cell(label, 1, None, style), cell(text, 3, None, style)]));
        }
    }
    out.push_str(&format!("<w:tbl>{}</w:tbl>", rows.concat()));
    out
}

/// A `.docx` holding the forms one after another (a blank paragraph between them).
pub fn document(forms: &[SheetForm], style: WordStyle) -> Vec<u8> {
    let mut body = String::new();
    for form in forms {
        match form {
            SheetForm::SelfCheck(f) => body.push_str(&self_check(f, style)),
            SheetForm::Monthly(f) => body.push_str(&monthly(f, style)),
            SheetForm::Text(lines) => lines.iter().for_each(|l| body.push_str(&para(l, style))),
        }
        body.push_str("<w:p/>");
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string(),
        ),
        ("word/document.xml", xml),
    ];
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        z.start_file(name, zip::write::SimpleFileOptions::default()).expect("a zip member");
        z.write_all(text.as_bytes()).expect("written to memory");
    }
    z.finish().expect("a finished zip").into_inner()
}
