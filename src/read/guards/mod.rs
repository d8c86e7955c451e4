//! Checks made before calamine sees the bytes, for the files that would make it loop or
//! allocate without bound (found by fuzzing calamine 0.38; such a file kills the process where
//! `catch_unwind` cannot help): a damaged OLE2 structure, a zip bomb.

mod ole2;
mod zip;

pub use ole2::{ole2_names, ole2_problem, ole2_streams, Ole2Problem};
pub use zip::zip_declared_size;
