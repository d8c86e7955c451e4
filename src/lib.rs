//! huizong (汇总): consolidates the returned forms of a property-management rectification
//! campaign into one district workbook plus tidy tables.
//!
//! The data flows one way: `discover` → `workbook` → `recognise` → `form1`/`form2` →
//! `clean` (used by both) → `validate` → `consolidate` → `report` and `tables`.

pub mod clean;
#[cfg(feature = "outputs")]
pub mod cli;
pub mod config;
#[cfg(feature = "outputs")]
pub mod consolidate;
pub mod discover;
pub mod form1;
pub mod form2;
pub mod model;
pub mod pipeline;
pub mod recognise;
#[cfg(feature = "outputs")]
pub mod report;
pub mod roster;
#[cfg(feature = "outputs")]
pub mod sample;
#[cfg(feature = "outputs")]
pub mod tables;
pub mod validate;
pub mod workbook;
