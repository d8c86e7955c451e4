//! huizong (汇总): consolidates the returned forms of a property-management rectification
//! campaign into one district workbook plus tidy tables.
//!
//! The data flows one way, each stage importing only the ones below it:
//!
//! ```text
//! run       the month workflow: which months, then read → settle → carry::load → consolidate → write
//! ingest    one file: sniff → guard → read → extract → its FileRecord
//!   read    bytes → the cell model (calamine for spreadsheets, our own Word readers)
//!   extract cells → recognised forms → records + findings (through a SheetReader)
//!   clean   typed text → dates, phones, counts, unit names, each value or a reason
//! carry     what earlier runs left: the history store and the clerk's marks
//! rules     records → statuses, supersession, checks, missing lists, totals, counts, chase list
//! output    → the district workbook, Parquet tables, summary.json, replies, templates
//! ```
//!
//! Below them all, the vocabulary every stage speaks: `grid` (cells), `forms` (the indicator
//! and focus tables, months, form and file records), `findings` (codes, locations), `layout`
//! (the names one run writes and the next reads back). `docs/ARCHITECTURE.md` is the map. The
//! library's public surface is what the binary, the tests, the examples and the fuzz targets
//! use: the reading path, below.

#[cfg(feature = "outputs")]
pub(crate) mod carry;
#[cfg(feature = "outputs")]
pub(crate) mod check;
pub mod clean;
#[cfg(feature = "outputs")]
pub mod cli;
pub mod config;
pub(crate) mod error;
pub mod extract;
pub mod findings;
pub mod forms;
pub mod grid;
pub mod ingest;
#[cfg(feature = "outputs")]
pub(crate) mod layout;
#[cfg(feature = "outputs")]
pub(crate) mod output;
pub mod read;
#[cfg(feature = "outputs")]
pub(crate) mod rules;
#[cfg(feature = "outputs")]
pub(crate) mod run;
#[cfg(feature = "outputs")]
mod timings;

pub use config::Settings;
pub use findings::{Code, Finding, Severity};
pub use forms::file::{FileRecord, FileStatus, Format};
pub use forms::{Form, Month, Monthly, SelfCheck};
pub use grid::{Limits, Sheet, Value, Workbook};
pub use ingest::{read_all, read_bytes, read_one};
