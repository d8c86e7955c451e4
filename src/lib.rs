//! huizong (汇总): consolidates the returned forms of a property-management rectification
//! campaign into one district workbook plus tidy tables.
//!
//! The data flows one way: `discover` → `workbook` → `recognise` → `form1`/`form2` →
//! `clean` (used by both) → `validate` → `consolidate` → `report` and `tables`.

pub mod clean;
pub mod cli;
pub mod config;
pub mod consolidate;
pub mod discover;
pub mod form1;
pub mod form2;
pub mod model;
pub mod pipeline;
pub mod recognise;
pub mod report;
pub mod roster;
pub mod sample;
pub mod tables;
pub mod validate;
pub mod workbook;
