//! Makes the shipped `input/` folder: a realistic month of returns (October 2021, with
//! September's returns in `2021年9月/` for the ledger and the 累积 check), several companies
//! and projects, all five units, the usual typing habits and mistakes, a re-submission, broken
//! files and a roster.
//!
//! `cargo run --example make_input -- input` rewrites the `.xlsx` and `.docx` files; the `.xls`,
//! `.ods` and `.doc` copies in `input/` were then made from some of them with LibreOffice
//! (`soffice --headless --convert-to xls`, `… doc`; the 磨山花园 `.docx` became the `.doc`) and
//! are committed as they are.

use chrono::NaiveDate;
use huizong_testkit::*;
use std::path::Path;

fn self_check(project: &str, company: &str, fill: &str, rows: Vec<ItemRow>, layout: Layout) -> SheetForm {
    SheetForm::SelfCheck(SelfCheckForm { project: project.into(), company: company.into(), fill_date: fill.into(), rows, layout })
}

fn monthly(unit: &str, month: &str, compiler: &str, contact: &str, values: Vec<(&'static str, Typed, Typed)>, part_row: bool) -> SheetForm {
    SheetForm::Monthly(MonthlyForm {
        unit: unit.into(),
        month: month.into(),
        compiler: compiler.into(),
        contact: contact.into(),
        values,
        part_row,
        cases: format!("{}在集中整治中查处某小区擅自提高收费标准一案，责令退还多收费用2.3万元。", unit.trim_start_matches("东湖风景区")),
        experience: "建立“三方联动”机制，每周通报整改进度，对逾期未改的项目约谈企业负责人。".into(),
        layout: Layout { attachment_line: true, ..Layout::default() },
    })
}

/// (id, 本月 or 数量, 累积) as numbers.
fn values(stock: [i64; 3], month: [i64; 12], cumulative: [i64; 12]) -> Vec<(&'static str, Typed, Typed)> {
    let mut v: Vec<(&'static str, Typed, Typed)> =
        vec![("1", stock[0].into(), Typed::Blank), ("2", stock[1].into(), Typed::Blank), ("3", stock[2].into(), Typed::Blank)];
    let ids = ["4", "5", "5.1", "6", "7", "8", "9", "10", "11", "12", "13", "14"];
    for (i, id) in ids.iter().enumerate() {
        v.push((id, month[i].into(), cumulative[i].into()));
    }
    v
}

/// A Word return: the forms of `sheets` one after another in one document.
fn save_word(dir: &Path, name: &str, sheets: &[(&str, SheetForm)], style: docx::WordStyle) {
    let forms: Vec<SheetForm> = sheets.iter().map(|(_, f)| f.clone()).collect();
    std::fs::write(dir.join(name), docx::document(&forms, style)).expect("write");
}

/// September's 附件1 returns of five projects: October's returns extend two deadlines, drop a
/// problem without fixing it and report a closed one again; 东湖港湾 does not return in
/// October, so its open problem is carried and chased.
fn september_self_checks(dir: &Path, titled: &Layout) {
    let none = |n| ItemRow::none(n);
    let returns: [(&str, &str, &str, &str, Vec<ItemRow>); 5] = [
        (
            "武汉碧桂物业管理有限公司_梨园小区_自查表.xlsx",
            "梨园小区",
            "武汉碧桂物业管理有限公司",
            "2021年9月20日",
            vec![
                ItemRow::new(1, "曾因欠费对2户业主限时供水", "陈静/15262385734", "2021/10/15"),
                ItemRow::new(2, "收费公示栏信息未更新", "陈静/15262385734", "10月20日"),
                none(3),
                none(4),
                ItemRow::new(5, "物业服务合同到期未按规定移交资料", "赵磊：19658120567", "12月中旬"),
                none(6),
            ],
        ),
        (
            "武汉长江物业管理有限公司_江滩花园_自查表.xlsx",
            "江滩花园",
            "武汉长江物业管理有限公司",
            "2021年9月22日",
            vec![
                ItemRow::new(1, "停电检修未提前公告", "钱进 85807478-8012", "2021年11月30日"),
                none(2),
                ItemRow::new(3, "保安对投诉业主言语威胁", "钱进 85807478-8012", "2021年10月"),
                none(4),
                none(5),
                none(6),
            ],
        ),
        (
            "武汉长江物业管理有限公司_落雁景苑_自查表.xlsx",
            "落雁景苑",
            "武汉长江物业管理有限公司",
            "2021年9月21日",
            vec![
                none(1),
                ItemRow::new(2, "收费公示栏信息未更新", "陈静/18518382581", "2021-10-19"),
                none(3),
                ItemRow::new(4, "交接资料不全", "张伟 192 5399 9250", "已整改"),
                none(5),
                none(6),
            ],
        ),
        (
            "武汉碧桂物业管理有限公司_桂园_自查表.xlsx",
            "桂园",
            "武汉碧桂物业管理有限公司",
            "2021年9月18日",
            vec![none(1), none(2), none(3), none(4), none(5), ItemRow::new(6, "公共区域用电加价收取", "孙丽 138-0027-1234", "已整改")],
        ),
        (
            "湖北楚天物业有限公司_东湖港湾_自查表.xlsx",
            "东湖港湾",
            "湖北楚天物业有限公司",
            "2021年9月24日",
            vec![none(1), ItemRow::new(2, "楼道堆放杂物", "王芳 18831034591", "2021年10月10日"), none(3), none(4), none(5), none(6)],
        ),
    ];
    for (name, project, company, fill, rows) in returns {
        save(dir, name, &[("Sheet1", self_check(project, company, fill, rows, titled.clone()))]);
    }
}

fn save(dir: &Path, name: &str, sheets: &[(&str, SheetForm)]) {
    let bytes = workbook(sheets).expect("workbook builds");
    std::fs::write(dir.join(name), bytes).expect("write");
}

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| "input".into());
    let root = Path::new(&root);
    let sc = root.join("自查表");
    let mr = root.join("月报");
    // Last month's returns in a folder of their own: the run consolidates September first
    // (when the history store does not have it yet), then October against it.
    let sep_sc = root.join("2021年9月").join("自查表");
    let sep_mr = root.join("2021年9月").join("月报");
    for d in [&sc, &mr, &root.join("其他"), &sep_sc, &sep_mr] {
        std::fs::create_dir_all(d).expect("mkdir");
    }
    let plain = Layout::default();
    let titled = Layout { attachment_line: true, broken_headers: true, ..Layout::default() };

    // 附件1: five companies, twelve projects.
    save(
        &sc,
        "武汉东湖物业服务有限公司_东湖春树里_自查表.xlsx",
        &[(
            "Sheet1",
            self_check(
                "东湖春树里",
                "武汉东湖物业服务有限公司",
                "2021年9月25日",
                vec![
                    ItemRow::none(1),
                    ItemRow::new(2, "3栋地下车库被用于堆放杂物经营", "黄敏/18604806358", "2021年12月底"),
                    ItemRow::new(3, "未发现此类问题", "", ""),
                    ItemRow::none(4),
                    ItemRow::none(5),
                    ItemRow::none(6),
                ],
                titled.clone(),
            ),
        )],
    );
    save(
        &sc,
        "武汉东湖物业服务有限公司_东湖春树里_自查表（更新）.xlsx",
        &[(
            "Sheet1",
            self_check(
                "东湖春树里",
                "武汉东湖物业服务有限公司",
                "2021年10月28日",
                vec![
                    ItemRow::new(1, "小区东门广告位未经业主大会同意出租给商户", "杨帆 19910616711", "2021.11.26"),
                    ItemRow::none(2),
                    ItemRow::new(3, "转供电电价加收0.15元/度", "陈静 027-85807478", "11月底前"),
                    ItemRow {
                        deadline: Typed::Date(NaiveDate::from_ymd_opt(2021, 12, 11).unwrap()),
                        ..ItemRow::new(4, "物业服务合同到期未按规定移交资料", "周杰（项目经理）15389672958", "")
                    },
                    ItemRow::new(5, "电梯维保单位信息未公示", "李娜 1560185845", "2021/12/14"),
                    ItemRow::new(6, "无。", "", ""),
                ],
                titled.clone(),
            ),
        )],
    );
    save(
        &sc,
        "武汉东湖物业服务有限公司_湖光雅居等_自查表.xlsx",
        &[
            ("填表说明", SheetForm::Text(vec!["填表说明：每个物业项目一张工作表，没有问题的填“无”。".into(), "整改期限请写具体日期。".into()])),
            (
                "湖光雅居",
                self_check(
                    "湖光雅居",
                    "武汉东湖物业服务有限公司",
                    "2021年9月27日",
                    vec![
                        ItemRow::new(1, "曾因欠费对2户业主限时供水", "张伟 13949382046", "10月31日"),
                        ItemRow::none(2),
                        ItemRow::new(3, "转供电电价加收0.15元/度", "李娜\n13609032240", ""),
                        ItemRow::new(4, "小区东门广告位未经业主大会同意出租给商户", "", "长期坚持"),
                        ItemRow::new(5, "电梯维保单位信息未公示", "刘洋（项目经理）13693227324", "2021.12.5"),
                        ItemRow::new(6, "转供电加价", "赵磊：19881345957", "已整改"),
                    ],
                    titled.clone(),
                ),
            ),
            (
                "鹏程小区",
                self_check(
                    "鹏程小区",
                    "武汉东湖物业服务有限公司",
                    "2021年    月   日",
                    vec![
                        ItemRow {
                            focus: "中断供水供电等".into(), ..ItemRow::new(1, "收费公示栏信息未更新", "陈静 027-80556382", "10月中旬")
                        },
                        ItemRow {
                            focus: "擅自撤离".into(), ..ItemRow::new(4, "物业服务合同到期未按规定移交资料", "刘洋", "2021年9月31日")
                        },
                        ItemRow { focus: "擅自提价".into(), ..ItemRow::none(6) },
                        ItemRow {
                            focus: "共用部位违规经营".into(), ..ItemRow::new(2, "楼道堆放杂物", "王芳\n18831034591", "9月20日-10月15日")
                        },
                        ItemRow { focus: "泄露业主信息".into(), ..ItemRow::none(3) },
                        ItemRow { focus: "未公示收费信息".into(), ..ItemRow::new(5, "/", "", "") },
                    ],
                    titled.clone(),
                ),
            ),
        ],
    );
    save(
        &sc,
        "武汉碧桂物业管理有限公司_梨园小区_自查表.xlsx",
        &[(
            "Sheet1",
            self_check(
                "梨园小区",
                "武汉碧桂物业管理有限公司",
                "2021年9月12日",
                vec![
                    ItemRow::new(1, "曾因欠费对2户业主限时供水，已恢复", "", "2021/11/8"),
                    ItemRow::new(2, "收费公示栏信息未更新，缺少特种设备维保单位联系方式", "陈静/15262385734", "11月2日"),
                    ItemRow::none(3),
                    ItemRow::new(4, "未发现此类问题", "", ""),
                    ItemRow::new(5, "物业服务合同到期未按规定移交资料", "赵磊：19658120567", "12月中旬"),
                    ItemRow::none(6),
                ],
                Layout { top: 2, ..titled.clone() },
            ),
        )],
    );
    save(
        &sc,
        "武汉碧桂物业管理有限公司_桂园_自查表.xlsx",
        &[(
            "Sheet1",
            self_check(
                "桂园",
                "武汉碧桂物业管理有限公司",
                "2021年10月8日",
                vec![
                    ItemRow::none(1),
                    ItemRow::none(2),
                    ItemRow::none(3),
                    ItemRow::none(4),
                    ItemRow::new(5, "停车收费标准未公示", "孙丽 +86 138 0027 1234", "十月底"),
                    ItemRow { extra: "已约谈项目经理".into(), ..ItemRow::new(6, "公共区域用电加价收取", "孙丽 138-0027-1234", "年底前") },
                ],
                Layout { extra_column: Some("备注".into()), ..plain.clone() },
            ),
        )],
    );
    save(
        &sc,
        "湖北楚天物业有限公司_碧波园_自查表.xlsx",
        &[(
            "Sheet1",
            self_check(
                "碧波园",
                "湖北楚天物业有限公司",
                "2021年9月11日",
                vec![
                    ItemRow::new(1, "未发现此类问题", "", ""),
                    ItemRow::new(2, "无。", "", ""),
                    ItemRow::new(4, "收费公示栏信息未更新", "赵磊\n13426611484", "已整改"),
                    ItemRow::new(6, "3栋地下车库被用于堆放杂物经营", "陈静\n19624973847", "已完成"),
                ],
                Layout { split_header: true, ..plain.clone() },
            ),
        )],
    );
    save_word(
        &sc,
        "湖北楚天物业有限公司_磨山花园_自查表.docx",
        &[(
            "附件1",
            self_check(
                "磨山花园",
                "湖北楚天物业有限公司",
                "2021年9月17日",
                vec![
                    ItemRow::new(2, "转供电电价加收0.15元/度", "赵磊 154 6997 3653", "持续整改"),
                    ItemRow { no: "1".into(), ..ItemRow::new(1, "无。", "", "") },
                    ItemRow::new(5, "经自查，无此类问题", "", ""),
                    ItemRow::new(4, "无。", "", ""),
                    ItemRow::new(6, "物业服务合同到期未按规定移交资料", "赵磊", "已于9月25日整改完毕"),
                    ItemRow::new(3, "", "", ""),
                ],
                Layout { top: 2, left: 1, split_header: true, attachment_line: true, ..Layout::default() },
            ),
        )],
        docx::WordStyle { full_width_spaces: true, ..Default::default() },
    );
    save_word(
        &sc,
        "武汉市万家物业服务有限公司_听涛苑_自查表.docx",
        &[(
            "自查表",
            self_check(
                "听涛苑",
                "武汉市万家物业服务有限公司",
                "2021年10月20日",
                vec![
                    ItemRow::new(1, "未发现此类问题", "", ""),
                    ItemRow::new(2, "/", "", ""),
                    ItemRow::new(3, "收费公示栏信息未更新", "陈静\n19522766825", "已于9月25日整改完毕"),
                    ItemRow::new(4, "/", "", ""),
                    ItemRow::new(5, "电梯维保单位信息未公示", "吴昊 027-86779132转8012", "2021年11月15号"),
                    ItemRow::new(6, "无。", "", ""),
                ],
                titled.clone(),
            ),
        )],
        docx::WordStyle { auto_numbers: true, breaks_as_br: true, ..Default::default() },
    );
    save(
        &sc,
        "武汉市万家物业服务有限公司_枫林苑_自查表.xlsx",
        &[(
            "自查表",
            self_check(
                "枫林 苑",
                "武汉市万家物业服务有限公司",
                "2021年10月21日",
                vec![
                    ItemRow::new(1, "无", "", ""),
                    ItemRow::new(2, "无", "", ""),
                    ItemRow::new(3, "无", "", ""),
                    ItemRow::new(4, "物业合同到期，交接资料不全", "郑强 13871234567", "尽快"),
                    ItemRow::new(5, "无", "", ""),
                    ItemRow::new(6, "无", "", ""),
                ],
                titled.clone(),
            ),
        )],
    );
    save(
        &sc,
        "武汉长江物业管理有限公司_落雁景苑_自查表.xlsx",
        &[(
            "Sheet1",
            self_check(
                "落雁景苑",
                "武汉长江物业管理有限公司",
                "2021年9月28日",
                vec![
                    ItemRow::new(1, "未发现此类问题", "", ""),
                    ItemRow::new(2, "收费公示栏信息未更新，缺少特种设备维保单位联系方式", "陈静/18518382581", "2021-10-19"),
                    ItemRow::new(3, "3栋地下车库被用于堆放杂物经营", "张伟 192 5399 9250", "11月底前"),
                    ItemRow::none(4),
                    ItemRow::none(5),
                    ItemRow { deadline: Typed::Number(44522.0), ..ItemRow::new(6, "物业费调价未经业主大会表决", "刘洋 19912275459", "") },
                ],
                Layout { left: 1, top: 1, attachment_line: true, ..Layout::default() },
            ),
        )],
    );
    save(
        &sc,
        "武汉长江物业管理有限公司_江滩花园_自查表.xlsx",
        &[(
            "Sheet1",
            self_check(
                "江滩花园",
                "武汉长江物业管理有限公司",
                "20211019",
                vec![
                    ItemRow::none(1),
                    ItemRow::none(2),
                    ItemRow::new(3, "保安对投诉业主言语威胁", "钱进 85807478-8012", "2021年10月"),
                    ItemRow::none(4),
                    ItemRow::none(5),
                    ItemRow::none(6),
                ],
                titled.clone(),
            ),
        )],
    );

    september_self_checks(&sep_sc, &titled);

    // 附件2: five units, September (in its month's folder) and October.
    let mr_oct = mr;
    let mr = sep_mr;
    let sep = |unit: &str, stock: [i64; 3], m: [i64; 12]| monthly(unit, "（2021年9月）", "周彬", "86779132", values(stock, m, m), false);
    save(&mr, "区建设（房管）局_2021年9月_月度汇总表.xlsx", &[("Sheet1", sep("东湖风景区建设（房管）局", [43, 34, 9], [4, 3, 0, 1, 5, 9, 1, 4, 4, 2, 0, 2]))]);
    save(&mr, "区经发局_2021年9月_月度汇总表.xlsx", &[("Sheet1", sep("东湖风景区经发局", [43, 34, 9], [2, 12, 9, 11, 4, 0, 9, 5, 7, 4, 0, 2]))]);
    save(&mr, "区公安分局_2021年9月_月度汇总表.xlsx", &[("Sheet1", sep("东湖风景区公安分局", [43, 34, 9], [0, 8, 7, 1, 6, 12, 5, 3, 1, 10, 0, 6]))]);
    save(
        &mr,
        "区城乡工作办事处_2021年9月_月度汇总表.xlsx",
        &[("Sheet1", sep("东湖风景区城乡工作办事处", [43, 34, 9], [7, 5, 2, 11, 12, 8, 8, 0, 9, 2, 0, 4]))],
    );
    save(&mr, "区市场监管局_2021年9月_月度汇总表.xlsx", &[("Sheet1", sep("东湖风景区市场监管局", [43, 34, 9], [1, 0, 0, 5, 11, 5, 9, 4, 11, 4, 0, 3]))]);

    let mr = mr_oct;
    let oct = |unit: &str, v: Vec<(&'static str, Typed, Typed)>, part_row: bool| monthly(unit, "（2021年10月）", "周彬", "027-86779132", v, part_row);
    // The source unit of the stock indicators, clean.
    save(
        &mr,
        "区建设（房管）局_2021年10月_月度汇总表.xlsx",
        &[(
            "Sheet1",
            oct("东湖风景区建设（房管）局", values([44, 36, 8], [5, 7, 1, 7, 3, 0, 12, 5, 2, 5, 0, 0], [9, 10, 1, 8, 8, 9, 13, 9, 6, 7, 0, 2]), true),
        )],
    );
    // Typing habits: units after numbers, full-width digits, 5（2）, a Chinese numeral.
    save(
        &mr,
        "区经发局_2021年10月_月度汇总表.xlsx",
        &[(
            "Sheet1",
            oct(
                "东湖风景区经发局",
                vec![
                    ("1", 44.into(), Typed::Blank),
                    ("2", "36".into(), Typed::Blank),
                    ("3", "8个".into(), Typed::Blank),
                    ("4", "11".into(), "13".into()),
                    ("5", "9(其中2)".into(), "21（11）".into()),
                    ("6", 0.into(), 11.into()),
                    ("7", "３".into(), 1.into()),
                    ("8", "十".into(), "10".into()),
                    ("9", 11.into(), 20.into()),
                    ("10", "2份".into(), "7份".into()),
                    ("11", "3".into(), "10".into()),
                    ("12", "5".into(), "9".into()),
                    ("13", 0.into(), 0.into()),
                    ("14", "4".into(), "6".into()),
                ],
                false,
            ),
        )],
    );
    // A 累积 smaller than 本月 and a blank cell.
    save(
        &mr,
        "区公安分局_2021年10月_月度汇总表.xlsx",
        &[(
            "Sheet1",
            oct(
                "东湖风景区公安分局",
                vec![
                    ("1", 36.into(), Typed::Blank),
                    ("2", 24.into(), Typed::Blank),
                    ("3", 12.into(), Typed::Blank),
                    ("4", 5.into(), 5.into()),
                    ("5", "2（1）".into(), "10（8）".into()),
                    ("6", 6.into(), 7.into()),
                    ("7", 10.into(), 16.into()),
                    ("8", 4.into(), 16.into()),
                    ("9", 2.into(), 7.into()),
                    ("10", Typed::Blank, 5.into()),
                    ("11", 5.into(), 6.into()),
                    ("12", 2.into(), 12.into()),
                    ("13", 0.into(), 0.into()),
                    ("14", "７".into(), "１３".into()),
                ],
                false,
            ),
        )],
    );
    // 2 + 3 ≠ 1, a dash for zero, and 13 filled too early.
    save_word(
        &mr,
        "区城乡工作办事处_2021年10月_月度汇总表.docx",
        &[(
            "Sheet1",
            oct(
                "东湖风景区城乡工作办事处",
                vec![
                    ("1", 31.into(), Typed::Blank),
                    ("2", 24.into(), Typed::Blank),
                    ("3", 9.into(), Typed::Blank),
                    ("4", 4.into(), 11.into()),
                    ("5", "5（2）".into(), "10（4）".into()),
                    ("6", 3.into(), 14.into()),
                    ("7", 10.into(), 22.into()),
                    ("8", 2.into(), 10.into()),
                    ("9", "/".into(), 8.into()),
                    ("10", 3.into(), 3.into()),
                    ("11", 6.into(), 15.into()),
                    ("12", 4.into(), 6.into()),
                    ("13", 1.into(), 1.into()),
                    ("14", 5.into(), 9.into()),
                ],
                false,
            ),
        )],
        docx::WordStyle { merged_text_labels: true, ..Default::default() },
    );
    save(
        &mr,
        "区市场监管局_2021年10月_月度汇总表.xlsx",
        &[(
            "Sheet1",
            oct(
                "东湖风景区市场监管局",
                vec![
                    ("1", 35.into(), Typed::Blank),
                    ("2", 11.into(), Typed::Blank),
                    ("3", 24.into(), Typed::Blank),
                    ("4", 2.into(), 3.into()),
                    ("5", "12（10）".into(), "12（10）".into()),
                    ("6", "5".into(), "10".into()),
                    ("7", "6".into(), "17".into()),
                    ("8", 11.into(), 16.into()),
                    ("9", 2.into(), 11.into()),
                    ("10", 9.into(), 13.into()),
                    ("11", "10件".into(), "21件".into()),
                    ("12", "是".into(), "４".into()),
                    ("13", "0".into(), "0".into()),
                    ("14", 5.into(), 8.into()),
                ],
                false,
            ),
        )],
    );

    // Broken and foreign files.
    let other = root.join("其他");
    std::fs::write(other.join("空文件.xlsx"), b"").expect("write");
    let good = std::fs::read(sc.join("武汉碧桂物业管理有限公司_桂园_自查表.xlsx")).expect("read");
    std::fs::write(other.join("截断.xlsx"), &good[..good.len() / 2]).expect("write");
    std::fs::write(sc.join("~$武汉碧桂物业管理有限公司_桂园_自查表.xlsx"), b"\x05lock").expect("write");
    std::fs::write(other.join("报送说明.txt"), "各单位请于每月1日前报送。\n").expect("write");
    save(&other, "物业费测算表.xlsx", &[("Sheet1", SheetForm::Text(vec!["费用项目".into(), "保洁费 3.5".into(), "保安费 7".into()]))]);

    // The roster: twelve projects; two did not submit.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("名册").expect("name");
    let roster = [
        ("东湖春树里", "武汉东湖物业服务有限公司"),
        ("湖光雅居", "武汉东湖物业服务有限公司"),
        ("鹏程小区", "武汉东湖物业服务有限公司"),
        ("梨园小区", "武汉碧桂物业管理有限公司"),
        ("桂园", "武汉碧桂物业管理有限公司"),
        ("碧波园", "湖北楚天物业有限公司"),
        ("磨山花园", "湖北楚天物业有限公司"),
        ("听涛苑", "武汉市万家物业服务有限公司"),
        ("枫林苑", "武汉市万家物业服务有限公司"),
        ("落雁景苑 ", "武汉长江物业管理有限公司"),
        ("江滩花园", "武汉长江物业管理有限公司"),
        ("东湖港湾", "武汉长江物业管理有限公司"),
        ("清河苑", "湖北楚天物业有限公司"),
    ];
    for (i, h) in ["序号", "物业项目", "物业公司"].iter().enumerate() {
        ws.write_string(0, i as u16, *h).expect("write");
    }
    for (i, (p, c)) in roster.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, r as f64).expect("write");
        ws.write_string(r, 1, *p).expect("write");
        ws.write_string(r, 2, *c).expect("write");
    }
    wb.save(root.join("名册.xlsx")).expect("save");
}
