//! The `zoom-chat-archive` binary as a user runs it: arguments, environment,
//! exit codes and the export against the built-in fake Zoom.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zoom_chat_reports::Include;

const EXPORT: &str = env!("CARGO_BIN_EXE_zoom-chat-archive");

/// The binary with no Zoom settings from the developer's environment: it
/// runs against the built-in fake.
fn export() -> Command {
    let mut command = Command::new(EXPORT);
    for name in common::ZOOM_ENVIRONMENT {
        command.env_remove(name);
    }
    command
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zoom-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn line_count(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("every line is whole JSON");
    }
    let distinct: std::collections::HashSet<&str> = text.lines().collect();
    assert_eq!(distinct.len(), text.lines().count(), "no line is written twice");
    text.lines().count()
}

/// The lines, sorted, with the fake's port (in files' download URLs) left out:
/// each run of the command starts the fake on a new port.
fn sorted_lines(path: &Path) -> Vec<String> {
    let mut lines: Vec<String> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(without_ports)
        .collect();
    lines.sort();
    lines
}

fn without_ports(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("127.0.0.1:") {
        let after = at + "127.0.0.1:".len();
        out.push_str(&rest[..after]);
        rest = rest[after..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push_str("PORT");
    }
    out.push_str(rest);
    out
}

#[test]
fn help_lists_the_options_and_exit_codes_and_version_prints() {
    let help = export().arg("--help").output().unwrap();
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for expected in [
        "--from",
        "--to",
        "--out",
        "--include",
        "--concurrency",
        "--resume",
        "--plan",
        "--rate",
        "--quiet",
        "--verbose",
        "--version",
        "ZOOM_PLAN",
        "ZOOM_RATE_LIMIT",
        "Exit codes",
        "3  stopped early",
    ] {
        assert!(text.contains(expected), "--help lacks {expected}:\n{text}");
    }
    let version = export().arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("zoom-chat-archive {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn bad_usage_exits_2_with_one_message_and_fetches_nothing() {
    let dir = temp_dir("usage");
    let out = dir.join("chat.jsonl");
    let cases: [&[&str]; 8] = [
        &["--from", "2026-13-01", "--to", "2026-11-01"],
        &["--from", "12/01/2026", "--to", "2026-11-01"],
        &["--from", "2026-11-01", "--to", "2026-11-02", "--include", ""],
        &["--from", "2026-11-01", "--to", "2026-11-02", "--lookback", "3"],
        &["--from", "2026-11-02", "--to", "2026-11-01"],
        &[
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-02",
            "--include",
            "reactions,bogus",
        ],
        &["--from", "2026-11-01", "--to", "2026-11-02", "--plan", "gold"],
        &["--from", "2026-11-01", "--to", "2026-11-02", "--rate", "30"],
    ];
    for args in cases {
        let output = export().args(args).arg("--out").arg(&out).output().unwrap();
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {text}");
        assert_eq!(
            text.lines().filter(|l| l.starts_with("error:")).count(),
            1,
            "{args:?}: {text}"
        );
        // The mistake first, and alone: not after the note on the fake Zoom.
        assert!(text.starts_with("error:"), "{args:?}: {text}");
        assert!(!text.contains("fake Zoom"), "{args:?}: {text}");
        assert!(!text.contains("..="), "{args:?}: {text}");
    }
    let usage = |args: &[&str]| stderr(&export().args(args).arg("--out").arg(&out).output().unwrap());
    let slashes = usage(&["--from", "12/01/2026", "--to", "2026-11-01"]);
    assert!(slashes.contains("yyyy-mm-dd"), "{slashes}");
    let empty = usage(&["--from", "2026-11-01", "--to", "2026-11-02", "--include", ""]);
    assert!(empty.contains("is empty"), "{empty}");
    // --rate above the plan names the plan and how to fix it; ZOOM_PLAN raises the ceiling.
    let above = usage(&["--from", "2026-11-01", "--to", "2026-11-02", "--rate", "30"]);
    assert!(above.contains("--rate 30 is above the 20 requests a second"), "{above}");
    assert!(!out.exists(), "nothing was written for bad usage");
}

#[test]
fn runs_against_the_fake_without_credentials_and_writes_the_exact_set() {
    let dir = temp_dir("fake");
    let out = dir.join("chat.jsonl");
    let today = chrono::Utc::now().date_naive();
    let from = today - chrono::Duration::days(10);
    let yesterday = today - chrono::Duration::days(1);
    let output = export()
        .args([
            "--from",
            &from.to_string(),
            "--to",
            &yesterday.to_string(),
            "--include",
            "all",
        ])
        .args(["--plan", "business", "--rate", "50", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("fake Zoom"), "{text}");
    assert!(text.contains("Exported"), "{text}");
    assert!(
        text.contains(
            "Archived: sent, edited and deleted messages, with bot messages, reactions, custom emoji reactions."
        ),
        "{text}"
    );
    assert!(!text.contains("session window"), "{text}");
    let expected = zoom_chat_archive::demo_dataset()
        .expected_messages_at(
            from,
            yesterday,
            Include::ALL,
            Some(chrono::Utc::now().timestamp_millis()),
        )
        .len();
    assert_eq!(line_count(&out), expected);
    // The sessions sidecar beside it: every session once.
    let sidecar = dir.join("chat.sessions.jsonl");
    assert!(line_count(&sidecar) > 0, "the sessions sidecar is written");
    assert!(stderr(&output).contains("chat.sessions.jsonl"), "{}", stderr(&output));

    // --quiet: no summary, same data; but the note that the data is the fake's
    // stays, so that a cron job that lost its credentials is never silent.
    let quiet_out = dir.join("quiet.jsonl");
    let quiet = export()
        .args([
            "--from",
            &from.to_string(),
            "--to",
            &yesterday.to_string(),
            "-q",
            "--include",
            "all",
            "--out",
        ])
        .arg(&quiet_out)
        .output()
        .unwrap();
    assert!(quiet.status.success(), "{}", stderr(&quiet));
    let note = stderr(&quiet);
    assert_eq!(note.lines().count(), 1, "{note}");
    assert!(
        note.starts_with("note: no Zoom credentials are set") && note.contains("not from your account"),
        "{note}"
    );
    // Units finish in any order under concurrency: the same lines, maybe in another order.
    assert!(
        sorted_lines(&quiet_out) == sorted_lines(&out),
        "--quiet exported other lines"
    );
}

#[test]
fn verbose_logs_requests_to_stderr_and_keeps_stdout_clean() {
    let dir = temp_dir("verbose");
    let out = dir.join("chat.jsonl");
    let today = chrono::Utc::now().date_naive();
    let day = (today - chrono::Duration::days(2)).to_string();
    let output = export()
        .args(["--from", &day, "--to", &day, "-v", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("DEBUG"), "-v turns on debug logs:\n{text}");
    assert!(text.contains("report_chat_sessions"), "{text}");
    assert!(output.stdout.is_empty(), "data goes to the file, logs to stderr");
    assert!(!text.contains('\x1b'), "no colour codes when stderr is not a terminal");

    // RUST_LOG overrides -v: here it narrows the logs to the export module.
    let narrowed = dir.join("narrowed.jsonl");
    let output = export()
        .args(["--from", &day, "--to", &day, "-v", "--out"])
        .arg(&narrowed)
        .env("RUST_LOG", "zoom_chat_archive=trace")
        .output()
        .unwrap();
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(
        !text.contains("report_chat_sessions"),
        "transport logs are filtered out:\n{text}"
    );

    // A RUST_LOG that is not a list of directives is bad usage, before anything is fetched.
    let bad = dir.join("bad.jsonl");
    let output = export()
        .args(["--from", &day, "--to", &day, "-v", "--out"])
        .arg(&bad)
        .env("RUST_LOG", "zoom_chat_reports=loud")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("RUST_LOG"), "{}", stderr(&output));
    assert!(!bad.exists(), "nothing was written");
}

#[test]
fn the_plan_and_rate_come_from_the_environment_too() {
    let dir = temp_dir("env");
    let out = dir.join("chat.jsonl");
    let output = export()
        .env("ZOOM_PLAN", "free")
        .env("ZOOM_RATE_LIMIT", "5")
        .args(["--from", "2026-11-01", "--to", "2026-11-02", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--rate 5 is above the 2 requests a second"),
        "{}",
        stderr(&output)
    );
    let bad = export()
        .env("ZOOM_PLAN", "platinum")
        .args(["--from", "2026-11-01", "--to", "2026-11-02", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("platinum"), "{}", stderr(&bad));
    // Enterprise, Education and Partner accounts have Business's limits.
    let enterprise = export()
        .env("ZOOM_PLAN", "enterprise")
        .env("ZOOM_RATE_LIMIT", "61")
        .args(["--from", "2026-11-01", "--to", "2026-11-02", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        stderr(&enterprise).contains("above the 60 requests a second"),
        "{}",
        stderr(&enterprise)
    );
    assert!(!out.exists());
}

#[test]
fn an_environment_that_lost_part_of_its_zoom_settings_is_bad_usage_not_the_fake() {
    let dir = temp_dir("partial-env");
    let out = dir.join("chat.jsonl");
    let cases: [(&str, &str, &str); 4] = [
        (
            "ZOOM_API_BASE",
            "https://api.zoom.us/v2",
            "ZOOM_API_BASE is set but no credentials are",
        ),
        (
            "ZOOM_OAUTH_URL",
            "https://zoom.us/oauth/token",
            "ZOOM_OAUTH_URL is set but no credentials are",
        ),
        ("ZOOM_ACCESS_TOKEN", "  ", "ZOOM_ACCESS_TOKEN is set but empty"),
        ("ZOOM_ACCOUNT_ID", "", "ZOOM_ACCOUNT_ID is set but empty"),
    ];
    let day = (chrono::Utc::now().date_naive() - chrono::Duration::days(2)).to_string();
    for (name, value, expected) in cases {
        let output = export()
            .env(name, value)
            .args(["--from", &day, "--to", &day, "-q", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{name}: {text}");
        assert!(text.contains(expected), "{name}: {text}");
        assert!(!text.contains("fake"), "{name}: the fake did not start: {text}");
        assert!(!out.exists(), "{name}: nothing was written");
    }
}

/// The last 20 complete days, as the README's command exports them.
fn recent_days() -> (String, String) {
    let today = chrono::Utc::now().date_naive();
    (
        (today - chrono::Duration::days(20)).to_string(),
        (today - chrono::Duration::days(1)).to_string(),
    )
}

fn expected_recent(from: &str, to: &str) -> usize {
    let now = chrono::Utc::now().timestamp_millis();
    zoom_chat_archive::demo_dataset()
        .expected_messages_at(from.parse().unwrap(), to.parse().unwrap(), Include::ALL, Some(now))
        .len()
}

#[test]
fn a_rerun_is_refused_until_resume_or_overwrite_is_given() {
    let dir = temp_dir("rerun");
    let out = dir.join("chat.jsonl");
    let (from, to) = recent_days();
    let args = [
        "--from",
        &from,
        "--to",
        &to,
        "--include",
        "all",
        "--plan",
        "business",
        "--out",
    ];
    let first = export().args(args).arg(&out).output().unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    let before = std::fs::read(&out).unwrap();

    let rerun = export().args(args).arg(&out).output().unwrap();
    assert_eq!(rerun.status.code(), Some(2), "{}", stderr(&rerun));
    let text = stderr(&rerun);
    assert!(text.contains("--resume") && text.contains("--overwrite"), "{text}");
    assert!(
        std::fs::read(&out).unwrap() == before,
        "a refused rerun changes nothing"
    );

    let both = export()
        .args(args)
        .arg(&out)
        .args(["--resume", "--overwrite"])
        .output()
        .unwrap();
    assert_eq!(both.status.code(), Some(2), "{}", stderr(&both));

    let resume = export().args(args).arg(&out).arg("--resume").output().unwrap();
    assert!(resume.status.success(), "{}", stderr(&resume));
    assert!(
        std::fs::read(&out).unwrap() == before,
        "resuming a finished export adds nothing"
    );

    let overwrite = export().args(args).arg(&out).arg("--overwrite").output().unwrap();
    assert!(overwrite.status.success(), "{}", stderr(&overwrite));
    assert_eq!(line_count(&out), expected_recent(&from, &to));
}

#[test]
fn ctrl_c_exits_3_and_resume_finishes_exactly_while_a_second_writer_is_refused() {
    let dir = temp_dir("interrupt");
    let out = dir.join("chat.jsonl");
    let (from, to) = recent_days();
    // The free plan's 2 requests a second keep the first run going for a while.
    let slow = export()
        .args([
            "--from",
            &from,
            "--to",
            &to,
            "--include",
            "all",
            "--plan",
            "free",
            "-q",
            "--out",
        ])
        .arg(&out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until it holds the lock and has written something.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0) == 0 {
        assert!(std::time::Instant::now() < deadline, "the first export wrote nothing");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    let second = export()
        .args(["--from", &from, "--to", &to, "--include", "all", "--resume", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    // Busy is not broken: exit 3, run again later.
    assert_eq!(second.status.code(), Some(3), "{}", stderr(&second));
    assert!(stderr(&second).contains("lock"), "{}", stderr(&second));
    // verify cannot check an archive a run is writing: its own exit code, not a difference.
    let busy = verify_json(&out);
    assert_eq!(busy.0, Some(5), "{:?}", busy.1);
    assert_eq!(busy.1["outcome"], "could_not_check");
    assert!(busy.1["error"].as_str().unwrap().contains("lock"), "{:?}", busy.1);
    // status reads it meanwhile, and takes the run under way for one, not for a cut.
    let during = export().args(["status", "--json", "--out"]).arg(&out).output().unwrap();
    let during: serde_json::Value = serde_json::from_slice(&during.stdout).unwrap();
    assert_eq!(during["running"], true, "{during}");
    assert_eq!(during["last_run_cut_off"], false, "{during}");
    assert_eq!(during["counted"], false, "no run has ended yet: {during}");
    assert_eq!(during["manifest_missing"], false, "{during}");

    let interrupted = Command::new("kill")
        .args(["-INT", &slow.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let first = slow.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(3), "{}", stderr(&first));
    assert!(stderr(&first).contains("--resume"), "{}", stderr(&first));

    // SIGTERM (kill, systemd, docker stop) stops in good order too: exit 3, resumable.
    let slow = export()
        .args([
            "--from",
            &from,
            "--to",
            &to,
            "--include",
            "all",
            "--rate",
            "1",
            "--resume",
            "--out",
        ])
        .arg(&out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let lock = format!("{}.lock", out.display());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::fs::read_to_string(&lock).unwrap_or_default().trim() != format!("pid {}", slow.id()) {
        assert!(
            std::time::Instant::now() < deadline,
            "the resumed export never took the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // Its signal handlers are installed right after it takes the lock.
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        Command::new("kill")
            .args(["-TERM", &slow.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let terminated = slow.wait_with_output().unwrap();
    assert_eq!(terminated.status.code(), Some(3), "{}", stderr(&terminated));
    assert!(stderr(&terminated).contains("--resume"), "{}", stderr(&terminated));

    // Stopped: what is there matches its manifest, but days are missing, and
    // verify says so with exit 4 instead of "matches".
    let stopped = export().arg("verify").arg("--out").arg(&out).output().unwrap();
    let text = stderr(&stopped);
    assert_eq!(stopped.status.code(), Some(4), "{text}");
    assert!(text.contains("incomplete: days "), "{text}");
    assert!(
        text.contains("matches its manifest") && text.contains("but is not complete"),
        "{text}"
    );
    assert!(!text.contains("..="), "dates in words, not Rust's ranges: {text}");
    let (code, json) = verify_json(&out);
    assert_eq!(code, Some(4));
    assert_eq!(json["outcome"], "incomplete");
    assert_eq!(json["exit_code"], 4);
    assert!(!json["unfinished_days"].as_array().unwrap().is_empty(), "{json}");
    assert_eq!(json["differences"], serde_json::json!([]));

    let resume = export()
        .args([
            "--from",
            &from,
            "--to",
            &to,
            "--include",
            "all",
            "--plan",
            "business",
            "--resume",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(resume.status.success(), "{}", stderr(&resume));
    assert!(stderr(&resume).contains("done before"), "{}", stderr(&resume));
    assert_eq!(line_count(&out), expected_recent(&from, &to));
    let (code, json) = verify_json(&out);
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(json["outcome"], "complete");
    assert_eq!(json["unfinished_days"], serde_json::json!([]));
    assert_eq!(json["complete_days"], serde_json::json!([{"from": from, "to": to}]));
}

/// A first sync without --include says what it left out; a sync with
/// --include all widens the days already archived and says so; asking for
/// less afterwards is refused with exit 2, and status says what it keeps.
#[test]
fn a_sync_widens_an_archive_of_sent_messages_and_never_narrows_it() {
    let dir = temp_dir("widen");
    let today = chrono::Utc::now().date_naive();
    let from = (today - chrono::Duration::days(4)).to_string();
    let sync = |args: &[&str]| {
        export()
            .current_dir(&dir)
            .args(["--out", "chat.jsonl", "--sync"])
            .args(args)
            .output()
            .unwrap()
    };
    let first = sync(&["--from", &from]);
    let text = stderr(&first);
    assert!(first.status.success(), "{text}");
    assert!(
        text.contains("Archived: sent messages.")
            && text.contains("Edits and deletions are not archived; a --sync with --include all adds them"),
        "{text}"
    );
    let kinds = |out: &Path| -> std::collections::BTreeSet<String> {
        std::fs::read_to_string(out)
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let out = dir.join("chat.jsonl");
    assert_eq!(kinds(&out), ["sent".to_string()].into());

    let widen = sync(&["--include", "all"]);
    let text = stderr(&widen);
    assert!(widen.status.success(), "{text}");
    assert!(
        text.contains("Widened: the archive now keeps sent, edited and deleted messages"),
        "{text}"
    );
    assert!(
        text.contains(&format!("Edits and deletions were fetched for {from} to ")),
        "{text}"
    );
    assert!(
        kinds(&out).contains("edited") && kinds(&out).contains("deleted"),
        "{:?}",
        kinds(&out)
    );

    let narrow = sync(&["--include", "edited"]);
    let text = stderr(&narrow);
    assert_eq!(narrow.status.code(), Some(2), "{text}");
    assert!(
        text.contains("An archive is never narrowed: leave --include out"),
        "{text}"
    );
    // Without --include a sync asks for what the archive keeps.
    let again = sync(&["-q"]);
    assert!(again.status.success(), "{}", stderr(&again));
    let status = export()
        .current_dir(&dir)
        .args(["status", "--out", "chat.jsonl"])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(
        shown.contains("Keeps:            sent, edited and deleted messages"),
        "{shown}"
    );
    assert!(shown.contains("Unfinished days:  none"), "{shown}");
    let verify = export()
        .current_dir(&dir)
        .args(["verify", "--out", "chat.jsonl"])
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(0), "{}", stderr(&verify));
}

/// index, search and html as a person uses them: the archive's own CLI
/// against the built-in fake, whose texts are multilingual and hostile.
#[test]
fn search_and_the_html_copy_from_the_command_line() {
    let dir = temp_dir("read");
    let today = chrono::Utc::now().date_naive();
    let from = (today - chrono::Duration::days(6)).to_string();
    let run = |args: &[&str]| export().current_dir(&dir).args(args).output().unwrap();
    let nothing = run(&["search", "--out", "chat.jsonl", "zurich"]);
    assert_eq!(nothing.status.code(), Some(5), "{}", stderr(&nothing));
    assert!(stderr(&nothing).contains("cannot read: "), "{}", stderr(&nothing));

    let first = run(&[
        "--out",
        "chat.jsonl",
        "--sync",
        "--from",
        &from,
        "--files",
        "files",
        "-q",
    ]);
    assert!(first.status.success(), "{}", stderr(&first));

    // The first search builds the index, and says so.
    let found = run(&["search", "--out", "chat.jsonl", "ZURICH", "--limit", "5"]);
    let (shown, said) = (String::from_utf8_lossy(&found.stdout).into_owned(), stderr(&found));
    assert!(found.status.success(), "{said}");
    assert!(said.contains("Built the search index"), "{said}");
    assert_eq!(shown.lines().count(), 5, "{shown}");
    for line in shown.lines() {
        assert!(line.contains("[Zürich]") && line.contains(" UTC  "), "{line}");
    }
    assert!(said.contains("5 of ") && said.contains("raise --limit"), "{said}");
    // Nothing Zoom sent reaches the terminal as a control character.
    let hostile = run(&["search", "--out", "chat.jsonl", "escape"]);
    let shown = String::from_utf8_lossy(&hostile.stdout).into_owned();
    assert!(hostile.status.success(), "{}", stderr(&hostile));
    assert!(shown.contains("\\u{1b}[31m") && !shown.contains('\u{1b}'), "{shown}");
    assert!(!shown.contains('\u{202e}') && !shown.contains('\r'), "{shown}");
    // JSON Lines for a program, one object per message.
    let json = run(&["search", "--out", "chat.jsonl", "议记录", "--json", "-q"]);
    assert!(json.status.success(), "{}", stderr(&json));
    let hits: Vec<serde_json::Value> = String::from_utf8_lossy(&json.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!hits.is_empty());
    for hit in &hits {
        for field in [
            "id",
            "session_id",
            "session_name",
            "date_time",
            "sender",
            "message",
            "edited",
            "deleted",
            "link",
        ] {
            assert!(hit.get(field).is_some(), "{field} in {hit}");
        }
    }
    // Bad queries are usage; nothing found is exit 1.
    for (args, code, words) in [
        (
            vec!["search", "--out", "chat.jsonl", "\"open"],
            2,
            "without its closing",
        ),
        (vec!["search", "--out", "chat.jsonl", "  "], 2, "the query is empty"),
        (
            vec!["search", "--out", "chat.jsonl", "--session", "No Such Team", "contract"],
            2,
            "no session has",
        ),
        (
            vec!["search", "--out", "chat.jsonl", "--from", "2026/01/01", "contract"],
            2,
            "yyyy-mm-dd",
        ),
        (
            vec!["search", "--out", "chat.jsonl", "no such words at all"],
            1,
            "no message matches",
        ),
    ] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(words), "{args:?}: {}", stderr(&output));
    }

    // The HTML copy, and a rerun that writes nothing.
    let html = run(&["html", "--out", "chat.jsonl", "--dir", "site"]);
    assert!(html.status.success(), "{}", stderr(&html));
    let opened = dir.join("site/index.html").canonicalize().unwrap();
    assert!(
        stderr(&html).contains(&format!("Open {}", opened.display())),
        "{}",
        stderr(&html)
    );
    for hit in &hits {
        let link = hit["link"].as_str().unwrap();
        let page = dir.join("site").join(link.split('#').next().unwrap());
        let anchor = link.split('#').nth(1).unwrap();
        assert!(
            std::fs::read_to_string(&page)
                .unwrap()
                .contains(&format!("id=\"{anchor}\"")),
            "{link}"
        );
    }
    let again = run(&["html", "--out", "chat.jsonl", "--dir", "site"]);
    assert!(stderr(&again).contains(" 0 written"), "{}", stderr(&again));

    // A run that adds to the archive keeps the index current.
    let widen = run(&["--out", "chat.jsonl", "--sync", "--include", "all"]);
    assert!(widen.status.success(), "{}", stderr(&widen));
    assert!(
        stderr(&widen).contains("Brought the search index up to date"),
        "{}",
        stderr(&widen)
    );
    let status = run(&["status", "--out", "chat.jsonl"]);
    assert!(
        String::from_utf8_lossy(&status.stdout).contains("Search index:     current"),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
    let index = run(&["index", "--out", "chat.jsonl"]);
    assert!(stderr(&index).contains("read 0 lines"), "{}", stderr(&index));
}

/// Keys, a signed chain of runs, and verify against a public key, as an
/// administrator uses them.
#[test]
fn a_signed_chain_of_runs_from_the_command_line() {
    let dir = temp_dir("chain");
    let run = |args: &[&str], env: &[(&str, &str)]| {
        export()
            .current_dir(&dir)
            .args(args)
            .envs(env.iter().copied())
            .output()
            .unwrap()
    };
    std::fs::create_dir(dir.join("keys")).unwrap();
    let made = run(&["keygen", "--dir", "keys", "--name", "archive"], &[]);
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(
        stderr(&made).contains("--public-key keys/archive.pub"),
        "{}",
        stderr(&made)
    );
    let again = run(&["keygen", "--dir", "keys", "--name", "archive"], &[]);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));

    // A key others may read is bad usage, before anything is fetched.
    std::fs::copy(dir.join("keys/archive"), dir.join("keys/loose")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join("keys/loose"), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let from = (chrono::Utc::now().date_naive() - chrono::Duration::days(3)).to_string();
    let loose = run(
        &[
            "--out",
            "chat.jsonl",
            "--sync",
            "--from",
            &from,
            "--sign-key",
            "keys/loose",
        ],
        &[],
    );
    assert_eq!(loose.status.code(), Some(2), "{}", stderr(&loose));
    assert!(stderr(&loose).contains("chmod 600"), "{}", stderr(&loose));
    assert!(!dir.join("chat.jsonl").exists());

    // The key from the environment, as the crontab line's env file gives it.
    let signed = run(
        &["--out", "chat.jsonl", "--sync", "--from", &from, "--include", "all"],
        &[
            ("ZOOM_ARCHIVE_SIGN_KEY", "keys/archive"),
            ("ZOOM_ARCHIVE_HEAD_LOG", "heads.log"),
        ],
    );
    let said = stderr(&signed);
    assert!(signed.status.success(), "{said}");
    assert!(
        said.contains("Chain of runs: 1 entries, head ") && said.contains("signed by key"),
        "{said}"
    );
    let head = said
        .split("head ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    let checked = run(
        &[
            "verify",
            "--out",
            "chat.jsonl",
            "--public-key",
            "keys/archive.pub",
            "--head",
            &head,
        ],
        &[],
    );
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    assert!(
        stderr(&checked).contains("chain: 1 runs, 1 signed"),
        "{}",
        stderr(&checked)
    );
    let status = run(&["status", "--out", "chat.jsonl"], &[]);
    assert!(String::from_utf8_lossy(&status.stdout).contains(&format!("Chain of runs:    1 entries, head {head}")));
    // The head log kept apart holds the same head.
    let logged = std::fs::read_to_string(dir.join("heads.log")).unwrap();
    assert!(logged.contains(&format!(" 1 {head} signed")), "{logged}");
    let by_log = run(
        &[
            "verify",
            "--out",
            "chat.jsonl",
            "--public-key",
            "keys/archive.pub",
            "--head-log",
            "heads.log",
        ],
        &[],
    );
    assert_eq!(by_log.status.code(), Some(0), "{}", stderr(&by_log));

    // An insider's edit with a manifest rewritten to match: plain verify is
    // satisfied, verify with the public key is not (exit 1).
    let out = dir.join("chat.jsonl");
    let text = std::fs::read_to_string(&out).unwrap();
    let at = text.find("\"message\":\"").unwrap() + "\"message\":\"".len();
    let mut bytes = text.into_bytes();
    bytes[at] = if bytes[at] == b'X' { b'Y' } else { b'X' };
    std::fs::write(&out, &bytes).unwrap();
    let mut manifest = read_manifest_json(&out);
    let sha: String = ring::digest::digest(&ring::digest::SHA256, &bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    manifest["digests"]["messages"]["sha256"] = sha.into();
    manifest["digests"]["messages"]
        .as_object_mut()
        .unwrap()
        .remove("midstate");
    std::fs::write(
        dir.join("chat.manifest.json"),
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )
    .unwrap();
    let plain = run(&["verify", "--out", "chat.jsonl"], &[]);
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    let caught = run(
        &["verify", "--out", "chat.jsonl", "--public-key", "keys/archive.pub"],
        &[],
    );
    assert_eq!(caught.status.code(), Some(1), "{}", stderr(&caught));
    assert!(
        stderr(&caught).contains("not the one the chain's head records"),
        "{}",
        stderr(&caught)
    );
    let no_key = run(&["verify", "--out", "chat.jsonl", "--head", &head], &[]);
    assert_eq!(no_key.status.code(), Some(2), "{}", stderr(&no_key));
}

fn read_manifest_json(out: &Path) -> serde_json::Value {
    let manifest = out.with_file_name(format!("{}.manifest.json", out.file_stem().unwrap().to_string_lossy()));
    serde_json::from_slice(&std::fs::read(manifest).unwrap()).unwrap()
}

/// `verify --json`'s exit code and the JSON object it printed on stdout.
fn verify_json(out: &Path) -> (Option<i32>, serde_json::Value) {
    let output = export().args(["verify", "--json", "--out"]).arg(out).output().unwrap();
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is one JSON object ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    (output.status.code(), json)
}

/// The README's daily archive, as a user types it: a first `--sync` with
/// `--from`, `--files` relative to where the command runs and the output in a
/// subdirectory, a second sync the same day that adds nothing, then `verify`
/// from another directory, before and after one byte changes.
#[test]
fn the_daily_archive_syncs_downloads_files_and_verifies() {
    let dir = temp_dir("daily");
    std::fs::create_dir_all(dir.join("archive")).unwrap();
    let today = chrono::Utc::now().date_naive();
    let from = (today - chrono::Duration::days(5)).to_string();
    let first = export()
        .current_dir(&dir)
        .args([
            "--out",
            "archive/chat.jsonl",
            "--sync",
            "--from",
            &from,
            "--include",
            "all",
        ])
        .args(["--files", "files", "--plan", "business"])
        .output()
        .unwrap();
    let text = stderr(&first);
    assert!(first.status.success(), "{text}");
    assert!(text.contains("Files: ") && text.contains("Manifest: "), "{text}");
    assert!(text.contains(&format!("Complete days: {from} to ")), "{text}");
    let out = dir.join("archive/chat.jsonl");
    let messages = line_count(&out);
    assert!(messages > 0);
    assert!(
        dir.join("files/files.jsonl").exists(),
        "files land where the command ran"
    );

    // status: what the archive holds and how the run went, in words and in JSON.
    let status = export()
        .current_dir(&dir)
        .args(["status", "--out", "archive/chat.jsonl"])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(status.status.success(), "{}", stderr(&status));
    let yesterday = today - chrono::Duration::days(1);
    for expected in [
        format!("Complete days:    {from} to {yesterday}"),
        "Unfinished days:  none".to_string(),
        format!("Next sync adds:   {today}"),
        "Last run:         ".to_string(),
        ", done (1 run(s) recorded)".to_string(),
        "Files:            ".to_string(),
        "built-in fake".to_string(),
    ] {
        assert!(shown.contains(&expected), "{expected:?} in:\n{shown}");
    }
    assert!(!shown.contains("..="), "{shown}");
    let status_json = export()
        .current_dir(&dir)
        .args(["status", "--json", "--out", "archive/chat.jsonl"])
        .output()
        .unwrap();
    let status_json: serde_json::Value = serde_json::from_slice(&status_json.stdout).unwrap();
    assert_eq!(status_json["last_run"]["outcome"], "done");
    assert_eq!(status_json["next_new_day"], today.to_string());
    assert_eq!(
        status_json["messages"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>() as usize,
        messages
    );
    let nothing = export()
        .current_dir(&dir)
        .args(["status", "--out", "nothing.jsonl"])
        .output()
        .unwrap();
    assert_eq!(nothing.status.code(), Some(5), "{}", stderr(&nothing));
    assert!(stderr(&nothing).contains("no archive"), "{}", stderr(&nothing));

    // The same day again: the archive already reaches yesterday.
    let again = export()
        .current_dir(&dir)
        .args(["--out", "archive/chat.jsonl", "--sync", "--files", "files", "-q"])
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(line_count(&out), messages, "nothing added the same day");

    // The files stay where the first run put them. A relative --files from
    // another directory (a cron line without cd), or another name, is
    // refused before anything is fetched, naming both places.
    let recorded_dir = || read_manifest_json(&out)["files_dir"].clone();
    let first_dir = recorded_dir();
    let sync_in = |cwd: &Path, files: &[&str]| {
        export()
            .current_dir(cwd)
            .arg("--out")
            .arg(&out)
            .args(["--sync", "-q"])
            .args(files)
            .output()
            .unwrap()
    };
    for (cwd, files) in [(dir.join("archive"), "files"), (dir.clone(), "files2")] {
        let moved = sync_in(&cwd, &["--files", files]);
        let text = stderr(&moved);
        assert_eq!(moved.status.code(), Some(2), "{text}");
        assert!(
            text.contains("keeps its files in") && text.contains("--files-moved"),
            "{text}"
        );
        let recorded = dir.join("files").canonicalize().unwrap();
        assert!(text.contains(&recorded.display().to_string()), "{text}");
        assert!(!cwd.join(files).exists(), "nothing was created at the new place");
    }
    // Without --files a run keeps downloading to the recorded place.
    let without = sync_in(Path::new("/"), &[]);
    assert!(without.status.success(), "{}", stderr(&without));
    assert_eq!(recorded_dir(), first_dir);
    // The same archive and files reached through another path (a link to
    // its directory, a path with `..`) are the same places: accepted, and
    // nothing recorded anew.
    let link = temp_dir("daily-link");
    std::fs::remove_dir_all(&link).unwrap();
    std::os::unix::fs::symlink(&dir, &link).unwrap();
    let through_link = export()
        .current_dir(link.join("archive"))
        .args(["--out", "../archive/./chat.jsonl", "--sync", "-q", "--files"])
        .arg(link.join("files"))
        .output()
        .unwrap();
    assert!(through_link.status.success(), "{}", stderr(&through_link));
    assert_eq!(recorded_dir(), first_dir);
    std::fs::remove_file(&link).unwrap();
    // A copy is no move: two archives must never share one files directory.
    let copied = Command::new("cp")
        .arg("-r")
        .arg(dir.join("files"))
        .arg(dir.join("copied-files"))
        .status()
        .unwrap();
    assert!(copied.success());
    let copy = sync_in(&dir, &["--files", "copied-files", "--files-moved"]);
    assert_eq!(copy.status.code(), Some(2), "{}", stderr(&copy));
    assert!(stderr(&copy).contains("do not copy it"), "{}", stderr(&copy));
    // Moving the directory is said, and checked before it is recorded.
    std::fs::rename(dir.join("files"), dir.join("moved-files")).unwrap();
    std::fs::create_dir(dir.join("empty")).unwrap();
    let wrong = sync_in(&dir, &["--files", "empty", "--files-moved"]);
    assert_eq!(wrong.status.code(), Some(2), "{}", stderr(&wrong));
    assert!(stderr(&wrong).contains("holds no files index"), "{}", stderr(&wrong));
    let confirmed = sync_in(&dir, &["--files", "moved-files", "--files-moved"]);
    assert!(confirmed.status.success(), "{}", stderr(&confirmed));
    assert_ne!(recorded_dir(), first_dir);
    assert!(
        recorded_dir().as_str().unwrap().ends_with("moved-files"),
        "{}",
        recorded_dir()
    );

    // A deleted manifest is written again, loudly even with -q, and the loss stays on record.
    let manifest = out.with_file_name("chat.manifest.json");
    std::fs::remove_file(&manifest).unwrap();
    let rebuilt = sync_in(&dir, &[]);
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    assert!(
        stderr(&rebuilt).contains("warning: the manifest"),
        "{}",
        stderr(&rebuilt)
    );
    assert!(manifest.exists());
    let quiet_again = sync_in(&dir, &[]);
    assert!(!stderr(&quiet_again).contains("warning"), "{}", stderr(&quiet_again));

    // A downloaded file removed is fetched again, but loudly, and stays on record.
    let index = std::fs::read_to_string(dir.join("moved-files/files.jsonl")).unwrap();
    let record: serde_json::Value = serde_json::from_str(index.lines().next().unwrap()).unwrap();
    let removed = record["path"].as_str().unwrap().to_string();
    std::fs::remove_file(dir.join("moved-files").join(&removed)).unwrap();
    let refetched = sync_in(&dir, &[]);
    let text = stderr(&refetched);
    assert!(refetched.status.success(), "{text}");
    assert!(
        text.contains("warning: 1 file(s) recorded as downloaded were gone or changed"),
        "{text}"
    );
    assert!(text.contains(&format!("{removed} (gone)")), "{text}");
    assert!(dir.join("moved-files").join(&removed).exists());

    // `verify` from elsewhere finds the files by the path the manifest recorded.
    let verify = |cwd: &Path| {
        export()
            .current_dir(cwd)
            .arg("verify")
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    };
    let clean = verify(Path::new("/"));
    assert!(clean.status.success(), "{}", stderr(&clean));
    assert!(stderr(&clean).contains("files rehashed"), "{}", stderr(&clean));
    assert!(
        stderr(&clean).contains("found the manifest deleted"),
        "{}",
        stderr(&clean)
    );
    assert!(
        stderr(&clean).contains("found 1 downloaded file(s) gone or changed"),
        "{}",
        stderr(&clean)
    );
    let mut bytes = std::fs::read(&out).unwrap();
    bytes[10] ^= 1;
    std::fs::write(&out, &bytes).unwrap();
    let changed = verify(&dir);
    assert_eq!(changed.status.code(), Some(1), "{}", stderr(&changed));
    assert!(stderr(&changed).contains("chat.jsonl"), "{}", stderr(&changed));

    // A sync needs --from the first time, and --lookback only means something with --sync.
    let fresh = export()
        .current_dir(&dir)
        .args(["--out", "new.jsonl", "--sync"])
        .output()
        .unwrap();
    assert_eq!(fresh.status.code(), Some(2), "{}", stderr(&fresh));
    assert!(stderr(&fresh).contains("--from"), "{}", stderr(&fresh));
    // A directory given as --out is named as one, not as an archive without a first day.
    let directory = export()
        .current_dir(&dir)
        .args(["--out", "archive", "--sync"])
        .output()
        .unwrap();
    assert_eq!(directory.status.code(), Some(2), "{}", stderr(&directory));
    assert!(stderr(&directory).contains("is a directory"), "{}", stderr(&directory));
    let lookback = export()
        .current_dir(&dir)
        .args(["--out", "x.jsonl", "--from", &from, "--to", &from, "--lookback", "3"])
        .output()
        .unwrap();
    assert_eq!(lookback.status.code(), Some(2), "{}", stderr(&lookback));
    assert!(!dir.join("x.jsonl").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_says_when_other_apps_held_the_run_below_the_plans_rate() {
    use zoom_chat_reports::mock::{FakeZoom, FakeZoomConfig};
    // An account that allows 8 a second, run at the default --plan pro (20/s).
    let today = chrono::Utc::now().date_naive();
    let zoom = FakeZoom::start(
        FakeZoomConfig::default()
            .today(today)
            .static_token("cli-shared-limit")
            .per_second_limit(8),
    )
    .await
    .unwrap();
    let dir = temp_dir("shared-limit");
    let out = dir.join("chat.jsonl");
    let from = (today - chrono::Days::new(3)).to_string();
    let to = (today - chrono::Days::new(1)).to_string();
    let mut command = export();
    command
        .env("ZOOM_ACCESS_TOKEN", "cli-shared-limit")
        .env("ZOOM_API_BASE", zoom.base_url())
        .args(["--from", &from, "--to", &to, "--out"])
        .arg(&out);
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(zoom.counters().rate_limited > 0, "the test must reach the 429 path");
    assert!(text.contains("note: ran at about "), "{text}");
    assert!(
        text.contains("below the 20 of --plan or --rate: other apps share this account's limit"),
        "{text}"
    );
    assert_eq!(
        line_count(&out),
        zoom.dataset()
            .expected_messages(from.parse().unwrap(), to.parse().unwrap(), Include::NONE)
            .len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_zoom_cannot_serve_is_named_with_its_own_exit_code_and_filled_in_once_healed() {
    use zoom_chat_reports::mock::{BrokenSession, FakeZoom, FakeZoomConfig};
    let today = chrono::Utc::now().date_naive();
    let config = FakeZoomConfig::default()
        .today(today)
        .static_token("cli-failed-session");
    let broken = config.dataset.session_id(4);
    let zoom = FakeZoom::start(config.broken_session(&broken, BrokenSession::ServerError))
        .await
        .unwrap();
    let dir = temp_dir("failed-session");
    let from = (today - chrono::Days::new(5)).to_string();
    let run = |args: Vec<String>| {
        let mut command = export();
        command
            .current_dir(&dir)
            .env("ZOOM_ACCESS_TOKEN", "cli-failed-session")
            .env("ZOOM_API_BASE", zoom.base_url())
            .args(args);
        tokio::task::spawn_blocking(move || command.output().unwrap())
    };
    let sync = |extra: &[&str]| {
        let mut args: Vec<String> = [
            "--out",
            "chat.jsonl",
            "--sync",
            "--from",
            &from,
            "--include",
            "all",
            "-q",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        run(args)
    };
    let first = sync(&[]).await.unwrap();
    let text = stderr(&first);
    assert_eq!(first.status.code(), Some(4), "{text}");
    assert!(
        text.contains(&format!("({broken})")),
        "named by name and id, even with -q: {text}"
    );
    assert!(text.contains("HTTP 500"), "{text}");
    assert!(text.contains("tried again by the next run"), "{text}");
    let verify = run(vec!["verify".into(), "--out".into(), "chat.jsonl".into()])
        .await
        .unwrap();
    // It matches its manifest, but is not complete until the session is in.
    assert_eq!(verify.status.code(), Some(4), "{}", stderr(&verify));
    assert!(
        stderr(&verify).contains(&format!("incomplete: session {broken}")),
        "{}",
        stderr(&verify)
    );

    zoom.heal_session(&broken);
    let healed = sync(&[]).await.unwrap();
    assert_eq!(healed.status.code(), Some(0), "{}", stderr(&healed));
    let out = dir.join("chat.jsonl");
    let yesterday = today - chrono::Days::new(1);
    let expected = zoom.dataset().expected_messages(
        from.parse().unwrap(),
        yesterday,
        Include::ALL.by_modification_time(true),
    );
    assert_eq!(line_count(&out), expected.len());
    let verify = run(vec!["verify".into(), "--out".into(), "chat.jsonl".into()])
        .await
        .unwrap();
    assert_eq!(verify.status.code(), Some(0), "{}", stderr(&verify));
    assert!(!stderr(&verify).contains("incomplete"), "{}", stderr(&verify));
}

/// The README's crontab line, run as cron runs it: by `/bin/sh` from the
/// home directory, in an environment emptied by `env -i` but for what cron
/// sets itself (HOME, LOGNAME, PATH, SHELL), with the credentials read from
/// the environment file the line names. It must sync and print nothing, since
/// cron mails whatever is printed. `--help` shows the same line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readmes_crontab_line_runs_as_written_under_an_empty_environment() {
    use zoom_chat_reports::mock::{FakeZoom, FakeZoomConfig};
    let readme = include_str!("../README.md");
    let line = readme
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("15 2 * * * "))
        .expect("a crontab line in the README");
    let help = export().arg("--help").output().unwrap();
    assert!(
        String::from_utf8_lossy(&help.stdout).contains(line),
        "--help shows the README's crontab line"
    );
    // Five time fields, then the command cron gives /bin/sh.
    let command = line.splitn(6, ' ').nth(5).unwrap();

    let today = chrono::Utc::now().date_naive();
    let zoom = FakeZoom::start(FakeZoomConfig::default().today(today).static_token("cron-token"))
        .await
        .unwrap();
    let dir = temp_dir("cron");
    let (archive, home) = (dir.join("srv-chat"), dir.join("home"));
    std::fs::create_dir_all(&archive).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    let env_file = dir.join("zoom-chat-archive.env");
    std::fs::write(
        &env_file,
        format!("ZOOM_ACCESS_TOKEN=cron-token\nZOOM_API_BASE={}\n", zoom.base_url()),
    )
    .unwrap();
    let command = command
        .replace("/srv/chat", archive.to_str().unwrap())
        .replace("/etc/zoom-chat-archive.env", env_file.to_str().unwrap())
        .replace("/usr/local/bin/zoom-chat-archive", EXPORT);
    let cron = move || {
        let mut shell = Command::new("env");
        shell
            .arg("-i")
            .arg(format!("HOME={}", home.display()))
            .args([
                "LOGNAME=archive",
                "PATH=/usr/bin:/bin",
                "SHELL=/bin/sh",
                "/bin/sh",
                "-c",
            ])
            .arg(&command)
            .current_dir(&home);
        tokio::task::spawn_blocking(move || shell.output().unwrap())
    };

    // Before the first run there is no archive: the line says so, with the
    // full path it looked at, and fetches nothing.
    let early = cron().await.unwrap();
    assert_eq!(early.status.code(), Some(2), "{}", stderr(&early));
    let text = stderr(&early);
    assert!(
        text.contains(&format!(
            "there is no archive at {}",
            archive.join("chat.jsonl").display()
        )),
        "{text}"
    );
    assert!(
        !text.contains("fake Zoom"),
        "the credentials came from the file: {text}"
    );

    // The first run, by hand (the README's step 3), from a recent day.
    let from = (today - chrono::Days::new(3)).to_string();
    let first = export()
        .current_dir(&archive)
        .env("ZOOM_ACCESS_TOKEN", "cron-token")
        .env("ZOOM_API_BASE", zoom.base_url())
        .args([
            "--out",
            "chat.jsonl",
            "--sync",
            "--from",
            &from,
            "--include",
            "all",
            "--files",
            "files",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(first.status.success(), "{}", stderr(&first));

    let nightly = cron().await.unwrap();
    assert!(nightly.status.success(), "{}", stderr(&nightly));
    assert!(
        nightly.stdout.is_empty() && nightly.stderr.is_empty(),
        "cron would mail: {}",
        stderr(&nightly)
    );
    let status = export()
        .args(["status", "--json", "--out"])
        .arg(archive.join("chat.jsonl"))
        .output()
        .unwrap();
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["runs"], 2, "{status}");
    assert_eq!(status["last_run"]["outcome"], "done", "{status}");
    assert!(status["files_dir"].as_str().unwrap().ends_with("files"), "{status}");
}

/// `doctor` as an administrator runs it before the first real run: one line
/// per check, ✓ or ✗ with the fix, exit 1 when any fails, nothing written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_checks_credentials_scopes_rate_clock_and_places() {
    use zoom_chat_reports::mock::{FakeZoom, FakeZoomConfig, MESSAGES_SCOPE};
    let dir = temp_dir("doctor");
    let doctor = |envs: Vec<(&'static str, String)>, args: Vec<String>| {
        let mut command = export();
        command.current_dir(&dir).arg("doctor").args(args);
        for (name, value) in envs {
            command.env(name, value);
        }
        tokio::task::spawn_blocking(move || command.output().unwrap())
    };
    let stdout = |output: &Output| String::from_utf8_lossy(&output.stdout).into_owned();

    // Without credentials, the built-in fake answers every check.
    let fake = doctor(
        vec![],
        vec!["--out".into(), "chat.jsonl".into(), "--files".into(), "files".into()],
    )
    .await
    .unwrap();
    let text = stdout(&fake);
    assert!(fake.status.success(), "{text}{}", stderr(&fake));
    for expected in [
        "✓ credentials: no Zoom credentials are set",
        "✓ chat sessions report: the app has the scope report:read:list_chat_sessions:admin",
        "✓ chat messages report: the app has the scope report:read:chat_session:admin",
        "✓ rate limit: Zoom reports a limit of 20 (category Medium, QPS)",
        "✓ clock: within",
        "✓ archive's directory: ",
        "✓ files directory: ",
        "✓ archive: no archive at ",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    assert_eq!(text.lines().count(), 8, "{text}");
    assert!(
        !dir.join("chat.jsonl").exists() && !dir.join("files").exists(),
        "doctor writes nothing"
    );

    // An app without the messages report's scope: named, with where to add it.
    let zoom = FakeZoom::start(
        FakeZoomConfig::default()
            .static_token("doctor-token")
            .without_scope(MESSAGES_SCOPE),
    )
    .await
    .unwrap();
    let token = |token: &str| {
        vec![
            ("ZOOM_ACCESS_TOKEN", token.to_string()),
            ("ZOOM_API_BASE", zoom.base_url()),
        ]
    };
    let scope = doctor(token("doctor-token"), vec!["--json".into()]).await.unwrap();
    assert_eq!(scope.status.code(), Some(1), "{}", stderr(&scope));
    let checks: serde_json::Value = serde_json::from_slice(&scope.stdout).unwrap();
    let check = |name: &str| {
        checks
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} in {checks}"))
    };
    assert_eq!(check("credentials")["ok"], true);
    assert_eq!(check("chat sessions report")["ok"], true);
    let messages = check("chat messages report");
    assert_eq!(messages["ok"], false);
    let fix = messages["detail"].as_str().unwrap();
    assert!(
        fix.contains("lacks the scope report:read:chat_session:admin") && fix.contains("4700"),
        "{fix}"
    );
    assert!(fix.contains("Add Scopes"), "{fix}");

    // A token Zoom refuses, and OAuth credentials Zoom's token endpoint refuses.
    let refused = doctor(token("not-the-token"), vec![]).await.unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stdout(&refused).contains("✗ credentials: Zoom refused the access token (401)"),
        "{}",
        stdout(&refused)
    );
    let oauth = doctor(
        vec![
            ("ZOOM_ACCOUNT_ID", "fake-account".into()),
            ("ZOOM_CLIENT_ID", "fake-client".into()),
            ("ZOOM_CLIENT_SECRET", "wrong-secret".into()),
            ("ZOOM_API_BASE", zoom.base_url()),
            ("ZOOM_OAUTH_URL", zoom.oauth_url()),
        ],
        vec![],
    )
    .await
    .unwrap();
    assert_eq!(oauth.status.code(), Some(1));
    assert!(
        stdout(&oauth).contains("✗ credentials: no access token"),
        "{}",
        stdout(&oauth)
    );
    assert!(stdout(&oauth).contains("ZOOM_CLIENT_SECRET"), "{}", stdout(&oauth));

    // A place that does not exist.
    let nowhere = doctor(vec![], vec!["--out".into(), "missing-dir/chat.jsonl".into()])
        .await
        .unwrap();
    assert_eq!(nowhere.status.code(), Some(1));
    assert!(
        stdout(&nowhere).contains("✗ archive's directory: ") && stdout(&nowhere).contains("does not exist"),
        "{}",
        stdout(&nowhere)
    );
}
