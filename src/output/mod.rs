//! The outputs: the district workbook (`report`, the only user of rust_xlsxwriter), the tidy
//! tables (`frames`, the only user of polars) written as Parquet with `summary.json`
//! (`tables`).

pub mod annotate;
pub mod feedback;
pub mod frames;
pub mod history;
pub mod report;
pub mod tables;
pub mod template;
pub mod word;
