//! Text saved or read with the wrong code page, repaired only in the reader that caused it:
//! a legacy `.xls` whose code-page record is wrong is read again as GBK; GBK bytes shown as
//! Latin-1 / Windows-1252 (`¶«ºþ´ºÊ÷Àï`) are reversed cell by cell when the workbook is
//! clearly affected; garbling that cannot be mended is an error at its cell.

use super::format::Format;
use super::workbook::{self, Limits, Value, Workbook};
use crate::findings::{At, Code, Finding, Location};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Garbled cells of a workbook: (sheet, row, col, text).
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

/// Legacy `.xls` files store text in a code page; a wrong or missing one garbles every
/// Chinese cell. If the text looks garbled, read again as GBK (936) and keep whichever reads
/// clean; otherwise mend GBK mojibake, or say so at the cells: never pass mojibake on silently.
pub fn fix_code_page(book: Workbook, bytes: &[u8], format: Format, limits: Limits, forced: Option<u16>, rel: &str) -> (Workbook, Vec<Finding>) {
    let garbled = garbled_cells(&book);
    if garbled.is_empty() {
        return (book, vec![]);
    }
    if format == Format::Xls && forced.is_none() {
        if let Some(retry) = reread_as_gbk(bytes, format, limits) {
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
    if garbled.iter().all(|(_, _, _, t)| repair_gbk_mojibake(t).is_some()) {
        return mend_mojibake(book, &garbled[0], rel);
    }
    let findings = garbled
        .iter()
        .map(|(sheet, r, c, t)| {
            Finding::new(
                Code::TextGarbled,
                Location::sheet(rel, sheet).at(At::cell(*r, *c)),
                "",
                t,
                "文字是乱码（字符编码不对）：请用 Excel 或 WPS 重新另存为 .xlsx 后报送；旧版 .xls 可尝试 --codepage 936",
            )
        })
        .collect();
    (book, findings)
}

/// The workbook read again as GBK, if that reads clean.
fn reread_as_gbk(bytes: &[u8], format: Format, limits: Limits) -> Option<Workbook> {
    let retry = catch_unwind(AssertUnwindSafe(|| workbook::read(bytes, format, limits, Some(936)))).ok()?.ok()?;
    garbled_cells(&retry).is_empty().then_some(retry)
}

/// GBK bytes read as Latin-1 / Windows-1252 (8-bit strings under a wrong code page, in any
/// format): reverse the mistake. The clearly garbled cells decided that the workbook is
/// affected; now every cell with such characters is mended, including short ones mixed with
/// digits (`»ÆÃô 18604806358`) that the detector alone would let pass.
fn mend_mojibake(mut book: Workbook, first: &(String, u32, u32, String), rel: &str) -> (Workbook, Vec<Finding>) {
    let mut mended = 0;
    for sheet in &mut book.sheets {
        for v in sheet.cells.values_mut() {
            if let Value::Text(t) = v {
                if t.chars().any(|c| ('\u{80}'..='\u{FF}').contains(&c) || CP1252_HIGH.contains(c)) {
                    if let Some(fixed) = repair_gbk_mojibake(t) {
                        *t = fixed;
                        mended += 1;
                    }
                }
            }
        }
    }
    let (sheet, r, c, text) = first;
    let note = Finding::new(
        Code::TextCodepageGuessed,
        Location::sheet(rel, sheet).at(At::cell(*r, *c)),
        "编码",
        text,
        format!("{mended}个单元格的文字是按错误编码保存的 GBK 中文，已自动纠正：请核对，最好用 Excel 或 WPS 另存为 .xlsx 后报送"),
    );
    (book, vec![note])
}

/// True when a text looks like Chinese decoded with the wrong code page: GBK bytes read as
/// Latin-1/Windows-1252 give runs like `¶«ºþ´ºÊ÷Àï`, never a CJK character; a decoder's
/// replacement character also counts.
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

/// Undo the usual mojibake: Chinese saved as GBK bytes and read back as Windows-1252 or
/// Latin-1. Returns the repaired text only if it decodes cleanly and reads as Chinese.
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
    let repaired = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(&bytes)?;
    let cjk = repaired.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    (cjk && !looks_garbled(&repaired)).then(|| repaired.into_owned())
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
    }
}
