//! Property tests over the whole reading path: forms written with rust_xlsxwriter, or as Word
//! documents (testkit::docx), in random layouts and typing habits must read back to what was
//! written, or give a finding at the very cell that holds what could not be read.

use chrono::NaiveDate;
use huizong::extract::recognise::{classify, Kind};
use huizong::extract::{monthly, self_check, SheetReader};
use huizong::findings::{Code, Severity};
use huizong::forms::file::Format;
use huizong::forms::{DeadlineValue, IndicatorId};
use huizong::grid::{a1, Limits};
use huizong::read::workbook;
use huizong_testkit::docx::WordStyle;
use huizong_testkit::*;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn word_style() -> impl Strategy<Value = WordStyle> {
    (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(auto_numbers, breaks_as_br, merged_text_labels, full_width_spaces)| WordStyle {
        auto_numbers,
        breaks_as_br,
        merged_text_labels,
        full_width_spaces,
    })
}

/// Write one form as a workbook, or as a Word document, and read it back into grids.
fn written(form: SheetForm, word: Option<WordStyle>) -> huizong::grid::Workbook {
    match word {
        Some(style) => {
            let bytes = huizong_testkit::docx::document(&[form], style);
            workbook::read(&bytes, Format::Docx, Limits::default(), None).unwrap()
        }
        None => workbook::read(&workbook(&[("Sheet1", form)]).unwrap(), Format::Xlsx, Limits::default(), None).unwrap(),
    }
}

/// A deadline as typed in Word, where a cell holds text only: a date cell or a serial number
/// is typed as the date.
fn in_word(d: &TypedDeadline) -> TypedDeadline {
    match (&d.cell, d.expect) {
        (Typed::Date(_) | Typed::Number(_), Some(dt)) => TypedDeadline { cell: Typed::Text(dt.format("%Y年%-m月%-d日").to_string()), ..d.clone() },
        _ => d.clone(),
    }
}

/// A deadline as some submitter typed it, and what it means.
#[derive(Debug, Clone)]
struct TypedDeadline {
    cell: Typed,
    expect: Option<NaiveDate>,
    impossible: bool,
}

fn deadline() -> impl Strategy<Value = TypedDeadline> {
    (1u32..=12, 1u32..=31, 0usize..9).prop_map(|(m, d, habit)| {
        let date = NaiveDate::from_ymd_opt(2021, m, d);
        let last = NaiveDate::from_ymd_opt(2021 + (m / 12) as i32, m % 12 + 1, 1).unwrap().pred_opt().unwrap();
        let text = |s: String| TypedDeadline { cell: Typed::Text(s), expect: date, impossible: date.is_none() };
        match habit {
            0 => text(format!("2021年{m}月{d}日")),
            1 => text(format!("2021.{m}.{d}")),
            2 => text(format!("2021/{m}/{d}")),
            3 => text(format!("{m}月{d}日")),
            4 => text(format!("2021年{m}月{d}号")),
            5 => TypedDeadline { cell: Typed::Text(format!("{m}月底")), expect: Some(last), impossible: false },
            6 => TypedDeadline { cell: Typed::Text(format!("{m}月中旬")), expect: NaiveDate::from_ymd_opt(2021, m, 20), impossible: false },
            7 => match date {
                Some(dt) => TypedDeadline { cell: Typed::Date(dt), expect: Some(dt), impossible: false },
                None => text(format!("2021-{m:02}-{d:02}")),
            },
            _ => match date {
                Some(dt) => TypedDeadline {
                    cell: Typed::Number((dt - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64),
                    expect: Some(dt),
                    impossible: false,
                },
                None => text(format!("{m}.{d}")),
            },
        }
    })
}

/// A responsible person as typed, with the name and phone it means.
fn responsible() -> impl Strategy<Value = (String, String, String)> {
    (prop::sample::select(vec!["王芳", "李强", "赵磊", "陈静"]), 3u8..=9, "[0-9]{9}", 0usize..6).prop_map(|(name, second, rest, habit)| {
        let phone = format!("1{second}{rest}");
        let typed = match habit {
            0 => format!("{name}/{phone}"),
            1 => format!("{name} {phone}"),
            2 => format!("{name}\n{phone}"),
            3 => format!("{name}：{} {} {}", &phone[..3], &phone[3..7], &phone[7..]),
            4 => format!("{name}（项目经理）{phone}"),
            _ => format!("{name} +86 {phone}"),
        };
        let expect_name = if habit == 4 { format!("{name}(项目经理)") } else { name.to_string() };
        (typed, expect_name, phone)
    })
}

fn layout() -> impl Strategy<Value = Layout> {
    (0u32..6, 0u16..4, any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(top, left, split, broken, attach)| Layout {
        top,
        left,
        split_header: split,
        broken_headers: broken,
        attachment_line: attach,
        extra_column: None,
    })
}

/// 48 cases a test; the failures found are kept beside this file, in
/// `properties.proptest-regressions`, and run first every time.
fn config() -> ProptestConfig {
    ProptestConfig { failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))), ..ProptestConfig::with_cases(48) }
}

/// Where the generator puts a 附件1's column-header row, 0-based: in a workbook after the
/// layout's empty rows, the optional 附件1 line, the title and the header line; in a Word
/// document the table's first row (cells are located inside the table).
fn header_row_written(layout: &Layout, word: bool) -> u32 {
    if word {
        0
    } else {
        layout.top + u32::from(layout.attachment_line) + 2
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn self_check_reads_back_whatever_the_layout_and_habits(
        layout in layout(),
        deadlines in prop::collection::vec(deadline(), 6),
        people in prop::collection::vec(responsible(), 6),
        problems in prop::collection::vec(any::<bool>(), 6),
        order in Just((1u8..=6).collect::<Vec<_>>()).prop_shuffle(),
        numbered_as_text in any::<bool>(),
        word in prop::option::of(word_style()),
    ) {
        // Word numbers its own 序号 cells in order; a shuffled order is typed, not numbered.
        let word = word.map(|w| WordStyle { auto_numbers: w.auto_numbers && order.windows(2).all(|p| p[0] < p[1]), ..w });
        let deadlines: Vec<TypedDeadline> = if word.is_some() { deadlines.iter().map(in_word).collect() } else { deadlines };
        let rows: Vec<ItemRow> = order.iter().map(|&n| {
            let i = n as usize - 1;
            let mut row = if problems[i] {
                ItemRow { deadline: deadlines[i].cell.clone(), ..ItemRow::new(n, &format!("第{n}项问题"), &people[i].0, "") }
            } else {
                ItemRow::none(n)
            };
            if numbered_as_text { row.no = Typed::Text(n.to_string()); }
            row
        }).collect();
        let form = SelfCheckForm { project: "测试小区".into(), company: "测试物业公司".into(), fill_date: "2021年9月20日".into(), rows, layout: layout.clone() };
        let book = written(SheetForm::SelfCheck(form), word);
        let sheet = &book.sheets[0];
        let Kind::SelfCheck { header_row } = classify(sheet) else { panic!("not recognised: {layout:?} {word:?}") };
        // Where the generator wrote the header and the form's first column. In Word, rows and
        // cells count from the table's first row, which is the header's.
        let header = header_row_written(&layout, word.is_some());
        let left = if word.is_some() { 0 } else { u32::from(layout.left) };
        if word.is_none() {
            prop_assert_eq!(header_row, header, "the header row is found where it was written");
        }
        let mut rd = SheetReader::new(sheet, "t.xlsx");
        let got = self_check::extract(&mut rd, header_row, 2021);
        let findings = rd.finish();
        prop_assert_eq!(&got.project, "测试小区");
        prop_assert_eq!(&got.company, "测试物业公司");
        prop_assert_eq!(got.fill_date, NaiveDate::from_ymd_opt(2021, 9, 20));
        prop_assert_eq!(got.items.len(), 6);
        for item in &got.items {
            let i = item.item_no.get() as usize - 1;
            prop_assert_eq!(item.has_problem, problems[i], "item {}", item.item_no);
            // The item's row as written (1-based): below the header, at its place in the
            // shuffled order.
            let pos = order.iter().position(|&n| n == item.item_no.get()).unwrap() as u32;
            prop_assert_eq!(item.row, header + 2 + pos);
            if !problems[i] { continue; }
            prop_assert_eq!(&item.responsible, &people[i].1);
            prop_assert_eq!(&item.phone, &people[i].2);
            let deadline_cell = a1(header + 1 + pos, left + 4);
            if deadlines[i].impossible {
                prop_assert_eq!(&item.deadline, &DeadlineValue::None);
                prop_assert!(findings.iter().any(|f| f.code == Code::DeadlineImpossible && f.location.columns().1 == deadline_cell), "finding at {}: {:?}", deadline_cell, findings);
            } else {
                prop_assert_eq!(&item.deadline, &DeadlineValue::Date(deadlines[i].expect.unwrap()), "{:?}", deadlines[i].cell);
            }
        }
        prop_assert!(!findings.iter().any(|f| f.code == Code::CellUnused), "{:?}", findings);
    }

    #[test]
    fn monthly_reads_back_whatever_the_typing(
        values in prop::collection::vec((0i64..500, 0i64..500), 14),
        habits in prop::collection::vec(0usize..5, 14),
        part_row in any::<bool>(),
        top in 0u32..4,
        left in 0u16..3,
        word in prop::option::of(word_style()),
    ) {
        let ids = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14"];
        let typed = |n: i64, habit: usize| -> Typed {
            match habit {
                0 => Typed::Number(n as f64),
                1 => Typed::Text(n.to_string()),
                2 => Typed::Text(format!("{n}件")),
                3 => Typed::Text(n.to_string().chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect()),
                _ => Typed::Text(format!(" {n} ")),
            }
        };
        let mut cells: Vec<(&'static str, Typed, Typed)> = Vec::new();
        for (k, id) in ids.iter().enumerate() {
            let (m, c) = values[k];
            let (m, c) = (m.min(c), m.max(c));
            if *id == "5" && !part_row {
                cells.push((id, Typed::Text(format!("{m}（{}）", m / 2)), Typed::Text(format!("{c}(其中{})", c / 2))));
            } else if ["1", "2", "3"].contains(id) {
                cells.push((id, typed(m, habits[k]), Typed::Blank));
            } else {
                cells.push((id, typed(m, habits[k]), typed(c, habits[(k + 1) % 14])));
            }
            if *id == "5" && part_row {
                cells.push(("5.1", Typed::Number((m / 2) as f64), Typed::Number((c / 2) as f64)));
            }
        }
        let form = MonthlyForm {
            unit: "东湖风景区公安分局".into(), month: "（2021年10月）".into(), compiler: "赵磊".into(), contact: "15512001763".into(),
            values: cells, part_row, cases: "案例".into(), experience: "做法".into(),
            layout: Layout { top, left, attachment_line: true, ..Layout::default() },
        };
        let book = written(SheetForm::Monthly(form), word);
        let sheet = &book.sheets[0];
        let Kind::Monthly { header_row } = classify(sheet) else { panic!("not recognised: {word:?}") };
        let mut rd = SheetReader::new(sheet, "t.xlsx");
        let got = monthly::extract(&mut rd, header_row, "t.xlsx");
        let findings = rd.finish();
        prop_assert_eq!(got.month_text(), "2021-10");
        prop_assert_eq!(&got.unit_raw, "东湖风景区公安分局");
        prop_assert_eq!(&got.compiler, "赵磊");
        prop_assert_eq!(&got.cases, "案例");
        for (k, id) in ids.iter().enumerate() {
            let (m, c) = values[k];
            let (m, c) = (m.min(c), m.max(c));
            let ind = got.get(IndicatorId::from_code(id).unwrap()).unwrap();
            prop_assert_eq!(ind.this_month, Some(m), "indicator {}", id);
            let want_c = if ["1", "2", "3"].contains(id) { None } else { Some(c) };
            prop_assert_eq!(ind.cumulative, want_c, "indicator {}", id);
            if *id == "5" {
                let part = got.get(IndicatorId::InvestigatedUnpublished).unwrap();
                prop_assert_eq!((part.this_month, part.cumulative), (Some(m / 2), Some(c / 2)));
            }
        }
        prop_assert!(!findings.iter().any(|f| f.severity == Severity::Error), "{:?}", findings);
        prop_assert!(!findings.iter().any(|f| f.code == Code::CellUnused), "{:?}", findings);
    }
}
