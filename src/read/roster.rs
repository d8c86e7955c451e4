//! The roster of projects expected to submit: a spreadsheet or CSV with a `物业项目` column
//! (and optionally `物业公司`), the header found wherever it sits.

use super::format;
use super::workbook;
use crate::clean::{display_text, header_key};
use crate::error::Error;
use crate::forms::RosterEntry;
use crate::grid::Limits;
use std::path::Path;

/// Read a roster file.
///
/// # Errors
/// [`Error::Roster`] saying what is wrong: unreadable, or no `物业项目` column.
pub fn load(path: &Path) -> Result<Vec<RosterEntry>, Error> {
    let fail = |why: String| Error::Roster { path: path.to_path_buf(), why };
    let bytes = std::fs::read(path).map_err(|e| fail(format!("无法读取：{e}")))?;
    let rows: Vec<Vec<String>> = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
        csv_rows(&bytes).map_err(|e| fail(format!("不是有效的 CSV：{e}")))?
    } else {
        let book = workbook::read(&bytes, format::sniff(&bytes), Limits::default(), None).map_err(|e| fail(format!("无法读取：{}", e.reason())))?;
        let sheet = book.sheets.into_iter().next().ok_or_else(|| fail("中没有工作表".into()))?;
        let max_row = sheet.max_row().unwrap_or(0);
        (0..=max_row)
            .map(|r| {
                let mut row = Vec::new();
                for (c, v) in sheet.row(r) {
                    row.resize(c as usize, String::new());
                    row.push(v.display());
                }
                row
            })
            .collect()
    };
    parse_rows(&rows).ok_or_else(|| fail("中找不到“物业项目”列：请在表头写“物业项目”".into()))
}

fn csv_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, csv::Error> {
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).into_owned();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    reader.records().map(|r| r.map(|rec| rec.iter().map(str::to_string).collect())).collect()
}

/// Find the header row and read the entries under it.
pub fn parse_rows(rows: &[Vec<String>]) -> Option<Vec<RosterEntry>> {
    let (header, project_col) = rows
        .iter()
        .enumerate()
        .find_map(|(i, row)| row.iter().position(|c| header_key(c).contains("物业项目") || header_key(c) == "项目名称").map(|p| (i, p)))?;
    let company_col = rows[header].iter().position(|c| header_key(c).contains("物业公司") || header_key(c).contains("企业名称"));
    Some(
        rows[header + 1..]
            .iter()
            .filter_map(|row| {
                let project = display_text(row.get(project_col)?);
                (!project.is_empty())
                    .then(|| RosterEntry { project, company: company_col.and_then(|c| row.get(c)).map(|c| display_text(c)).unwrap_or_default() })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_anywhere_and_blank_rows_skipped() {
        let rows = vec![
            vec!["名册".to_string()],
            vec!["序号".into(), "物业项目".into(), "物业公司".into()],
            vec!["1".into(), "东湖春树里 ".into(), "武汉东湖物业".into()],
            vec!["2".into(), "".into()],
            vec!["3".into(), "梨园小区".into()],
        ];
        let r = parse_rows(&rows).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].project, "东湖春树里");
        assert_eq!(r[0].company, "武汉东湖物业");
        assert_eq!(r[1].company, "");
    }

    #[test]
    fn no_project_column_is_none() {
        assert!(parse_rows(&[vec!["名称".to_string()]]).is_none());
    }

    #[test]
    fn csv_with_bom() {
        let rows = csv_rows("\u{FEFF}物业项目,物业公司\n听涛苑,万家\n".as_bytes()).unwrap();
        assert_eq!(parse_rows(&rows).unwrap()[0].project, "听涛苑");
    }
}
