//! The data of the fake Zoom the command falls back to when no credentials
//! are set, so that its README's command runs on a fresh machine.

use chrono::NaiveDate;
use zoom_chat_reports::mock::Dataset;

/// 40 sessions with two messages a day each, from 2026-01-01 through 2030,
/// a tenth edited, one in twenty deleted, a tenth with a file. Fixed dates
/// make it one source from day to day, so a daily `--sync` against the fake
/// continues its archive; the command serves it with
/// `FakeZoomConfig::reveal_by_clock`, so it grows as the days pass, as an
/// account does.
pub fn demo_dataset() -> Dataset {
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or(NaiveDate::MIN);
    let end = NaiveDate::from_ymd_opt(2030, 12, 31).unwrap_or(NaiveDate::MIN);
    Dataset {
        seed: 42,
        sessions: 40,
        messages_per_session: 2 * ((end - start).num_days() as usize + 1),
        start,
        end,
        edited_share: 0.1,
        deleted_share: 0.05,
        file_share: 0.1,
        reply_share: 0.2,
    }
}
