//! The one rate limiter every call of a client shares, and how it adapts when
//! the account's limit is not all ours.
//!
//! Zoom's limits are per account and shared by every app on it, so the rate
//! this client may use is often less than its plan's, and it changes as other
//! apps come and go. A fixed limiter at the plan's rate keeps colliding with
//! them. This one adapts as the AWS SDKs' adaptive retry mode does, itself
//! after TCP's CUBIC congestion control:
//!
//! - A per-second 429 cuts the rate to [`CUT_FACTOR`] of what the account
//!   actually accepted over the last second (or of the rate, if that is
//!   lower; and never more than one further step of [`CUT_FACTOR`] below
//!   the rate), and remembers that accepted rate as the last known limit. It
//!   cuts once per window of refusals: only a refusal of a request sent
//!   after the last cut, and after the account's second that refused it was
//!   over (as `Retry-After` says; without one, half a second after the
//!   cut), cuts again. Requests sent before were paced at the old rate, or went into a
//!   second already full, and their refusals say nothing new.
//! - Successes climb back in CUBIC's shape: fast at first, closing half the
//!   gap to the last known limit each second ([`RECOVERY_PER_SECOND`]), then
//!   slowly near it (by [`GROWTH_SHARE_PER_SECOND`] of the configured rate
//!   per second: the same step for every client told the same rate), where
//!   refusals would come; then faster again past it, the excess over it
//!   doubling each second ([`PROBE_GROWTH_PER_SECOND`]), so
//!   that a limit other apps have freed is found in seconds. Only successes of requests
//!   that waited for their turn count: a client held back by something else
//!   (its concurrency, the retries of refused calls) has not shown that it
//!   can use a higher rate, and a rate that grew anyway would come back as a
//!   burst. Never above the configured rate.
//!
//! Two processes on one account then settle at about half each, as TCP
//! flows do: each cuts by a share of its own rate, and near the limit both
//! climb by the same step, so the one above half loses more at every cut
//! than it gains between them.
//!
//! Requests are spaced evenly, one every `1 / rate` seconds, with no burst:
//! Zoom counts per second, and a burst at a second's edge can exceed the
//! limit even when the average does not.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// What a per-second 429 leaves of the accepted rate. 0.7 is the AWS SDKs'
/// (CUBIC's beta): a halving, as TCP's Reno does, gives up more throughput
/// than the extra refusals of a gentler cut cost.
pub(crate) const CUT_FACTOR: f64 = 0.7;

/// Below the last known limit, the gap to it closes by this share of itself
/// each second of successful, paced calls: most of a cut is won back in a
/// few seconds.
pub(crate) const RECOVERY_PER_SECOND: f64 = 0.5;

/// Near the last known limit, the rate climbs by at least this share of the
/// configured rate per second (a client told 20 a second by 0.25 a second
/// each second): slowly, where refusals come from, and by the same step for
/// every client told the same rate, which is what makes two of them share
/// fairly. Past that limit the climb speeds up by [`PROBE_GROWTH_PER_SECOND`].
pub(crate) const GROWTH_SHARE_PER_SECOND: f64 = 1.0 / 80.0;

/// Past the last known limit, the excess over it grows by this share of
/// itself each second: a freed limit is found in seconds, not minutes.
pub(crate) const PROBE_GROWTH_PER_SECOND: f64 = 1.0;

/// Zoom counts per second: no refusal says more than this about when the
/// account's window reopens, whatever `Retry-After` says; and the accepted
/// rate is measured over this long.
const LIMIT_WINDOW: Duration = crate::zoom::RATE_LIMIT_WINDOW;

/// The rate is never cut below this many requests a second: one request
/// every two seconds still finds out when the account frees up.
pub(crate) const FLOOR_PER_SECOND: f64 = 0.5;

/// A pacing limiter whose rate adapts to the account's refusals.
#[derive(Debug)]
pub(crate) struct AdaptiveRate {
    /// The configured rate: the plan's, or the caller's own.
    ceiling: f64,
    floor: f64,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    rate: f64,
    /// The accepted rate at the last cut: the account's limit, as far as
    /// this client knows. The configured rate until the first cut.
    known_limit: f64,
    /// When the last request was let go.
    last_grant: Option<Instant>,
    /// The earliest instant the next request may go: one interval at the
    /// current rate after the last.
    next_slot: Instant,
    /// Refusals of requests sent before this belong to the last cut's window.
    same_window_until: Option<Instant>,
    /// When requests succeeded, over the last [`LIMIT_WINDOW`].
    accepted: VecDeque<Instant>,
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

/// A request let go: when, and whether it had to wait for its turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Grant {
    pub at: Instant,
    /// It waited for the limiter: the limiter, not something else, set the pace.
    pub paced: bool,
}

impl AdaptiveRate {
    pub(crate) fn new(per_second: f64) -> Self {
        let ceiling = per_second.max(f64::MIN_POSITIVE);
        let now = Instant::now();
        Self {
            ceiling,
            floor: FLOOR_PER_SECOND.min(ceiling),
            state: Mutex::new(State {
                rate: ceiling,
                known_limit: ceiling,
                last_grant: None,
                next_slot: now,
                same_window_until: None,
                accepted: VecDeque::new(),
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

    /// Waits for this request's turn and says when it was let go.
    ///
    /// No slot is handed out ahead: every waiter sleeps until the next slot
    /// and the first to find it free takes it, at the time it actually is.
    /// So a waiter that woke late pushes the next one back with it (the
    /// gaps Zoom sees are never shorter than the interval), and a cut or a
    /// climb applies at once to everyone waiting.
    pub(crate) async fn acquire(&self) -> Grant {
        let mut paced = false;
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
                    return Grant { at: now, paced };
                }
                state.next_slot
            };
            paced = true;
            tokio::time::sleep_until(next).await;
        }
    }

    /// A request let go by `grant` went through: count it, and climb back
    /// toward the configured rate if the limiter set its pace.
    pub(crate) fn succeeded(&self, grant: Grant) {
        let mut state = self.state();
        let now = Instant::now();
        state.accepted.push_back(now);
        state.forget_accepted_before(now);
        if !grant.paced || state.rate >= self.ceiling {
            return;
        }
        // Per second at this rate, `rate` successes: each adds a share.
        let step = self.ceiling * GROWTH_SHARE_PER_SECOND;
        let per_second = if state.rate < state.known_limit {
            step.max((state.known_limit - state.rate) * RECOVERY_PER_SECOND)
        } else {
            step + (state.rate - state.known_limit) * PROBE_GROWTH_PER_SECOND
        };
        let rate = (state.rate + per_second / state.rate).min(self.ceiling);
        state.set_rate(rate, now);
    }

    /// A request let go at `sent_at` was refused for the per-second limit,
    /// and `Retry-After` said the account's window reopens in `reset_in`.
    /// Cuts the rate unless a refusal in the same window already did.
    /// Returns whether it cut.
    pub(crate) fn throttled(&self, sent_at: Instant, reset_in: Option<Duration>) -> bool {
        let mut state = self.state();
        if state.same_window_until.is_some_and(|until| sent_at <= until) {
            return false;
        }
        let now = Instant::now();
        state.forget_accepted_before(now);
        // What the account took from us over the last second; early in a
        // run, over the time there was.
        let measured_over = state.started.map_or(LIMIT_WINDOW, |started| {
            (now - started).clamp(Duration::from_millis(100), LIMIT_WINDOW)
        });
        let accepted = state.accepted.len() as f64 / measured_over.as_secs_f64();
        // One cut goes at most one step further than the rate's own: a second
        // in which little happened (the run's first, say) is a poor measure.
        let limit = state.rate.min(accepted.max(state.rate * CUT_FACTOR)).max(self.floor);
        let rate = (limit * CUT_FACTOR).max(self.floor);
        state.known_limit = limit;
        state.set_rate(rate, now);
        // Without a Retry-After, the refused second may have begun just now,
        // or be nearly over: half of it is taken as still to come, so that a
        // client far above the account's limit comes down within a second
        // or two without cutting once per refusal.
        state.same_window_until = Some(now + reset_in.unwrap_or(LIMIT_WINDOW / 2).min(LIMIT_WINDOW));
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

    fn forget_accepted_before(&mut self, now: Instant) {
        while self
            .accepted
            .front()
            .is_some_and(|&at| now.saturating_duration_since(at) > LIMIT_WINDOW)
        {
            self.accepted.pop_front();
        }
    }
}

fn interval(rate: f64) -> Duration {
    Duration::from_secs_f64(1.0 / rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` requests through the limiter, each let go and answered at once.
    async fn accepted(limiter: &AdaptiveRate, n: usize) -> Vec<Grant> {
        let mut grants = Vec::new();
        for _ in 0..n {
            let grant = limiter.acquire().await;
            limiter.succeeded(grant);
            grants.push(grant);
        }
        grants
    }

    #[tokio::test(start_paused = true)]
    async fn a_refusal_cuts_to_a_share_of_what_the_account_accepted_once_per_window() {
        let limiter = AdaptiveRate::new(20.0);
        // For a second, at 20/s, the account takes only every other request.
        let mut last = None;
        for i in 0..20 {
            let grant = limiter.acquire().await;
            if i % 2 == 0 {
                limiter.succeeded(grant);
            }
            last = Some(grant);
        }
        let last = last.unwrap();
        assert!(limiter.throttled(last.at, None));
        let rate = limiter.report().current;
        // 10.5 a second accepted, but one cut goes no further than 0.7 of 0.7 of the rate.
        assert!((rate - 0.49 * 20.0).abs() < 0.01, "{rate}");
        // Refusals of requests sent before the cut are the same signal.
        assert!(!limiter.throttled(last.at, None));
        assert_eq!(limiter.report().cuts, 1);
        // A request sent after the refused second and refused cuts again, to
        // 0.7 of what the account took over the last second (4 or 5 of the
        // 10: half of them were more than a second ago).
        tokio::time::advance(Duration::from_millis(1001)).await;
        let after = limiter.acquire().await;
        assert!(limiter.throttled(after.at, None));
        let again = limiter.report().current;
        assert!(again < 0.7 * rate && again >= 0.49 * rate - 1e-9, "{again}");
    }

    #[tokio::test(start_paused = true)]
    async fn it_climbs_fast_then_slowly_to_the_last_known_limit_then_faster_and_never_past_the_configured_rate() {
        let limiter = AdaptiveRate::new(20.0);
        accepted(&limiter, 10).await;
        // 10 accepted in the half second so far: 20 a second, cut to 14.
        let sent = limiter.acquire().await;
        limiter.throttled(sent.at, None);
        let started = Instant::now();
        let mut reached_ceiling = None;
        while reached_ceiling.is_none() {
            accepted(&limiter, 1).await;
            let rate = limiter.report().current;
            if rate >= 20.0 - 1e-9 {
                reached_ceiling = Some(started.elapsed());
            }
            assert!(rate <= 20.0);
            assert!(started.elapsed() < Duration::from_secs(120), "it must climb back");
        }
        // From 14 to the known 20: the gap of 6 halves about every 1.4 s
        // down to 1, then 0.5 a second each second: about 5.6 s.
        let climbed = reached_ceiling.unwrap();
        assert!(
            climbed > Duration::from_secs(4) && climbed < Duration::from_secs(8),
            "{climbed:?}"
        );

        // When the account took less, the known limit is 14 and the rate 9.8:
        // back to 14 in a few seconds, slowing near it, then past it faster.
        let limiter = AdaptiveRate::new(20.0);
        for i in 0..20 {
            let grant = limiter.acquire().await;
            if i % 5 < 2 {
                limiter.succeeded(grant);
            }
            if i == 19 {
                limiter.throttled(grant.at, None);
            }
        }
        assert!((limiter.report().current - 9.8).abs() < 0.01, "{:?}", limiter.report());
        let started = Instant::now();
        let mut at_limit = None;
        while limiter.report().current < 20.0 {
            accepted(&limiter, 1).await;
            if at_limit.is_none() && limiter.report().current >= 14.0 - 1e-9 {
                at_limit = Some(started.elapsed());
            }
            assert!(started.elapsed() < Duration::from_secs(120), "it must climb back");
        }
        let at_limit = at_limit.unwrap();
        let past = started.elapsed() - at_limit;
        assert!(
            at_limit > Duration::from_secs(3) && at_limit < Duration::from_secs(8),
            "{at_limit:?}"
        );
        assert!(past < Duration::from_secs(8), "{past:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn only_requests_that_waited_for_their_turn_raise_the_rate() {
        let limiter = AdaptiveRate::new(20.0);
        accepted(&limiter, 10).await;
        let sent = limiter.acquire().await;
        limiter.throttled(sent.at, None);
        let rate = limiter.report().current;
        // Held back by something else: a request finds its slot free.
        tokio::time::advance(Duration::from_secs(1)).await;
        let grant = limiter.acquire().await;
        assert!(!grant.paced);
        limiter.succeeded(grant);
        assert_eq!(limiter.report().current, rate);
        let grant = limiter.acquire().await;
        assert!(grant.paced);
        limiter.succeeded(grant);
        assert!(limiter.report().current > rate);
    }

    #[tokio::test(start_paused = true)]
    async fn refusals_before_the_window_reopens_do_not_cut_again() {
        let limiter = AdaptiveRate::new(20.0);
        accepted(&limiter, 5).await;
        let sent = limiter.acquire().await;
        assert!(limiter.throttled(sent.at, Some(Duration::from_millis(300))));
        // Sent after the cut, but into the same full second.
        let early = limiter.acquire().await;
        assert!(early.at < sent.at + Duration::from_millis(300));
        assert!(!limiter.throttled(early.at, Some(Duration::from_millis(300))));
        tokio::time::advance(Duration::from_millis(400)).await;
        let late = limiter.acquire().await;
        assert!(limiter.throttled(late.at, Some(Duration::from_secs(30))));
        assert_eq!(limiter.report().cuts, 2);
        // A long Retry-After holds cuts off for one second at most.
        tokio::time::advance(Duration::from_millis(1100)).await;
        let later = limiter.acquire().await;
        assert!(limiter.throttled(later.at, None));
        assert_eq!(limiter.report().cuts, 3);
        // Without a Retry-After, half a second is taken as still to come.
        let soon = limiter.acquire().await;
        assert!(!limiter.throttled(soon.at, None));
        assert_eq!(limiter.report().cuts, 3);
        tokio::time::advance(Duration::from_millis(600)).await;
        let after_half = limiter.acquire().await;
        assert!(limiter.throttled(after_half.at, None));
        assert_eq!(limiter.report().cuts, 4);
    }

    #[tokio::test(start_paused = true)]
    async fn never_below_the_floor() {
        let limiter = AdaptiveRate::new(20.0);
        for _ in 0..100 {
            let sent = limiter.acquire().await;
            tokio::time::advance(Duration::from_millis(1001)).await;
            limiter.throttled(sent.at, None);
        }
        assert_eq!(limiter.report().current, FLOOR_PER_SECOND);
    }

    #[tokio::test(start_paused = true)]
    async fn requests_are_spaced_at_the_current_rate() {
        let limiter = AdaptiveRate::new(10.0);
        let start = Instant::now();
        let grants = accepted(&limiter, 5).await;
        let last = grants[4].at;
        assert_eq!(last - start, Duration::from_millis(400));
        tokio::time::advance(Duration::from_millis(1)).await;
        limiter.throttled(last, None);
        // After the cut to 0.7 of the accepted 10 a second (5 over the first
        // 0.4 s), the next slot is a seventh of a second after the last.
        let next = limiter.acquire().await;
        let gap = next.at - last;
        assert!((gap.as_secs_f64() - 1.0 / 7.0).abs() < 1e-3, "{gap:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_cut_applies_at_once_to_everyone_waiting() {
        let limiter = std::sync::Arc::new(AdaptiveRate::new(10.0));
        let start = Instant::now();
        let first = accepted(&limiter, 1).await[0];
        // Four waiters, due at 100, 200, 300 and 400 ms at 10/s.
        let waiters: Vec<_> = (0..4)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move { limiter.acquire().await })
            })
            .collect();
        tokio::task::yield_now().await;
        limiter.throttled(first.at, None);
        let rate = limiter.report().current;
        let mut slots = Vec::new();
        for waiter in waiters {
            slots.push(waiter.await.unwrap().at - start);
        }
        slots.sort();
        let interval = Duration::from_secs_f64(1.0 / rate);
        for pair in slots.windows(2) {
            assert!(pair[1] - pair[0] >= interval, "{slots:?} at {rate}/s");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_average_is_weighted_by_time() {
        let limiter = AdaptiveRate::new(20.0);
        accepted(&limiter, 20).await;
        let grant = limiter.acquire().await;
        limiter.throttled(grant.at, None); // 20/s for 1 s, then 14/s
        tokio::time::advance(Duration::from_secs(1)).await;
        let average = limiter.report().average;
        assert!((average - 17.0).abs() < 0.1, "{average}");
    }
}
