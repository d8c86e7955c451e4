//! Pure normalisation of single cell values: text, dates, phone numbers and counts.
//!
//! Every function here takes what a person typed and returns a typed value plus the notes a
//! finding needs (what was accepted, what was guessed, what is wrong). Nothing here knows about
//! files or cells; the caller attaches the location.

mod counts;
mod dates;
mod numerals;
mod phone;
mod units;

pub use counts::{number_as_count, parse_count_text, Count, CountNote};
pub use dates::{excel_serial_to_date, parse_deadline, parse_fill_date, says_done, Deadline, FillDate};
pub use numerals::chinese_numeral;
pub use phone::{normalise_phone, parse_responsible, Responsible};
pub use units::canonical_unit;

/// Fold full-width ASCII variants to ASCII, turn the ideographic space into a space,
/// trim, and collapse inner runs of whitespace to one space. One pass, one allocation: it is
/// called for most cells of every return.
pub fn clean_text(raw: &str) -> String {
    collapse(raw.chars().map(fold_char), raw.len())
}

/// The characters with whitespace trimmed and inner runs of it collapsed to one space, in one
/// pass and one allocation.
fn collapse(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut gap = false;
    for c in chars {
        if c.is_whitespace() {
            gap = !out.is_empty();
        } else {
            if gap {
                out.push(' ');
                gap = false;
            }
            out.push(c);
        }
    }
    out
}

/// Full-width forms U+FF01..U+FF5E map one-to-one onto ASCII U+0021..U+007E.
fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' => ' ',
        _ => c,
    }
}

/// A text as it is shown back to people: as typed — full-width brackets and punctuation kept —
/// with the ideographic and no-break spaces taken as spaces, trimmed, and inner runs of
/// whitespace collapsed to one space. Names and descriptions are shown this way; matching uses
/// [`match_key`], parsing [`clean_text`].
pub fn display_text(raw: &str) -> String {
    // U+3000 and U+00A0 are whitespace to `char::is_whitespace` already.
    collapse(raw.chars(), raw.len())
}

/// A key for matching names typed by different people: folded, without any whitespace,
/// brackets or punctuation, lower-case. `东湖 春树里（一期）` and `东湖春树里(一期)` agree.
pub fn match_key(raw: &str) -> String {
    raw.chars().map(fold_char).filter(|c| !c.is_whitespace() && !is_punct(*c)).flat_map(|c| c.to_lowercase()).collect()
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c, '、' | '。' | '，' | '；' | '：' | '“' | '”' | '‘' | '’' | '《' | '》' | '【' | '】' | '〔' | '〕' | '—' | '…' | '·')
}

/// Header texts such as `序\n号` or `整改完\n成期限`: everything but the characters removed.
pub fn header_key(raw: &str) -> String {
    raw.chars().map(fold_char).filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_shown_back_is_as_typed_but_for_spaces() {
        assert_eq!(display_text("  安居小区（一期）\u{3000} "), "安居小区（一期）");
        assert_eq!(display_text("楼道堆放杂物，消防通道 \n 不畅"), "楼道堆放杂物，消防通道 不畅");
        assert_eq!(clean_text("安居小区（一期）"), "安居小区(一期)", "parsing still folds");
        assert_eq!(match_key(&display_text("安居小区（一期）")), match_key("安居小区(一期)"), "and matching agrees");
    }

    #[test]
    fn text_is_folded_trimmed_and_collapsed() {
        assert_eq!(clean_text("  东湖\u{3000}春树里  １２号  "), "东湖 春树里 12号");
        assert_eq!(clean_text("物业公司名称（盖章）："), "物业公司名称(盖章):");
        assert_eq!(clean_text("a\n\tb"), "a b");
    }

    #[test]
    fn match_key_ignores_spaces_brackets_and_width() {
        assert_eq!(match_key("东湖 春树里（一期）"), match_key("东湖春树里(一期)"));
        assert_eq!(match_key("落雁景苑 "), "落雁景苑");
        assert_ne!(match_key("梨园小区"), match_key("梨园"));
    }

    mod properties {
        use super::super::*;
        use chrono::NaiveDate;
        use proptest::prelude::*;

        fn full_width(s: &str) -> String {
            s.chars().map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c }).collect()
        }

        proptest! {
            #[test]
            fn cleaners_never_panic(s in "\\PC{0,40}") {
                let _ = parse_deadline(&s, 2021);
                let _ = parse_responsible(&s);
                let _ = parse_count_text(&s);
                let _ = parse_fill_date(&s);
                let _ = crate::forms::Month::find_in(&s);
                let _ = chinese_numeral(&s);
            }

            #[test]
            fn the_one_pass_cleaners_agree_with_their_definitions(s in "[ \u{3000}\u{a0}\t\n a-zA-Z0-9０-９Ａ-Ｚａ-ｚ（）()，,。东湖春树里-]{0,40}", any_text in "\\PC{0,40}") {
                for s in [s, any_text] {
                    let folded: String = s.chars().map(fold_char).collect();
                    let cleaned = folded.split_whitespace().collect::<Vec<_>>().join(" ");
                    prop_assert_eq!(clean_text(&s), cleaned.clone());
                    prop_assert_eq!(header_key(&s), cleaned.chars().filter(|c| !c.is_whitespace()).collect::<String>());
                    let key: String = cleaned.chars().filter(|c| !c.is_whitespace() && !is_punct(*c)).flat_map(|c| c.to_lowercase()).collect();
                    prop_assert_eq!(match_key(&s), key);
                }
            }

            #[test]
            fn clean_text_is_idempotent(s in "\\PC{0,40}") {
                let once = clean_text(&s);
                prop_assert_eq!(clean_text(&once), once);
            }

            #[test]
            fn every_written_date_form_reads_back(y in 2000i32..2100, m in 1u32..=12, d in 1u32..=31, fw in any::<bool>()) {
                let expected = NaiveDate::from_ymd_opt(y, m, d);
                for text in [format!("{y}年{m}月{d}日"), format!("{y}.{m}.{d}"), format!("{y}/{m}/{d}"), format!("{y}-{m:02}-{d:02}"), format!("{y}{m:02}{d:02}")] {
                    let text = if fw { full_width(&text) } else { text };
                    match (parse_deadline(&text, 2021), expected) {
                        (Deadline::Date(got, None), Some(want)) => prop_assert_eq!(got, want),
                        (Deadline::Impossible(_), None) => {}
                        (other, want) => prop_assert!(false, "{} gave {:?}, want {:?}", text, other, want),
                    }
                }
            }

            #[test]
            fn counts_read_back_whatever_the_habit(n in 0i64..100_000, unit in prop::sample::select(vec!["", "件", "个", "次", "份"]), fw in any::<bool>(), pad in any::<bool>()) {
                let mut text = format!("{n}{unit}");
                if fw { text = full_width(&text); }
                if pad { text = format!("  {text} "); }
                match parse_count_text(&text) {
                    Count::Value { value, part: None, .. } => prop_assert_eq!(value, n),
                    other => prop_assert!(false, "{} gave {:?}", text, other),
                }
            }

            #[test]
            fn mobiles_read_back_through_separators(second in 3u8..=9, rest in "[0-9]{9}", sep in prop::sample::select(vec!["", " ", "-"]), name in "[张王李赵][伟芳强]{1,2}", glue in prop::sample::select(vec![" ", "/", "：", "\n", ""])) {
                let number = format!("1{second}{rest}");
                let typed = format!("{}{sep}{}{sep}{}", &number[..3], &number[3..7], &number[7..]);
                let r = parse_responsible(&format!("{name}{glue}{typed}"));
                prop_assert_eq!(r.phone, number);
                prop_assert_eq!(r.name, name);
            }
        }
    }
}
