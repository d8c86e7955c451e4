//! The cell-value cleaners on arbitrary text: dates, phones, counts, header lines, months.
#![no_main]
use huizong::clean;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = clean::parse_deadline(text, 2021);
    let r = clean::parse_responsible(text);
    // A phone that was accepted is in its normal form: normalising it again changes nothing.
    for p in r.phone.split('、').filter(|p| !p.is_empty()) {
        assert_eq!(clean::normalise_phone(p).as_deref(), Some(p), "{text:?}");
    }
    let _ = clean::parse_count_text(text);
    let _ = clean::parse_fill_date(text);
    let _ = huizong::forms::Month::find_in(text);
    let _ = clean::chinese_numeral(text);
    let _ = huizong::read::codepage::looks_garbled(text);
    let once = clean::clean_text(text);
    assert_eq!(clean::clean_text(&once), once);
});
