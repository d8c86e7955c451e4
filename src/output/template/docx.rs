//! The blank forms as Word documents, in the notice's own tables: many units fill the notice's
//! attachments in Word rather than in a spreadsheet. Read back by `read::document` like any
//! Word return.

use super::Project;
use crate::forms::{FOCUS, INDICATORS};
use crate::output::word::{Cell, Document, Look};

const TITLE: Look = Look { bold: true, centered: true, size: 18, heading_font: false };
const ATTACHMENT: Look = Look { bold: false, centered: false, size: 16, heading_font: true };

/// 附件1 for one project (blank project and company when not given), landscape A4.
pub fn self_check(p: &Project) -> Vec<u8> {
    let mut d = Document::new();
    d.landscape();
    d.text("附件1", ATTACHMENT).text("专项整治自查表", TITLE);
    let blank = |s: &str, width: usize| if s.is_empty() { " ".repeat(width) } else { s.to_string() };
    d.text(&format!("物业项目：{}    物业公司名称（盖章）：{}    填报日期：2021年    月    日", blank(&p.project, 16), blank(&p.company, 20)), Look::default());
    let mut rows = vec![["序号", "整改重点", "问题描述", "整改责任人及联系方式", "整改完成期限"].map(Cell::new).to_vec()];
    for f in &FOCUS {
        rows.push(vec![Cell::new(&f.no.to_string()), Cell::new(f.wording), Cell::new(""), Cell::new(""), Cell::new("")]);
    }
    d.table(&[700, 5200, 3600, 2600, 1900], &rows);
    d.finish()
}

/// 附件2 for `unit` (blank when empty), portrait A4.
pub fn monthly(unit: &str) -> Vec<u8> {
    let mut d = Document::new();
    d.text("附件2", ATTACHMENT).text("专项整治月度工作汇总表", TITLE).text("（2021年    月）", Look { centered: true, ..Look::default() });
    d.text(&format!("{}（盖章）   汇总人：            联系方式：", if unit.is_empty() { "          区" } else { unit }), Look::default());
    let mut rows = vec![vec![Cell::new("序号"), Cell::new("内容"), Cell::spanning("数量", 2)]];
    let mut split_written = false;
    for ind in &INDICATORS {
        if !ind.id.single_column() && !split_written {
            split_written = true;
            rows.push(vec![Cell::spanning("专项整治工作开展以来", 2), Cell::new("本月"), Cell::new("累积")]);
        }
        let mut row = vec![Cell::new(ind.code), Cell::new(ind.form_label)];
        if ind.id.single_column() {
            row.push(Cell::spanning("", 2));
        } else {
            row.extend([Cell::new(""), Cell::new("")]);
        }
        rows.push(row);
    }
    rows.push(vec![Cell::new("项   目"), Cell::spanning("详 细 描 述", 3)]);
    rows.push(vec![Cell::new("典型案例\n和事例"), Cell::spanning("", 3)]);
    rows.push(vec![Cell::new("专项整治\n经验做法"), Cell::spanning("", 3)]);
    d.table(&[900, 5400, 1300, 1300], &rows);
    d.finish()
}
