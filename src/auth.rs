//! Credentials and access tokens.
//!
//! Server-to-Server OAuth tokens last about an hour, and Zoom may invalidate
//! the old token when it issues a new one. So the token is cached, refreshed a
//! little before it expires, and refreshed by exactly one request however many
//! calls need it at once: parallel refreshes would invalidate each other.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::sync::{Mutex, RwLock};
use tokio::time::Instant;

use crate::error::Error;

/// The longest token life believed, whatever the endpoint says: one day.
const MAX_TOKEN_LIFETIME_SECS: u64 = 24 * 60 * 60;

/// Zoom's Server-to-Server OAuth token endpoint.
pub const DEFAULT_OAUTH_URL: &str = "https://zoom.us/oauth/token";

/// How the client proves who it is.
#[derive(Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// A bearer token obtained elsewhere. It is never refreshed.
    AccessToken(SecretString),
    /// A Server-to-Server OAuth app's account id, client id and client secret.
    ServerToServer {
        /// The Zoom account id.
        account_id: String,
        /// The app's client id.
        client_id: String,
        /// The app's client secret.
        client_secret: SecretString,
    },
}

impl Credentials {
    /// A static bearer token.
    pub fn access_token(token: impl Into<String>) -> Self {
        Credentials::AccessToken(SecretString::from(token.into()))
    }

    /// Server-to-Server OAuth credentials.
    pub fn server_to_server(
        account_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Credentials::ServerToServer {
            account_id: account_id.into(),
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
        }
    }

    /// Reads `ZOOM_ACCOUNT_ID`, `ZOOM_CLIENT_ID` and `ZOOM_CLIENT_SECRET`, or
    /// else `ZOOM_ACCESS_TOKEN`. `Ok(None)` when none is set; an error when
    /// the OAuth set is only partly there, which is always a mistake.
    pub fn from_env() -> Result<Option<Self>, Error> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, Error> {
        let names = ["ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"];
        let values: Vec<Option<String>> = names.iter().map(|n| lookup(n)).collect();
        match (&values[0], &values[1], &values[2]) {
            (Some(account), Some(client), Some(secret)) => {
                return Ok(Some(Self::server_to_server(account, client, secret.clone())));
            }
            (None, None, None) => {}
            _ => {
                let missing: Vec<&str> = names
                    .iter()
                    .zip(&values)
                    .filter(|(_, v)| v.is_none())
                    .map(|(n, _)| *n)
                    .collect();
                return Err(Error::Auth {
                    message: format!(
                        "Server-to-Server OAuth needs all of ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET; missing {}",
                        missing.join(", ")
                    ),
                    status: None,
                });
            }
        }
        Ok(lookup("ZOOM_ACCESS_TOKEN").map(Self::access_token))
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::AccessToken(_) => f.write_str("AccessToken([REDACTED])"),
            Credentials::ServerToServer {
                account_id, client_id, ..
            } => f
                .debug_struct("ServerToServer")
                .field("account_id", account_id)
                .field("client_id", client_id)
                .field("client_secret", &"[REDACTED]")
                .finish(),
        }
    }
}

/// A bearer token and which refresh produced it, so that a 401 invalidates
/// only the token it was sent with, not one a concurrent caller just fetched.
#[derive(Clone, Debug)]
pub(crate) struct BearerToken {
    pub secret: SecretString,
    pub generation: u64,
}

struct CachedToken {
    token: BearerToken,
    refresh_after: Instant,
    /// When Zoom said it expires; until then it is a fallback if a refresh fails.
    expires_at: Instant,
}

/// Hands out bearer tokens: the static one, or cached OAuth tokens.
pub(crate) struct TokenSource {
    credentials: Credentials,
    http: reqwest::Client,
    token_url: String,
    /// Refresh this long before Zoom's `expires_in` runs out.
    refresh_margin: Duration,
    cached: RwLock<Option<CachedToken>>,
    /// Held while fetching, so that concurrent callers wait for one refresh.
    refreshing: Mutex<u64>,
    token_requests: std::sync::atomic::AtomicU64,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("credentials", &self.credentials)
            .field("token_url", &self.token_url)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl TokenSource {
    pub fn new(
        credentials: Credentials,
        http: reqwest::Client,
        token_url: String,
        refresh_margin: Duration,
    ) -> Arc<Self> {
        Arc::new(Self {
            credentials,
            http,
            token_url,
            refresh_margin,
            cached: RwLock::new(None),
            refreshing: Mutex::new(0),
            token_requests: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// How many times the token endpoint was called.
    pub fn token_requests(&self) -> u64 {
        self.token_requests.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A token valid for a while yet.
    pub async fn bearer(&self) -> Result<BearerToken, Error> {
        if let Credentials::AccessToken(secret) = &self.credentials {
            return Ok(BearerToken {
                secret: secret.clone(),
                generation: 0,
            });
        }
        if let Some(token) = self.cached_until(|c| c.refresh_after).await {
            return Ok(token);
        }
        let mut generation = self.refreshing.lock().await;
        // Whoever held the lock before us may have refreshed already.
        if let Some(token) = self.cached_until(|c| c.refresh_after).await {
            return Ok(token);
        }
        let (secret, lifetime) = match self.fetch().await {
            Ok(fetched) => fetched,
            Err(error) => {
                // Refreshing early is a precaution: a token endpoint that fails
                // now does not stop calls while the old token is still valid.
                if let Some(token) = self.cached_until(|c| c.expires_at).await {
                    tracing::warn!(error = %error, "token refresh failed; using the current token until it expires");
                    return Ok(token);
                }
                return Err(error);
            }
        };
        *generation += 1;
        let token = BearerToken {
            secret,
            generation: *generation,
        };
        // A margin longer than most of the token's life would refresh on every call.
        let margin = self.refresh_margin.min(lifetime.mul_f64(0.9));
        let refresh_after = Instant::now() + lifetime.saturating_sub(margin);
        let expires_at = Instant::now() + lifetime;
        *self.cached.write().await = Some(CachedToken {
            token: token.clone(),
            refresh_after,
            expires_at,
        });
        Ok(token)
    }

    /// Forgets `rejected` after Zoom refused it (401, code 124), unless a newer token already replaced it.
    pub async fn invalidate(&self, rejected: &BearerToken) {
        let mut cached = self.cached.write().await;
        if cached
            .as_ref()
            .is_some_and(|c| c.token.generation == rejected.generation)
        {
            *cached = None;
        }
    }

    /// Whether a refresh could produce a different token.
    pub fn can_refresh(&self) -> bool {
        matches!(self.credentials, Credentials::ServerToServer { .. })
    }

    /// The cached token, if `good_until` of it is still ahead: `refresh_after`
    /// for normal use, `expires_at` as a fallback when a refresh fails.
    async fn cached_until(&self, good_until: fn(&CachedToken) -> Instant) -> Option<BearerToken> {
        let cached = self.cached.read().await;
        cached
            .as_ref()
            .filter(|c| Instant::now() < good_until(c))
            .map(|c| c.token.clone())
    }

    async fn fetch(&self) -> Result<(SecretString, Duration), Error> {
        let Credentials::ServerToServer {
            account_id,
            client_id,
            client_secret,
        } = &self.credentials
        else {
            unreachable!("static tokens return before fetching")
        };
        self.token_requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let auth_error = |message: String, status| Error::Auth { message, status };
        let response = self
            .http
            .post(&self.token_url)
            .query(&[
                ("grant_type", "account_credentials"),
                ("account_id", account_id.as_str()),
            ])
            .basic_auth(client_id, Some(client_secret.expose_secret()))
            .send()
            .await
            // reqwest's message names the URL, never the Basic credentials.
            .map_err(|e| auth_error(format!("cannot reach the token endpoint: {e}"), None))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| auth_error(format!("cannot read the token response: {e}"), Some(status)))?;
        if !status.is_success() {
            let reason = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| {
                    v.get("reason")
                        .or_else(|| v.get("message"))
                        .and_then(|m| m.as_str())
                        .map(str::to_string)
                })
                .unwrap_or_else(|| "no reason given".into());
            return Err(auth_error(
                format!("the token endpoint answered HTTP {}: {reason}", status.as_u16()),
                Some(status),
            ));
        }
        let token: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
            auth_error(
                format!(
                    "the token response has no usable access_token (at line {}, column {})",
                    e.line(),
                    e.column()
                ),
                Some(status),
            )
        })?;
        // Zoom says 3599; a larger value from a broken endpoint must not overflow `Instant` arithmetic.
        let lifetime = Duration::from_secs(token.expires_in.unwrap_or(3599).min(MAX_TOKEN_LIFETIME_SECS));
        Ok((SecretString::from(token.access_token), lifetime))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_selection() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
        };
        assert!(Credentials::from_lookup(env(&[])).unwrap().is_none());
        assert!(matches!(
            Credentials::from_lookup(env(&[("ZOOM_ACCESS_TOKEN", "t")])).unwrap(),
            Some(Credentials::AccessToken(_))
        ));
        assert!(matches!(
            Credentials::from_lookup(env(&[
                ("ZOOM_ACCOUNT_ID", "a"),
                ("ZOOM_CLIENT_ID", "c"),
                ("ZOOM_CLIENT_SECRET", "s"),
                ("ZOOM_ACCESS_TOKEN", "t")
            ]))
            .unwrap(),
            Some(Credentials::ServerToServer { .. })
        ));
        let partial = Credentials::from_lookup(env(&[("ZOOM_ACCOUNT_ID", "a")]))
            .unwrap_err()
            .to_string();
        assert!(partial.contains("ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET"), "{partial}");
    }

    #[test]
    fn debug_redacts() {
        let debug = format!(
            "{:?}",
            Credentials::server_to_server("acct", "client", "hunter2-secret")
        );
        assert!(!debug.contains("hunter2"), "{debug}");
        let debug = format!("{:?}", Credentials::access_token("tok-secret-123"));
        assert!(!debug.contains("tok-secret-123"), "{debug}");
    }
}
