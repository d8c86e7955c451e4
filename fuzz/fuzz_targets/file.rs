//! The whole per-file path on arbitrary bytes: sniff, read (calamine), recognise, extract.
//! Whatever the bytes, the result is a record with a status, never a crash.
#![no_main]
use huizong::config::Settings;
use huizong::ingest::read_bytes;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static SETTINGS: LazyLock<Settings> = LazyLock::new(|| Settings { max_cells_per_sheet: 20_000, ..Settings::default() });

fuzz_target!(init: {
    // Panics inside calamine are contained by huizong (the file becomes `unreadable`); only a
    // panic that escapes `read_bytes` is a bug here, and libfuzzer-sys still aborts on those.
    // Replace its abort-on-any-panic hook with a quiet one so contained panics do not stop us.
    std::panic::set_hook(Box::new(|_| {}));
}, |data: &[u8]| {
    let rec = read_bytes("fuzz.xlsx", data.to_vec(), &SETTINGS, 2021);
    assert!(rec.forms.is_empty() || rec.status == huizong::forms::file::FileStatus::Consolidated);
});
