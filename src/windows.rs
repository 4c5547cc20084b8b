//! Splitting a date range into ranges Zoom accepts.
//!
//! Zoom reports at most one month at a time, and only within the last six
//! months. The streams take any `from..=to` and page through one window per
//! calendar month: a window never crosses a month boundary, so it is never
//! longer than a month, whatever "a month" means to Zoom on that date.

use std::fmt;
use std::ops::RangeInclusive;

use chrono::{Datelike, Months, NaiveDate};

/// How far back Zoom keeps chat reports.
pub const REPORT_HISTORY_MONTHS: u32 = 6;

/// One range of dates that Zoom accepts in a single report query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateWindow {
    /// First day, inclusive.
    pub from: NaiveDate,
    /// Last day, inclusive.
    pub to: NaiveDate,
}

impl fmt::Display for DateWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..={}", self.from, self.to)
    }
}

/// Why a date range cannot be reported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RangeError {
    /// `from` is after `to`.
    #[error("the range {from}..={to} is empty: `from` is after `to`")]
    Reversed {
        /// Requested start.
        from: NaiveDate,
        /// Requested end.
        to: NaiveDate,
    },
    /// `from` is older than Zoom keeps reports.
    #[error("reports start at {earliest} (six months before {today}); {from} is too old")]
    OlderThanSixMonths {
        /// Requested start.
        from: NaiveDate,
        /// The earliest date Zoom reports.
        earliest: NaiveDate,
        /// The day this was checked on.
        today: NaiveDate,
    },
    /// `to` is after today, by the client's clock: Zoom cannot report days
    /// that have not happened yet.
    #[error(
        "the range ends on {to}, after today ({today}, UTC, by the client's clock): Zoom cannot report days that have not happened yet"
    )]
    EndsAfterToday {
        /// Requested end.
        to: NaiveDate,
        /// The day this was checked on.
        today: NaiveDate,
    },
}

/// The earliest date Zoom reports on `today`: six months back.
pub fn earliest_reportable(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_months(Months::new(REPORT_HISTORY_MONTHS))
        .unwrap_or(NaiveDate::MIN)
}

/// Splits `range` at month boundaries, after checking that it is not
/// reversed and starts within Zoom's six months before `today`. It does not
/// refuse a range that ends after `today`: planning "as of" an earlier day
/// is how a job re-checks windows it planned then. A client's requests
/// refuse such a range ([`crate::Client::plan_windows`]).
pub fn month_windows(range: &RangeInclusive<NaiveDate>, today: NaiveDate) -> Result<Vec<DateWindow>, RangeError> {
    let (from, to) = (*range.start(), *range.end());
    if from > to {
        return Err(RangeError::Reversed { from, to });
    }
    let earliest = earliest_reportable(today);
    if from < earliest {
        return Err(RangeError::OlderThanSixMonths { from, earliest, today });
    }
    let mut windows = Vec::new();
    let mut start = from;
    loop {
        let month_end = last_day_of_month(start);
        if month_end >= to {
            windows.push(DateWindow { from: start, to });
            return Ok(windows);
        }
        windows.push(DateWindow {
            from: start,
            to: month_end,
        });
        start = month_end.succ_opt().expect("a month end before `to` has a next day");
    }
}

fn last_day_of_month(day: NaiveDate) -> NaiveDate {
    let first = day.with_day(1).expect("every month has a first day");
    first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn w(from: &str, to: &str) -> DateWindow {
        DateWindow {
            from: d(from),
            to: d(to),
        }
    }

    const TODAY: &str = "2026-11-22";

    #[test]
    fn one_day() {
        assert_eq!(
            month_windows(&(d("2026-11-01")..=d("2026-11-01")), d(TODAY)).unwrap(),
            [w("2026-11-01", "2026-11-01")]
        );
    }

    #[test]
    fn thirty_one_days_within_and_across_months() {
        assert_eq!(
            month_windows(&(d("2026-10-01")..=d("2026-10-31")), d(TODAY)).unwrap(),
            [w("2026-10-01", "2026-10-31")]
        );
        assert_eq!(
            month_windows(&(d("2026-10-10")..=d("2026-11-09")), d(TODAY)).unwrap(),
            [w("2026-10-10", "2026-10-31"), w("2026-11-01", "2026-11-09")]
        );
    }

    #[test]
    fn five_months() {
        let windows = month_windows(&(d("2026-06-15")..=d("2026-11-14")), d(TODAY)).unwrap();
        assert_eq!(
            windows,
            [
                w("2026-06-15", "2026-06-30"),
                w("2026-07-01", "2026-07-31"),
                w("2026-08-01", "2026-08-31"),
                w("2026-09-01", "2026-09-30"),
                w("2026-10-01", "2026-10-31"),
                w("2026-11-01", "2026-11-14"),
            ]
        );
        // Contiguous, no gaps or overlaps, none longer than 31 days.
        for pair in windows.windows(2) {
            assert_eq!(pair[0].to.succ_opt(), Some(pair[1].from));
        }
        assert!(windows.iter().all(|w| (w.to - w.from).num_days() < 31));
    }

    #[test]
    fn leap_february() {
        assert_eq!(
            month_windows(&(d("2028-02-20")..=d("2028-03-02")), d("2028-03-05")).unwrap(),
            [w("2028-02-20", "2028-02-29"), w("2028-03-01", "2028-03-02")]
        );
    }

    #[test]
    fn six_month_limit() {
        assert_eq!(earliest_reportable(d(TODAY)), d("2026-05-22"));
        assert!(month_windows(&(d("2026-05-22")..=d("2026-05-23")), d(TODAY)).is_ok());
        assert_eq!(
            month_windows(&(d("2026-05-21")..=d("2026-05-23")), d(TODAY)),
            Err(RangeError::OlderThanSixMonths {
                from: d("2026-05-21"),
                earliest: d("2026-05-22"),
                today: d(TODAY)
            })
        );
    }

    #[test]
    fn reversed() {
        assert!(matches!(
            month_windows(&(d("2026-11-02")..=d("2026-11-01")), d(TODAY)),
            Err(RangeError::Reversed { .. })
        ));
    }
}
