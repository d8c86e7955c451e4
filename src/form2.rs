//! Reading a 附件2 专项整治月度工作汇总表 from a recognised sheet: the month and unit lines,
//! indicators 1–14 and 5.1 in every shape SPEC §5 lists, and the two text blocks.

use crate::clean::{self, Count, CountNote};
use crate::form1::report_unused;
use crate::model::{single_column, Finding, Indicator, Monthly, Place, Severity, INDICATORS};
use crate::recognise::key;
use crate::workbook::{a1, Sheet, Value};
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// Wording that identifies an indicator row when its 序号 is missing or wrong.
fn indicator_of_text(text: &str) -> Option<&'static str> {
    let k = clean::header_key(text);
    if k.is_empty() {
        return None;
    }
    if k.starts_with("其中") {
        return Some("5.1");
    }
    let table: [(&str, &[&str]); 14] = [
        ("1", &["专业化物业管理"]),
        ("4", &["新增公示"]),
        ("5", &["查处问题小区"]),
        ("3", &["未公示物业服务收费信息小区数"]),
        ("2", &["公示物业服务收费信息小区数"]),
        ("6", &["检查和执法行动"]),
        ("7", &["执法人员"]),
        ("8", &["处罚物业"]),
        ("9", &["曝光"]),
        ("10", &["宣传册"]),
        ("11", &["投诉举报"]),
        ("12", &["承诺书"]),
        ("13", &["美好家园"]),
        ("14", &["办实事"]),
    ];
    table.iter().find(|(_, words)| words.iter().any(|w| k.contains(w))).map(|(id, _)| *id)
}

fn indicator_of_number(v: &Value) -> Option<&'static str> {
    let t = match v {
        Value::Number(n) => {
            if (n * 10.0).fract() != 0.0 {
                return None;
            }
            if n.fract() == 0.0 {
                format!("{}", *n as i64)
            } else {
                format!("{n}")
            }
        }
        Value::Text(s) => clean::header_key(s).trim_end_matches(['.', '、']).to_string(),
        _ => return None,
    };
    INDICATORS.iter().find(|(id, _, _)| *id == t).map(|(id, _, _)| *id)
}

/// Columns of the indicator table.
#[derive(Debug, Default, Clone, Copy)]
struct Columns {
    no: u32,
    name: u32,
    quantity: Option<u32>,
    this_month: Option<u32>,
    cumulative: Option<u32>,
}

static RE_UNIT_LINE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(.*?)\s*(?:\(盖章\)|盖章)?\s*(?:汇总人\s*:?\s*(.*?))?\s*(?:联系方式\s*:?\s*(.*))?$").unwrap());

/// Read the form on `sheet` whose 序号/内容/数量 header is `header_row`.
pub fn extract(sheet: &Sheet, header_row: u32, place: &Place, file_name: &str) -> (Monthly, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut used: BTreeSet<(u32, u32)> = BTreeSet::new();
    let mut cols = Columns::default();
    for (c, v) in sheet.row(header_row) {
        let k = key(v);
        used.insert((header_row, c));
        match k.as_str() {
            "序号" => cols.no = c,
            "内容" => cols.name = c,
            "数量" => cols.quantity = Some(c),
            _ => {}
        }
    }

    // Title, month and unit lines above the table.
    let mut month = None;
    let mut unit_raw = String::new();
    let mut unit_cell = String::new();
    let mut compiler = String::new();
    let mut contact = String::new();
    for (&(r, c), v) in sheet.cells.range(..(header_row, 0)) {
        let text = clean::clean_text(&v.display());
        let k = key(v);
        if k.contains("月度工作汇总表") || k == "附件2" || k == "附件" {
            used.insert((r, c));
        } else if month.is_none() && k.contains('年') && k.contains('月') && k.chars().count() <= 14 {
            used.insert((r, c));
            month = Some((clean::parse_month(&text), text.clone(), a1(r, c)));
        } else if k.contains("盖章") || k.contains("汇总人") {
            used.insert((r, c));
            // A split line (unit | 汇总人：x | 联系方式：y) is joined back before cutting.
            let joined: String = sheet.row(r).map(|(_, v)| clean::clean_text(&v.display())).collect::<Vec<_>>().join(" ");
            for (cc, _) in sheet.row(r) {
                used.insert((r, cc));
            }
            if let Some(caps) = RE_UNIT_LINE.captures(&joined) {
                unit_raw = caps.get(1).map_or("", |m| m.as_str()).trim().trim_matches('_').trim().to_string();
                compiler = caps.get(2).map_or("", |m| m.as_str()).trim().trim_matches('_').trim().to_string();
                contact = caps.get(3).map_or("", |m| m.as_str()).trim().trim_matches('_').trim().to_string();
            }
            unit_cell = a1(r, c);
        }
    }
    let month = match month {
        Some((Some((y, m)), raw, cell)) => {
            // A September form re-saved as the October file (or the reverse) is a common slip.
            if let Some((fy, fm)) = clean::parse_month(file_name).filter(|&named| named != (y, m)) {
                findings.push(place.finding(Severity::Warning, "header.month_mismatch", &cell, "月份", &raw,
                    format!("表头写的是{y}年{m}月，文件名却是{fy}年{fm}月：已按表头汇总，请确认报的是哪个月")));
            }
            format!("{y}-{m:02}")
        }
        other => {
            let from_name = clean::parse_month(file_name);
            let (raw, cell) = other.map(|(_, t, c)| (t, c)).unwrap_or_default();
            match from_name {
                Some((y, m)) => {
                    findings.push(place.finding(Severity::Warning, "header.month_missing", &cell, "月份", &raw,
                        format!("表头未写明月份，已按文件名取 {y}年{m}月：请在表头“（2021年  月）”处填写月份")));
                    format!("{y}-{m:02}")
                }
                None => {
                    findings.push(place.finding(Severity::Error, "header.month_missing", &cell, "月份", &raw,
                        "表头未写明月份，文件名中也没有：请在“（2021年  月）”处填写月份".into()));
                    String::new()
                }
            }
        }
    };
    if unit_raw.is_empty() || unit_raw == "区" {
        findings.push(place.finding(Severity::Warning, "header.unit_missing", &unit_cell, "单位", &unit_raw,
            "未填写报送单位名称：请在“____区（盖章）”处填写单位全称".into()));
    }

    // Where 本月 and 累积 sit.
    let mut split_row = None;
    for (&(r, c), v) in sheet.cells.range((header_row + 1, 0)..) {
        let k = key(v);
        if k == "本月" {
            cols.this_month = Some(c);
            split_row = Some(r);
            used.insert((r, c));
        } else if k == "累积" || k == "累计" {
            cols.cumulative = Some(c);
            used.insert((r, c));
        } else if k.contains("专项整治工作开展以来") {
            used.insert((r, c));
        }
    }
    let quantity = cols.quantity.or(cols.this_month).unwrap_or(cols.name + 1);
    let this_month = cols.this_month.unwrap_or(quantity);
    let cumulative = cols.cumulative.unwrap_or(this_month + 1);
    if cols.this_month.is_none() || cols.cumulative.is_none() {
        findings.push(place.finding(Severity::Warning, "form.column_missing", &a1(split_row.unwrap_or(header_row), 0), "本月/累积", "",
            format!("找不到“本月”“累积”列标题，已按第{}列为本月、第{}列为累积读取：请核对", col_name(this_month), col_name(cumulative))));
    }

    // Indicator rows.
    let mut indicators: Vec<Indicator> = Vec::new();
    let mut text_start = None;
    let last_row = sheet.max_row().unwrap_or(header_row);
    for r in header_row + 1..=last_row {
        let label = sheet.row(r).next().map(|(_, v)| key(v)).unwrap_or_default();
        if label.contains("典型案例") || label.contains("经验做法") || label == "项目" {
            text_start = Some(r);
            break;
        }
        let by_no = sheet.get(r, cols.no).and_then(indicator_of_number);
        let name_text = sheet.get(r, cols.name).map(|v| v.display()).unwrap_or_default();
        let by_text = indicator_of_text(&name_text);
        let Some(id) = by_no.or(by_text) else { continue };
        used.insert((r, cols.no));
        used.insert((r, cols.name));
        if indicators.iter().any(|i| i.id == id) {
            findings.push(place.finding(Severity::Warning, "indicator.duplicate", &a1(r, cols.no), "序号", id,
                format!("指标{id}出现了不止一次：已取第一次出现的值")));
            continue;
        }
        let mut read = |col: u32, field: &str| -> (Option<i64>, Option<i64>) {
            used.insert((r, col));
            read_count(sheet.get(r, col), &a1(r, col), id, field, place, &mut findings)
        };
        if single_column(id) {
            let (value, _) = read(quantity, "数量");
            indicators.push(Indicator { id, this_month: value, cumulative: None, cell: a1(r, quantity) });
        } else {
            let (tm, tm_part) = read(this_month, "本月");
            let (cum, cum_part) = read(cumulative, "累积");
            indicators.push(Indicator { id, this_month: tm, cumulative: cum, cell: format!("{}:{}", a1(r, this_month), a1(r, cumulative)) });
            if id == "5" && (tm_part.is_some() || cum_part.is_some()) {
                indicators.push(Indicator { id: "5.1", this_month: tm_part, cumulative: cum_part, cell: format!("{}:{}", a1(r, this_month), a1(r, cumulative)) });
            }
        }
    }
    // 5.1 on its own row replaces one read from inside 5's cell.
    let own: Vec<usize> = indicators.iter().enumerate().filter(|(_, i)| i.id == "5.1").map(|(n, _)| n).collect();
    if own.len() > 1 {
        indicators.remove(own[0]);
    }
    for (id, name, _) in INDICATORS {
        if id != "5.1" && !indicators.iter().any(|i| i.id == id) {
            findings.push(place.finding(Severity::Warning, "indicator.row_missing", "", "指标", id,
                format!("表中缺少指标{id}“{name}”这一行：请按附件2原表填写全部14项")));
        }
    }
    indicators.sort_by_key(|i| INDICATORS.iter().position(|(id, _, _)| *id == i.id));

    let (cases, experience) = text_blocks(sheet, text_start, &mut used);
    report_unused(sheet, &used, place, &mut findings);
    let monthly = Monthly {
        path: place.path.clone(),
        sheet: place.sheet.clone(),
        unit: unit_raw.clone(),
        unit_raw,
        month,
        compiler,
        contact,
        indicators,
        cases,
        experience,
    };
    (monthly, findings)
}

fn col_name(c: u32) -> String {
    a1(0, c).trim_end_matches('1').to_string()
}

/// The 典型案例 and 经验做法 blocks: every text to the right of the label, down to the next label.
fn text_blocks(sheet: &Sheet, start: Option<u32>, used: &mut BTreeSet<(u32, u32)>) -> (String, String) {
    let Some(start) = start else { return (String::new(), String::new()) };
    let mut cases = Vec::new();
    let mut experience = Vec::new();
    let mut current: Option<&mut Vec<String>> = None;
    let mut label_col = 0;
    let last = sheet.max_row().unwrap_or(start);
    for r in start..=last {
        let row: Vec<(u32, &Value)> = sheet.row(r).collect();
        if let Some(&(c, v)) = row.first() {
            let k = key(v);
            if k.contains("典型案例") {
                used.insert((r, c));
                label_col = c;
                current = Some(&mut cases);
            } else if k.contains("经验做法") {
                used.insert((r, c));
                label_col = c;
                current = Some(&mut experience);
            } else if k == "项目" {
                for (cc, _) in &row {
                    used.insert((r, *cc));
                }
                continue;
            }
        }
        if let Some(block) = current.as_deref_mut() {
            for (c, v) in &row {
                if *c <= label_col {
                    continue;
                }
                used.insert((r, *c));
                let text = v.display();
                let t = text.replace("（内容可另附）", "").replace("(内容可另附)", "");
                if !t.trim().is_empty() {
                    block.push(t.trim().to_string());
                }
            }
        }
    }
    (cases.join("\n"), experience.join("\n"))
}

/// Read one count cell; returns the value and the embedded part (`5（2）`).
fn read_count(v: Option<&Value>, cell: &str, id: &str, field: &str, place: &Place, findings: &mut Vec<Finding>) -> (Option<i64>, Option<i64>) {
    let what = format!("指标{id}{field}");
    let raw = v.map(|v| v.display()).unwrap_or_default();
    let count = match v {
        None => Count::Blank,
        Some(Value::Number(n)) => match clean::number_as_count(*n) {
            Ok(value) => Count::Value { value, part: None, notes: vec![] },
            Err(e) => Count::Invalid(format!("“{raw}”{e}")),
        },
        Some(Value::Text(t)) => clean::parse_count_text(t),
        Some(Value::Error(e)) => {
            findings.push(place.finding(Severity::Error, "cell.formula_error", cell, &what, e,
                format!("{what}是公式错误值 {e}：请填写数字")));
            return (None, None);
        }
        Some(Value::Date(_)) | Some(Value::Bool(_)) => Count::Invalid(format!("“{raw}”不是数量")),
    };
    match count {
        Count::Blank => {
            findings.push(place.finding(Severity::Warning, "count.blank", cell, &what, "",
                format!("{what}未填写（空白不按0计）：没有发生请填0")));
            (None, None)
        }
        Count::Invalid(why) => {
            findings.push(place.finding(Severity::Error, "count.invalid", cell, &what, &raw, format!("{what}{why}")));
            (None, None)
        }
        Count::Value { value, part, notes } => {
            for note in notes {
                let (severity, code, msg) = match note {
                    CountNote::UnitStripped => (Severity::Info, "count.unit_stripped", format!("{what}“{raw}”带有单位，已按{value}读取：只填数字即可")),
                    CountNote::FullWidth => continue,
                    CountNote::ChineseNumeral => (Severity::Warning, "count.chinese_numeral", format!("{what}“{raw}”是中文数字，已按{value}读取：请改用阿拉伯数字")),
                    CountNote::DashAsZero => (Severity::Info, "count.dash_as_zero", format!("{what}填的是“{raw}”，已按0计")),
                };
                findings.push(place.finding(severity, code, cell, &what, &raw, msg));
            }
            if part.is_some() && id != "5" {
                findings.push(place.finding(Severity::Error, "count.invalid", cell, &what, &raw,
                    format!("{what}“{raw}”带括号数字，只有指标5可以这样填写“其中”数：请只填一个数字")));
                return (None, None);
            }
            (Some(value), part)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicator_wording() {
        assert_eq!(indicator_of_text("专业化物业管理小区数（个）"), Some("1"));
        assert_eq!(indicator_of_text("公示物业服务收费信息小区数（个）"), Some("2"));
        assert_eq!(indicator_of_text("未公示\t物业服务收费信息小区数（个）"), Some("3"));
        assert_eq!(indicator_of_text("新增公示物业服务收费信息小区数（个）"), Some("4"));
        assert_eq!(indicator_of_text("查处问题小区数(其中，查处未公示物业服务收费信息小区数）"), Some("5"));
        assert_eq!(indicator_of_text("其中，查处未公示物业服务收费信息小区数"), Some("5.1"));
        assert_eq!(indicator_of_text("城市选树“美好家园”项目数（个）（活动结束时填报）"), Some("13"));
        assert_eq!(indicator_of_text("小区为群众办实事数（件）"), Some("14"));
    }

    #[test]
    fn indicator_numbers() {
        assert_eq!(indicator_of_number(&Value::Number(5.0)), Some("5"));
        assert_eq!(indicator_of_number(&Value::Number(5.1)), Some("5.1"));
        assert_eq!(indicator_of_number(&Value::Text("5.1".into())), Some("5.1"));
        assert_eq!(indicator_of_number(&Value::Text("１４".into())), Some("14"));
        assert_eq!(indicator_of_number(&Value::Number(15.0)), None);
    }

    fn monthly_sheet(month_line: &str) -> Sheet {
        let mut sheet = Sheet::default();
        let put = |s: &mut Sheet, r: u32, c: u32, t: &str| {
            s.cells.insert((r, c), Value::Text(t.into()));
        };
        put(&mut sheet, 0, 0, "专项整治月度工作汇总表");
        put(&mut sheet, 1, 0, month_line);
        put(&mut sheet, 2, 0, "东湖风景区经发局（盖章）   汇总人：杨帆   联系方式：18836428471");
        put(&mut sheet, 3, 0, "序号");
        put(&mut sheet, 3, 1, "内容");
        put(&mut sheet, 3, 2, "数量");
        sheet
    }

    #[test]
    fn month_from_the_header_and_checked_against_the_file_name() {
        let place = Place { path: "a.xlsx".into(), sheet: "Sheet1".into() };
        let (m, f) = extract(&monthly_sheet("（2021年10月）"), 3, &place, "经发局_2021年9月_月度汇总表.xlsx");
        assert_eq!(m.month, "2021-10");
        let mismatch: Vec<_> = f.iter().filter(|f| f.code == "header.month_mismatch").collect();
        assert_eq!(mismatch.len(), 1);
        assert_eq!(mismatch[0].cell, "A2");
        let (_, f) = extract(&monthly_sheet("（2021年10月）"), 3, &place, "经发局_2021年10月.xlsx");
        assert!(!f.iter().any(|f| f.code == "header.month_mismatch"));
        let (m, f) = extract(&monthly_sheet("（2021年  月）"), 3, &place, "经发局_2021年9月.xlsx");
        assert_eq!(m.month, "2021-09");
        assert!(f.iter().any(|f| f.code == "header.month_missing" && f.severity == Severity::Warning));
        assert_eq!(m.unit_raw, "东湖风景区经发局");
        assert_eq!((m.compiler.as_str(), m.contact.as_str()), ("杨帆", "18836428471"));
    }

    #[test]
    fn unit_line_split() {
        let c = RE_UNIT_LINE.captures("东湖风景区公安分局(盖章) 汇总人:赵磊 联系方式:15512001763").unwrap();
        assert_eq!(c.get(1).unwrap().as_str(), "东湖风景区公安分局");
        assert_eq!(c.get(2).unwrap().as_str(), "赵磊");
        assert_eq!(c.get(3).unwrap().as_str(), "15512001763");
    }
}
