//! The one rate limiter every call of a client shares, and how it adapts when
//! the account's limit is not all ours.
//!
//! Zoom's limits are per account and shared by every app on it, so the rate
//! this client may use is often less than its plan's, and it changes as other
//! apps come and go. A fixed limiter at the plan's rate keeps colliding with
//! them. This one is AIMD, as TCP's congestion control and the AWS SDKs'
//! adaptive retry mode are:
//!
//! - a per-second 429 cuts the rate to [`CUT_FACTOR`] of itself, once per
//!   window of refusals: only a refusal of a request sent after the last cut,
//!   and after the account's window that refused it reopened, cuts again.
//!   Requests sent before were paced at the old rate, or went into a second
//!   already full, and their refusals say nothing new;
//! - every success adds a little, so that the rate climbs back by
//!   [`GROWTH_SHARE_PER_SECOND`] of the configured rate per second of
//!   successful calls, and never above the configured rate.
//!
//! Two processes on one account then settle at about half each, as two TCP
//! flows on one link do: they cut by the same factor and climb by the same step.
//!
//! Requests are spaced evenly, one every `1 / rate` seconds, with no burst:
//! Zoom counts per second, and a burst at a second's edge can exceed the
//! limit even when the average does not.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// What a per-second 429 leaves of the rate. 0.7 is the AWS SDKs' (CUBIC's
/// beta): a halving, as TCP's Reno does, gave up more throughput than the
/// extra refusals of a gentler cut cost.
pub(crate) const CUT_FACTOR: f64 = 0.7;

/// How fast the rate climbs back: this share of the configured rate per
/// second of successful calls (20/s climbs by 0.5/s each second). Faster
/// finds a freed limit sooner, but overshoots a shared one more often, and
/// every overshoot is a few 429s; this keeps them under one request in twenty
/// against a fake at 8/s with the client told 20/s (see BENCHMARKS.md).
pub(crate) const GROWTH_SHARE_PER_SECOND: f64 = 1.0 / 40.0;

/// Zoom counts per second: no refusal says more than this about when the
/// account's window reopens, whatever `Retry-After` says.
const LIMIT_WINDOW: Duration = Duration::from_secs(1);

/// The rate is never cut below this many requests a second: one request
/// every two seconds still finds out when the account frees up.
pub(crate) const FLOOR_PER_SECOND: f64 = 0.5;

/// A pacing limiter whose rate adapts to the account's refusals.
#[derive(Debug)]
pub(crate) struct AdaptiveRate {
    /// The configured rate: the plan's, or the caller's own.
    ceiling: f64,
    floor: f64,
    /// Requests a second added per second of successful calls.
    growth: f64,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    rate: f64,
    /// When the last request was let go.
    last_grant: Option<Instant>,
    /// The earliest instant the next request may go: one interval at the
    /// current rate after the last.
    next_slot: Instant,
    /// Refusals of requests sent before this belong to the last cut's window.
    same_window_until: Option<Instant>,
    cuts: u64,
    lowest: f64,
    /// The first request's instant, for the time-weighted average.
    started: Option<Instant>,
    /// The integral of the rate over time since `started`, up to `last_change`.
    rate_seconds: f64,
    last_change: Instant,
}

/// What the limiter has done, for [`crate::TransportStats`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RateReport {
    pub configured: f64,
    pub current: f64,
    pub lowest: f64,
    pub average: f64,
    pub cuts: u64,
}

impl AdaptiveRate {
    pub(crate) fn new(per_second: f64) -> Self {
        let ceiling = per_second.max(f64::MIN_POSITIVE);
        let now = Instant::now();
        Self {
            ceiling,
            floor: FLOOR_PER_SECOND.min(ceiling),
            growth: ceiling * GROWTH_SHARE_PER_SECOND,
            state: Mutex::new(State {
                rate: ceiling,
                last_grant: None,
                next_slot: now,
                same_window_until: None,
                cuts: 0,
                lowest: ceiling,
                started: None,
                rate_seconds: 0.0,
                last_change: now,
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // The state stays consistent at every unlock; a panic elsewhere while
        // holding it cannot leave it half-changed.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits for this request's turn and returns the instant it was let go,
    /// which the caller reports back with [`Self::throttled`].
    ///
    /// No slot is handed out ahead: every waiter sleeps until the next slot
    /// and the first to find it free takes it, at the time it actually is.
    /// So a waiter that woke late pushes the next one back with it (the
    /// gaps Zoom sees are never shorter than the interval), and a cut or a
    /// climb applies at once to everyone waiting.
    pub(crate) async fn acquire(&self) -> Instant {
        loop {
            let next = {
                let mut state = self.state();
                let now = Instant::now();
                if state.started.is_none() {
                    state.started = Some(now);
                    state.last_change = now;
                }
                if now >= state.next_slot {
                    state.last_grant = Some(now);
                    state.next_slot = now + interval(state.rate);
                    return now;
                }
                state.next_slot
            };
            tokio::time::sleep_until(next).await;
        }
    }

    /// A request went through: climb back toward the configured rate.
    pub(crate) fn succeeded(&self) {
        let mut state = self.state();
        if state.rate < self.ceiling {
            // growth / rate per success is `growth` per second at this rate.
            let rate = (state.rate + self.growth / state.rate).min(self.ceiling);
            state.set_rate(rate, Instant::now());
        }
    }

    /// A request sent at `sent_at` was refused for the per-second limit, and
    /// `Retry-After` said the account's window reopens in `reset_in`. Cuts the
    /// rate unless a refusal in the same window already did. Returns whether
    /// it cut.
    pub(crate) fn throttled(&self, sent_at: Instant, reset_in: Option<Duration>) -> bool {
        let mut state = self.state();
        if state.same_window_until.is_some_and(|until| sent_at <= until) {
            return false;
        }
        let now = Instant::now();
        let rate = (state.rate * CUT_FACTOR).max(self.floor);
        state.set_rate(rate, now);
        // Without a Retry-After, only requests sent before the cut are known
        // to be of the same window.
        state.same_window_until = Some(now + reset_in.unwrap_or(Duration::ZERO).min(LIMIT_WINDOW));
        state.cuts += 1;
        state.lowest = state.lowest.min(rate);
        true
    }

    pub(crate) fn report(&self) -> RateReport {
        let state = self.state();
        let now = Instant::now();
        let average = match state.started {
            Some(started) if now > started => {
                let total = state.rate_seconds + state.rate * (now - state.last_change).as_secs_f64();
                total / (now - started).as_secs_f64()
            }
            _ => state.rate,
        };
        RateReport {
            configured: self.ceiling,
            current: state.rate,
            lowest: state.lowest,
            average,
            cuts: state.cuts,
        }
    }
}

impl State {
    fn set_rate(&mut self, rate: f64, now: Instant) {
        if self.started.is_some() {
            self.rate_seconds += self.rate * now.saturating_duration_since(self.last_change).as_secs_f64();
        }
        self.last_change = now;
        self.rate = rate;
        if let Some(last) = self.last_grant {
            self.next_slot = last + interval(rate);
        }
    }
}

fn interval(rate: f64) -> Duration {
    Duration::from_secs_f64(1.0 / rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_refusal_cuts_once_per_window_and_successes_climb_back() {
        let limiter = AdaptiveRate::new(20.0);
        let before = limiter.acquire().await;
        tokio::time::advance(Duration::from_millis(10)).await;
        assert!(limiter.throttled(before, None));
        assert_eq!(limiter.report().current, 14.0);
        // Refusals of requests sent before the cut are the same signal.
        assert!(!limiter.throttled(before, None));
        assert_eq!(limiter.report().cuts, 1);
        // A request sent after the cut and refused cuts again.
        let after = limiter.acquire().await;
        assert!(limiter.throttled(after, None));
        assert!((limiter.report().current - 9.8).abs() < 1e-9);
        // Each success at rate r adds growth / r: r of them add `growth` (0.5).
        let rate = limiter.report().current;
        for _ in 0..10 {
            limiter.succeeded();
        }
        let climbed = limiter.report().current;
        assert!(climbed > rate + 0.49 && climbed < rate + 0.52, "{climbed}");
        // Never above the configured rate.
        for _ in 0..10_000 {
            limiter.succeeded();
        }
        assert_eq!(limiter.report().current, 20.0);
        assert!((limiter.report().lowest - 9.8).abs() < 1e-9);
    }

    #[tokio::test(start_paused = true)]
    async fn refusals_before_the_window_reopens_do_not_cut_again() {
        let limiter = AdaptiveRate::new(20.0);
        let sent = limiter.acquire().await;
        assert!(limiter.throttled(sent, Some(Duration::from_millis(300))));
        // Sent after the cut, but into the same full second.
        let early = limiter.acquire().await;
        assert!(early < sent + Duration::from_millis(300));
        assert!(!limiter.throttled(early, Some(Duration::from_millis(300))));
        tokio::time::advance(Duration::from_millis(400)).await;
        let late = limiter.acquire().await;
        assert!(limiter.throttled(late, Some(Duration::from_secs(30))));
        assert_eq!(limiter.report().cuts, 2);
        // A long Retry-After holds cuts off for one second at most.
        tokio::time::advance(Duration::from_millis(1100)).await;
        let later = limiter.acquire().await;
        assert!(limiter.throttled(later, None));
        assert_eq!(limiter.report().cuts, 3);
    }

    #[tokio::test(start_paused = true)]
    async fn never_below_the_floor() {
        let limiter = AdaptiveRate::new(20.0);
        for _ in 0..100 {
            let sent = limiter.acquire().await;
            tokio::time::advance(Duration::from_millis(1)).await;
            limiter.throttled(sent, None);
        }
        assert_eq!(limiter.report().current, FLOOR_PER_SECOND);
    }

    #[tokio::test(start_paused = true)]
    async fn requests_are_spaced_at_the_current_rate() {
        let limiter = AdaptiveRate::new(10.0);
        let start = Instant::now();
        let mut slots = Vec::new();
        for _ in 0..5 {
            slots.push(limiter.acquire().await - start);
        }
        assert_eq!(slots[4], Duration::from_millis(400));
        let sent = start + *slots.last().unwrap();
        tokio::time::advance(Duration::from_millis(1)).await;
        limiter.throttled(sent, None);
        // After the cut to 7/s, the next slot is a seventh of a second after the last.
        let next = limiter.acquire().await;
        let gap = next - sent;
        assert!((gap.as_secs_f64() - 1.0 / 7.0).abs() < 1e-3, "{gap:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_cut_applies_at_once_to_everyone_waiting() {
        let limiter = std::sync::Arc::new(AdaptiveRate::new(10.0));
        let start = Instant::now();
        let first = limiter.acquire().await;
        // Four waiters take slots at 10/s: 100, 200, 300, 400 ms.
        let waiters: Vec<_> = (0..4)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move { limiter.acquire().await })
            })
            .collect();
        tokio::task::yield_now().await;
        limiter.throttled(first, None);
        let mut slots = Vec::new();
        for waiter in waiters {
            slots.push(waiter.await.unwrap() - start);
        }
        slots.sort();
        // At 7/s they cannot be closer than a seventh of a second apart.
        for pair in slots.windows(2) {
            assert!(pair[1] - pair[0] >= Duration::from_millis(142), "{slots:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_average_is_weighted_by_time() {
        let limiter = AdaptiveRate::new(20.0);
        let sent = limiter.acquire().await;
        tokio::time::advance(Duration::from_secs(1)).await;
        limiter.throttled(sent, None); // 20/s for 1 s, then 14/s
        tokio::time::advance(Duration::from_secs(1)).await;
        let average = limiter.report().average;
        assert!((average - 17.0).abs() < 0.01, "{average}");
    }
}
