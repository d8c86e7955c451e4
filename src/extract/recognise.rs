//! Which form a sheet holds, and where its parts are, judged by content alone: titles and
//! header cells wherever they sit, never fixed positions.

use crate::clean::header_key;
use crate::grid::{Sheet, Value};

/// What a sheet was recognised as.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// 附件1: the table header is in `header_row`.
    SelfCheck { header_row: u32 },
    /// 附件2: the row of 序号/内容/数量 is `header_row`.
    Monthly { header_row: u32 },
    /// The sheet has a form's title but its table could not be located: the reason says what
    /// is missing and where it looked.
    Broken { form: &'static str, reason: String },
    /// Nothing of a form.
    None,
}

/// Header-key text of a cell (line breaks and spaces removed, full width folded).
pub fn key(v: &Value) -> String {
    match v {
        Value::Text(s) => header_key(s),
        other => header_key(&other.display()),
    }
}

/// Decide what `sheet` holds.
pub fn classify(sheet: &Sheet) -> Kind {
    // Every cell's key, once, in row order (the cells are sorted by row, then column).
    let keys: Vec<(u32, String)> = sheet.cells.iter().map(|(&(r, _), v)| (r, key(v))).collect();
    let mut self_title = None;
    let mut monthly_title = None;
    for (r, k) in &keys {
        // A title, not a file name or a sentence that mentions the form.
        if self_title.is_none() && k.contains("自查表") && k.chars().count() <= 12 && !k.contains('.') && !k.contains('/') {
            self_title = Some(*r);
        }
        if monthly_title.is_none() && k.contains("月度工作汇总表") && k.chars().count() <= 16 && !k.contains('.') && !k.contains('/') {
            monthly_title = Some(*r);
        }
    }
    for row in keys.chunk_by(|a, b| a.0 == b.0) {
        let r = row[0].0;
        let has = |pred: &dyn Fn(&str) -> bool| row.iter().any(|(_, k)| pred(k));
        let has_no = has(&|k| k == "序号");
        if has(&|k| k.contains("整改重点")) && has(&|k| k.contains("问题描述") || k.contains("期限") || k.contains("责任人")) {
            return Kind::SelfCheck { header_row: r };
        }
        if has_no && has(&|k| k == "内容") && has(&|k| k == "数量") {
            return Kind::Monthly { header_row: r };
        }
    }
    if let Some(r) = self_title {
        return Kind::Broken {
            form: "附件1", reason: format!("第{}行有“专项整治自查表”标题，但在其下方未找到含“整改重点”“问题描述”等列名的表头行", r + 1)
        };
    }
    if let Some(r) = monthly_title {
        // A monthly form whose 序号/内容/数量 header was deleted can still be read from its
        // indicator rows; only give up if those are absent too.
        if keys.iter().any(|(_, k)| k.contains("专业化物业管理小区数")) {
            return Kind::Monthly { header_row: r };
        }
        return Kind::Broken {
            form: "附件2", reason: format!("第{}行有“专项整治月度工作汇总表”标题，但未找到“序号 / 内容 / 数量”表头和指标行", r + 1)
        };
    }
    Kind::None
}
