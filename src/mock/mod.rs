//! A fake Zoom for contract tests, behind the `mock` feature.
//!
//! It serves the two chat report endpoints and the Server-to-Server OAuth
//! token endpoint over plain http on loopback (`127.0.0.1`, which the client
//! allows without https for loopback hosts only), from a deterministic
//! [`Dataset`], and behaves
//! the way Zoom does where it matters to a client: opaque page tokens that
//! expire, page-size maximums, the one-month and six-month range rules
//! (HTTP 400 with code 300), a per-second rate limit with `Retry-After`, a
//! daily quota, tokens that a new token invalidates, and injected faults.
//! It counts what clients do, protocol violations included.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use zoom_chat_reports::mock::{FakeZoom, FakeZoomConfig};
//!
//! let zoom = FakeZoom::start(FakeZoomConfig::default()).await?;
//! let client = zoom.client_builder().build()?;
//! // ... run your code against `client`, then:
//! assert_eq!(zoom.counters().protocol_violations, 0);
//! # Ok(()) }
//! ```

mod dataset;
mod server;
mod texts;

pub use dataset::Dataset;
pub use server::{
    BrokenSession, FakeFiles, FakeZoom, FakeZoomConfig, FakeZoomCounters, Faults, LoggedRequest, MAX_LOGGED_REQUESTS,
    RetryAfterForm, hostile_file_name,
};
pub use texts::{VARIED_MESSAGES, VARIED_SESSION_NAMES};
// The scopes a fake can lack (`FakeZoomConfig::without_scope`), beside it.
pub use crate::zoom::{MESSAGES_SCOPE, SESSIONS_SCOPE};
