//! The benchmark corpus (docs/PERFORMANCE.md): a folder of returns in a realistic mix,
//! deterministic from a seed.
//!
//! `cargo run --release --example make_bench -- DIR FORMS [SEED]` writes about FORMS 附件1 forms:
//! - most as `.xlsx` written by the test form writer, one to three projects per workbook (a sheet
//!   each), every layout and typing habit it knows (title lines, split headers, line breaks in
//!   headers, an extra 备注 column, offsets, dates as text and as date cells, phones in every
//!   shape, Chinese deadlines, problems on a third of the items);
//! - about one in twenty as a Word `.docx` in a random Word style;
//! - about one in twenty copied from the LibreOffice `.xls`, `.ods` and `.doc` fixtures (the
//!   same projects again: re-submissions, which the run supersedes);
//! - plus the five units' 附件2 for August, September and October 2021.
//!
//! Files are spread over 20 subfolders (as a clerk sorts them by company).

use huizong_testkit::*;
use std::path::{Path, PathBuf};

/// splitmix64: a small deterministic generator, so the same seed gives the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const DEADLINES: [&str; 14] = [
    "2021年12月31日",
    "11月底前",
    "2021.11.26",
    "10月中旬",
    "长期坚持",
    "已整改",
    "2021/12/14",
    "12月中旬",
    "2021-11-30",
    "20211215",
    "年底前",
    "已于9月25日整改完毕",
    "十一月底",
    "尽快",
];
const PROBLEMS: [&str; 8] = [
    "楼道堆放杂物，消防通道堵塞",
    "收费公示栏信息未更新",
    "转供电电价加收0.15元/度",
    "小区东门广告位未经业主大会同意出租给商户",
    "电梯维保单位信息未公示",
    "物业服务合同到期未按规定移交资料",
    "曾因欠费对2户业主限时供水",
    "保安对投诉业主言语威胁",
];
const NO_PROBLEM: [&str; 5] = ["无", "无。", "/", "未发现此类问题", "经自查，无此类问题"];
const NAMES: [&str; 8] = ["王芳", "李强", "张伟", "陈静", "赵磊", "刘洋", "孙丽", "周杰"];

fn phone(rng: &mut Rng) -> String {
    let n = 13_000_000_000u64 + rng.next() % 6_000_000_000;
    match rng.below(5) {
        0 => format!("{n}"),
        1 => format!("{} {} {}", n / 100_000_000, n / 10_000 % 10_000, n % 10_000),
        2 => format!("027-8{:07}", n % 10_000_000),
        3 => format!("{}-{}-{}", n / 100_000_000, n / 10_000 % 10_000, n % 10_000),
        _ => format!("{n}转{}", rng.below(900) + 100),
    }
}

fn self_check(rng: &mut Rng, project: usize) -> SelfCheckForm {
    let rows = (1..=6u8)
        .map(|k| {
            if rng.below(3) == 0 {
                let who = format!("{}{}{}", rng.pick(&NAMES), if rng.below(2) == 0 { " " } else { "\n" }, phone(rng));
                let deadline = if rng.below(6) == 0 {
                    Typed::Date(chrono::NaiveDate::from_ymd_opt(2021, 11 + rng.below(2) as u32, 1 + rng.below(28) as u32).expect("a date"))
                } else {
                    Typed::Text(rng.pick(&DEADLINES).to_string())
                };
                ItemRow { deadline, ..ItemRow::new(k, rng.pick(&PROBLEMS), &who, "") }
            } else {
                ItemRow::new(k, rng.pick(&NO_PROBLEM), "", "")
            }
        })
        .collect();
    let layout = Layout {
        top: rng.below(3) as u32,
        left: rng.below(2) as u16,
        attachment_line: rng.below(2) == 0,
        split_header: rng.below(4) == 0,
        broken_headers: rng.below(3) == 0,
        extra_column: (rng.below(8) == 0).then(|| "备注".to_string()),
    };
    SelfCheckForm {
        project: format!("测试小区{project:06}"),
        company: format!("测试物业公司{:03}", project % 397),
        fill_date: format!("2021年10月{}日", 1 + rng.below(28)),
        rows,
        layout,
    }
}

fn monthly(unit: &str, month: u32, u: i64) -> MonthlyForm {
    let mut values: Vec<(&'static str, Typed, Typed)> = vec![("1", 40.into(), Typed::Blank), ("2", 30.into(), Typed::Blank), ("3", 10.into(), Typed::Blank)];
    let m = i64::from(month) - 7;
    for id in ["4", "5", "6", "7", "8", "9", "10", "11", "12", "14"] {
        values.push((id, (u + 1).into(), ((u + 1) * m).into()));
    }
    values.push(("13", Typed::Blank, Typed::Blank));
    MonthlyForm {
        unit: format!("东湖风景区{unit}"),
        month: format!("（2021年{month}月）"),
        compiler: "周彬".into(),
        contact: "86779132".into(),
        values,
        part_row: false,
        cases: "查处某小区擅自提高收费标准一案。".into(),
        experience: "每周通报整改进度。".into(),
        layout: Layout::default(),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "bench".into()));
    let forms: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let mut rng = Rng(args.next().and_then(|s| s.parse().ok()).unwrap_or(2021));
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let copies: Vec<PathBuf> = [
        "libreoffice/湖北楚天物业有限公司_碧波园_自查表.xls",
        "libreoffice/湖北楚天物业有限公司_磨山花园_自查表.xls",
        "libreoffice/武汉长江物业管理有限公司_落雁景苑_自查表.ods",
        "word/libreoffice_附件1_武汉长江物业管理有限公司_绿洲花园_自查表.doc",
    ]
    .iter()
    .map(|p| fixtures.join(p))
    .collect();
    let styles = [
        docx::WordStyle::default(),
        docx::WordStyle { auto_numbers: true, ..Default::default() },
        docx::WordStyle { breaks_as_br: true, full_width_spaces: true, ..Default::default() },
    ];
    let (mut made, mut files, mut file_no) = (0usize, 0usize, 0usize);
    while made < forms {
        let folder = dir.join(format!("公司{:02}", file_no % 20));
        std::fs::create_dir_all(&folder).expect("mkdir");
        file_no += 1;
        match rng.below(20) {
            0 => {
                let form = SheetForm::SelfCheck(self_check(&mut rng, made));
                let style = styles[rng.below(styles.len())];
                std::fs::write(folder.join(format!("自查表_{file_no:06}.docx")), docx::document(&[form], style)).expect("write");
                made += 1;
            }
            1 => {
                let source = &copies[rng.below(copies.len())];
                let ext = source.extension().and_then(|e| e.to_str()).unwrap_or("xls");
                std::fs::copy(source, folder.join(format!("自查表_{file_no:06}.{ext}"))).expect("copy");
                made += 1;
            }
            _ => {
                let n = (1 + rng.below(3)).min(forms - made);
                let sheets: Vec<(String, SheetForm)> =
                    (0..n).map(|k| (format!("项目{}", k + 1), SheetForm::SelfCheck(self_check(&mut rng, made + k)))).collect();
                let named: Vec<(&str, SheetForm)> = sheets.iter().map(|(s, f)| (s.as_str(), f.clone())).collect();
                std::fs::write(folder.join(format!("自查表_{file_no:06}.xlsx")), workbook(&named).expect("builds")).expect("write");
                made += n;
            }
        }
        files += 1;
    }
    let units = ["建设（房管）局", "经发局", "公安分局", "城乡工作办事处", "市场监管局"];
    let reports = dir.join("月报");
    std::fs::create_dir_all(&reports).expect("mkdir");
    for month in [8, 9, 10] {
        for (u, unit) in units.iter().enumerate() {
            let bytes = workbook(&[("Sheet1", SheetForm::Monthly(monthly(unit, month, u as i64)))]).expect("builds");
            std::fs::write(reports.join(format!("{unit}_2021年{month}月.xlsx")), bytes).expect("write");
            files += 1;
        }
    }
    println!("{forms} 份自查表，{files} 个文件：{}", dir.display());
}
