//! Is a dataset kept up to date? Each update frequency promises a next update within a number
//! of days; a dataset whose last update is older than that is overdue. Decree 47/2020 art. 17
//! asks that open data be the latest; the dataset page shows it to readers, and the staff
//! dashboard can list the overdue ones. Pure functions: the caller gives the clock.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

/// The longest a dataset may go without an update under a frequency code
/// (`vocab::FREQUENCIES`), in days; None when the frequency promises no schedule
/// (continuous, irregular, never) or is not one of ours.
pub fn max_age_days(frequency: &str) -> Option<i64> {
    match frequency {
        "daily" => Some(1),
        "weekly" => Some(7),
        "monthly" => Some(31),
        "quarterly" => Some(92),
        "biannual" => Some(183),
        "annual" => Some(366),
        _ => None,
    }
}

/// Where a dataset stands against its update frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// The frequency sets no date by which the next update is due.
    Unscheduled,
    /// Updated recently enough; the next update is due by `due`.
    Current {
        /// When the next update falls due.
        due: DateTime<Utc>,
    },
    /// The next update was due by `due` and has not come.
    Overdue {
        /// When the update fell due.
        due: DateTime<Utc>,
        /// Whole days since then.
        days_late: i64,
    },
}

impl Freshness {
    /// Where a dataset with `frequency`, last updated at `last_update`, stands at `now`.
    pub fn of(frequency: &str, last_update: DateTime<Utc>, now: DateTime<Utc>) -> Freshness {
        let Some(days) = max_age_days(frequency) else {
            return Freshness::Unscheduled;
        };
        let due = last_update + Duration::days(days);
        if now > due {
            Freshness::Overdue {
                due,
                days_late: (now - due).num_days(),
            }
        } else {
            Freshness::Current { due }
        }
    }

    /// True when the update is late.
    pub fn is_overdue(&self) -> bool {
        matches!(self, Freshness::Overdue { .. })
    }

    /// When the next update is (or was) due, if the frequency sets a date.
    pub fn due(&self) -> Option<DateTime<Utc>> {
        match self {
            Freshness::Unscheduled => None,
            Freshness::Current { due } | Freshness::Overdue { due, .. } => Some(*due),
        }
    }
}

/// A stored timestamp as a UTC instant: our own fixed-width UTC text
/// (`2026-05-12T10:42:05.123456`), RFC 3339 with an offset (imported from other portals), or a
/// bare date (midnight UTC). None for anything else.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.with_timezone(&Utc));
    }
    if let Ok(time) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(time.and_utc());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|time| time.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        parse_timestamp(text).unwrap()
    }

    #[test]
    fn each_frequency_allows_its_number_of_days() {
        let expected = [
            ("daily", 1),
            ("weekly", 7),
            ("monthly", 31),
            ("quarterly", 92),
            ("biannual", 183),
            ("annual", 366),
        ];
        for (frequency, days) in expected {
            assert_eq!(max_age_days(frequency), Some(days), "{frequency}");
        }
        for frequency in ["never", "irregular", "continuous", "", "hourly"] {
            assert_eq!(max_age_days(frequency), None, "{frequency}");
        }
        // Every frequency of the vocabulary is decided one way or the other.
        for (code, ..) in crate::catalog::vocab::FREQUENCIES {
            let scheduled = !matches!(*code, "never" | "irregular" | "continuous");
            assert_eq!(max_age_days(code).is_some(), scheduled, "{code}");
        }
    }

    #[test]
    fn a_monthly_dataset_is_overdue_the_moment_its_31_days_are_up() {
        let last = at("2026-01-10T08:00:00.000000");
        assert_eq!(
            Freshness::of("monthly", last, at("2026-02-10T08:00:00Z")),
            Freshness::Current {
                due: at("2026-02-10T08:00:00Z")
            }
        );
        let late = Freshness::of("monthly", last, at("2026-02-10T08:00:01Z"));
        assert!(late.is_overdue());
        assert_eq!(late.due(), Some(at("2026-02-10T08:00:00Z")));
        assert_eq!(
            Freshness::of("monthly", last, at("2026-03-15T09:00:00Z")),
            Freshness::Overdue {
                due: at("2026-02-10T08:00:00Z"),
                days_late: 33
            }
        );
    }

    #[test]
    fn unscheduled_frequencies_are_never_overdue() {
        let long_ago = at("2001-01-01");
        let now = at("2026-12-01T00:00:00Z");
        for frequency in ["never", "irregular", "continuous", ""] {
            let freshness = Freshness::of(frequency, long_ago, now);
            assert_eq!(freshness, Freshness::Unscheduled, "{frequency}");
            assert!(!freshness.is_overdue());
            assert_eq!(freshness.due(), None);
        }
        assert!(Freshness::of("annual", long_ago, now).is_overdue());
        assert!(!Freshness::of("annual", at("2026-01-01"), now).is_overdue());
    }

    #[test]
    fn stored_timestamps_of_every_shape_are_read_as_utc() {
        assert_eq!(
            at("2026-05-12T10:42:05+07:00"),
            at("2026-05-12T03:42:05.000000")
        );
        assert_eq!(at("2026-05-12"), at("2026-05-12T00:00:00Z"));
        assert_eq!(parse_timestamp("tháng trước"), None);
        assert_eq!(parse_timestamp(""), None);
    }
}
