//! What one run leaves for the next and reads from the earlier ones: the history store (one
//! partition of tables per month, `history`) and the clerk's marks typed into the previous
//! district workbook (`marks`). [`load`] gathers both into the rules' [`Past`], with what could
//! not be read said in words; a month's partition is written with [`history::Partition`].
//! Nothing else in the program reads earlier runs.

pub mod history;
pub mod marks;

use crate::forms::Month;
use crate::rules::Past;
use std::path::Path;

/// What earlier runs left for `month`: last month's 附件2 and ledger and every earlier month's
/// trend point from the history store, and the marks of the previous workbook in `output`.
/// What cannot be read is left out and said, in Chinese, in the returned warnings; a workbook
/// whose marks cannot be read and that this run will replace (`replaced`) is copied aside
/// first, so nothing the clerk typed is lost.
pub fn load(history: &Path, output: &Path, month: Month, replaced: &Path) -> (Past, Vec<String>) {
    let mut warnings = Vec::new();
    let mut past = match (history::last_month(history, month), history::last_ledger(history, month)) {
        (Ok(last), Ok(ledger)) => Past { last_month: last.unwrap_or_default(), ledger: ledger.unwrap_or_default(), ..Past::default() },
        (Err(why), _) | (_, Err(why)) => {
            warnings.push(format!("历史记录无法读取，本月照常汇总，但不与上月比较：{why}"));
            Past::default()
        }
    };
    match history::months(history, month) {
        Ok(months) => past.months = months,
        Err(why) => warnings.push(format!("历史记录无法读取，本次不画各月趋势：{why}")),
    }
    // The clerk's 处理 marks in the previous workbook, read before it is replaced.
    if let Some((path, marked)) = marks::previous_workbook(output, month) {
        match marks::read(&path, marked) {
            Ok(marks) => past.marks = marks,
            Err(why) => {
                let kept = keep_unread_workbook(&path, replaced);
                warnings.push(format!("上次工作簿“{}”中的处理标记无法读取，本次不带入：{why}{kept}", path.display()));
            }
        }
    }
    (past, warnings)
}

/// Copy a workbook whose marks could not be read aside when this run is about to replace it;
/// says where, for the message.
fn keep_unread_workbook(path: &Path, replaced: &Path) -> String {
    if path != replaced {
        return String::new();
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let ext = path.extension().map(|e| e.to_string_lossy().to_string()).unwrap_or_default();
    let kept = path.with_file_name(format!("{stem}（处理标记未能读取，原样保留）.{ext}"));
    match std::fs::copy(path, &kept) {
        Ok(_) => format!("（原工作簿已另存为“{}”）", kept.display()),
        Err(e) => format!("（原工作簿无法另存：{e}）"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_stored_is_an_empty_past_without_a_word() {
        let dir = tempfile::tempdir().unwrap();
        let (past, warnings) = load(&dir.path().join("history"), dir.path(), Month::new(2021, 10).unwrap(), &dir.path().join("x.xlsx"));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(past.ledger.is_empty() && past.last_month.is_empty() && past.months.is_empty());
    }

    #[test]
    fn an_unreadable_workbook_about_to_be_replaced_is_kept_aside_and_said() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("东湖风景区物业专项整治汇总_2021年10月.xlsx");
        std::fs::write(&book, b"PK\x03\x04 not really a workbook").unwrap();
        let (_, warnings) = load(&dir.path().join("history"), dir.path(), Month::new(2021, 10).unwrap(), &book);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("处理标记无法读取") && warnings[0].contains("原样保留"), "{}", warnings[0]);
        let kept = dir.path().join("东湖风景区物业专项整治汇总_2021年10月（处理标记未能读取，原样保留）.xlsx");
        assert_eq!(std::fs::read(kept).unwrap(), std::fs::read(&book).unwrap());
    }

    #[test]
    fn a_broken_history_month_is_said_and_the_run_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let history = dir.path().join("history");
        let sept = history::month_dir(&history, Month::new(2021, 9).unwrap());
        std::fs::create_dir_all(&sept).unwrap();
        std::fs::write(sept.join("ledger.parquet"), b"not parquet").unwrap();
        let (past, warnings) = load(&history, dir.path(), Month::new(2021, 10).unwrap(), &dir.path().join("x.xlsx"));
        assert!(past.ledger.is_empty());
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].starts_with("历史记录无法读取，本月照常汇总") && warnings[0].contains("ledger.parquet"), "{}", warnings[0]);
    }
}
