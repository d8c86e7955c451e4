//! The status of each 附件1 item at the as-of date.

use crate::forms::{DeadlineValue, Item, ItemStatus, SelfCheck};
use chrono::NaiveDate;

/// The status and days overdue of one item at `as_of`. The deadline cell decides first
/// (done, long term, missing, overdue); a missing responsible person replaces only
/// “in progress”.
pub fn item_status(item: &Item, as_of: NaiveDate) -> (ItemStatus, Option<i64>) {
    if !item.has_problem {
        return (ItemStatus::NoProblem, None);
    }
    match item.deadline {
        DeadlineValue::Done => return (ItemStatus::Done, None),
        _ if item.described_done => return (ItemStatus::Done, None),
        DeadlineValue::LongTerm => return (ItemStatus::LongTerm, None),
        DeadlineValue::None => return (ItemStatus::MissingDeadline, None),
        DeadlineValue::Date(d) if d < as_of => return (ItemStatus::Overdue, Some((as_of - d).num_days())),
        DeadlineValue::Date(_) => {}
    }
    if item.responsible.is_empty() {
        return (ItemStatus::MissingResponsible, None);
    }
    (ItemStatus::InProgress, None)
}

/// Set every item's status at `as_of`.
pub fn apply_statuses(form: &mut SelfCheck, as_of: NaiveDate) {
    for item in &mut form.items {
        (item.status, item.days_overdue) = item_status(item, as_of);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn item(desc: bool, responsible: &str, deadline: DeadlineValue) -> Item {
        crate::rules::testing::item(1, desc, responsible, deadline)
    }

    #[test]
    fn statuses_at_the_as_of_date() {
        let as_of = d(2021, 11, 20);
        assert_eq!(item_status(&item(false, "", DeadlineValue::None), as_of), (ItemStatus::NoProblem, None));
        assert_eq!(item_status(&item(true, "王", DeadlineValue::Done), as_of), (ItemStatus::Done, None));
        assert_eq!(item_status(&item(true, "王", DeadlineValue::LongTerm), as_of), (ItemStatus::LongTerm, None));
        assert_eq!(item_status(&item(true, "王", DeadlineValue::None), as_of), (ItemStatus::MissingDeadline, None));
        assert_eq!(item_status(&item(true, "王", DeadlineValue::Date(d(2021, 11, 10))), as_of), (ItemStatus::Overdue, Some(10)));
        assert_eq!(item_status(&item(true, "王", DeadlineValue::Date(as_of)), as_of), (ItemStatus::InProgress, None));
        assert_eq!(item_status(&item(true, "", DeadlineValue::Date(d(2021, 12, 1))), as_of), (ItemStatus::MissingResponsible, None));
        // An overdue item without a responsible person is overdue: the deadline decides first.
        assert_eq!(item_status(&item(true, "", DeadlineValue::Date(d(2021, 11, 1))), as_of).0, ItemStatus::Overdue);
        // Only “in progress” gives way to a missing responsible person.
        assert_eq!(item_status(&item(true, "", DeadlineValue::LongTerm), as_of).0, ItemStatus::LongTerm);
        assert_eq!(item_status(&item(true, "", DeadlineValue::None), as_of).0, ItemStatus::MissingDeadline);
        assert_eq!(item_status(&item(true, "", DeadlineValue::Done), as_of).0, ItemStatus::Done);
        let mut done = item(true, "王", DeadlineValue::Date(d(2021, 10, 1)));
        done.described_done = true;
        assert_eq!(item_status(&done, as_of).0, ItemStatus::Done);
    }
}
