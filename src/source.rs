//! Where a client's data comes from: which API, which account.
//!
//! A program that keeps what it reads (an archive, say) records the source
//! and refuses to continue from any other, so that two accounts (or real and
//! fake data) never end up in one file.
//! The identity must be stable across runs and must not be a secret:
//! - Server-to-Server credentials name their account id;
//! - a static access token is usually a JWT whose payload carries the account
//!   id (claim `aid`); the payload is decoded, not verified, since only the
//!   account id is wanted and Zoom checks the token anyway;
//! - any other token is known by a fingerprint (a truncated SHA-256), never by
//!   the token itself. A new token then counts as a new source;
//! - the fake Zoom of the `mock` feature listens on a new port each run, so
//!   it is known by its dataset's seed and dates, never by its URL.

use std::fmt;

use base64::Engine as _;
use chrono::NaiveDate;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use crate::auth::Credentials;

/// The API and account a client reads from, as returned by [`Client::source`](crate::Client::source).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Source {
    /// The API base URL without a trailing slash, or [`Source::FAKE_API`] for the built-in fake Zoom.
    pub api: String,
    /// Which account on that API.
    pub account: SourceAccount,
}

/// How a [`Source`] names its account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SourceAccount {
    /// A Zoom account id: the one in Server-to-Server credentials, or the
    /// `aid` claim of an access token.
    Id(String),
    /// An access token that names no account, known by the first 128 bits of
    /// its SHA-256 in hex. The token itself is never stored; another token is
    /// another source.
    TokenFingerprint(String),
    /// The fake Zoom of the `mock` feature, known by the dataset it serves:
    /// its seed and its dates (`mock::Dataset`), since it listens on
    /// a new port each time. Two datasets that differ in any of them are two
    /// sources.
    FakeDataset {
        /// The dataset's seed.
        seed: u64,
        /// The dataset's first day.
        start: NaiveDate,
        /// The dataset's last day.
        end: NaiveDate,
    },
}

impl Source {
    /// The `api` of the built-in fake Zoom, which is no URL so that it never equals a real one.
    pub const FAKE_API: &'static str = "fake-zoom";

    /// The source of a client of `api` (already without a trailing slash) with `credentials`.
    pub(crate) fn of(api: &str, credentials: &Credentials) -> Self {
        let account = match credentials {
            Credentials::ServerToServer { account_id, .. } => SourceAccount::Id(account_id.clone()),
            Credentials::AccessToken(token) => {
                let token = token.expose_secret();
                match account_id_claim(token) {
                    Some(account_id) => SourceAccount::Id(account_id),
                    None => SourceAccount::TokenFingerprint(token_fingerprint(token)),
                }
            }
        };
        Self {
            api: api.to_string(),
            account,
        }
    }

    /// The built-in fake Zoom serving the dataset seeded with `seed`, of `start..=end`.
    #[cfg_attr(not(feature = "mock"), allow(dead_code))]
    pub(crate) fn fake(seed: u64, start: NaiveDate, end: NaiveDate) -> Self {
        Self {
            api: Self::FAKE_API.to_string(),
            account: SourceAccount::FakeDataset { seed, start, end },
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.account {
            SourceAccount::FakeDataset { seed, start, end } => {
                write!(f, "the built-in fake Zoom (dataset seed {seed}, {start} to {end})")
            }
            SourceAccount::Id(id) => write!(f, "{}, account {id}", self.api),
            SourceAccount::TokenFingerprint(fingerprint) => write!(
                f,
                "{}, with an access token that names no account (fingerprint {fingerprint}; a new token counts as another source)",
                self.api
            ),
        }
    }
}

/// The `aid` claim of a JWT's payload, read without verifying the signature.
fn account_id_claim(token: &str) -> Option<String> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&json).ok()?;
    let account_id = claims.get("aid")?.as_str()?.trim();
    (!account_id.is_empty()).then(|| account_id.to_string())
}

/// `sha256:` and the first 16 bytes of the token's SHA-256, in hex: enough to
/// tell tokens apart, and no way back to the token.
fn token_fingerprint(token: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, token.as_bytes());
    let hex: String = digest.as_ref()[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        let encode = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!(
            "{}.{}.signature-part",
            encode(r#"{"alg":"HS512","typ":"JWT"}"#),
            encode(payload)
        )
    }

    #[test]
    fn server_to_server_credentials_name_their_account() {
        let source = Source::of(
            "https://api.zoom.us/v2",
            &Credentials::server_to_server("acct-1", "client", "secret"),
        );
        assert_eq!(source.account, SourceAccount::Id("acct-1".into()));
        assert_eq!(source.to_string(), "https://api.zoom.us/v2, account acct-1");
    }

    #[test]
    fn a_zoom_token_names_its_account_without_being_stored() {
        let token = jwt(r#"{"aud":"https://oauth.zoom.us","aid":"acct-2","exp":1}"#);
        let source = Source::of("https://api.zoom.us/v2", &Credentials::access_token(&token));
        assert_eq!(source.account, SourceAccount::Id("acct-2".into()));
        let stored = serde_json::to_string(&source).unwrap();
        assert!(!stored.contains("signature-part"), "{stored}");
    }

    #[test]
    fn other_tokens_are_known_by_a_fingerprint_only() {
        for token in ["opaque-secret-token", &jwt(r#"{"sub":"no account"}"#), "a.b", "a.%%%.c"] {
            let source = Source::of("https://api.zoom.us/v2", &Credentials::access_token(token));
            let SourceAccount::TokenFingerprint(fingerprint) = &source.account else {
                panic!("{source:?}")
            };
            assert!(
                fingerprint.starts_with("sha256:") && fingerprint.len() == 7 + 32,
                "{fingerprint}"
            );
            let shown = format!("{source} {source:?} {}", serde_json::to_string(&source).unwrap());
            assert!(!shown.contains(token), "{shown}");
        }
        let one = Source::of("x", &Credentials::access_token("token-one"));
        let two = Source::of("x", &Credentials::access_token("token-two"));
        assert_ne!(one, two);
        assert_eq!(one, Source::of("x", &Credentials::access_token("token-one")));
    }

    #[test]
    fn the_fake_is_never_a_url_and_is_known_by_seed_and_dates() {
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        let fake = Source::fake(42, day("2026-08-30"), day("2026-11-30"));
        assert_ne!(fake, Source::fake(43, day("2026-08-30"), day("2026-11-30")));
        // The CLI's dataset a day later is other data.
        assert_ne!(fake, Source::fake(42, day("2026-08-31"), day("2026-12-01")));
        assert_eq!(
            fake.to_string(),
            "the built-in fake Zoom (dataset seed 42, 2026-08-30 to 2026-11-30)"
        );
        assert!(reqwest::Url::parse(&fake.api).is_err());
    }
}
