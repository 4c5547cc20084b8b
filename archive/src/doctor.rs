//! Checks before the first real run (`doctor`): whether the credentials
//! work, whether the app has both report scopes, what Zoom says of the rate
//! limit, whether this machine's clock is right, and whether the archive's
//! places have room and can be written. Nothing is written; two small report
//! requests are made, through the client's rate limiter.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;
use zoom_chat_reports::generated::Error as GeneratedError;
use zoom_chat_reports::{Client, MESSAGES_SCOPE, SESSIONS_SCOPE, Source, SourceAccount, ZOOM_CODES_MISSING_SCOPE};

use crate::paths::directory_of;
use crate::status::status;

/// Less free space than this where the archive is written is a failed check.
pub const MIN_FREE_BYTES: u64 = 1024 * 1024 * 1024;
/// A clock further off Zoom's than this is a failed check: days are counted
/// in UTC by this machine's clock.
pub const MAX_CLOCK_SKEW_SECONDS: i64 = 60;

/// One check: what was looked at, whether it passed, and what was found or
/// what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Check {
    /// What was checked, in a few words.
    pub name: String,
    /// Whether it passed.
    pub ok: bool,
    /// What was found; for a failed check, what to do about it.
    pub detail: String,
}

impl Check {
    fn pass(name: &str, detail: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ok: true,
            detail: detail.into(),
        }
    }

    fn fail(name: &str, detail: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ok: false,
            detail: detail.into(),
        }
    }
}

/// Where the archive will be, for the checks of the disk and of the archive.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct DoctorPlaces {
    /// The archive's JSON Lines file (`--out`).
    pub out: Option<PathBuf>,
    /// The files directory (`--files`).
    pub files: Option<PathBuf>,
}

impl DoctorPlaces {
    /// The archive in `out`, its files in `files`.
    pub fn new(out: Option<PathBuf>, files: Option<PathBuf>) -> Self {
        Self { out, files }
    }
}

/// What a report request told about the account.
#[derive(Default)]
struct Answer {
    server_date: Option<DateTime<Utc>>,
    rate_limit: Option<String>,
}

/// Runs every check, in the order a person fixes them.
pub async fn doctor(client: &Client, places: &DoctorPlaces) -> Vec<Check> {
    let mut checks = Vec::new();
    let yesterday = client.today().pred_opt().unwrap_or(client.today());
    let mut answer = Answer::default();

    // The sessions report: the credentials (a token is fetched for it) and its scope.
    let sessions = client
        .generated()
        .report_chat_sessions()
        .from(yesterday)
        .to(yesterday)
        .page_size(1)
        .send()
        .await;
    let first_session = match sessions {
        Ok(response) => {
            read_headers(response.headers(), &mut answer);
            checks.push(Check::pass("credentials", credentials_words(client.source())));
            checks.push(Check::pass(
                "chat sessions report",
                format!("the app has the scope {SESSIONS_SCOPE}"),
            ));
            response.into_inner().sessions.into_iter().next().map(|s| s.id)
        }
        Err(error) => {
            let (credentials, scope) = refused(&error, SESSIONS_SCOPE, client.source(), &mut answer);
            checks.push(credentials);
            checks.extend(scope.map(|detail| Check::fail("chat sessions report", detail)));
            None
        }
    };

    // The messages report, for one session if the day had any: any answer
    // past the scope check (a session Zoom does not know is one) proves it.
    if checks.iter().all(|c| c.ok || c.name != "credentials") {
        let session = first_session.unwrap_or_else(|| "doctor-check".into());
        let messages = client
            .generated()
            .report_chat_messages()
            .session_id(session)
            .from(yesterday)
            .to(yesterday)
            .page_size(1)
            .send()
            .await;
        let scope_missing = match &messages {
            Ok(response) => {
                read_headers(response.headers(), &mut answer);
                None
            }
            Err(error) => zoom_code(error, &mut answer).filter(|(code, _)| is_scope_code(*code)),
        };
        checks.push(match scope_missing {
            None => Check::pass(
                "chat messages report",
                format!("the app has the scope {MESSAGES_SCOPE}"),
            ),
            Some((code, message)) => Check::fail("chat messages report", scope_fix(MESSAGES_SCOPE, code, &message)),
        });
    }

    checks.push(rate_check(client, &answer));
    checks.push(clock_check(&answer));
    if let Some(out) = &places.out {
        checks.push(place_check("archive's directory", directory_of(out)));
    }
    if let Some(files) = &places.files {
        // The files directory may not exist yet: its parent is where it goes.
        let existing = if files.exists() {
            files.as_path()
        } else {
            files
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        };
        checks.push(place_check("files directory", existing));
    }
    if let Some(out) = &places.out {
        checks.push(archive_check(out).await);
    }
    checks
}

fn credentials_words(source: &Source) -> String {
    match &source.account {
        SourceAccount::Id(account) => format!("Zoom accepted them for account {account} at {}", source.api),
        SourceAccount::TokenFingerprint(_) => format!("Zoom accepted the access token at {}", source.api),
        SourceAccount::FakeDataset { .. } => "no Zoom credentials are set: this checks the built-in fake Zoom".into(),
        _ => format!("Zoom accepted them at {}", source.api),
    }
}

/// What a refused sessions request says of the credentials, and of the
/// scope when the credentials got that far.
fn refused(
    error: &GeneratedError<zoom_chat_reports::types::ZoomError>,
    scope: &str,
    source: &Source,
    answer: &mut Answer,
) -> (Check, Option<String>) {
    if let GeneratedError::Custom(problem) = error {
        // The transport's own error: the token could not be had.
        return (
            Check::fail(
                "credentials",
                format!(
                    "no access token: {problem}. Check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET against \
                     the app's App Credentials in the Zoom App Marketplace, and that the app is activated"
                ),
            ),
            None,
        );
    }
    if error.status().is_some_and(|s| s.as_u16() == 401) {
        return (
            Check::fail(
                "credentials",
                "Zoom refused the access token (401): it is wrong or has expired; set new credentials".to_string(),
            ),
            None,
        );
    }
    let credentials = Check::pass("credentials", credentials_words(source));
    match zoom_code(error, answer) {
        Some((code, message)) if is_scope_code(code) => (credentials, Some(scope_fix(scope, code, &message))),
        Some((code, message)) => (
            credentials,
            Some(format!(
                "Zoom answered code {code}: {message}; run doctor again later, or ask Zoom's support"
            )),
        ),
        None => (
            Check::fail(
                "credentials",
                format!(
                    "the request did not get an answer Zoom's API gives: {error}. Check the network, and ZOOM_API_BASE if set"
                ),
            ),
            None,
        ),
    }
}

/// Zoom's code and message in an error answer, reading its headers on the way.
fn zoom_code(
    error: &GeneratedError<zoom_chat_reports::types::ZoomError>,
    answer: &mut Answer,
) -> Option<(i64, String)> {
    match error {
        GeneratedError::ErrorResponse(response) => {
            read_headers(response.headers(), answer);
            let body = response.as_ref();
            Some((body.code.unwrap_or(0), body.message.clone().unwrap_or_default()))
        }
        GeneratedError::UnexpectedResponse(response) => {
            read_headers(response.headers(), answer);
            Some((
                i64::from(response.status().as_u16()),
                format!("HTTP {}", response.status()),
            ))
        }
        _ => None,
    }
}

fn is_scope_code(code: i64) -> bool {
    ZOOM_CODES_MISSING_SCOPE.contains(&code)
}

fn scope_fix(scope: &str, code: i64, message: &str) -> String {
    format!(
        "the app lacks the scope {scope} (Zoom's code {code}: {message}). Add it in the Zoom App Marketplace: \
         Manage > your app > Scopes > Add Scopes, then activate the app again"
    )
}

fn read_headers(headers: &reqwest::header::HeaderMap, answer: &mut Answer) {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    if let Some(date) = text("date").and_then(|d| DateTime::parse_from_rfc2822(&d).ok()) {
        answer.server_date = Some(date.with_timezone(&Utc));
    }
    if let Some(limit) = text("x-ratelimit-limit") {
        let category = text("x-ratelimit-category").unwrap_or_else(|| "unnamed".into());
        let kind = text("x-ratelimit-type").map(|t| format!(", {t}")).unwrap_or_default();
        answer.rate_limit = Some(format!("{limit} (category {category}{kind})"));
    }
}

fn rate_check(client: &Client, answer: &Answer) -> Check {
    let configured = client
        .stats()
        .configured_rate
        .map(|r| format!("{r:.0} requests a second"))
        .unwrap_or_else(|| "no limit".into());
    match &answer.rate_limit {
        Some(limit) => Check::pass(
            "rate limit",
            format!("Zoom reports a limit of {limit}; this tool is set to {configured} (--plan, ZOOM_PLAN)"),
        ),
        None => Check::pass(
            "rate limit",
            format!(
                "Zoom sent no rate-limit headers, so the account's limit cannot be known from outside; this tool \
                 is set to {configured} (--plan, ZOOM_PLAN). Your plan is under Account Management > Billing in Zoom's web portal; \
                 other apps on the account share its limit, and the archive slows down by itself when they do"
            ),
        ),
    }
}

fn clock_check(answer: &Answer) -> Check {
    let Some(server) = answer.server_date else {
        return Check::pass(
            "clock",
            "Zoom sent no Date header: this machine's clock was not compared",
        );
    };
    let skew = (Utc::now() - server).num_seconds();
    if skew.abs() > MAX_CLOCK_SKEW_SECONDS {
        Check::fail(
            "clock",
            format!(
                "this machine's clock is {skew} s {} Zoom's. Days are counted in UTC by this clock; turn on time \
                 synchronisation (timedatectl set-ntp true, or your system's NTP service)",
                if skew > 0 { "ahead of" } else { "behind" }
            ),
        )
    } else {
        Check::pass("clock", format!("within {} s of Zoom's", skew.abs().max(1)))
    }
}

/// Whether `dir` exists, can be written and has room; nothing is written.
fn place_check(name: &str, dir: &Path) -> Check {
    let shown = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let Ok(metadata) = std::fs::metadata(dir) else {
        return Check::fail(name, format!("{} does not exist; create it first", shown.display()));
    };
    if !metadata.is_dir() {
        return Check::fail(name, format!("{} is not a directory", shown.display()));
    }
    #[cfg(unix)]
    {
        if rustix::fs::access(dir, rustix::fs::Access::WRITE_OK).is_err() {
            return Check::fail(
                name,
                format!(
                    "{} cannot be written by this user; run as the archive's user, or give another place",
                    shown.display()
                ),
            );
        }
        if let Ok(space) = rustix::fs::statvfs(dir) {
            let free = space.f_bavail.saturating_mul(space.f_frsize);
            let gib = free as f64 / (1024.0 * 1024.0 * 1024.0);
            if free < MIN_FREE_BYTES {
                return Check::fail(
                    name,
                    format!(
                        "{} has only {gib:.2} GiB free; an archive of a year's chat with files needs more",
                        shown.display()
                    ),
                );
            }
            return Check::pass(name, format!("{} can be written, {gib:.1} GiB free", shown.display()));
        }
    }
    Check::pass(name, format!("{} exists", shown.display()))
}

async fn archive_check(out: &Path) -> Check {
    let name = "archive";
    let shown = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    if out.is_dir() {
        return Check::fail(
            name,
            format!(
                "{} is a directory; give a file in it with --out, such as chat.jsonl",
                shown.display()
            ),
        );
    }
    if !directory_of(out).is_dir() {
        return Check::fail(
            name,
            format!(
                "no archive at {}, and its directory does not exist (see above)",
                shown.display()
            ),
        );
    }
    if !out.exists() {
        return Check::pass(
            name,
            format!("no archive at {} yet: the first run creates it", shown.display()),
        );
    }
    match status(out).await {
        Err(error) => Check::fail(name, format!("{error}")),
        Ok(status) => {
            let last = status.last_run.as_ref().map_or("no run recorded".to_string(), |run| {
                format!("last run {}, {}", run.started.format("%Y-%m-%d %H:%M UTC"), run.outcome)
            });
            let days = match (status.complete_days.first(), status.complete_days.last()) {
                (Some(first), Some(last_days)) => format!("days {} to {}", first.from, last_days.to),
                _ => "no complete day yet".into(),
            };
            let detail = format!("{}: {days}, {last}", shown.display());
            // What the next run takes care of by itself is no failure.
            let continues: Vec<&str> = [
                (status.running, "a run holds it now"),
                (
                    !status.failed_sessions.is_empty(),
                    "some sessions failed and the next run tries them again",
                ),
                (
                    !status.unfinished_days.is_empty(),
                    "some days are unfinished and the next run fetches them",
                ),
            ]
            .into_iter()
            .filter_map(|(yes, words)| yes.then_some(words))
            .collect();
            let failed = status
                .last_run
                .as_ref()
                .is_some_and(|run| run.outcome.starts_with("failed"));
            if status.manifest_missing {
                Check::fail(
                    name,
                    format!(
                        "{detail}; its manifest is missing: the next run writes it again and says so; find out what removed it"
                    ),
                )
            } else if status.last_run_cut_off {
                Check::fail(
                    name,
                    format!(
                        "{detail}; its last run was cut off (killed, or the machine stopped): run the archive's command once to repair it"
                    ),
                )
            } else if failed {
                Check::fail(
                    name,
                    format!("{detail}; that run's message says what to fix, and 'status' shows it"),
                )
            } else if continues.is_empty() {
                Check::pass(name, detail)
            } else {
                Check::pass(name, format!("{detail}; {}", continues.join("; ")))
            }
        }
    }
}
