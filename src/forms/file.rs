//! What is known about one input file: its format (from its bytes), what became of it, and the
//! forms read from it. Every stage speaks these; the per-file path (`read`) makes them.

use super::Form;
use crate::findings::Finding;

/// The container a file's first bytes reveal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Xlsx,
    Xlsm,
    /// Excel's binary workbook (a zip of BIFF12 records).
    Xlsb,
    Xls,
    Ods,
    /// A Word document (`.docx`): its tables are read as grids (`read::document`).
    Docx,
    /// A Word 97–2003 binary document (`.doc`, WPS `.wps`), read like `.docx`.
    Doc,
    /// An OpenDocument text (`.odt`), read like `.docx`.
    Odt,
    /// An OLE2 container holding an encrypted OOXML package: a password-protected `.xlsx`.
    EncryptedOoxml,
    Other,
}

impl Format {
    /// The name used in the `files` table.
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsm => "xlsm",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Docx => "docx",
            Format::Doc => "doc",
            Format::Odt => "odt",
            Format::EncryptedOoxml => "encrypted",
            Format::Other => "other",
        }
    }

    /// A spreadsheet calamine reads (Word returns are documents).
    pub fn is_spreadsheet(self) -> bool {
        matches!(self, Format::Xlsx | Format::Xlsm | Format::Xlsb | Format::Xls | Format::Ods)
    }

    /// A zip package (checked by the zip guard before it is opened).
    pub fn is_zip(self) -> bool {
        matches!(self, Format::Xlsx | Format::Xlsm | Format::Xlsb | Format::Ods | Format::Docx | Format::Odt)
    }

    /// Read cell by cell under the per-file deadline, so read inline; the others (.xls, .ods,
    /// .doc) are parsed whole by their readers and read on a watched thread instead.
    pub fn streams_cells(self) -> bool {
        matches!(self, Format::Xlsx | Format::Xlsm | Format::Xlsb | Format::Docx | Format::Odt)
    }

    /// The format a file name's extension claims (case ignored), for files chosen by name
    /// before their bytes are read (the previous workbook in the output folder).
    pub fn of_extension(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "xlsx" => Format::Xlsx,
            "xlsm" => Format::Xlsm,
            "xlsb" => Format::Xlsb,
            "xls" | "et" => Format::Xls,
            "ods" => Format::Ods,
            "docx" => Format::Docx,
            "doc" | "wps" => Format::Doc,
            "odt" => Format::Odt,
            _ => return None,
        })
    }
}

/// An office program's lock file beside an open document (`~$name.xlsx` by Excel and WPS,
/// `.~lock.name.xlsx#` by LibreOffice): never a return, and a sign the document is open.
pub fn is_lock_file(name: &str) -> bool {
    name.starts_with("~$") || name.starts_with(".~lock")
}

/// What became of a file (`files.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileStatus {
    Consolidated,
    Superseded,
    Unrecognized,
    Unreadable,
    Ignored,
}

impl FileStatus {
    pub const ALL: [FileStatus; 5] = [FileStatus::Consolidated, FileStatus::Superseded, FileStatus::Unrecognized, FileStatus::Unreadable, FileStatus::Ignored];

    /// The name used in the tables: `consolidated`.
    pub fn name(self) -> &'static str {
        match self {
            FileStatus::Consolidated => "consolidated",
            FileStatus::Superseded => "superseded",
            FileStatus::Unrecognized => "unrecognized",
            FileStatus::Unreadable => "unreadable",
            FileStatus::Ignored => "ignored",
        }
    }

    /// The Chinese label: `已汇总`.
    pub fn label(self) -> &'static str {
        match self {
            FileStatus::Consolidated => "已汇总",
            FileStatus::Superseded => "已被替代",
            FileStatus::Unrecognized => "未识别",
            FileStatus::Unreadable => "无法读取",
            FileStatus::Ignored => "已忽略",
        }
    }
}

/// One input file and everything read from it, as reading left it (the consolidation adds its
/// verdict beside it, `rules::Settled`, and never changes the record).
#[derive(Debug, Clone)]
pub struct FileRecord {
    /// Path relative to INPUT with `/` separators: the key every output uses.
    pub rel: String,
    pub format: Format,
    pub bytes: u64,
    pub sha256: String,
    /// Modification time, seconds since the epoch: the tie-breaker between re-submissions.
    pub modified: i64,
    /// What reading made of the file (consolidated means forms were found).
    pub status: FileStatus,
    /// Why, in Chinese, when it is not simply consolidated.
    pub reason: String,
    pub forms: Vec<Form>,
    pub findings: Vec<Finding>,
}

impl FileRecord {
    /// A short list of the forms in the file, for the file list.
    pub fn forms_label(&self) -> String {
        self.forms
            .iter()
            .map(|f| match f {
                Form::SelfCheck(s) => format!("附件1:{}", s.project),
                Form::Monthly(m) => format!("附件2:{}:{}", m.unit, m.month_text()),
            })
            .collect::<Vec<_>>()
            .join("；")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_knowledge() {
        assert!(Format::Xlsb.is_spreadsheet() && !Format::Docx.is_spreadsheet() && !Format::EncryptedOoxml.is_spreadsheet());
        assert!(Format::Odt.is_zip() && !Format::Xls.is_zip() && !Format::Doc.is_zip());
        assert!(Format::Xlsx.streams_cells() && !Format::Xls.streams_cells() && !Format::Ods.streams_cells());
        assert_eq!(Format::of_extension("汇总_2021年10月.XLSX"), Some(Format::Xlsx));
        assert_eq!(Format::of_extension("碧波园.et"), Some(Format::Xls));
        assert_eq!(Format::of_extension("说明.txt"), None);
        assert_eq!(Format::of_extension("无扩展名"), None);
        assert!(is_lock_file("~$汇总.xlsx") && is_lock_file(".~lock.汇总.xlsx#") && !is_lock_file("汇总.xlsx"));
    }
}
