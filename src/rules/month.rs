//! Which month a folder of returns is for. Returns are due before the 1st for the month that
//! ends, so the calendar alone cannot tell: a clerk consolidating October on 30 October would
//! otherwise get September. The returns say it themselves. Each 附件2 names its month on its
//! month line: the month most 附件2 name is the run's. A 附件1 has only its fill date (a fill
//! date in the first days of a month counts for the month before: a late return), and a
//! project's self-check is often filled once and sent again, so fill dates decide only when no
//! 附件2 names a month. `--month` overrides (warned about when no return agrees); the calendar
//! decides only when no return says.

use crate::forms::file::FileRecord;
use crate::forms::{Form, Month};
use chrono::{Datelike, NaiveDate};

/// A fill date up to this day of a month counts for the month before.
pub const LATE_DAYS: u32 = 10;

/// The month a 附件1 filled on `date` is for.
pub fn of_fill_date(date: NaiveDate) -> Month {
    let month = Month::new(date.year(), date.month()).expect("a date's month exists");
    if date.day() <= LATE_DAYS {
        month.previous()
    } else {
        month
    }
}

/// What the returns say about one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Votes {
    pub month: Month,
    /// 附件2 whose month line names it.
    pub monthly: usize,
    /// 附件1 whose fill date points to it.
    pub self_checks: usize,
}

impl Votes {
    pub fn total(&self) -> usize {
        self.monthly + self.self_checks
    }
}

/// How the run's month was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// The month most returns are for.
    Returns { month: Month, votes: Votes, forms: usize },
    /// `--month`, with what the returns say (the month most are for, if any).
    Given { month: Month, agreeing: usize, forms: usize, best: Option<Votes> },
    /// No return says a month: the month before the as-of date.
    Calendar { month: Month },
}

impl Choice {
    pub fn month(&self) -> Month {
        match self {
            Choice::Returns { month, .. } | Choice::Given { month, .. } | Choice::Calendar { month } => *month,
        }
    }

    /// What the terminal says about it, in Chinese.
    pub fn explain(&self) -> String {
        match self {
            Choice::Returns { month, votes, forms } if votes.monthly > 0 => {
                format!("汇总月份：{}（报表所写：{}份附件2的月份行是该月；共读到{forms}份表格）", month.label(), votes.monthly)
            }
            Choice::Returns { month, votes, forms } => {
                format!("汇总月份：{}（附件2都没写月份，按附件1的填报日期：{}份是该月的；共读到{forms}份表格）", month.label(), votes.self_checks)
            }
            Choice::Given { month, .. } => format!("汇总月份：{}（按 --month 指定）", month.label()),
            Choice::Calendar { month } => format!("汇总月份：{}（报表中没有写明月份，按截止日期取上一个月）", month.label()),
        }
    }

    /// A warning when `--month` names a month no return is for.
    pub fn warning(&self) -> Option<String> {
        match self {
            Choice::Given { month, agreeing: 0, forms, best: Some(best) } => Some(format!(
                "指定的汇总月份是{}，但没有一份报表是该月的：{forms}份表格中有{}份是{}的。请核对 --month",
                month.label(),
                best.total(),
                best.month.label()
            )),
            _ => None,
        }
    }
}

/// The votes of the forms read, the month with most first (a tie goes to the month with more
/// 附件2, then to the later month).
pub fn votes(records: &[FileRecord]) -> Vec<Votes> {
    let mut all: Vec<Votes> = Vec::new();
    let mut add = |month: Month, monthly: bool| {
        let i = all.iter().position(|v| v.month == month).unwrap_or_else(|| {
            all.push(Votes { month, monthly: 0, self_checks: 0 });
            all.len() - 1
        });
        if monthly {
            all[i].monthly += 1;
        } else {
            all[i].self_checks += 1;
        }
    };
    for form in records.iter().flat_map(|r| &r.forms) {
        match form {
            Form::Monthly(m) => m.month.into_iter().for_each(|month| add(month, true)),
            Form::SelfCheck(s) => s.fill_date.into_iter().for_each(|d| add(of_fill_date(d), false)),
        }
    }
    all.sort_by_key(|v| std::cmp::Reverse((v.total(), v.monthly, v.month)));
    all
}

/// The month the returns are for: the one most 附件2 name (a tie to the later), else, when no
/// 附件2 names one, the one most 附件1 fill dates point to.
fn decided(votes: &[Votes]) -> Option<Votes> {
    let by_monthly = votes.iter().filter(|v| v.monthly > 0).max_by_key(|v| (v.monthly, v.month));
    by_monthly.or_else(|| votes.iter().filter(|v| v.self_checks > 0).max_by_key(|v| (v.self_checks, v.month))).copied()
}

/// The run's month: `given` if any, else the month most returns are for, else `calendar`.
pub fn choose(records: &[FileRecord], given: Option<Month>, calendar: Month) -> Choice {
    let votes = votes(records);
    let forms = records.iter().map(|r| r.forms.len()).sum();
    match (given, decided(&votes)) {
        (Some(month), best) => {
            let agreeing = votes.iter().find(|v| v.month == month).map_or(0, Votes::total);
            Choice::Given { month, agreeing, forms, best }
        }
        (None, Some(best)) => Choice::Returns { month: best.month, votes: best, forms },
        (None, None) => Choice::Calendar { month: calendar },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{self, day, month};

    fn self_check(fill: NaiveDate) -> FileRecord {
        testing::record("a.xlsx", vec![Form::SelfCheck(testing::self_check("a.xlsx", "梨园小区", Some(fill), vec![]))])
    }

    fn monthly(m: Month) -> FileRecord {
        testing::record("b.xlsx", vec![Form::Monthly(testing::monthly("b.xlsx", "区经发局", Some(m), &[]))])
    }

    #[test]
    fn a_fill_date_early_in_a_month_is_for_the_month_before() {
        assert_eq!(of_fill_date(day(10, 28)), month(10));
        assert_eq!(of_fill_date(day(11, 3)), month(10));
        assert_eq!(of_fill_date(day(11, 10)), month(10));
        assert_eq!(of_fill_date(day(11, 11)), month(11));
        assert_eq!(of_fill_date(NaiveDate::from_ymd_opt(2022, 1, 2).unwrap()), month(12));
    }

    #[test]
    fn the_month_most_monthly_forms_name_wins_over_the_calendar() {
        // Consolidating October on 30 October: the calendar says September.
        let records = [monthly(month(10)), monthly(month(10)), self_check(day(10, 25)), self_check(day(11, 2)), monthly(month(9))];
        let choice = choose(&records, None, month(9));
        assert_eq!(choice, Choice::Returns { month: month(10), votes: Votes { month: month(10), monthly: 2, self_checks: 2 }, forms: 5 });
        assert!(choice.explain().contains("2021年10月") && choice.explain().contains("2份附件2的月份行是该月"), "{}", choice.explain());
        assert_eq!(choice.warning(), None);
    }

    #[test]
    fn self_checks_filled_earlier_do_not_outvote_the_monthly_forms() {
        // Projects filled their 附件1 in September and sent them again; every unit's 附件2 says
        // October.
        let records = [monthly(month(10)), monthly(month(10)), self_check(day(9, 20)), self_check(day(9, 25)), self_check(day(9, 27))];
        assert_eq!(choose(&records, None, month(9)).month(), month(10));
        // With no 附件2 naming a month, the fill dates decide.
        let records = [self_check(day(10, 20)), self_check(day(11, 3)), self_check(day(9, 25))];
        let choice = choose(&records, None, month(8));
        assert_eq!(choice.month(), month(10));
        assert!(choice.explain().contains("按附件1的填报日期：2份是该月的"), "{}", choice.explain());
    }

    #[test]
    fn without_a_month_in_any_return_the_calendar_decides() {
        let choice = choose(&[testing::record("x.xlsx", vec![])], None, month(9));
        assert_eq!(choice, Choice::Calendar { month: month(9) });
    }

    #[test]
    fn a_given_month_no_return_agrees_with_is_warned_about() {
        let records = [monthly(month(10)), self_check(day(10, 25))];
        let choice = choose(&records, Some(month(9)), month(9));
        assert_eq!(choice.month(), month(9));
        let warning = choice.warning().expect("no return is for September");
        assert!(warning.contains("2021年9月") && warning.contains("2份表格中有2份是2021年10月的"), "{warning}");
        assert_eq!(choose(&records, Some(month(10)), month(9)).warning(), None);
        assert_eq!(choose(&[], Some(month(10)), month(9)).warning(), None, "no return, nothing to disagree with");
    }

    #[test]
    fn monthly_forms_decide_and_a_tie_goes_to_the_later_month() {
        let records = [monthly(month(9)), self_check(day(10, 20)), self_check(day(10, 22))];
        assert_eq!(choose(&records, None, month(8)).month(), month(9), "a 附件2's month line decides over fill dates");
        let records = [monthly(month(9)), monthly(month(10))];
        assert_eq!(choose(&records, None, month(8)).month(), month(10));
    }
}
