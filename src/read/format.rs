//! What a file is, from its bytes (never its extension: a `.xls` that is really an `.xlsx` is
//! read as one), and what to call a file that is no spreadsheet.

use crate::forms::file::Format;

const OLE2_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The format of a file from its whole content. Zip packages are told apart by their
/// member names; OLE2 containers by the streams they hold.
pub fn sniff(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PK\x03\x04") {
        return sniff_zip(bytes);
    }
    if bytes.starts_with(&OLE2_MAGIC) {
        return sniff_ole2(bytes);
    }
    Format::Other
}

/// An OLE2 container by the streams it holds; one whose directory cannot be read is taken
/// for a workbook, and the OLE2 guard says what is damaged.
fn sniff_ole2(bytes: &[u8]) -> Format {
    let Some(names) = super::guards::ole2_names(bytes) else {
        return if contains_utf16(bytes, "EncryptedPackage") { Format::EncryptedOoxml } else { Format::Xls };
    };
    let has = |want: &str| names.iter().any(|n| n.eq_ignore_ascii_case(want));
    if has("EncryptedPackage") {
        Format::EncryptedOoxml
    } else if !has("Workbook") && !has("Book") && has("WordDocument") {
        Format::Doc
    } else {
        Format::Xls
    }
}

fn sniff_zip(bytes: &[u8]) -> Format {
    use super::package::{inspect, Package};
    match inspect(bytes) {
        Some(Package::Workbook) => Format::Xlsx,
        Some(Package::MacroWorkbook) => Format::Xlsm,
        Some(Package::BinaryWorkbook) => Format::Xlsb,
        Some(Package::OpenDocumentSpreadsheet) => Format::Ods,
        Some(Package::WordDocument) => Format::Docx,
        Some(Package::OpenDocumentText) => Format::Odt,
        Some(_) => Format::Other,
        None => sniff_damaged_zip(bytes),
    }
}

/// A zip whose central directory cannot be read: the member names in its local headers are
/// all that tells what it was meant to be, so that calamine can say what is damaged.
fn sniff_damaged_zip(bytes: &[u8]) -> Format {
    if bytes.len() > 80 && find(&bytes[..bytes.len().min(200)], b"application/vnd.oasis.opendocument.spreadsheet") {
        Format::Ods
    } else if find(bytes, b"xl/workbook.bin") {
        Format::Xlsb
    } else if find(bytes, b"xl/workbook.xml") || find(bytes, b"xl/_rels") || find(bytes, b"[Content_Types].xml") && find(bytes, b"xl/") {
        Format::Xlsx
    } else {
        Format::Other
    }
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn contains_utf16(hay: &[u8], text: &str) -> bool {
    let needle: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    find(hay, &needle)
}

/// Why a zip that is not a workbook was refused: a Word document says so.
pub fn describe_other(bytes: &[u8]) -> &'static str {
    if bytes.is_empty() {
        "空文件（0 字节）"
    } else if is_scan(bytes) {
        SCAN
    } else if bytes.starts_with(b"PK\x03\x04") {
        use super::package::{inspect, Package};
        match inspect(bytes) {
            Some(Package::Presentation) => "这是演示文稿（PowerPoint），不是电子表格：请报送 Excel 表格",
            None if find(bytes, b"word/") => "这是 Word 文档，但已损坏或不完整，无法读取：请重新保存后报送",
            None => "压缩包已损坏或不完整，无法读取其中内容",
            _ => "压缩包中没有工作簿或文档内容，不是报表",
        }
    } else {
        "不是电子表格文件（内容无法识别）"
    }
}

/// What a scan of a stamped form (PDF, OFD, picture) is called: it holds no data to read.
const SCAN: &str = "扫描件或图片，无法读取数据：请同时报送可编辑的 Excel 或 Word 文件";

/// PDF, OFD (China's fixed-layout format: a zip holding `OFD.xml`) or a picture.
fn is_scan(bytes: &[u8]) -> bool {
    const PICTURES: [&[u8]; 5] = [b"\x89PNG", b"\xFF\xD8\xFF", b"GIF8", b"II*\0", b"MM\0*"];
    bytes.starts_with(b"%PDF") || PICTURES.iter().any(|p| bytes.starts_with(p)) || (bytes.starts_with(b"PK\x03\x04") && find(bytes, b"OFD.xml"))
}

/// A spreadsheet in a format huizong does not read, and what the submitter should do.
pub fn unsupported_spreadsheet(bytes: &[u8]) -> Option<&'static str> {
    // BIFF2–4: a bare stream (no OLE2 container) opening with a BOF record 0x0009/0x0209/0x0409.
    if bytes.len() >= 4 && bytes[0] == 0x09 && matches!(bytes[1], 0x00 | 0x02 | 0x04) && bytes[2] <= 0x10 && bytes[3] == 0 {
        return Some("这是旧版 Excel（2.x–4.x）工作表格式，无法读取：请用 Excel 或 WPS 另存为 .xlsx 后报送");
    }
    let head = &bytes[..bytes.len().min(4096)];
    if head.starts_with(b"<?xml") && find(head, b"office:document") && find(head, b"opendocument.spreadsheet") {
        return Some("这是 LibreOffice 平面 XML 表格（.fods），无法读取：请用 LibreOffice 另存为 .ods 或 .xlsx 后报送");
    }
    // A Numbers document is a zip holding `Index/Document.iwa`; zipped as a bundle (a folder
    // `X.numbers/` sent through a zip tool) it holds `X.numbers/Index.zip`.
    if bytes.starts_with(b"Rar!\x1a\x07") {
        return Some("这是 RAR 压缩包，本程序不解压 RAR：请解压后把其中的报表放进文件夹（或改用 .zip 压缩）");
    }
    if bytes.starts_with(b"7z\xBC\xAF\x27\x1C") {
        return Some("这是 7z 压缩包，本程序不解压 7z：请解压后把其中的报表放进文件夹（或改用 .zip 压缩）");
    }
    if bytes.starts_with(b"PK\x03\x04") && (find(bytes, b"Index/Document.iwa") || find(bytes, b"Index/Tables") || find(bytes, b".numbers/Index.zip")) {
        return Some("这是苹果 Numbers 表格，无法读取：请在 Numbers 中“导出为 Excel”（.xlsx）后报送");
    }
    None
}

/// Why a CSV is listed and not read: it has no sheets, merged cells or formats to recognise a
/// form by, and declares no encoding (UTF-8 or GBK would be a guess).
const CSV: &str = "这是 CSV 文本文件，未读取（CSV 没有工作表、合并单元格和格式，无法可靠地认出报表，也不标明文字编码）：如是报表，请报送 Excel（.xlsx）文件";

/// What becomes of a file whose bytes are no format huizong reads, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRead {
    /// Not a return at all (a `.txt`, a picture saved as such): listed, nobody to tell.
    Ignored(String),
    /// Meant to be a return (a spreadsheet in another format, or its name says so) and
    /// unreadable: the submitter is told what to do.
    Unreadable(String),
}

/// What becomes of a file whose bytes are no spreadsheet huizong reads: unreadable if it is a
/// spreadsheet in another format or its name says it should be one, ignored otherwise.
pub fn not_a_spreadsheet(bytes: &[u8], name: &str) -> NotRead {
    use NotRead::{Ignored, Unreadable};
    if let Some(why) = unsupported_spreadsheet(bytes) {
        return Unreadable(why.to_string());
    }
    if name.to_lowercase().ends_with(".csv") {
        return Ignored(CSV.to_string());
    }
    let why = describe_other(bytes);
    let lower = name.to_lowercase();
    let ends = |exts: &[&str]| exts.iter().any(|ext| lower.ends_with(&format!(".{ext}")));
    let named = if ends(&["xlsx", "xlsm", "xlsb", "xls", "ods", "et", "ett", "xlt", "xltx"]) {
        "表格"
    } else if ends(&["zip", "rar", "7z"]) {
        "压缩包"
    } else if ends(&["docx", "doc", "wps", "dotx", "docm", "odt"]) {
        "Word 文档"
    } else {
        return Ignored(why.to_string());
    };
    if why.starts_with("不是电子表格文件") {
        Unreadable(format!("扩展名是{named}，但内容无法识别：文件可能已损坏，请重新保存后报送"))
    } else if bytes.is_empty() {
        Unreadable(why.to_string())
    } else {
        Unreadable(format!("扩展名是{named}，但{why}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(sniff(b""), Format::Other);
        assert_eq!(sniff(b"hello"), Format::Other);
        let mut ole = OLE2_MAGIC.to_vec();
        ole.extend_from_slice(&[0; 100]);
        assert_eq!(sniff(&ole), Format::Xls);
        let enc: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        ole.extend_from_slice(&enc);
        assert_eq!(sniff(&ole), Format::EncryptedOoxml);
    }

    #[test]
    fn describes_foreign_files() {
        assert_eq!(describe_other(b""), "空文件（0 字节）");
        assert!(describe_other(b"PK\x03\x04....word/document.xml").contains("Word"));
        assert!(describe_other(b"\x89PNG\r\n").contains("扫描件或图片"));
        assert!(describe_other(b"%PDF-1.4").contains("扫描件或图片"));
        assert!(describe_other(b"PK\x03\x04....OFD.xml").contains("扫描件或图片"));
    }

    #[test]
    fn spreadsheets_in_other_formats_say_what_they_are() {
        let biff4 = [0x09u8, 0x04, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00];
        assert!(unsupported_spreadsheet(&biff4).unwrap().contains("2.x–4.x"));
        let fods = br#"<?xml version="1.0"?><office:document office:mimetype="application/vnd.oasis.opendocument.spreadsheet">"#;
        assert!(unsupported_spreadsheet(fods).unwrap().contains(".fods"));
        let numbers = b"PK\x03\x04....Index/Document.iwa....";
        assert!(unsupported_spreadsheet(numbers).unwrap().contains("Numbers"));
        match not_a_spreadsheet(b"a,b\n1,2\n", "月报.CSV") {
            NotRead::Ignored(why) => assert!(why.contains("CSV") && why.contains("编码"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(unsupported_spreadsheet(b"hello"), None);
        // Listed as unreadable whatever the extension: it is a spreadsheet, just not one read here.
        assert!(matches!(not_a_spreadsheet(&biff4, "老表.dat"), NotRead::Unreadable(_)));
        assert!(matches!(not_a_spreadsheet(b"hello", "说明.txt"), NotRead::Ignored(_)));
    }
}
