//! Text saved or read with the wrong code page, repaired only in the reader that caused it,
//! and only when certain. A legacy `.xls` whose code-page record is wrong is read again as
//! GBK. GBK bytes shown as Latin-1 / Windows-1252 (`¶«ºþ´ºÊ÷Àï`) are reversed cell by cell
//! when the bytes underneath are overwhelmingly plausible Chinese (see [`repair_gbk_mojibake`]),
//! each repair a warning that shows both texts. Legitimate text in other languages (`Café`,
//! `àâéê`, `PhÃº YÃªn`) is left alone; only text that is certainly garbled (a decoder's
//! replacement character, or an unmendable cell in a workbook shown to be affected) is an
//! error at its cell.

use super::workbook;
use crate::findings::{At, Code, Finding, Location};
use crate::forms::file::Format;
use crate::grid::{Limits, Value, Workbook};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Cells that look garbled: (sheet, row, col, text).
fn garbled_cells(book: &Workbook) -> Vec<(String, u32, u32, String)> {
    let mut out = Vec::new();
    for sheet in &book.sheets {
        for (&(r, c), v) in &sheet.cells {
            if let Value::Text(t) = v {
                if looks_garbled(t) {
                    out.push((sheet.name.clone(), r, c, t.clone()));
                }
            }
        }
    }
    out
}

/// Characters Windows-1252 shows for the bytes 0x80..0x9F.
const CP1252_HIGH: &str = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ";

const GARBLED: &str = "文字是乱码（字符编码不对）：请用 Excel 或 WPS 重新另存为 .xlsx 后报送；旧版 .xls 可尝试 --codepage 936";

/// Legacy `.xls` files store text in a code page; a wrong or missing one garbles every
/// Chinese cell. If text looks garbled, read again as GBK (936) and keep that if it reads
/// clean; otherwise mend the cells that are certainly GBK mojibake, and report what is
/// certainly garbled: never pass mojibake on silently, never “repair” a foreign language.
pub fn fix_code_page(book: Workbook, bytes: &[u8], format: Format, limits: Limits, forced: Option<u16>, rel: &str) -> (Workbook, Vec<Finding>) {
    let garbled = garbled_cells(&book);
    if garbled.is_empty() {
        return (book, vec![]);
    }
    // Read again as GBK only when the text is certainly GBK mojibake, and keep the result only
    // if it mends every garbled cell into Chinese: a forced code page also decodes text that
    // was right (UTF-16 `šž` becomes `a\x01~\x01`, Shift-JIS 漢字 becomes 娍帤).
    if format == Format::Xls && forced.is_none() && garbled.iter().any(|(_, _, _, t)| certain_mojibake(t)) {
        if let Some(retry) = reread_as_gbk(bytes, format, limits).filter(|retry| mends_into_chinese(&garbled, retry)) {
            let note = Finding::new(
                Code::TextCodepageGuessed,
                Location::file(rel),
                "编码",
                &garbled[0].3,
                "文件的字符编码标记有误，已按 GBK（代码页936）读取，文字显示正常",
            );
            return (retry, vec![note]);
        }
    }
    let (book, mut findings) = mend_mojibake(book, rel);
    let affected = !findings.is_empty();
    for (sheet, r, c, t) in &garbled {
        // Still garbled after mending: certain when the decoder gave up on it, or when the
        // workbook has shown itself to hold GBK mojibake; otherwise it may be a foreign text.
        let mended = book.sheets.iter().find(|s| &s.name == sheet).and_then(|s| s.get(*r, *c)).is_some_and(|v| !matches!(v, Value::Text(now) if now == t));
        if !mended && (t.contains('\u{FFFD}') || affected) {
            findings.push(Finding::new(Code::TextGarbled, Location::sheet(rel, sheet).at(At::cell(*r, *c)), "", t, GARBLED));
        }
    }
    (book, findings)
}

/// Whether `retry` reads every cell that was garbled as Chinese, and nothing anywhere as a
/// control character (the sign of UTF-16 text decoded as bytes).
fn mends_into_chinese(garbled: &[(String, u32, u32, String)], retry: &Workbook) -> bool {
    let chinese = |t: &str| t.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    let control = |t: &str| t.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
    let every_cell_chinese = garbled.iter().all(|(sheet, r, c, _)| {
        retry.sheets.iter().find(|s| &s.name == sheet).and_then(|s| s.get(*r, *c)).is_some_and(|v| matches!(v, Value::Text(t) if chinese(t)))
    });
    let no_control = retry.sheets.iter().flat_map(|s| s.cells.values()).all(|v| !matches!(v, Value::Text(t) if control(t)));
    every_cell_chinese && no_control
}

/// The workbook read again as GBK, if that reads clean.
fn reread_as_gbk(bytes: &[u8], format: Format, limits: Limits) -> Option<Workbook> {
    let retry = catch_unwind(AssertUnwindSafe(|| workbook::read(bytes, format, limits, Some(936)))).ok()?.ok()?;
    garbled_cells(&retry).is_empty().then_some(retry)
}

/// GBK bytes read as Latin-1 / Windows-1252 (8-bit strings under a wrong code page, in any
/// format): every cell whose text is certainly such mojibake is reversed, including short ones
/// mixed with digits (`»ÆÃô 18604806358`) that the detector alone would let pass, each with a
/// warning that shows the text as read and as mended.
fn mend_mojibake(mut book: Workbook, rel: &str) -> (Workbook, Vec<Finding>) {
    let mut findings = Vec::new();
    // One certain cell decides that the workbook holds GBK mojibake (a charset demo such as
    // `ÀÁÂÃÄÅ` is plausible GB2312 by chance, but holds no symbol byte).
    let certain = book.sheets.iter().flat_map(|s| s.cells.values()).any(|v| matches!(v, Value::Text(t) if certain_mojibake(t)));
    if !certain {
        return (book, findings);
    }
    for sheet in &mut book.sheets {
        for (&(r, c), v) in sheet.cells.iter_mut() {
            let Value::Text(t) = v else { continue };
            if !t.chars().any(|c| ('\u{80}'..='\u{FF}').contains(&c) || CP1252_HIGH.contains(c)) {
                continue;
            }
            if let Some(fixed) = repair_gbk_mojibake(t) {
                findings.push(Finding::new(
                    Code::TextCodepageGuessed,
                    Location::sheet(rel, &sheet.name).at(At::cell(r, c)),
                    "编码",
                    t,
                    format!("原始内容是按错误编码保存的 GBK 中文，已纠正为“{fixed}”：请核对，最好用 Excel 或 WPS 另存为 .xlsx 后报送"),
                ));
                *t = fixed;
            }
        }
    }
    (book, findings)
}

/// True when a text looks like Chinese decoded with the wrong code page: GBK bytes read as
/// Latin-1/Windows-1252 give runs like `¶«ºþ´ºÊ÷Àï`, never a CJK character; a decoder's
/// replacement character also counts. Only a candidate: see [`repair_gbk_mojibake`].
pub fn looks_garbled(text: &str) -> bool {
    if text.contains('\u{FFFD}') {
        return true;
    }
    let mut latin_ext = 0usize;
    let mut letters = 0usize;
    for c in text.chars() {
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            return false;
        }
        if c.is_alphanumeric() || ('\u{00A1}'..='\u{00FF}').contains(&c) {
            letters += 1;
        }
        if ('\u{00A1}'..='\u{024F}').contains(&c) {
            latin_ext += 1;
        }
    }
    latin_ext >= 2 && latin_ext * 2 >= letters
}

/// Undo the usual mojibake, Chinese saved as GBK bytes and read back as Windows-1252 or
/// Latin-1, only when certain: every character has a byte in those code pages, the bytes are
/// not UTF-8 (`PhÃº YÃªn` is UTF-8 read twice), and they are overwhelmingly plausible Chinese
/// (see [`plausible_gb2312`]).
pub fn repair_gbk_mojibake(text: &str) -> Option<String> {
    let bytes: Vec<u8> = if text.chars().all(|c| (c as u32) <= 0xFF) {
        text.chars().map(|c| c as u32 as u8).collect()
    } else {
        let (bytes, _, had_errors) = encoding_rs::WINDOWS_1252.encode(text);
        if had_errors {
            return None;
        }
        bytes.into_owned()
    };
    if bytes.is_ascii() || std::str::from_utf8(&bytes).is_ok() || !plausible_gb2312(&bytes) {
        return None;
    }
    let repaired = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(&bytes)?;
    Some(repaired.into_owned())
}

/// Mojibake beyond doubt: repairable, and some byte is a Latin-1 symbol or Windows-1252
/// punctuation (0x80–0xBF, ×, ÷). The 1 100 most common hanzi have lead bytes 0xB0–0xBF
/// (`°±²³´µ¶·¸¹º»¼½¾¿`), so any real Chinese text shows them; accented words do not.
fn certain_mojibake(text: &str) -> bool {
    repair_gbk_mojibake(text).is_some() && text.chars().any(|c| ('\u{80}'..='\u{BF}').contains(&c) || c == '×' || c == '÷' || CP1252_HIGH.contains(c))
}

/// Chinese text saved as GBK is, in practice, GB2312: every non-ASCII byte pairs into a GB2312
/// character (a symbol, lead 0xA1–0xA9, or a hanzi, lead 0xB0–0xF7; trail 0xA1–0xFE), and
/// nearly all hanzi are among the 3 755 common ones (lead 0xB0–0xD7). Accented Latin text
/// almost never pairs up like that (`ÉNÚM`: `N` is no trail byte), and when it does the
/// “characters” are rare ones (`àâéê` → 噔殛).
fn plausible_gb2312(bytes: &[u8]) -> bool {
    let (mut hanzi, mut common) = (0u32, 0u32);
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        if lead < 0x80 {
            i += 1;
            continue;
        }
        let Some(&trail) = bytes.get(i + 1) else { return false };
        if !(0xA1..=0xFE).contains(&trail) {
            return false;
        }
        match lead {
            0xA1..=0xA9 => {}
            0xB0..=0xF7 => {
                hanzi += 1;
                common += u32::from(lead <= 0xD7);
            }
            _ => return false,
        }
        i += 2;
    }
    hanzi > 0 && common * 5 >= hanzi * 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbled_text_is_detected() {
        assert!(looks_garbled("¶«ºþ´ºÊ÷Àï ÎïÒµÏîÄ¿"), "GBK read as Windows-1252");
        assert!(looks_garbled("Çø¹«°²·Ö¾Ö"), "GBK read as Latin-1");
        assert!(looks_garbled("东湖\u{FFFD}\u{FFFD}"));
        assert!(!looks_garbled("东湖春树里"));
        assert!(!looks_garbled("Café résumé"));
        assert!(!looks_garbled("2021年10月15日"));
        assert!(!looks_garbled("12"));
    }

    #[test]
    fn gbk_mojibake_is_repaired() {
        assert_eq!(repair_gbk_mojibake("¶«ºþ´ºÊ÷Àï ÎïÒµÏîÄ¿").as_deref(), Some("东湖春树里 物业项目"));
        assert_eq!(repair_gbk_mojibake("Çø¹«°²·Ö¾Ö").as_deref(), Some("区公安分局"));
        assert_eq!(repair_gbk_mojibake("Café"), None, "not Chinese underneath");
        assert_eq!(repair_gbk_mojibake("东湖"), None);
        assert_eq!(repair_gbk_mojibake("»ÆÃô 18604806358").as_deref(), Some("黄敏 18604806358"));
    }

    /// Legitimate text from real files in other languages, symbols, and UTF-8 read twice:
    /// none is “repaired”, none is called garbled, alone or all in one workbook.
    #[test]
    fn foreign_languages_and_symbols_are_never_repaired() {
        let texts = [
            "åäöñ",
            "Žáček",
            "ÉNÚM",
            "àâéêèçöïî«»",
            "àâéê",
            "c²=a²+b²",
            "¯\\_(ツ)_/¯",
            "PhÃº YÃªn",
            "Ångström",
            "Müller & Söhne GmbH",
            "São Paulo",
            "naïve café",
            "Ærø",
            "½ + ¼ = ¾",
            "©2021 Société Générale",
            "Ñandú",
            "Œuvre",
            "Straße",
            "Þórr",
            "±5 µm",
            "ÀÁÂÃÄÅ",
            "¡Hola!",
            "Çà",
        ];
        for text in texts {
            let (read, findings) = fix_code_page(book(&[text]), b"", Format::Xlsx, Limits::default(), None, "a.xlsx");
            assert!(findings.is_empty(), "{text}: {findings:?}");
            assert_eq!(read.sheets[0].get(0, 0), Some(&Value::Text(text.to_string())));
        }
        let (_, findings) = fix_code_page(book(&texts), b"", Format::Xlsx, Limits::default(), None, "a.xlsx");
        assert!(findings.is_empty(), "{findings:?}");
    }

    fn book(cells: &[&str]) -> Workbook {
        let mut sheet = crate::grid::Sheet { name: "S".into(), ..Default::default() };
        for (i, t) in cells.iter().enumerate() {
            sheet.cells.insert((i as u32, 0), Value::Text(t.to_string()));
        }
        Workbook { sheets: vec![sheet], ..Workbook::default() }
    }

    #[test]
    fn foreign_text_gets_no_finding_and_mojibake_gets_one_warning_per_cell() {
        let (_, findings) = fix_code_page(book(&["àâéêèçöïî«»", "Žáček"]), b"", Format::Xlsx, Limits::default(), None, "a.xlsx");
        assert!(findings.is_empty(), "{findings:?}");
        let (mended, findings) = fix_code_page(book(&["¶«ºþ´ºÊ÷Àï", "»ÆÃô 18604806358", "Café"]), b"", Format::Xlsx, Limits::default(), None, "a.xlsx");
        assert_eq!(mended.sheets[0].get(0, 0), Some(&Value::Text("东湖春树里".into())));
        assert_eq!(mended.sheets[0].get(2, 0), Some(&Value::Text("Café".into())));
        let warned: Vec<(String, &str)> = findings.iter().map(|f| (f.location.columns().1, f.value.as_str())).collect();
        assert_eq!(warned, [("A1".to_string(), "¶«ºþ´ºÊ÷Àï"), ("A2".to_string(), "»ÆÃô 18604806358")]);
        assert!(findings[0].message.contains("东湖春树里"));
        assert!(findings.iter().all(|f| f.code == Code::TextCodepageGuessed && f.severity == crate::findings::Severity::Warning));
    }

    #[test]
    fn certainly_garbled_text_is_an_error_at_its_cell() {
        let (_, findings) = fix_code_page(book(&["东湖\u{FFFD}\u{FFFD}", "àâéê"]), b"", Format::Xlsx, Limits::default(), None, "a.xlsx");
        let errors: Vec<String> = findings.iter().filter(|f| f.code == Code::TextGarbled).map(|f| f.location.columns().1).collect();
        assert_eq!(errors, ["A1"]);
        // In a workbook shown to hold GBK mojibake, a cell that cannot be mended is garbled too.
        let (_, findings) = fix_code_page(book(&["¶«ºþ´ºÊ÷Àï", "àâéêèçöïî«»"]), b"", Format::Xlsx, Limits::default(), None, "a.xlsx");
        let errors: Vec<String> = findings.iter().filter(|f| f.code == Code::TextGarbled).map(|f| f.location.columns().1).collect();
        assert_eq!(errors, ["A2"]);
    }

    fn fixture(rel: &str) -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)).unwrap()
    }

    /// Files taken from other libraries' test suites, kept outside the project (see
    /// `../shared/fetched/README.md`).
    fn fetched(rel: &str) -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fetched").join(rel)).unwrap()
    }

    fn read(rel: &str, bytes: Vec<u8>) -> crate::forms::file::FileRecord {
        crate::ingest::read_bytes(rel, bytes, &crate::config::Settings::default(), 2021)
    }

    /// An Excel 95 file whose CODEPAGE record says 1252 while its 8-bit text is GBK (the
    /// Gnumeric cp936 fixture with that one record changed) is read again as GBK, said once.
    #[test]
    fn a_wrong_code_page_record_is_read_again_as_gbk() {
        let mut bytes = fixture("oldformats/gnumeric_excel95_cp936_梨园小区_自查表.xls");
        let record = [0x42, 0x00, 0x02, 0x00, 0xA8, 0x03]; // CODEPAGE 936
        let at = bytes.windows(6).position(|w| w == record).expect("a CODEPAGE record");
        bytes[at + 4..at + 6].copy_from_slice(&1252u16.to_le_bytes());
        let file = read("a.xls", bytes);
        let crate::forms::Form::SelfCheck(form) = &file.forms[0] else { panic!("{:?}", file.reason) };
        assert_eq!(form.project, "梨园小区");
        let notes: Vec<_> = file.findings.iter().filter(|f| f.code == Code::TextCodepageGuessed).collect();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].message.contains("代码页936"));
    }

    /// Real files whose text is right and merely not Chinese: Czech in UTF-16 (a forced code
    /// page would turn it into control characters) and Shift-JIS Japanese in Excel 95 (it
    /// pairs into rare GBK hanzi). Neither is touched.
    #[test]
    fn text_in_other_languages_is_never_read_again_as_gbk() {
        for rel in ["realworld/apache-poi/27394.xls", "realworld/sheetjs-test_files/biff5/phonetic_text.xls"] {
            let file = read("b.xls", fetched(rel));
            assert!(file.findings.iter().all(|f| f.code != Code::TextCodepageGuessed && f.code != Code::TextGarbled), "{rel}: {:?}", file.findings);
        }
    }
}
