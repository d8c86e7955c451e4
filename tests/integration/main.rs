//! The integration tests, one crate (one test binary, one link of the program's dependencies):
//! each module runs the real `huizong` binary, through [`common::huizong`], on fixture folders,
//! generated forms or the shipped `input/`, and reads back what it wrote (the workbook with
//! calamine, the tables with polars); `docs` and `properties` call the library directly.

mod common;

mod check;
mod clerk;
mod corpus;
mod docs;
mod generated;
mod history;
mod months;
mod numbers;
mod producers;
mod properties;
mod realworld;
mod robustness;
mod safety;
mod samples;
mod templates;
mod word;
mod workbook;
