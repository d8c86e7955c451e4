//! The outputs: the district workbook (`report`), the tidy tables (`frames`, the only user of
//! polars) written as Parquet with `summary.json` (`tables`), the history store (`history`),
//! the replies to submitters (`feedback`, as text and Word through `word`), the blank forms
//! (`template`) and the annotated copies of `check` (`annotate`).

pub mod annotate;
pub mod feedback;
pub mod frames;
pub mod history;
pub mod report;
pub mod tables;
pub mod template;
pub mod word;
