//! What a zip package holds, found the way Office finds it (ECMA-376 Part 2, Open Packaging
//! Conventions): the package relationships (`_rels/.rels`) name the main part, and
//! `[Content_Types].xml` gives that part's content type. Part names are compared as OPC says,
//! without regard to case; `\` is taken for `/`, because some Windows tools store
//! `xl\workbook.xml`. So a workbook is found wherever its producer put it, Strict OOXML
//! (whose relationship types live under `purl.oclc.org`) included. An OpenDocument package
//! says what it is in its `mimetype` member.
//!
//! Only the central directory and three small members are read, each at most
//! [`MEMBER_LIMIT`] bytes, so a zip bomb costs nothing here (the zip guard refuses it later).

use crate::grid::ReadError;
use quick_xml::events::Event;
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// The most read of `_rels/.rels`, `[Content_Types].xml` or `mimetype`.
const MEMBER_LIMIT: u64 = 1 << 20;

/// What a package's main part is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Package {
    /// An Excel workbook in XML (`.xlsx`, `.xltx`).
    Workbook,
    /// An Excel workbook in XML with macros (`.xlsm`, `.xltm`, `.xlam`).
    MacroWorkbook,
    /// An Excel binary workbook (`.xlsb`).
    BinaryWorkbook,
    /// An OpenDocument spreadsheet (`.ods`, `.ots`).
    OpenDocumentSpreadsheet,
    /// A Word document (`.docx`, `.docm`, `.dotx`).
    WordDocument,
    /// An OpenDocument text (`.odt`).
    OpenDocumentText,
    /// A PowerPoint presentation or an OpenDocument presentation.
    Presentation,
    /// A zip holding none of these.
    Other,
}

/// The package in `bytes`, or `None` when its central directory cannot be read (a truncated
/// or damaged zip, which the caller can only judge by the member names it still sees).
pub fn inspect(bytes: &[u8]) -> Option<Package> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let names = part_names(&zip);
    if let Some(mimetype) = member(&mut zip, &names, "mimetype") {
        let mimetype = String::from_utf8_lossy(&mimetype).trim().to_string();
        return Some(open_document(&mimetype));
    }
    let Some(main) = member(&mut zip, &names, "_rels/.rels").and_then(|rels| office_document(&rels)) else {
        return Some(by_names(&names));
    };
    let content_type = member(&mut zip, &names, "[Content_Types].xml").and_then(|types| content_type_of(&types, &main));
    Some(match content_type {
        Some(ct) => by_content_type(&ct),
        // No content type for the main part: its name is all there is to go by.
        None if main.ends_with(".bin") => Package::BinaryWorkbook,
        None if main.ends_with("workbook.xml") => Package::Workbook,
        None if main.ends_with("document.xml") => Package::WordDocument,
        None => Package::Other,
    })
}

/// The most read of a document's main part: a filled form's `document.xml` is tens of KB.
const MAIN_PART_LIMIT: u64 = 64 << 20;

/// The bytes of the package's main part (`word/document.xml` in a usual `.docx`), found
/// through `_rels/.rels` like the workbook, or why it cannot be read (`ReadError::Corrupt`, in Chinese).
pub fn main_part(bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Corrupt(format!("压缩包无法打开：{e}")))?;
    let names = part_names(&zip);
    let main = member(&mut zip, &names, "_rels/.rels").and_then(|rels| office_document(&rels)).unwrap_or_else(|| "word/document.xml".into());
    let stored = names.get(&main).ok_or_else(|| ReadError::Corrupt(format!("缺少文档正文部件 {main}")))?;
    let file = zip.by_name(stored).map_err(|e| ReadError::Corrupt(format!("文档正文部件无法读取：{e}")))?;
    let mut out = Vec::new();
    file.take(MAIN_PART_LIMIT + 1).read_to_end(&mut out).map_err(|e| ReadError::Corrupt(format!("文档正文部件无法解压：{e}")))?;
    if out.len() as u64 > MAIN_PART_LIMIT {
        return Err(ReadError::Corrupt(format!("文档正文超过 {} MiB", MAIN_PART_LIMIT >> 20)));
    }
    Ok(out)
}

/// The bytes of one member of a zip package (`content.xml` of an OpenDocument file), at most
/// as much as a document's main part, or why it cannot be read (`ReadError::Corrupt`, in Chinese).
pub fn member_bytes(bytes: &[u8], name: &str) -> Result<Vec<u8>, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Corrupt(format!("压缩包无法打开：{e}")))?;
    let names = part_names(&zip);
    let stored = names.get(&normalise(name)).ok_or_else(|| ReadError::Corrupt(format!("缺少 {name}")))?;
    let file = zip.by_name(stored).map_err(|e| ReadError::Corrupt(format!("{name} 无法读取：{e}")))?;
    let mut out = Vec::new();
    file.take(MAIN_PART_LIMIT + 1).read_to_end(&mut out).map_err(|e| ReadError::Corrupt(format!("{name} 无法解压：{e}")))?;
    if out.len() as u64 > MAIN_PART_LIMIT {
        return Err(ReadError::Corrupt(format!("{name} 超过 {} MiB", MAIN_PART_LIMIT >> 20)));
    }
    Ok(out)
}

/// Normalised part name (no leading `/`, `/` separators, lower case) → name as stored.
fn part_names<R: Read + std::io::Seek>(zip: &zip::ZipArchive<R>) -> HashMap<String, String> {
    zip.file_names().flatten().map(|stored| (normalise(&stored), stored.into_owned())).collect()
}

fn normalise(name: &str) -> String {
    name.replace('\\', "/").trim_start_matches('/').to_lowercase()
}

/// A member's bytes (at most [`MEMBER_LIMIT`]), or `None` if it is absent or unreadable.
fn member<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, names: &HashMap<String, String>, name: &str) -> Option<Vec<u8>> {
    let stored = names.get(&normalise(name))?;
    let file = zip.by_name(stored).ok()?;
    let mut out = Vec::new();
    file.take(MEMBER_LIMIT).read_to_end(&mut out).ok()?;
    Some(out)
}

fn open_document(mimetype: &str) -> Package {
    match mimetype.strip_prefix("application/vnd.oasis.opendocument.") {
        Some(kind) if kind.starts_with("spreadsheet") => Package::OpenDocumentSpreadsheet,
        Some(kind) if kind.starts_with("text") => Package::OpenDocumentText,
        Some(kind) if kind.starts_with("presentation") => Package::Presentation,
        _ => Package::Other,
    }
}

/// The target of the package's office-document relationship, normalised. Transitional
/// (`…/2006/relationships/officeDocument`) and Strict (`http://purl.oclc.org/ooxml/
/// officeDocument/relationships/officeDocument`) types both end the same way.
fn office_document(rels: &[u8]) -> Option<String> {
    elements(rels, "Relationship").into_iter().find_map(|attrs| {
        let is_main = attrs.get("Type").is_some_and(|t| t.ends_with("/officeDocument"));
        let external = attrs.get("TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External"));
        attrs.get("Target").filter(|_| is_main && !external).map(|t| normalise(t))
    })
}

/// The content type `[Content_Types].xml` gives the part `part` (normalised): its override,
/// else the default for its extension.
fn content_type_of(types: &[u8], part: &str) -> Option<String> {
    let overridden = elements(types, "Override").into_iter().find_map(|a| {
        let name = a.get("PartName")?;
        (normalise(name) == part).then(|| a.get("ContentType").cloned()).flatten()
    });
    overridden.or_else(|| {
        let ext = part.rsplit_once('.').map(|(_, e)| e)?;
        elements(types, "Default").into_iter().find_map(|a| a.get("Extension").filter(|e| e.eq_ignore_ascii_case(ext)).and(a.get("ContentType")).cloned())
    })
}

fn by_content_type(ct: &str) -> Package {
    let ct = ct.to_ascii_lowercase();
    if ct.contains("spreadsheetml.sheet.main") || ct.contains("spreadsheetml.template.main") {
        Package::Workbook
    } else if ct.contains("ms-excel.sheet.binary.macroenabled.main") {
        Package::BinaryWorkbook
    } else if ct.contains("ms-excel.sheet.macroenabled.main")
        || ct.contains("ms-excel.template.macroenabled.main")
        || ct.contains("ms-excel.addin.macroenabled.main")
    {
        Package::MacroWorkbook
    } else if ct.contains("wordprocessingml") || ct.contains("ms-word.") {
        Package::WordDocument
    } else if ct.contains("presentationml") || ct.contains("ms-powerpoint.") {
        Package::Presentation
    } else {
        Package::Other
    }
}

/// A package without relationships: the usual part names are the only clue left.
fn by_names(names: &HashMap<String, String>) -> Package {
    if names.contains_key("xl/workbook.bin") {
        Package::BinaryWorkbook
    } else if names.contains_key("xl/workbook.xml") {
        Package::Workbook
    } else if names.contains_key("word/document.xml") {
        Package::WordDocument
    } else if names.contains_key("content.xml") && names.contains_key("meta.xml") {
        Package::OpenDocumentSpreadsheet
    } else {
        Package::Other
    }
}

/// The attributes of every element named `name` (by local name) in a small XML document.
/// A document that stops parsing gives the elements seen so far.
fn elements(xml: &[u8], name: &str) -> Vec<HashMap<String, String>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == name => {
                let attrs = e
                    .attributes()
                    .flatten()
                    .filter_map(|a| {
                        let key = a.key.local_name().as_ref().to_string();
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| (key, v.into_owned()))
                    })
                    .collect();
                out.push(attrs);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::path::Path;

    fn zip_of(members: &[(&str, &str)]) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, text) in members {
            z.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            z.write_all(text.as_bytes()).unwrap();
        }
        z.finish().unwrap().into_inner()
    }

    const RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/Book/Main.XML"/></Relationships>"#;

    fn types(ct: &str) -> String {
        format!(
            r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/book/main.xml" ContentType="{ct}"/></Types>"#
        )
    }

    #[test]
    fn the_main_part_is_found_through_relationships_and_content_types() {
        let sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
        for (ct, want) in [
            (sheet, Package::Workbook),
            ("application/vnd.ms-excel.sheet.macroEnabled.main+xml", Package::MacroWorkbook),
            ("application/vnd.ms-excel.sheet.binary.macroEnabled.main", Package::BinaryWorkbook),
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", Package::WordDocument),
            ("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", Package::Presentation),
            ("application/xml", Package::Other),
        ] {
            let bytes = zip_of(&[("[Content_Types].xml", &types(ct)), ("_rels\\.rels", RELS), ("Book\\Main.xml", "<workbook/>")]);
            assert_eq!(inspect(&bytes), Some(want), "{ct}");
        }
    }

    #[test]
    fn without_relationships_the_usual_names_decide() {
        assert_eq!(inspect(&zip_of(&[("xl/workbook.xml", "<workbook/>")])), Some(Package::Workbook));
        assert_eq!(inspect(&zip_of(&[("word/document.xml", "<w:document/>")])), Some(Package::WordDocument));
        assert_eq!(inspect(&zip_of(&[("notes.txt", "hello")])), Some(Package::Other));
        assert_eq!(inspect(&zip_of(&[("mimetype", "application/vnd.oasis.opendocument.spreadsheet")])), Some(Package::OpenDocumentSpreadsheet));
        assert_eq!(inspect(&zip_of(&[("mimetype", "application/vnd.oasis.opendocument.text")])), Some(Package::OpenDocumentText));
        assert_eq!(inspect(b"PK\x03\x04 cut short"), None);
    }

    /// Calamine's odd packages live outside the project with the other files taken from public
    /// repositories (see `../shared/fetched/README.md`).
    fn fetched() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fetched")
    }

    #[test]
    fn real_packages_of_every_shape() {
        let ours = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/packages");
        let calamine = fetched().join("packages");
        for path in [
            calamine.join("issue_530.xlsx"),
            calamine.join("minimal_package.xlsx"),
            calamine.join("strict_iso_paths.xlsx"),
            ours.join("江滩花园_反斜杠路径.xlsx"),
            ours.join("江滩花园_工作簿不在xl目录.xlsx"),
            ours.join("江滩花园_Strict.xlsx"),
        ] {
            let bytes = std::fs::read(&path).unwrap();
            assert_eq!(inspect(&bytes), Some(Package::Workbook), "{}", path.display());
        }
    }
}
