//! The outputs: the district workbook (`report`), the tidy tables (`frames`, the only user of
//! polars) written as Parquet with `summary.json` (`tables`), the replies to submitters (`feedback`, as text and Word through `word`), the blank forms
//! (`template`) and the annotated copies of `check` (`annotate`).

pub mod annotate;
pub mod feedback;
pub mod frames;
pub mod report;
pub mod tables;
pub mod template;
pub mod word;

/// A name made safe for a file name on Windows (`/ \ : * ? " < > |` become `_`).
pub fn safe_file_name(name: &str) -> String {
    name.chars().map(|ch| if matches!(ch, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') { '_' } else { ch }).collect()
}

/// A name made safe for an Excel sheet: none of `[]:*?/\`, at most 31 characters.
pub fn safe_sheet_name(name: &str) -> String {
    name.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).take(31).collect()
}
