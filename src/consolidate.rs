//! Merging the files' forms into the district's picture: statuses at the as-of date,
//! re-submissions superseded, missing projects and units, consistency checks, and the tidy
//! polars frames with the district totals (SPEC §4.2, §5). The only user of polars.

use crate::clean::match_key;
use crate::config::Settings;
use crate::model::*;
use crate::validate;
use chrono::NaiveDate;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

pub use crate::model::RosterEntry;

/// One row of the district 附件2.
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictRow {
    pub indicator: String,
    pub this_month: Option<i64>,
    pub cumulative: Option<i64>,
    pub units: String,
}

/// Everything the outputs are made from.
pub struct Consolidated {
    pub files: Vec<FileRecord>,
    pub findings: Vec<Finding>,
    pub missing: Vec<Missing>,
    pub district: Vec<DistrictRow>,
    /// The roster the run was given (empty without one).
    pub roster: Vec<RosterEntry>,
    pub month: String,
    pub as_of: NaiveDate,
    pub frames: Frames,
}

/// The tidy tables, one frame per Parquet file.
pub struct Frames {
    pub files: DataFrame,
    pub items: DataFrame,
    pub monthly: DataFrame,
    pub district: DataFrame,
    pub findings: DataFrame,
    pub missing: DataFrame,
}

/// The forms that count: every form of every file, less the superseded ones.
fn live_forms(files: &[FileRecord]) -> impl Iterator<Item = &Form> {
    files.iter().flat_map(|f| f.forms.iter().zip(&f.superseded)).filter(|(_, s)| s.is_none()).map(|(f, _)| f)
}

fn live_monthlies(files: &[FileRecord]) -> impl Iterator<Item = &Monthly> {
    live_forms(files).filter_map(|f| match f {
        Form::Monthly(m) => Some(m),
        _ => None,
    })
}

impl Consolidated {
    /// The self-check forms that count (not superseded), with their file.
    pub fn self_checks(&self) -> impl Iterator<Item = &SelfCheck> {
        self.live_forms().filter_map(|f| match f {
            Form::SelfCheck(s) => Some(s),
            _ => None,
        })
    }
    /// The monthly forms of the run's month that count.
    pub fn monthlies(&self) -> impl Iterator<Item = &Monthly> {
        self.live_forms().filter_map(|f| match f {
            Form::Monthly(m) if m.month == self.month => Some(m),
            _ => None,
        })
    }
    fn live_forms(&self) -> impl Iterator<Item = &Form> {
        live_forms(&self.files)
    }
}

/// Build the consolidated result.
///
/// # Errors
/// Only if polars fails to build a frame, which would be a bug.
pub fn consolidate(mut files: Vec<FileRecord>, settings: &Settings, month: &str, as_of: NaiveDate, roster: Option<&[RosterEntry]>) -> PolarsResult<Consolidated> {
    let mut findings: Vec<Finding> = Vec::new();
    for file in &mut files {
        for form in &mut file.forms {
            if let Form::SelfCheck(s) = form {
                validate::apply_statuses(s, as_of);
            }
        }
    }
    supersede(&mut files);
    findings.extend(check_monthlies(&files, &settings.final_month));
    let mut missing = Vec::new();
    if let Some(roster) = roster {
        let (m, f) = missing_projects(&files, roster);
        missing.extend(m);
        findings.extend(f);
    }
    missing.extend(missing_units(&files, settings, month));
    note_other_months(&mut files, month);
    findings.extend(file_findings(&files));
    for file in &files {
        // Cell findings of a superseded form would send the submitter to fix a copy that no
        // longer counts; the file list says why it was superseded.
        let dead: BTreeSet<&str> = file
            .forms
            .iter()
            .zip(&file.superseded)
            .filter(|(_, s)| s.is_some())
            .map(|(f, _)| match f {
                Form::SelfCheck(s) => s.sheet.as_str(),
                Form::Monthly(m) => m.sheet.as_str(),
            })
            .collect();
        findings.extend(file.findings.iter().filter(|f| !dead.contains(f.sheet.as_str())).cloned());
    }
    findings.sort();
    findings.dedup();
    missing.sort();

    let monthly = monthly_frame(&files)?;
    let (district, district_frame, conflicts) = district_totals(&monthly, &files, settings, month)?;
    findings.extend(conflicts);
    findings.sort();
    let frames = Frames {
        files: files_frame(&files)?,
        items: items_frame(&files)?,
        monthly,
        district: district_frame,
        findings: findings_frame(&findings)?,
        missing: missing_frame(&missing)?,
    };
    Ok(Consolidated { files, findings, missing, district, roster: roster.map(<[RosterEntry]>::to_vec).unwrap_or_default(), month: month.to_string(), as_of, frames })
}

/// Re-submissions: the latest fill date wins, then the latest modification time, then the
/// path that sorts last (a `（更新）` copy sorts after its original). SPEC §5.
fn supersede(files: &mut [FileRecord]) {
    // key → candidates (file index, form index, ranking)
    type Rank = (Option<NaiveDate>, i64, String, String);
    let mut groups: BTreeMap<String, Vec<(usize, usize, Rank)>> = BTreeMap::new();
    for (fi, file) in files.iter().enumerate() {
        for (gi, form) in file.forms.iter().enumerate() {
            let (key, rank) = match form {
                Form::SelfCheck(s) if !s.project.is_empty() => {
                    (format!("p:{}", match_key(&s.project)), (s.fill_date, file.modified, file.rel.clone(), s.sheet.clone()))
                }
                Form::Monthly(m) if !m.unit.is_empty() && !m.month.is_empty() => {
                    (format!("u:{}:{}", m.unit, m.month), (None, file.modified, file.rel.clone(), m.sheet.clone()))
                }
                _ => continue,
            };
            groups.entry(key).or_default().push((fi, gi, rank));
        }
    }
    for (_, mut group) in groups {
        if group.len() < 2 {
            continue;
        }
        group.sort_by(|a, b| a.2.cmp(&b.2));
        let (wf, _, wrank) = group.pop().expect("group has two members");
        let winner = files[wf].rel.clone();
        for (fi, gi, rank) in group {
            let why = if rank.0 != wrank.0 && wrank.0.is_some() {
                format!("已被填报日期更晚的“{winner}”（{}）替代", wrank.0.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default())
            } else if rank.1 != wrank.1 {
                format!("已被修改时间更晚的“{winner}”替代")
            } else {
                format!("已被重复报送的“{winner}”替代（两份日期相同，取文件名排序靠后的一份）")
            };
            files[fi].superseded[gi] = Some(why);
        }
    }
    for file in files.iter_mut() {
        if file.forms.is_empty() {
            continue;
        }
        let reasons: Vec<&str> = file.superseded.iter().flatten().map(String::as_str).collect();
        if reasons.len() == file.forms.len() {
            file.status = FileStatus::Superseded;
            file.reason = reasons.join("；");
        } else if !reasons.is_empty() {
            let extra = format!("其中{}份表格{}", reasons.len(), reasons.join("；"));
            file.reason = if file.reason.is_empty() { extra } else { format!("{}；{extra}", file.reason) };
        }
    }
}

fn check_monthlies(files: &[FileRecord], final_month: &str) -> Vec<Finding> {
    let live: Vec<&Monthly> = live_monthlies(files).collect();
    let mut findings = Vec::new();
    for m in &live {
        findings.extend(validate::check_monthly(m, final_month));
        if let Some(prev) = previous_month(&m.month) {
            if let Some(last) = live.iter().find(|l| l.unit == m.unit && l.month == prev) {
                findings.extend(validate::check_month_over_month(m, last));
            }
        }
    }
    findings
}

/// A file that could not be used is a finding too, so the 数据问题 list is complete on its own.
fn file_findings(files: &[FileRecord]) -> Vec<Finding> {
    files
        .iter()
        .filter_map(|f| {
            let (severity, code) = match f.status {
                FileStatus::Unreadable => (Severity::Error, "file.unreadable"),
                FileStatus::Unrecognized => (Severity::Warning, "file.unrecognized"),
                FileStatus::Ignored => (Severity::Info, "file.ignored"),
                FileStatus::Consolidated | FileStatus::Superseded => return None,
            };
            Some(Finding {
                path: f.rel.clone(),
                sheet: String::new(),
                cell: String::new(),
                severity,
                code,
                field: "文件".into(),
                value: f.format.clone(),
                message: f.reason.clone(),
            })
        })
        .collect()
}

/// A 附件2 of another month is read (last month's is needed for the 累积 check) but does not
/// count in this month's totals: the file list says so.
fn note_other_months(files: &mut [FileRecord], month: &str) {
    for file in files.iter_mut().filter(|f| f.status == FileStatus::Consolidated) {
        let others: Vec<String> = file
            .forms
            .iter()
            .zip(&file.superseded)
            .filter_map(|(f, s)| match f {
                Form::Monthly(m) if s.is_none() && m.month != month && !m.month.is_empty() => Some(m.month.clone()),
                _ => None,
            })
            .collect();
        if others.is_empty() {
            continue;
        }
        let note = format!("{}的月度汇总表：已读取并用于核对累积数，不计入{month}汇总", others.join("、"));
        file.reason = if file.reason.is_empty() { note } else { format!("{}；{note}", file.reason) };
    }
}

/// `2021-10` → `2021-09`.
pub fn previous_month(month: &str) -> Option<String> {
    let (y, m) = crate::clean::parse_month(month)?;
    Some(if m == 1 { format!("{}-12", y - 1) } else { format!("{y}-{:02}", m - 1) })
}

fn missing_projects(files: &[FileRecord], roster: &[RosterEntry]) -> (Vec<Missing>, Vec<Finding>) {
    let expected: BTreeSet<String> = roster.iter().map(|r| match_key(&r.project)).collect();
    let mut submitted = BTreeSet::new();
    let mut findings = Vec::new();
    for file in files {
        for form in &file.forms {
            if let Form::SelfCheck(s) = form {
                let key = match_key(&s.project);
                if !key.is_empty() && !expected.contains(&key) && submitted.insert(key.clone()) {
                    let place = Place { path: s.path.clone(), sheet: s.sheet.clone() };
                    findings.push(place.finding(Severity::Warning, "roster.unknown_project", "", "物业项目", &s.project,
                        format!("物业项目“{}”不在名册中：请核对项目名称是否与名册一致，或补充名册", s.project)));
                }
                submitted.insert(key);
            }
        }
    }
    let missing = roster
        .iter()
        .filter(|r| !submitted.contains(&match_key(&r.project)))
        .map(|r| Missing {
            kind: "project",
            name: crate::clean::clean_text(&r.project),
            detail: if r.company.is_empty() { "未报送附件1自查表".into() } else { format!("{}：未报送附件1自查表", crate::clean::clean_text(&r.company)) },
        })
        .collect();
    (missing, findings)
}

fn missing_units(files: &[FileRecord], settings: &Settings, month: &str) -> Vec<Missing> {
    let reported: BTreeSet<&str> = files
        .iter()
        .flat_map(|f| f.forms.iter())
        .filter_map(|f| match f {
            Form::Monthly(m) if m.month == month => Some(m.unit.as_str()),
            _ => None,
        })
        .collect();
    settings
        .units
        .iter()
        .filter(|u| !reported.contains(u.as_str()))
        .map(|u| Missing { kind: "unit", name: u.clone(), detail: format!("未报送{month}月度工作汇总表（附件2）") })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Frames

fn date_column(name: &str, dates: Vec<Option<NaiveDate>>) -> PolarsResult<Column> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    let days: Vec<Option<i32>> = dates.iter().map(|d| d.map(|d| (d - epoch).num_days() as i32)).collect();
    Column::new(name.into(), days).cast(&DataType::Date)
}

fn files_frame(files: &[FileRecord]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        files.len(),
        vec![
            Column::new("path".into(), files.iter().map(|f| f.rel.clone()).collect::<Vec<_>>()),
            Column::new("format".into(), files.iter().map(|f| f.format.clone()).collect::<Vec<_>>()),
            Column::new("bytes".into(), files.iter().map(|f| f.bytes).collect::<Vec<_>>()),
            Column::new("sha256".into(), files.iter().map(|f| f.sha256.clone()).collect::<Vec<_>>()),
            Column::new("status".into(), files.iter().map(|f| f.status.name()).collect::<Vec<_>>()),
            Column::new("forms".into(), files.iter().map(|f| f.forms.len() as u32).collect::<Vec<_>>()),
            Column::new("reason".into(), files.iter().map(|f| f.reason.clone()).collect::<Vec<_>>()),
        ],
    )
}

fn live_self_checks(files: &[FileRecord]) -> Vec<&SelfCheck> {
    live_forms(files)
        .filter_map(|f| match f {
            Form::SelfCheck(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn items_frame(files: &[FileRecord]) -> PolarsResult<DataFrame> {
    let rows: Vec<(&SelfCheck, &Item)> = live_self_checks(files).into_iter().flat_map(|s| s.items.iter().map(move |i| (s, i))).collect();
    let text = |f: &dyn Fn(&SelfCheck, &Item) -> String| rows.iter().map(|(s, i)| f(s, i)).collect::<Vec<_>>();
    DataFrame::new(
        rows.len(),
        vec![
            Column::new("path".into(), text(&|s, _| s.path.clone())),
            Column::new("sheet".into(), text(&|s, _| s.sheet.clone())),
            Column::new("row".into(), rows.iter().map(|(_, i)| i.row).collect::<Vec<_>>()),
            Column::new("project".into(), text(&|s, _| s.project.clone())),
            Column::new("company".into(), text(&|s, _| s.company.clone())),
            date_column("fill_date", rows.iter().map(|(s, _)| s.fill_date).collect())?,
            Column::new("item_no".into(), rows.iter().map(|(_, i)| i.item_no as u32).collect::<Vec<_>>()),
            Column::new("description".into(), text(&|_, i| i.description.clone())),
            Column::new("has_problem".into(), rows.iter().map(|(_, i)| i.has_problem).collect::<Vec<_>>()),
            Column::new("responsible".into(), text(&|_, i| i.responsible.clone())),
            Column::new("phone".into(), text(&|_, i| i.phone.clone())),
            date_column("deadline", rows.iter().map(|(_, i)| match i.deadline { DeadlineValue::Date(d) => Some(d), _ => None }).collect())?,
            Column::new("deadline_raw".into(), text(&|_, i| i.deadline_raw.clone())),
            Column::new("status".into(), rows.iter().map(|(_, i)| i.status.name()).collect::<Vec<_>>()),
            Column::new("days_overdue".into(), rows.iter().map(|(_, i)| i.days_overdue).collect::<Vec<_>>()),
        ],
    )
}

fn monthly_frame(files: &[FileRecord]) -> PolarsResult<DataFrame> {
    let rows: Vec<(&Monthly, &Indicator)> = live_monthlies(files).flat_map(|m| m.indicators.iter().map(move |i| (m, i))).collect();
    let text = |f: &dyn Fn(&Monthly, &Indicator) -> String| rows.iter().map(|(m, i)| f(m, i)).collect::<Vec<_>>();
    DataFrame::new(
        rows.len(),
        vec![
            Column::new("path".into(), text(&|m, _| m.path.clone())),
            Column::new("sheet".into(), text(&|m, _| m.sheet.clone())),
            Column::new("unit".into(), text(&|m, _| m.unit.clone())),
            Column::new("month".into(), text(&|m, _| m.month.clone())),
            Column::new("indicator".into(), text(&|_, i| i.id.to_string())),
            Column::new("this_month".into(), rows.iter().map(|(_, i)| i.this_month).collect::<Vec<_>>()),
            Column::new("cumulative".into(), rows.iter().map(|(_, i)| i.cumulative).collect::<Vec<_>>()),
            Column::new("cell".into(), text(&|_, i| i.cell.clone())),
        ],
    )
}

/// District totals: activity indicators summed over units (a total stays null when no unit
/// reported a value: blank is not zero), stock indicators taken from the source unit, and a
/// warning for every other unit whose stock value differs.
fn district_totals(monthly: &DataFrame, files: &[FileRecord], settings: &Settings, month: &str) -> PolarsResult<(Vec<DistrictRow>, DataFrame, Vec<Finding>)> {
    let this_month_rows = monthly.clone().lazy().filter(col("month").eq(lit(month)));
    let sums = this_month_rows
        .clone()
        .group_by([col("indicator")])
        .agg([
            col("this_month").sum().alias("tm_sum"),
            col("this_month").count().alias("tm_n"),
            col("cumulative").sum().alias("cum_sum"),
            col("cumulative").count().alias("cum_n"),
        ])
        .collect()?;
    let ids = sums.column("indicator")?.str()?.clone();
    let tm_sum = sums.column("tm_sum")?.cast(&DataType::Int64)?.i64()?.clone();
    let tm_n = sums.column("tm_n")?.cast(&DataType::Int64)?.i64()?.clone();
    let cum_sum = sums.column("cum_sum")?.cast(&DataType::Int64)?.i64()?.clone();
    let cum_n = sums.column("cum_n")?.cast(&DataType::Int64)?.i64()?.clone();
    let mut summed: BTreeMap<String, DistrictRow> = BTreeMap::new();
    for i in 0..sums.height() {
        let id = ids.get(i).unwrap_or_default().to_string();
        let nonzero = |n: Option<i64>, s: Option<i64>| if n.unwrap_or(0) > 0 { s } else { None };
        summed.insert(
            id.clone(),
            DistrictRow {
                indicator: id,
                this_month: nonzero(tm_n.get(i), tm_sum.get(i)),
                cumulative: nonzero(cum_n.get(i), cum_sum.get(i)),
                units: String::new(),
            },
        );
    }

    let source: Vec<&Monthly> = live_monthlies(files).filter(|m| m.month == month).collect();
    let source_unit = source.iter().find(|m| m.unit == settings.stock_source_unit);
    let mut summed_row = |id: &str| {
        let mut row = summed.remove(id).unwrap_or(DistrictRow { indicator: id.into(), this_month: None, cumulative: None, units: String::new() });
        let mut names: Vec<&str> = source
            .iter()
            .filter(|m| m.get(id).is_some_and(|i| i.this_month.is_some() || i.cumulative.is_some()))
            .map(|m| m.unit.as_str())
            .collect();
        names.sort();
        names.dedup();
        row.units = names.join("、");
        row
    };
    let mut rows = Vec::new();
    let mut findings = Vec::new();
    for (id, name, kind) in INDICATORS {
        let row = match kind {
            IndicatorKind::Activity => summed_row(id),
            IndicatorKind::Stock if settings.stock_mode == crate::config::StockMode::Sum => summed_row(id),
            IndicatorKind::Stock => {
                let src = source_unit.and_then(|m| m.get(id));
                for other in source.iter().filter(|m| m.unit != settings.stock_source_unit) {
                    if let (Some(a), Some(b)) = (src, other.get(id)) {
                        if a.this_month.is_some() && b.this_month.is_some() && a.this_month != b.this_month {
                            let place = Place { path: other.path.clone(), sheet: other.sheet.clone() };
                            findings.push(place.finding(Severity::Warning, "district.stock_conflict", &b.cell, &format!("指标{id}"), &b.this_month.unwrap_or(0).to_string(),
                                format!("{}填报的指标{id}“{name}”为{}，与{}的{}不一致：全区数以{}为准，请核对", other.unit, b.this_month.unwrap_or(0), settings.stock_source_unit, a.this_month.unwrap_or(0), settings.stock_source_unit)));
                        }
                    }
                }
                DistrictRow {
                    indicator: id.into(),
                    this_month: src.and_then(|i| i.this_month),
                    cumulative: src.and_then(|i| i.cumulative),
                    units: if src.is_some() { settings.stock_source_unit.clone() } else { String::new() },
                }
            }
        };
        rows.push(row);
    }
    if source_unit.is_none() && !source.is_empty() && settings.stock_mode == crate::config::StockMode::Source {
        findings.push(Finding {
            path: String::new(),
            sheet: String::new(),
            cell: String::new(),
            severity: Severity::Warning,
            code: "district.stock_source_missing",
            field: "指标1-3、13".into(),
            value: String::new(),
            message: format!("{}未报送{month}月度汇总表，全区存量指标（1、2、3、13）无法取数：请催报", settings.stock_source_unit),
        });
    }
    let frame = DataFrame::new(
        rows.len(),
        vec![
            Column::new("month".into(), vec![month.to_string(); rows.len()]),
            Column::new("indicator".into(), rows.iter().map(|r| r.indicator.clone()).collect::<Vec<_>>()),
            Column::new("this_month".into(), rows.iter().map(|r| r.this_month).collect::<Vec<_>>()),
            Column::new("cumulative".into(), rows.iter().map(|r| r.cumulative).collect::<Vec<_>>()),
            Column::new("units".into(), rows.iter().map(|r| r.units.clone()).collect::<Vec<_>>()),
        ],
    )?;
    Ok((rows, frame, findings))
}

fn findings_frame(findings: &[Finding]) -> PolarsResult<DataFrame> {
    let text = |f: &dyn Fn(&Finding) -> String| findings.iter().map(f).collect::<Vec<_>>();
    DataFrame::new(
        findings.len(),
        vec![
            Column::new("severity".into(), text(&|f| f.severity.name().into())),
            Column::new("code".into(), text(&|f| f.code.into())),
            Column::new("path".into(), text(&|f| f.path.clone())),
            Column::new("sheet".into(), text(&|f| f.sheet.clone())),
            Column::new("cell".into(), text(&|f| f.cell.clone())),
            Column::new("field".into(), text(&|f| f.field.clone())),
            Column::new("value".into(), text(&|f| f.value.clone())),
            Column::new("message".into(), text(&|f| f.message.clone())),
        ],
    )
}

fn missing_frame(missing: &[Missing]) -> PolarsResult<DataFrame> {
    DataFrame::new(
        missing.len(),
        vec![
            Column::new("kind".into(), missing.iter().map(|m| m.kind).collect::<Vec<_>>()),
            Column::new("name".into(), missing.iter().map(|m| m.name.clone()).collect::<Vec<_>>()),
            Column::new("detail".into(), missing.iter().map(|m| m.detail.clone()).collect::<Vec<_>>()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_months() {
        assert_eq!(previous_month("2021-10").as_deref(), Some("2021-09"));
        assert_eq!(previous_month("2022-01").as_deref(), Some("2021-12"));
    }
}
