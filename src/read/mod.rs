//! The readers: from a file's bytes to the cell model (`grid.rs`). The format is sniffed from
//! the bytes (`format`), the guards check zip and OLE2 containers before calamine sees them
//! (`guards`, `package`), spreadsheets are read by calamine (`workbook`, the only user of it),
//! Word returns by our own readers (`document`), a wrong code page is repaired (`codepage`).
//! Also the folder walk (`discover`) and the roster (`roster`). Nothing here knows the forms:
//! the per-file path that puts reading and extraction together is `ingest.rs`.

pub mod archive;
pub mod codepage;
pub mod discover;
pub mod document;
pub mod format;
pub mod guards;
pub mod package;
pub mod roster;
pub mod workbook;
