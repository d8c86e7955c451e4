//! The 附件2 月度工作汇总表 in the notice's official layout: what the city departments expect,
//! printable on A4, and readable back by huizong itself as an input one level up.

use super::{text_width, Styles};
use crate::forms::{IndicatorDef, IndicatorId, Month, INDICATORS};
use rust_xlsxwriter::{Worksheet, XlsxError};

/// The content of one official 附件2.
#[derive(Debug, Clone)]
pub struct Official {
    /// The name before `（盖章）`: the district, or one unit.
    pub unit: String,
    pub month: Option<Month>,
    pub compiler: String,
    pub contact: String,
    /// (indicator, 数量 or 本月, 累积) in form order; missing indicators are left blank.
    pub values: Vec<(IndicatorId, Option<i64>, Option<i64>)>,
    /// Texts with the unit each came from.
    pub cases: Vec<(String, String)>,
    pub experience: Vec<(String, String)>,
}

/// The row of the first indicator line (0-based), under the title, month, unit and header rows.
pub const FIRST_INDICATOR_ROW: u32 = 5;

/// Width of the merged B:D text area in Excel units, for estimating wrapped row heights.
const TEXT_AREA: f64 = 74.0;

fn block(texts: &[(String, String)]) -> String {
    if texts.is_empty() {
        return "（无）".into();
    }
    texts.iter().map(|(unit, t)| if unit.is_empty() { t.clone() } else { format!("【{unit}】{t}") }).collect::<Vec<_>>().join("\n")
}

fn wrapped_height(text: &str) -> f64 {
    let lines: f64 = text.lines().map(|l| (text_width(l) / TEXT_AREA).ceil().max(1.0)).sum();
    (lines * 14.5 + 8.0).clamp(48.0, 409.0)
}

/// Write the form on `ws`.
///
/// # Errors
/// rust_xlsxwriter's, which would be a bug.
pub fn write(ws: &mut Worksheet, st: &Styles, f: &Official) -> Result<(), XlsxError> {
    head(ws, st, f)?;
    let mut r = FIRST_INDICATOR_ROW;
    let mut split_written = false;
    for d in &INDICATORS {
        if !d.id.single_column() && !split_written {
            // The first line with 本月 and 累积 gets the header of those two columns.
            split_written = true;
            ws.merge_range(r, 0, r, 1, "专项整治工作开展以来", &st.header)?;
            ws.write_string_with_format(r, 2, "本月", &st.header)?;
            ws.write_string_with_format(r, 3, "累积", &st.header)?;
            r += 1;
        }
        indicator_line(ws, st, r, d, f)?;
        r += 1;
    }
    ws.write_string_with_format(r, 0, "项   目", &st.header)?;
    ws.merge_range(r, 1, r, 3, "详 细 描 述", &st.header)?;
    r += 1;
    for (label, texts) in [("典型案例\n和事例", &f.cases), ("专项整治\n经验做法", &f.experience)] {
        let text = block(texts);
        ws.write_string_with_format(r, 0, label, &st.center_wrap)?;
        ws.merge_range(r, 1, r, 3, &text, &st.wrap_top)?;
        ws.set_row_height(r, wrapped_height(&text))?;
        r += 1;
    }
    ws.set_paper_size(9);
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_repeat_rows(4, 4)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    ws.set_print_area(0, 0, r - 1, 3)?;
    Ok(())
}

/// The title, month, unit line and the table header (rows 1–5).
fn head(ws: &mut Worksheet, st: &Styles, f: &Official) -> Result<(), XlsxError> {
    for (col, width) in [(0, 10), (1, 50), (2, 13), (3, 13)] {
        ws.set_column_width(col, width)?;
    }
    ws.write_string_with_format(0, 0, "附件2", &st.plain_bold)?;
    ws.merge_range(1, 0, 1, 3, "专项整治月度工作汇总表", &st.title)?;
    ws.set_row_height(1, 32)?;
    // A blank form (a template) keeps the notice's line to complete.
    let month = f.month.map_or_else(|| "（2021年    月）".to_string(), |m| format!("（{}）", m.label()));
    ws.merge_range(2, 0, 2, 3, &month, &st.centered)?;
    let line = format!("{}（盖章）   汇总人：{}   联系方式：{}", f.unit, f.compiler, f.contact);
    ws.merge_range(3, 0, 3, 3, &line, &st.plain)?;
    ws.set_row_height(3, 22)?;
    ws.write_string_with_format(4, 0, "序号", &st.header)?;
    ws.write_string_with_format(4, 1, "内容", &st.header)?;
    ws.merge_range(4, 2, 4, 3, "数量", &st.header)?;
    Ok(())
}

/// One indicator line at row `r`: its number, wording and values (数量 merged over both
/// value columns for the single-column lines).
fn indicator_line(ws: &mut Worksheet, st: &Styles, r: u32, d: &IndicatorDef, f: &Official) -> Result<(), XlsxError> {
    match d.code.parse::<f64>() {
        Ok(n) if d.part_of.is_none() => ws.write_number_with_format(r, 0, n, &st.center_cell)?,
        _ => ws.write_string_with_format(r, 0, d.code, &st.center_cell)?,
    };
    ws.write_string_with_format(r, 1, d.form_label, &st.wrap)?;
    let (a, b) = f.values.iter().find(|(i, _, _)| *i == d.id).map_or((None, None), |(_, a, b)| (*a, *b));
    if d.id.single_column() {
        match a {
            Some(v) => ws.merge_range(r, 2, r, 3, "", &st.number)?.write_number_with_format(r, 2, v as f64, &st.number)?,
            None => ws.merge_range(r, 2, r, 3, "", &st.number)?,
        };
    } else {
        for (c, v) in [(2u16, a), (3u16, b)] {
            match v {
                Some(v) => ws.write_number_with_format(r, c, v as f64, &st.number)?,
                None => ws.write_blank(r, c, &st.number)?,
            };
        }
    }
    ws.set_row_height(r, if text_width(d.form_label) > 48.0 { 32 } else { 20 })?;
    Ok(())
}
