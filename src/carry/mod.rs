//! What one run leaves for the next and reads from the earlier ones: the history store (one
//! partition of tables per month, `history`) and the clerk's marks typed into the previous
//! district workbook (`marks`). [`load`] gathers both into the rules' [`Past`], with what could
//! not be read said in words; a month's partition is written with [`history::Partition`].
//! Nothing else in the program reads earlier runs.

pub mod history;
pub mod marks;

use crate::forms::Month;
use crate::rules::ledger::LedgerRow;
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
        (Ok(last), Ok(stored)) => {
            let ledger = carried_ledger(stored, output, month, &mut warnings);
            let last_month = match last {
                Some(forms) => forms,
                None => rebuilt_last_month(output, month, &mut warnings),
            };
            Past { last_month, ledger, ..Past::default() }
        }
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
    if let Some((path, marked, others)) = marks::previous_workbooks(output, month) {
        if others > 0 {
            warnings.push(format!(
                "输出文件夹中有{}份{}的汇总工作簿：处理标记从最后保存的“{}”读取",
                others + 1,
                marked.label(),
                path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default()
            ));
        }
        if let Some(lock) = lock_file_of(&path) {
            warnings.push(format!(
                "工作簿“{}”正在 Excel 或 WPS 中打开（旁边有锁定文件“{lock}”）：打开后新填、尚未保存的处理标记读不到。请先保存并关闭该工作簿，再重新运行汇总",
                path.display()
            ));
        }
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

/// The ledger carried into `month`: the latest one stored before it, unless a district workbook
/// of a later month is in `output` (its history partition lost: the history is a cache, the
/// workbooks the record); then that workbook's 整改台账 is carried. Either way, what is not last
/// month's is said.
fn carried_ledger(stored: Option<(Month, Vec<LedgerRow>)>, output: &Path, month: Month, warnings: &mut Vec<String>) -> Vec<LedgerRow> {
    let stored_month = stored.as_ref().map(|(m, _)| *m);
    if let Some((path, book_month)) = marks::previous_workbook(output, month.previous()).filter(|(_, m)| Some(*m) > stored_month) {
        match marks::ledger(&path) {
            Ok(rows) => {
                warnings.push(format!(
                    "历史记录中没有{}的汇总：整改台账从工作簿“{}”重建（{}个问题）",
                    book_month.label(),
                    path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(),
                    rows.len()
                ));
                if book_month != month.previous() {
                    warnings.push(format!("历史记录中没有{}的汇总：当时未销号的问题全部带入{}", month.previous().label(), month.label()));
                }
                return rows;
            }
            Err(why) => warnings.push(format!("历史记录中没有{}的汇总，工作簿“{}”也无法读取：{why}", book_month.label(), path.display())),
        }
    }
    match stored {
        Some((from, rows)) => {
            if from != month.previous() {
                let (prev, from) = (month.previous().label(), from.label());
                warnings.push(format!("历史记录中没有{prev}的汇总：整改台账从{from}的汇总接续，当时未销号的问题全部带入{}", month.label()));
            }
            rows
        }
        None => Vec::new(),
    }
}

/// Last month's 附件2 from last month's district workbook in `output`, when the history has
/// none (its partition lost).
fn rebuilt_last_month(output: &Path, month: Month, warnings: &mut Vec<String>) -> Vec<crate::forms::Monthly> {
    let prev = month.previous();
    let Some((path, _)) = marks::previous_workbook(output, prev).filter(|(_, m)| *m == prev) else { return Vec::new() };
    match marks::monthlies(&path, prev) {
        Ok(forms) => {
            if !forms.is_empty() {
                let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                warnings.push(format!("历史记录中没有{}的汇总：各单位上月的月度汇总表从工作簿“{name}”重建（{}个单位）", prev.label(), forms.len()));
            }
            forms
        }
        Err(why) => {
            warnings.push(format!("历史记录中没有{}的汇总，工作簿“{}”也无法读取：{why}", prev.label(), path.display()));
            Vec::new()
        }
    }
}

/// The lock file an office program keeps beside `path` while the workbook is open, if there is
/// one: `~$name` (Excel, WPS; Excel drops the first characters of a long name) or
/// `.~lock.name#` (LibreOffice).
fn lock_file_of(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().to_string();
    let dir = path.parent()?;
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .find(|lock| lock.strip_prefix("~$").is_some_and(|rest| rest.chars().count() >= 3 && name.ends_with(rest)) || lock == &format!(".~lock.{name}#"))
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
    fn an_open_workbook_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let name = "东湖风景区物业专项整治汇总_2021年10月.xlsx";
        let book = dir.path().join(name);
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet();
        std::fs::write(&book, wb.save_to_buffer().unwrap()).unwrap();
        assert_eq!(lock_file_of(&book), None);
        for lock in [format!("~${name}"), format!("~${}", &name[6..]), format!(".~lock.{name}#")] {
            std::fs::write(dir.path().join(&lock), b"").unwrap();
            assert_eq!(lock_file_of(&book), Some(lock.clone()));
            let (_, warnings) = load(&dir.path().join("history"), dir.path(), Month::new(2021, 10).unwrap(), &book);
            assert_eq!(warnings.len(), 1, "{warnings:?}");
            assert!(warnings[0].contains("正在 Excel 或 WPS 中打开") && warnings[0].contains(&lock), "{warnings:?}");
            std::fs::remove_file(dir.path().join(&lock)).unwrap();
        }
    }

    #[test]
    fn a_skipped_month_carries_the_ledger_of_the_latest_stored_month() {
        use crate::forms::ItemStatus;
        use crate::rules::ledger::{LedgerRow, LedgerState};
        let dir = tempfile::tempdir().unwrap();
        let history = dir.path().join("history");
        let row = LedgerRow {
            description: "消防通道堵塞".into(),
            ..crate::rules::testing::ledger_row("lyxq#2@2021-09", "梨园小区", 2, LedgerState::Open(ItemStatus::InProgress))
        };
        let c = crate::rules::consolidate(
            vec![],
            &crate::rules::level::Level::of(&crate::config::Settings::default()),
            Month::new(2021, 9).unwrap(),
            chrono::NaiveDate::from_ymd_opt(2021, 10, 20).unwrap(),
            None,
            &Past { ledger: vec![row], ..Past::default() },
        );
        let partition = history::Partition::begin(&history, Month::new(2021, 9).unwrap()).unwrap();
        for table in crate::layout::Table::ALL {
            partition.add(table.name(), &mut crate::output::frames::build(&c, table).unwrap()).unwrap();
        }
        partition.commit().unwrap();
        // November, with no October run: September's open problem is carried, and said.
        let (past, warnings) = load(&history, dir.path(), Month::new(2021, 11).unwrap(), &dir.path().join("x.xlsx"));
        assert_eq!(past.ledger.iter().map(|r| r.item_id.as_str()).collect::<Vec<_>>(), ["lyxq#2@2021-09"]);
        assert_eq!(warnings, ["历史记录中没有2021年10月的汇总：整改台账从2021年9月的汇总接续，当时未销号的问题全部带入2021年11月"]);
        // October itself: last month's, nothing said.
        let (past, warnings) = load(&history, dir.path(), Month::new(2021, 10).unwrap(), &dir.path().join("x.xlsx"));
        assert_eq!((past.ledger.len(), warnings.len()), (1, 0));
    }

    #[test]
    fn a_ledger_stored_before_the_contact_columns_is_read_with_them_empty() {
        let dir = tempfile::tempdir().unwrap();
        let history = dir.path().join("history");
        let sept = history::month_dir(&history, Month::new(2021, 9).unwrap());
        std::fs::create_dir_all(&sept).unwrap();
        let c = crate::rules::consolidate(
            vec![],
            &crate::rules::level::Level::of(&crate::config::Settings::default()),
            Month::new(2021, 9).unwrap(),
            chrono::NaiveDate::from_ymd_opt(2021, 10, 20).unwrap(),
            None,
            &Past::default(),
        );
        let mut frame = crate::output::frames::build(&c, crate::layout::Table::Ledger).unwrap();
        for added in crate::layout::ADDED_COLUMNS {
            frame = frame.drop(added).unwrap();
        }
        let mut file = std::fs::File::create(sept.join("ledger.parquet")).unwrap();
        polars_io::prelude::ParquetWriter::new(&mut file).finish(&mut frame).unwrap();
        let (_, warnings) = load(&history, dir.path(), Month::new(2021, 10).unwrap(), &dir.path().join("x.xlsx"));
        assert!(warnings.is_empty(), "an older store is no unreadable store: {warnings:?}");
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
