//! Re-submissions: the same project (or the same unit and month) in several forms. The latest
//! fill date wins, then the latest modification time, then the path that sorts last (a
//! `（更新）` copy sorts after its original); the others are superseded with the reason.

use super::Settled;
use crate::clean::match_key;
use crate::forms::file::FileStatus;
use crate::forms::Form;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// How two forms of the same key rank: fill date, modification time, path, sheet.
pub(crate) type Rank = (Option<NaiveDate>, i64, String, String);

/// The key that makes two forms the same return, if the form names what it is.
fn key(form: &Form) -> Option<String> {
    match form {
        Form::SelfCheck(s) if !s.project.is_empty() => Some(format!("p:{}", match_key(&s.project))),
        Form::Monthly(m) if !m.unit.is_empty() => m.month.map(|month| format!("u:{}:{month}", m.unit)),
        _ => None,
    }
}

/// The order of versions: a form that ranks higher is the newer return.
pub(crate) fn rank(form: &Form, file: &Settled) -> Rank {
    let fill_date = match form {
        Form::SelfCheck(s) => s.fill_date,
        Form::Monthly(_) => None,
    };
    (fill_date, file.modified, file.rel.clone(), form.source().part_name().to_string())
}

/// Mark every superseded form, and the files whose forms are all superseded.
pub fn supersede(files: &mut [Settled]) {
    let mut groups: BTreeMap<String, Vec<(usize, usize, Rank)>> = BTreeMap::new();
    for (fi, file) in files.iter().enumerate() {
        for (gi, form) in file.forms().iter().enumerate() {
            if let Some(key) = key(form) {
                groups.entry(key).or_default().push((fi, gi, rank(form, file)));
            }
        }
    }
    for (_, mut group) in groups.into_iter().filter(|(_, g)| g.len() > 1) {
        group.sort_by(|a, b| a.2.cmp(&b.2));
        let (wf, _, wrank) = group.pop().expect("group has two members");
        let winner = files[wf].rel.clone();
        for (fi, gi, rank) in group {
            files[fi].superseded[gi] = Some(why(&rank, &wrank, &winner));
        }
    }
    for file in files.iter_mut().filter(|f| !f.forms().is_empty()) {
        let reasons: Vec<&str> = file.superseded.iter().flatten().map(String::as_str).collect();
        if reasons.len() == file.forms().len() {
            file.status = FileStatus::Superseded;
            file.reason = reasons.join("；");
        } else if !reasons.is_empty() {
            let extra = format!("其中{}份表格{}", reasons.len(), reasons.join("；"));
            file.reason = if file.reason.is_empty() { extra } else { format!("{}；{extra}", file.reason) };
        }
    }
}

/// Why a form lost to the winner.
fn why(rank: &Rank, winner: &Rank, winner_path: &str) -> String {
    if rank.0 != winner.0 && winner.0.is_some() {
        format!("已被填报日期更晚的“{winner_path}”（{}）替代", winner.0.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default())
    } else if rank.1 != winner.1 {
        format!("已被修改时间更晚的“{winner_path}”替代")
    } else {
        format!("已被重复报送的“{winner_path}”替代（两份日期相同，取文件名排序靠后的一份）")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing;

    fn file(rel: &str, project: &str, fill: Option<(i32, u32, u32)>, modified: i64) -> Settled {
        let fill_date = fill.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
        let record =
            crate::forms::file::FileRecord { modified, ..testing::record(rel, vec![Form::SelfCheck(testing::self_check(rel, project, fill_date, vec![]))]) };
        Settled::new(record, false)
    }

    #[test]
    fn the_later_fill_date_wins_whatever_the_file_times() {
        let mut files = vec![file("a.xlsx", "东湖 春树里", Some((2021, 10, 20)), 200), file("b.xlsx", "东湖春树里", Some((2021, 9, 25)), 300)];
        supersede(&mut files);
        assert_eq!(files[0].status, FileStatus::Consolidated);
        assert_eq!(files[1].status, FileStatus::Superseded);
        assert_eq!(files[1].reason, "已被填报日期更晚的“a.xlsx”（2021-10-20）替代");
    }

    #[test]
    fn same_date_then_modification_time_then_path() {
        let mut files = vec![file("a.xlsx", "梨园小区", None, 300), file("b.xlsx", "梨园小区", None, 100)];
        supersede(&mut files);
        assert_eq!(files[1].reason, "已被修改时间更晚的“a.xlsx”替代");
        let mut files = vec![file("a.xlsx", "梨园小区", None, 100), file("b.xlsx", "梨园小区", None, 100)];
        supersede(&mut files);
        assert_eq!(files[0].status, FileStatus::Superseded);
        assert!(files[0].reason.contains("取文件名排序靠后的一份"));
    }

    #[test]
    fn different_projects_and_nameless_forms_stand() {
        let mut files = vec![file("a.xlsx", "梨园小区", None, 1), file("b.xlsx", "听涛苑", None, 1), file("c.xlsx", "", None, 1), file("d.xlsx", "", None, 1)];
        supersede(&mut files);
        assert!(files.iter().all(|f| f.status == FileStatus::Consolidated));
    }
}
