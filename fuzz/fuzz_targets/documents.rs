//! The Word readers on arbitrary input, outside any `catch_unwind`: the first byte picks the
//! reader (`.docx` main part XML, `.odt` content.xml, a whole `.doc` compound file), the rest is
//! its input; what parses becomes grids. Any panic, loop or runaway allocation is a bug here
//! (the `file` target only reaches these readers through zip and CRC checks, which mutated
//! bytes rarely pass).
#![no_main]
use huizong::read::document::{doc, docx, odt, to_workbook};
use huizong::grid::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, input)) = data.split_first() else { return };
    let limits = Limits { max_cells_per_sheet: 20_000, ..Limits::default() };
    let parsed = match kind % 3 {
        0 => docx::parse(input, limits),
        1 => odt::parse(input, limits),
        _ => doc::read(input, limits),
    };
    if let Ok(document) = parsed {
        let _ = to_workbook(&document, limits);
    }
});
