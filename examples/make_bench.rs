//! Makes a large folder of returns for the benchmark in docs/benchmark.md:
//! `cargo run --release --example make_bench -- /tmp/bench 1000` writes 1000 附件1 files (one
//! project each, typing habits varied by index) and the five units' 附件2.

use huizong_testkit::*;
use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "bench".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).expect("mkdir");
    let deadlines = ["2021年12月31日", "11月底前", "2021.11.26", "10月中旬", "长期坚持", "已整改", "2021/12/14", "12月中旬"];
    for i in 0..n {
        let rows: Vec<ItemRow> = (1..=6u8)
            .map(|k| {
                if (i + k as usize).is_multiple_of(3) {
                    ItemRow::new(k, "楼道堆放杂物，消防通道堵塞", &format!("王芳 138{:08}", i * 7 + k as usize), deadlines[(i + k as usize) % deadlines.len()])
                } else {
                    ItemRow::none(k)
                }
            })
            .collect();
        let layout = Layout { top: (i % 3) as u32, left: (i % 2) as u16, split_header: i % 4 == 0, attachment_line: i % 2 == 0, ..Layout::default() };
        let form = SelfCheckForm {
            project: format!("测试小区{i:04}"),
            company: format!("测试物业公司{:02}", i % 37),
            fill_date: "2021年10月20日".into(),
            rows,
            layout,
        };
        let bytes = workbook(&[("Sheet1", SheetForm::SelfCheck(form))]).expect("builds");
        std::fs::write(dir.join(format!("自查表_{i:04}.xlsx")), bytes).expect("write");
    }
    for (u, unit) in ["建设（房管）局", "经发局", "公安分局", "城乡工作办事处", "市场监管局"].iter().enumerate() {
        let mut values: Vec<(&'static str, Typed, Typed)> =
            vec![("1", 40.into(), Typed::Blank), ("2", 30.into(), Typed::Blank), ("3", 10.into(), Typed::Blank)];
        for id in ["4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14"] {
            values.push((id, (u as i64 + 1).into(), (2 * u as i64 + 2).into()));
        }
        let form = MonthlyForm {
            unit: format!("东湖风景区{unit}"),
            month: "（2021年10月）".into(),
            compiler: "周彬".into(),
            contact: "86779132".into(),
            values,
            part_row: false,
            cases: "案例".into(),
            experience: "做法".into(),
            layout: Layout::default(),
        };
        let bytes = workbook(&[("Sheet1", SheetForm::Monthly(form))]).expect("builds");
        std::fs::write(dir.join(format!("月报_{u}.xlsx")), bytes).expect("write");
    }
}
