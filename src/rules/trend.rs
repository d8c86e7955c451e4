//! The campaign month by month (`docs/contract.md`, "History"): for each month the history store holds,
//! and this one, the district's 本月 values and the ledger's counts, which the overview charts.

use super::ledger::LedgerRow;
use super::DistrictRow;
use crate::forms::{IndicatorId, ItemStatus, Month};

/// One month of the campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthPoint {
    pub month: Month,
    /// The district's 本月 (or 数量) value of each indicator.
    pub district: Vec<(IndicatorId, Option<i64>)>,
    /// Problems still open at the end of the month.
    pub open: usize,
    /// Of those, past their deadline.
    pub overdue: usize,
    pub closed_this_month: usize,
    pub closed_total: usize,
}

impl MonthPoint {
    /// The point of `month` from its district totals and its ledger.
    pub fn of(month: Month, district: &[DistrictRow], ledger: &[LedgerRow]) -> MonthPoint {
        let open = ledger.iter().filter(|r| r.is_open());
        MonthPoint {
            month,
            district: district.iter().map(|d| (d.indicator, d.this_month)).collect(),
            open: open.clone().count(),
            overdue: open.filter(|r| r.open_status() == Some(ItemStatus::Overdue)).count(),
            closed_this_month: ledger.iter().filter(|r| r.state.closed_month() == Some(month)).count(),
            closed_total: ledger.iter().filter(|r| !r.is_open()).count(),
        }
    }

    /// The district's value of one indicator.
    pub fn value(&self, id: IndicatorId) -> Option<i64> {
        self.district.iter().find(|(i, _)| *i == id).and_then(|(_, v)| *v)
    }
}

/// The months before `month` (as stored) followed by this one, in order; a stored month at or
/// after `month` is left out (a re-run of an earlier month does not see later ones).
pub fn campaign(stored: Vec<MonthPoint>, this: MonthPoint) -> Vec<MonthPoint> {
    let mut points: Vec<MonthPoint> = stored.into_iter().filter(|p| p.month < this.month).collect();
    points.sort_by_key(|p| p.month);
    points.push(this);
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ledger::{ClosedBy, LedgerState};

    fn row(state: LedgerState) -> LedgerRow {
        LedgerRow { description: String::new(), path: String::new(), ..crate::rules::testing::ledger_row("x", "梨园小区", 1, state) }
    }

    #[test]
    fn counts_of_a_month_and_the_campaign_in_order() {
        let (sep, oct, nov) = (Month::new(2021, 9).unwrap(), Month::new(2021, 10).unwrap(), Month::new(2021, 11).unwrap());
        let closed = |month| row(LedgerState::Closed { month, by: ClosedBy::Return });
        let ledger = [row(LedgerState::Open(ItemStatus::Overdue)), row(LedgerState::Open(ItemStatus::InProgress)), closed(sep), closed(oct)];
        let district = [DistrictRow { indicator: IndicatorId::from_code("4").unwrap(), this_month: Some(3), cumulative: Some(5), units: String::new() }];
        let p = MonthPoint::of(oct, &district, &ledger);
        assert_eq!((p.open, p.overdue, p.closed_this_month, p.closed_total), (2, 1, 1, 2));
        assert_eq!(p.value(IndicatorId::from_code("4").unwrap()), Some(3));
        let stored = vec![MonthPoint { month: nov, ..p.clone() }, MonthPoint { month: sep, ..p.clone() }];
        let months: Vec<Month> = campaign(stored, p).iter().map(|p| p.month).collect();
        assert_eq!(months, [sep, oct], "November's stored run is later than this re-run of October");
    }
}
