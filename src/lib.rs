//! huizong (汇总): consolidates the returned forms of a property-management rectification
//! campaign into one district workbook plus tidy tables.
//!
//! The data flows one way, with the form knowledge at the centre:
//!
//! ```text
//! read      files → sniffed format → guarded calamine read → sheets of plain cells
//! extract   sheets → recognised forms → records + findings (through a SheetReader)
//! clean     (used by extract) typed text → dates, phones, counts, each value or a reason
//! rules     records → statuses, supersession, checks, missing lists, totals, counts
//! output    → the district workbook, Parquet tables, summary.json
//! ```
//!
//! `forms` (the indicator and focus tables, months, records) and `findings` (codes,
//! locations) are what every stage speaks. `docs/ARCHITECTURE.md` is the map.

#[cfg(feature = "outputs")]
pub mod carry;
#[cfg(feature = "outputs")]
pub mod check;
pub mod clean;
#[cfg(feature = "outputs")]
pub mod cli;
pub mod config;
pub mod error;
pub mod extract;
pub mod findings;
pub mod forms;
pub mod grid;
pub mod ingest;
pub mod layout;
#[cfg(feature = "outputs")]
pub mod output;
pub mod read;
pub mod rules;
#[cfg(feature = "outputs")]
pub mod run;
#[cfg(feature = "outputs")]
mod timings;
