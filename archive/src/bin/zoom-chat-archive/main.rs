//! `zoom-chat-archive`: archives Zoom Team Chat messages to JSON Lines.
//!
//! A thin shell over [`zoom_chat_archive`]: it reads the arguments and
//! the environment, builds the client (or starts the built-in fake Zoom when
//! no credentials are set), shows progress, and maps the outcome to an exit
//! code. Everything that decides what is fetched and written is in the library.

mod read;

use std::io::IsTerminal;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use zoom_chat_archive::{
    Access, DayRange, DoctorPlaces, ExportError, ExportOptions, ExportProgress, ExportSummary, MAX_UNIT_FAILED_DAYS,
    PathProblem, VerifyOutcome, VerifyReport, check_access, export_jsonl, files_index_path, journal_path,
    manifest_path, read_manifest, recorded_include, sessions_path, tighten_access, verify,
};
use zoom_chat_reports::mock::{FakeZoom, FakeZoomConfig};
use zoom_chat_reports::runtime::SystemClock;
use zoom_chat_reports::{Client, ClientBuilder, Include, TransportStats, ZoomPlan};
use zoom_chat_reports::{Source, SourceAccount};

/// Exit code: the export stopped early (daily rate limit, Ctrl-C) and `--resume` continues it.
const EXIT_RESUMABLE: u8 = 3;
/// Days a sync re-checks unless told otherwise.
const DEFAULT_LOOKBACK_DAYS: u32 = 7;
/// Exit code: the arguments or the environment are wrong.
const EXIT_USAGE: u8 = 2;
/// Exit code: finished, but Zoom could not serve some sessions; the next run
/// tries them again. For verify: the archive matches, but is not complete.
const EXIT_INCOMPLETE: u8 = 4;
/// Exit code of verify: the archive could not be checked (another run holds
/// it, or there is no archive or manifest where --out points).
const EXIT_CANNOT_CHECK: u8 = 5;

const AFTER_HELP: &str = "\
Credentials come from the environment, never from flags: ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and
ZOOM_CLIENT_SECRET (a Server-to-Server OAuth app), or ZOOM_ACCESS_TOKEN. ZOOM_API_BASE and
ZOOM_OAUTH_URL override Zoom's URLs. With no credentials set, the export runs against a fake
Zoom built into this program, and says so.

Beside OUT the export keeps OUT.journal (what is done, and from which Zoom account and URL),
OUT.lock (one export per file at a time), OUT.sessions.jsonl (every chat session seen, once)
and OUT.manifest.json (counts and SHA-256 of everything, rewritten at the end of every run).
Everything the archive creates is private to its owner (files 0600, directories 0700),
whatever the umask; --group-readable, given when the archive is created, makes it 0640/0750
for a compliance team's group, and later runs keep that. A run warns when paths of the archive
are looser than that, and 'permissions --out OUT --fix' tightens them.
A rerun never overwrites: it needs --resume to continue or --overwrite to start over, and
--resume refuses another account or URL. Days up to today are allowed; today's window is
written but not marked done, so a later --resume fetches it again, complete.

A daily archive (the first run, the crontab line, the check; the README explains each):
  cd /srv/chat && zoom-chat-archive --out chat.jsonl --sync --from \"$(date -u -d '150 days ago' +%F)\" --include all --files files
  15 2 * * * cd /srv/chat && set -a && . /etc/zoom-chat-archive.env && set +a && exec /usr/local/bin/zoom-chat-archive --out chat.jsonl --sync -q
  zoom-chat-archive verify --out chat.jsonl
  zoom-chat-archive status --out chat.jsonl

Exit codes:
  0  done: every message of the range is in the file (verify: it matches its manifest and
     nothing is left for a later run)
  1  failed: see the message; what was finished is saved (verify: the archive differs from
     its manifest: changed or damaged since its last run)
  2  bad usage: wrong arguments or environment; nothing was fetched
  3  stopped early (Zoom's daily rate limit, Ctrl-C, SIGTERM or SIGHUP), or not started because
     another run or a verify holds the archive: run the same command
     with --resume (a --sync: the same command) to continue
  4  finished, but Zoom could not serve some chat sessions (named on stderr, even with -q):
     everything else is archived, and the next run (for a range: --resume) tries them again,
     on up to 7 days; a session given up after that, or that Zoom said on 2 days no longer
     exists, is exit 1 once and is named in the manifest as lost (verify: the archive matches,
     but is incomplete: days unfinished, sessions failed or files not downloaded yet)
  5  verify and status only: could not read the archive: another run holds it (verify), or
     there is no archive or manifest where --out points";

/// Archive Zoom Team Chat messages to JSON Lines, resumably.
#[derive(Debug, Parser)]
#[command(
    name = "zoom-chat-archive",
    version,
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// First day, yyyy-mm-dd (UTC). Zoom reports the last six months. With --sync, only for the first run.
    #[arg(long, value_parser = parse_day)]
    from: Option<NaiveDate>,
    /// Last day, yyyy-mm-dd (UTC), inclusive. Not with --sync, which always goes through yesterday.
    #[arg(long, conflicts_with = "sync", value_parser = parse_day)]
    to: Option<NaiveDate>,
    /// The JSON Lines file to write; its journal, its sessions (OUT.sessions.jsonl for OUT.jsonl) and its manifest (OUT.manifest.json) are written beside it.
    #[arg(long, required = true)]
    out: Option<PathBuf>,
    /// Also export edited and deleted messages, and ask Zoom for bot messages, reactions and custom emoji reactions: edited,deleted,bot,reactions,custom-emoji, or all. A --sync without it asks for what the archive keeps; with more, it widens the archive (the days Zoom still reports get their edits and deletions); with less, it is refused.
    #[arg(long, value_parser = parse_include)]
    include: Option<Include>,
    /// Sessions fetched at once, all under one rate limit.
    #[arg(long, default_value_t = 8, value_parser = parse_concurrency)]
    concurrency: u16,
    /// Continue an export stopped by Ctrl-C, a daily limit or a crash, from the same source.
    #[arg(long, conflicts_with = "overwrite")]
    resume: bool,
    /// Start over: replace an existing OUT and its journal. Without it, an existing export is never touched.
    #[arg(long, conflicts_with = "sync")]
    overwrite: bool,
    /// Keep OUT current: add every day since its last complete day through yesterday (UTC), and re-check the last --lookback days for edits, deletions and reactions. The first run needs --from. For a daily cron job.
    #[arg(long)]
    sync: bool,
    /// With --sync: complete days re-checked [default: 7].
    // Checked in `export_options`: clap's `requires` takes a flag's implicit
    // `false` for present.
    #[arg(long, value_parser = parse_lookback)]
    lookback: Option<u32>,
    /// Download every file the messages reference to DIR/FILE_ID/NAME, listed in DIR/files.jsonl.
    #[arg(long, value_name = "DIR")]
    files: Option<PathBuf>,
    /// With --files DIR: you moved the archive's files directory to DIR. The run checks that DIR holds the files index the manifest records, then records DIR. Without it, a --files other than the archive's is refused.
    #[arg(long, requires = "files")]
    files_moved: bool,
    /// When the archive is created: let its group read it (files 0640, directories 0750) instead of its owner alone (0600, 0700). Recorded; later runs keep it.
    #[arg(long)]
    group_readable: bool,
    /// Sign the chain of runs (OUT's name with .chain.jsonl) with this secret key, made by 'keygen', so that 'verify --public-key' can tell the archive's runs from anyone else who edits its files. The key file must be private to its owner.
    #[arg(long, env = "ZOOM_ARCHIVE_SIGN_KEY", value_name = "FILE")]
    sign_key: Option<PathBuf>,
    /// Append the chain of runs' head to this file at the end of every run, a line each: keep it apart from the archive (another disk, WORM storage, a file your log shipper sends off the machine), and 'verify --head-log' checks the chain still holds every head in it.
    #[arg(long, env = "ZOOM_ARCHIVE_HEAD_LOG", value_name = "FILE")]
    head_log: Option<PathBuf>,
    /// Your Zoom account's plan, which sets the rate limit (Medium: free 2/s, pro 20/s, business 60/s).
    #[arg(long, env = "ZOOM_PLAN", value_enum, default_value_t = Plan::Pro)]
    plan: Plan,
    /// Requests a second, below the plan's limit, for accounts whose other apps share it.
    #[arg(long, env = "ZOOM_RATE_LIMIT", value_parser = parse_rate)]
    rate: Option<NonZeroU32>,
    /// No progress and no summary; errors are still printed.
    #[arg(short, long)]
    quiet: bool,
    /// Log what the client does to stderr (-v debug, -vv trace); RUST_LOG=target=level,... overrides.
    #[arg(short, long, action = clap::ArgAction::Count)]
    verbose: u8,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check an archive against its manifest (recount the messages, sessions
    /// and files, and rehash every file), and say what it still lacks. Exit 0
    /// when it matches and is complete, 1 when it differs, 4 when it matches
    /// but a later run has more to add, 5 when it could not be checked.
    Verify {
        /// The export's JSON Lines file.
        #[arg(long)]
        out: PathBuf,
        /// Print the findings as one JSON object on stdout, for monitoring:
        /// "outcome" is complete, incomplete, differs or could_not_check, and
        /// "exit_code" the exit code.
        #[arg(long)]
        json: bool,
        /// Check the chain of runs too, against this public key (NAME.pub
        /// from 'keygen'): every link and signature, a signed head, and that
        /// the manifest is the one the head records. Exit 1 when it fails.
        #[arg(long, value_name = "FILE")]
        public_key: Option<PathBuf>,
        /// A head of the chain kept elsewhere (every run prints its head):
        /// the chain must still hold it, or it was cut back or rolled back.
        #[arg(long, value_name = "HASH", requires = "public_key")]
        head: Option<String>,
        /// A head log that runs appended to (--head-log): the chain must
        /// still hold every head in it.
        #[arg(long, value_name = "FILE", requires = "public_key")]
        head_log: Option<PathBuf>,
    },
    /// Hand part of the archive to a reviewer: every conversation-day (one
    /// session, one UTC day) from --from to --to in which a custodian sent a
    /// message or is a listed member, whole, with its edits and deletions,
    /// as CSV, EML or Actiance-style XML, into DIR with production.json (the
    /// command, the scope, counts, the SHA-256 of every file produced and of
    /// the archive's manifest). PRODUCTIONS.md documents each layout.
    Produce {
        /// The archive's JSON Lines file.
        #[arg(long)]
        out: PathBuf,
        /// A custodian's email address; repeat for more.
        #[arg(long = "custodian", required = true, value_name = "EMAIL")]
        custodians: Vec<String>,
        /// The first day, yyyy-mm-dd (UTC).
        #[arg(long, required = true, value_parser = parse_day)]
        from: Option<NaiveDate>,
        /// The last day, yyyy-mm-dd (UTC), inclusive.
        #[arg(long, required = true, value_parser = parse_day)]
        to: Option<NaiveDate>,
        /// csv (one file, a row per record), eml (a message per
        /// conversation-day, files attached) or xml (Actiance-style).
        #[arg(long, value_enum)]
        format: Format,
        /// The folder to produce into: new or empty.
        #[arg(long)]
        dir: PathBuf,
        /// Replace an earlier production in DIR.
        #[arg(long)]
        overwrite: bool,
        /// No summary.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Make an Ed25519 key pair to sign the chain of runs: DIR/NAME, the
    /// secret key (mode 0600; give it to the runs with --sign-key or
    /// ZOOM_ARCHIVE_SIGN_KEY, and keep it where only they can read it) and
    /// DIR/NAME.pub, the public key, for whoever verifies. Never replaces a key.
    Keygen {
        /// The folder to write the two files into.
        #[arg(long)]
        dir: PathBuf,
        /// The key's name.
        #[arg(long, default_value = "zoom-chat-archive-signing")]
        name: String,
    },
    /// Show what an archive holds and how its runs went: the days complete,
    /// unfinished and lost, the sessions missing, the last run, the next day
    /// a sync adds, messages by kind, files by status, the source. Changes
    /// nothing, and works while a run holds the archive. Exit 0, or 5 when
    /// there is no archive to read.
    Status {
        /// The export's JSON Lines file.
        #[arg(long)]
        out: PathBuf,
        /// Print it as one JSON object on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Check, before the first real run and writing nothing: the
    /// credentials (one token request), both report scopes (a one-day
    /// request to each report), what Zoom says of the rate limit, this
    /// machine's clock against Zoom's, room and write permission where --out
    /// and --files point, and the archive's state. One line per check, ✓ or
    /// ✗ with the fix; exit 1 when any check fails.
    Doctor {
        /// The archive's JSON Lines file, to check its directory and its state.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The files directory, to check it has room.
        #[arg(long, value_name = "DIR")]
        files: Option<PathBuf>,
        /// Your Zoom account's plan, which sets the rate limit.
        #[arg(long, env = "ZOOM_PLAN", value_enum, default_value_t = Plan::Pro)]
        plan: Plan,
        /// Print the checks as one JSON array on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Build the archive's search index (OUT's name with .sqlite, beside it),
    /// or bring it up to date, reading only what was added since. Deleting
    /// it loses nothing: it is rebuilt from the archive. Exit 0, or 5 when
    /// there is no archive or a run holds it.
    Index {
        /// The archive's JSON Lines file.
        #[arg(long)]
        out: PathBuf,
        /// No progress and no summary.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Search every text a message ever had (sent, edited, deleted), whatever
    /// the case or accents: words and "quoted phrases", each 3 characters or
    /// more found anywhere in a word (Chinese and Japanese too). Prints the
    /// messages found in time order, each once. Builds or updates the index
    /// first. Exit 0 when something is found, 1 when nothing is, 2 for a bad
    /// query, 5 when there is no archive to read.
    Search {
        /// The archive's JSON Lines file.
        #[arg(long)]
        out: PathBuf,
        /// What to look for; it may begin with `-`.
        #[arg(allow_hyphen_values = true)]
        query: String,
        /// Only this session, by its id or its name; repeat for more.
        #[arg(long, value_name = "ID|NAME")]
        session: Vec<String>,
        /// Only messages sent by this email address.
        #[arg(long, value_name = "EMAIL")]
        sender: Option<String>,
        /// Only messages sent on this day (yyyy-mm-dd, UTC) or later.
        #[arg(long, value_parser = parse_day)]
        from: Option<NaiveDate>,
        /// Only messages sent on this day (yyyy-mm-dd, UTC) or earlier.
        #[arg(long, value_parser = parse_day)]
        to: Option<NaiveDate>,
        /// Show at most this many messages, the earliest first.
        #[arg(long, default_value_t = 100, value_parser = parse_limit)]
        limit: u32,
        /// One JSON object per message on stdout: id, session_id,
        /// session_name, date_time, sender, message (its latest text),
        /// edited, deleted, link (its place in the HTML copy) and more.
        #[arg(long)]
        json: bool,
        /// No progress and no count.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Write an HTML copy of the archive into DIR, to open in a browser from
    /// the disk: no server, no network, no script. A page per session and
    /// month (split so that none is over 1 MB), threads under their
    /// message, earlier texts of edited messages, deletions, reactions, and
    /// the archived files linked (images shown). A rerun writes only the
    /// pages that changed. Exit 0, or 5 when there is no archive to read.
    Html {
        /// The archive's JSON Lines file.
        #[arg(long)]
        out: PathBuf,
        /// The folder to write it into; put it beside the archive, so that
        /// the folder holding both can be moved or zipped whole.
        #[arg(long)]
        dir: PathBuf,
        /// No summary.
        #[arg(short, long)]
        quiet: bool,
    },
    /// List every path of an archive that more people can read than it was
    /// created for (its owner alone, or its group too), files included.
    /// Exit 0 when there is none, 1 when some are listed; with --fix, take
    /// those rights away (exit 0 once done).
    Permissions {
        /// The export's JSON Lines file.
        #[arg(long)]
        out: PathBuf,
        /// The files directory, if not the one the manifest records.
        #[arg(long, value_name = "DIR")]
        files: Option<PathBuf>,
        /// Tighten the paths listed: remove group and other rights the archive does not allow.
        #[arg(long)]
        fix: bool,
    },
}

/// The formats of a production.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Csv,
    Eml,
    Xml,
}

/// Zoom's account plans, as they set the `Medium` rate limit of the report endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Plan {
    Free,
    Pro,
    /// Business, Education, Enterprise and Partner.
    #[value(
        alias = "business-plus",
        alias = "enterprise",
        alias = "education",
        alias = "partner"
    )]
    Business,
}

impl From<Plan> for ZoomPlan {
    fn from(plan: Plan) -> Self {
        match plan {
            Plan::Free => ZoomPlan::Free,
            Plan::Pro => ZoomPlan::Pro,
            Plan::Business => ZoomPlan::BusinessPlus,
        }
    }
}

/// A whole number from `min` to `max`, said in words when it is not (clap's
/// own "0 is not in 1..=256" is Rust's range syntax).
fn whole_number(text: &str, min: u32, max: u32) -> Result<u32, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if (u64::from(min)..=u64::from(max)).contains(&n) => Ok(n as u32),
        _ => Err(format!("`{text}` is not a whole number from {min} to {max}")),
    }
}

fn parse_concurrency(text: &str) -> Result<u16, String> {
    whole_number(text, 1, 256).map(|n| n as u16)
}

fn parse_limit(text: &str) -> Result<u32, String> {
    whole_number(text, 1, 1_000_000)
}

fn parse_lookback(text: &str) -> Result<u32, String> {
    whole_number(text, 0, 180)
}

fn parse_rate(text: &str) -> Result<NonZeroU32, String> {
    whole_number(text, 1, u32::MAX)
        .ok()
        .and_then(NonZeroU32::new)
        .ok_or_else(|| format!("`{text}` is not a rate: give a whole number of requests a second, 1 or more"))
}

/// A day as yyyy-mm-dd, and only that: `12/01/2026` could be either of two
/// days, and chrono's own message ("input contains invalid characters")
/// does not say what was wanted.
fn parse_day(text: &str) -> Result<NaiveDate, String> {
    let well_formed = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let day = well_formed
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten();
    day.ok_or_else(|| {
        if well_formed {
            format!("`{text}` is not a day of the calendar; give a date as yyyy-mm-dd, such as 2026-06-01")
        } else {
            format!("`{text}` is not a date as yyyy-mm-dd (year, month, day), such as 2026-06-01")
        }
    })
}

fn parse_include(text: &str) -> Result<Include, String> {
    if text.split(',').all(|part| part.trim().is_empty()) {
        // An empty value from a script's unset variable must not quietly
        // mean "sent messages only".
        return Err(
            "is empty; name what to include: edited, deleted, bot, reactions, custom-emoji or all \
             (or leave --include out for sent messages only)"
                .into(),
        );
    }
    let mut include = Include::NONE;
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part {
            // Sent messages are always exported; naming them changes nothing.
            "sent" => {}
            "edited" => include.edited = true,
            "deleted" => include.deleted = true,
            "bot" => include.bot_messages = true,
            "reactions" => include.reactions = true,
            "custom-emoji" => include.custom_emoji_reactions = true,
            "all" => include = Include::ALL,
            other => {
                return Err(format!(
                    "`{other}` is not something to include; use edited, deleted, bot, reactions, custom-emoji or all (sent messages are always exported)"
                ));
            }
        }
    }
    Ok(include)
}

/// How a run ended, for the exit code.
enum Failure {
    Usage(String),
    Resumable(String),
    Failed(String),
    /// Everything else is archived; some sessions are tried again next run.
    /// For verify: the archive matches its manifest, but lacks what a later run adds.
    Incomplete(String),
    /// verify could not read the archive: busy, no archive, no manifest.
    CannotCheck(String),
    /// index, search or html could not read the archive or its index.
    CannotRead(String),
    /// search found nothing: exit 1, said without "error".
    NothingFound(String),
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Err(message) = init_tracing(args.verbose) {
        eprintln!("error: {message}");
        return ExitCode::from(EXIT_USAGE);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(Failure::Resumable(message)) => {
            eprintln!("stopped: {message}");
            ExitCode::from(EXIT_RESUMABLE)
        }
        Err(Failure::Failed(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
        Err(Failure::Incomplete(message)) => {
            eprintln!("incomplete: {message}");
            ExitCode::from(EXIT_INCOMPLETE)
        }
        Err(Failure::CannotCheck(message)) => {
            eprintln!("cannot check: {message}");
            ExitCode::from(EXIT_CANNOT_CHECK)
        }
        Err(Failure::CannotRead(message)) => {
            eprintln!("cannot read: {message}");
            ExitCode::from(EXIT_CANNOT_CHECK)
        }
        Err(Failure::NothingFound(message)) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Logs to stderr at -v (debug) or -vv (trace), filtered by `RUST_LOG` when it
/// is set: comma-separated `target=level` or `level` directives, as in
/// `RUST_LOG=zoom_chat_reports=debug,reqwest=trace`.
fn init_tracing(verbose: u8) -> Result<(), String> {
    if verbose == 0 {
        return Ok(());
    }
    let filter = match std::env::var("RUST_LOG") {
        Ok(directives) if !directives.trim().is_empty() => log_filter(&directives)?,
        _ => log_filter(if verbose == 1 {
            "zoom_chat_reports=debug"
        } else {
            "zoom_chat_reports=trace"
        })?,
    };
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                // Colour codes only on a terminal, not in cron mail or a log file.
                .with_ansi(std::io::stderr().is_terminal()),
        )
        .with(filter)
        .init();
    Ok(())
}

fn log_filter(directives: &str) -> Result<Targets, String> {
    directives
        .parse()
        .map_err(|e| format!("RUST_LOG `{directives}` is not a list of target=level directives: {e}"))
}

async fn run(args: Args) -> Result<(), Failure> {
    match &args.command {
        Some(Command::Verify {
            out,
            json,
            public_key,
            head,
            head_log,
        }) => {
            let mut heads: Vec<String> = head.iter().cloned().collect();
            if let Some(log) = head_log {
                heads.extend(zoom_chat_archive::read_head_log(log).map_err(|e| Failure::Usage(e.to_string()))?);
            }
            return run_verify(out, *json, public_key.as_deref(), &heads).await;
        }
        Some(Command::Keygen { dir, name }) => return run_keygen(dir, name),
        Some(Command::Produce {
            out,
            custodians,
            from,
            to,
            format,
            dir,
            overwrite,
            quiet,
        }) => {
            let format = match format {
                Format::Csv => zoom_chat_archive::ProductionFormat::Csv,
                Format::Eml => zoom_chat_archive::ProductionFormat::Eml,
                Format::Xml => zoom_chat_archive::ProductionFormat::Xml,
            };
            let (Some(from), Some(to)) = (*from, *to) else {
                return Err(Failure::Usage("give the days to produce with --from and --to".into()));
            };
            return read::run_produce(
                out,
                custodians,
                (from, to),
                format,
                dir,
                *overwrite,
                *quiet || args.quiet,
            )
            .await;
        }
        Some(Command::Status { out, json }) => return run_status(out, *json).await,
        Some(Command::Doctor { out, files, plan, json }) => {
            return run_doctor(out.clone(), files.clone(), *plan, *json).await;
        }
        Some(Command::Permissions { out, files, fix }) => return run_permissions(out, files.as_deref(), *fix).await,
        Some(Command::Index { out, quiet }) => return read::run_index(out, *quiet || args.quiet).await,
        Some(Command::Search {
            out,
            query,
            session,
            sender,
            from,
            to,
            limit,
            json,
            quiet,
        }) => {
            return read::run_search(read::SearchArgs {
                out,
                query,
                sessions: session,
                sender: sender.as_deref(),
                from: *from,
                to: *to,
                limit: *limit as usize,
                json: *json,
                quiet: *quiet || args.quiet,
            })
            .await;
        }
        Some(Command::Html { out, dir, quiet }) => return read::run_html(out, dir, *quiet || args.quiet).await,
        None => {}
    }
    let Some(out) = args.out.clone() else {
        return Err(Failure::Usage("--out is required".into()));
    };
    // First, so that a signal during start-up already stops in good order.
    let stop = stop_signals();
    // The options before the client: a mistake in them is reported alone,
    // not after the note on the fake Zoom.
    let options = export_options(&args, &out).await?;
    let plan = ZoomPlan::from(args.plan);
    let rate = requests_per_second(plan, args.rate)?;
    // Keep the fake alive for the whole export when there is one.
    let (client, fake) = client_from_env(plan, rate).await?;
    // Said once the export gets as far as asking the fake for data, even with
    // --quiet (a cron job that lost its environment must not archive made-up
    // data without a word), and never before a usage error of its own.
    let fake_note = FakeNote::new(fake.as_ref());

    let progress = Progress::new(args.quiet, client.clone());
    warn_of_loose_access(&out, options.files_dir.as_deref()).await;
    let on_progress = |event: ExportProgress| {
        fake_note.say();
        progress.on(event)
    };
    let result = export_jsonl(&client, &out, &options, &on_progress, stop).await;
    if !matches!(&result, Err(error) if error.is_usage_error()) {
        fake_note.say();
    }
    progress.bar.finish_and_clear();
    let summary_of_run = match &result {
        Ok(summary) => Some(summary),
        Err(ExportError::SessionsFailed { summary, .. } | ExportError::DatesLost { summary, .. }) => Some(&**summary),
        Err(_) => None,
    };
    if let Some(files) = summary_of_run.and_then(|s| s.files.as_ref())
        && !files.found_changed.is_empty()
    {
        // Even with -q: a file of the archive changed or removed is for a
        // person to look into; the fresh copy does not undo the change.
        let shown: Vec<String> = files
            .found_changed
            .iter()
            .take(5)
            .map(|f| {
                format!(
                    "{} ({})",
                    printable(&f.path),
                    if f.gone { "gone" } else { "another size" }
                )
            })
            .collect();
        let more = files.found_changed.len().saturating_sub(shown.len());
        eprintln!(
            "warning: {} file(s) recorded as downloaded were gone or changed, and were downloaded again from Zoom: {}{}. \
             The journal {} records it, and 'verify' shows it. If nobody changed them on purpose, find out what did.",
            files.found_changed.len(),
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            },
            journal_path(&out).display()
        );
    }
    // An index someone built is kept current by every run that got as far
    // as writing: one stopped early too, whose file holds whole units only.
    if !matches!(&result, Err(error) if error.is_usage_error() || matches!(error, ExportError::Locked { .. })) {
        read::keep_index_current(&out, args.quiet).await;
    }
    if let Some(head) = summary_of_run.and_then(|s| s.chain_head.as_ref())
        && head.signed_by.is_none()
        && zoom_chat_archive::read_chain(&out)
            .ok()
            .flatten()
            .is_some_and(|entries| entries.iter().any(|e| e.signature.is_some()))
    {
        // Even with -q: the archive's evidence has a gap until a signed run.
        eprintln!(
            "warning: this run had no signing key (--sign-key or ZOOM_ARCHIVE_SIGN_KEY), although earlier runs signed \
             the chain of runs {}: its head is not signed, and 'verify --public-key' fails until a run signs it again.",
            zoom_chat_archive::chain_path(&out).display()
        );
    }
    if let Some(summary) = summary_of_run
        && !summary.changed_outside_runs.is_empty()
    {
        // Even with -q: the archive's evidence was touched between runs.
        eprintln!(
            "warning: since the last run, outside any run: {}. This run recorded it in the chain of runs {}, where 'verify --public-key' reports it. If nobody did this on purpose, find out who did.",
            summary.changed_outside_runs.join("; "),
            zoom_chat_archive::chain_path(&out).display()
        );
    }
    if summary_of_run.is_some_and(|s| s.manifest_was_missing) {
        // Even with -q: the manifest is the archive's evidence, and its loss
        // is for a person to look into.
        eprintln!(
            "warning: the manifest {} was missing, although an earlier run had written it. This run wrote it \
             again from the archive's files and recorded the loss in the journal {}, where 'verify' shows it. \
             If nobody removed it on purpose, find out what did.",
            manifest_path(&out).display(),
            journal_path(&out).display()
        );
    }
    match result {
        Ok(summary) => {
            if !args.quiet {
                eprintln!(
                    "{}",
                    describe(&summary, &out, options.files_dir.as_deref(), options.include)
                );
                let added_nothing = summary.units == 0 && summary.files.as_ref().is_none_or(|f| f.downloaded == 0);
                if args.sync && summary.synced.is_none() && added_nothing {
                    eprintln!("The archive already reaches yesterday: nothing to add until tomorrow (UTC).");
                }
                if let Ok(Some(manifest)) = read_manifest(&out).await {
                    let days: Vec<String> = manifest.complete.iter().map(|d| d.to_string()).collect();
                    eprintln!(
                        "Complete days: {}.",
                        if days.is_empty() {
                            "none yet".to_string()
                        } else {
                            days.join(", ")
                        }
                    );
                    if !manifest.lost_sessions.is_empty() {
                        eprintln!(
                            "note: {} session-month(s) are missing for good: Zoom could not serve them (lost_sessions in {}; 'verify' lists them).",
                            manifest.lost_sessions.len(),
                            manifest_path(&out).display()
                        );
                    }
                }
            }
            Ok(())
        }
        Err(ExportError::SessionsFailed { summary, .. }) => {
            if !args.quiet {
                eprintln!(
                    "{}",
                    describe(&summary, &out, options.files_dir.as_deref(), options.include)
                );
            }
            Err(sessions_failed(&summary, &out, args.sync))
        }
        Err(error) => {
            // Dates lost and sessions failed in the same run: both are named.
            if let ExportError::DatesLost { summary, .. } = &error
                && !summary.failed_sessions.is_empty()
            {
                eprintln!("{}", failed_sessions_list(summary));
            }
            Err(failure(error, &out, args.sync))
        }
    }
}

/// Every session Zoom could not serve in this run, a line each, for a
/// compliance administrator as much as for a script's log.
fn failed_sessions_list(summary: &ExportSummary) -> String {
    let mut text = String::new();
    for failed in &summary.failed_sessions {
        let name = match &failed.name {
            Some(name) => format!("\"{}\" ({})", printable(name), printable(&failed.session_id)),
            None => printable(&failed.session_id),
        };
        let next = if failed.given_up {
            "given up: not tried again; named as lost in the manifest".to_string()
        } else {
            format!(
                "tried again by the next run (it has failed on {} of the {MAX_UNIT_FAILED_DAYS} days allowed)",
                failed.days_failed
            )
        };
        text += &format!(
            "  session {name}, {} to {}: {}; {next}\n",
            failed.from,
            failed.to,
            printable(&failed.reason)
        );
    }
    text.trim_end().to_string()
}

/// Zoom's text as one line of a terminal: control characters (a name could
/// carry escape sequences that rewrite the screen) and the invisible
/// characters that reorder or hide text (bidirectional overrides and
/// isolates, zero-width spaces and joiners, the byte-order mark) shown as
/// `\u{..}`, so that what is printed is what Zoom sent.
fn printable(text: &str) -> String {
    let invisible = |c: char| {
        matches!(
            c,
            '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}'
        )
    };
    text.chars()
        .map(|c| {
            if c.is_control() || invisible(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The outcome of a run that finished everything but some sessions.
fn sessions_failed(summary: &ExportSummary, out: &std::path::Path, sync: bool) -> Failure {
    let failed = &summary.failed_sessions;
    let given_up = failed.iter().filter(|f| f.given_up).count();
    let again = if sync {
        "the next run"
    } else {
        "the same command with --resume"
    };
    let sessions: std::collections::BTreeSet<&str> = failed.iter().map(|f| f.session_id.as_str()).collect();
    let head = format!(
        "Zoom could not serve {} chat session(s), for {} session-month(s) in all; everything else is archived in {}.\n{}",
        sessions.len(),
        failed.len(),
        out.display(),
        failed_sessions_list(summary)
    );
    if given_up > 0 {
        Failure::Failed(format!(
            "{head}\n{given_up} of them will not be tried again: {} names them as lost. Their days stay incomplete.",
            manifest_path(out).display()
        ))
    } else {
        Failure::Incomplete(format!(
            "{head}\nTheir days are not complete yet; {again} tries them again. Nothing needs doing unless this persists."
        ))
    }
}

/// The export's options from the arguments: a range, or a daily sync.
async fn export_options(args: &Args, out: &std::path::Path) -> Result<ExportOptions, Failure> {
    if args.lookback.is_some() && !args.sync {
        return Err(Failure::Usage(
            "--lookback is the days a --sync re-checks; it means nothing without --sync".into(),
        ));
    }
    let options = if args.sync {
        // A sync asks for what the archive asked for, unless told otherwise
        // (and then the export refuses a difference).
        let include = match args.include {
            Some(include) => include,
            None => recorded_include(out)
                .await
                .map_err(|e| Failure::Failed(message(&e)))?
                .unwrap_or(Include::NONE),
        };
        ExportOptions::daily_sync(args.from, args.lookback.unwrap_or(DEFAULT_LOOKBACK_DAYS)).include(include)
    } else {
        let (Some(from), Some(to)) = (args.from, args.to) else {
            return Err(Failure::Usage(
                "give the days to export with --from and --to, or keep an archive current with --sync".into(),
            ));
        };
        ExportOptions::new(from..=to)
            .include(args.include.unwrap_or(Include::NONE))
            .resume(args.resume)
            .overwrite(args.overwrite)
    };
    let options = options.concurrency(usize::from(args.concurrency));
    let options = if args.group_readable {
        options.access(Access::Group)
    } else {
        options
    };
    let options = match &args.files {
        Some(dir) => options.files(dir).files_moved(args.files_moved),
        None => options,
    };
    let options = match &args.head_log {
        Some(path) => options.head_log(path),
        None => options,
    };
    // A key that cannot be used is found before anything is fetched.
    Ok(match &args.sign_key {
        Some(path) => options.sign_with(
            zoom_chat_archive::SigningKey::from_file(path).map_err(|e| Failure::Usage(format!("--sign-key: {e}")))?,
        ),
        None => options,
    })
}

/// Says, even with `-q`, when paths of the archive are looser than it was
/// created for: they were made so by hand, or by a version before modes
/// were set. Changes nothing; `permissions --fix` does.
async fn warn_of_loose_access(out: &std::path::Path, files_dir: Option<&std::path::Path>) {
    let Ok(report) = check_access(out, files_dir, false).await else {
        // The run itself names a path it cannot read.
        return;
    };
    if report.loose.is_empty() {
        return;
    }
    let shown: Vec<String> = report
        .loose
        .iter()
        .take(5)
        .map(|loose| format!("{} ({:04o})", loose.path.display(), loose.mode))
        .collect();
    let more = report.loose.len().saturating_sub(shown.len());
    eprintln!(
        "warning: this archive is meant to be {}, but {} of its paths can be read by more people: {}{}. \
         'zoom-chat-archive permissions --out {} --fix' takes those rights away.",
        report.access.describe(),
        report.loose.len(),
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        },
        out.display()
    );
}

/// `permissions --out [--files] [--fix]`: the archive's looser paths, listed or tightened.
async fn run_permissions(out: &std::path::Path, files_dir: Option<&std::path::Path>, fix: bool) -> Result<(), Failure> {
    if !cfg!(unix) {
        return Err(Failure::Failed(
            "file modes are not set or checked on this system: restrict the archive's directory with its own access rules".into(),
        ));
    }
    let report = check_access(out, files_dir, true)
        .await
        .map_err(|e| Failure::Failed(message(&e)))?;
    if report.loose.is_empty() {
        eprintln!(
            "{} is {}: no path of it can be read by anyone else.",
            out.display(),
            report.access.describe()
        );
        return Ok(());
    }
    for loose in &report.loose {
        println!(
            "{:04o} -> {:04o}  {}{}",
            loose.mode,
            loose.wanted,
            loose.path.display(),
            if loose.is_dir { "/" } else { "" }
        );
    }
    if fix {
        tighten_access(&report).map_err(|e| Failure::Failed(message(&e)))?;
        eprintln!(
            "Tightened {} path(s): {} is {} again.",
            report.loose.len(),
            out.display(),
            report.access.describe()
        );
        return Ok(());
    }
    Err(Failure::Failed(format!(
        "{} path(s) of {} can be read by more people than it was created for ({}); \
         run 'zoom-chat-archive permissions --out {} --fix' to take those rights away",
        report.loose.len(),
        out.display(),
        report.access.describe(),
        out.display()
    )))
}

/// `verify --out [--json]`: the manifest against the files, and what the
/// archive still lacks. Exit 0 complete, 1 differs, 4 incomplete, 5 could
/// not check; `--json` prints the same on stdout, for monitoring.
async fn run_verify(
    out: &std::path::Path,
    json: bool,
    public_key: Option<&std::path::Path>,
    heads: &[String],
) -> Result<(), Failure> {
    let report = match public_key {
        Some(path) => {
            let key = zoom_chat_archive::read_public_key(path).map_err(|e| Failure::Usage(e.to_string()))?;
            zoom_chat_archive::verify_signed(out, &key, heads).await
        }
        None => verify(out).await,
    }
    .map_err(|error| cannot_check(out, &error, json))?;
    if let (Some(chain), false) = (&report.chain, json) {
        eprintln!(
            "chain: {} runs, {} signed by the key given; head {}",
            chain.entries,
            chain.signed,
            chain.head.as_deref().unwrap_or("none")
        );
    }
    let outcome = report.outcome();
    if json {
        let mut value = serde_json::to_value(&report).unwrap_or_default();
        value["archive"] = serde_json::json!(out);
        value["manifest"] = serde_json::json!(manifest_path(out));
        value["outcome"] = serde_json::json!(outcome);
        value["exit_code"] = serde_json::json!(match outcome {
            VerifyOutcome::Complete => 0,
            VerifyOutcome::Incomplete => EXIT_INCOMPLETE,
            _ => 1,
        });
        println!("{value}");
    } else {
        print_verify_findings(&report);
    }
    let manifest = manifest_path(out);
    match outcome {
        VerifyOutcome::Complete => {
            if !json {
                eprintln!(
                    "{} matches its manifest {} and is complete: {} messages, days {}, {} files rehashed.",
                    out.display(),
                    manifest.display(),
                    report.messages,
                    day_list(&report.complete_days),
                    report.files_checked
                );
            }
            Ok(())
        }
        VerifyOutcome::Incomplete => Err(Failure::Incomplete(format!(
            "{} matches its manifest {}, but is not complete ({}). \
             The archive's next run adds what is missing: the same command again for a --sync, \
             or with --resume for a range.",
            out.display(),
            manifest.display(),
            lacking(&report)
        ))),
        _ => Err(Failure::Failed(format!(
            "{} does not match its manifest {}: {} difference(s). \
             The archive was changed or damaged after its last run; restore it from a backup, \
             or keep it as it is for the record.",
            out.display(),
            manifest.display(),
            report.differences.len()
        ))),
    }
}

/// `keygen --dir --name`: a new key pair, never over an old one.
fn run_keygen(dir: &std::path::Path, name: &str) -> Result<(), Failure> {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(Failure::Usage(format!(
            "--name `{name}` is not a file name: give a plain name, such as zoom-chat-archive-signing"
        )));
    }
    if !dir.is_dir() {
        return Err(Failure::Usage(format!(
            "--dir {} is not a folder: create it first (only you should be able to read it)",
            dir.display()
        )));
    }
    let (secret, public) = zoom_chat_archive::keygen(dir, name).map_err(|error| match error {
        zoom_chat_archive::KeyError::Exists { .. } => Failure::Usage(error.to_string()),
        other => Failure::Failed(other.to_string()),
    })?;
    eprintln!(
        "Wrote the secret key {} (mode 0600: keep it where only the archive's runs can read it, and give it to them \
         with --sign-key or ZOOM_ARCHIVE_SIGN_KEY) and the public key {} (for whoever verifies: \
         verify --out chat.jsonl --public-key {}).",
        secret.display(),
        public.display(),
        public.display()
    );
    Ok(())
}

/// The archive could not be read (verify, status): exit 5, and with --json
/// still one object on stdout, for a monitor that parses it.
fn cannot_check(out: &std::path::Path, error: &ExportError, json: bool) -> Failure {
    let text = message(error);
    if json {
        println!(
            "{}",
            serde_json::json!({
                "archive": out,
                "outcome": "could_not_check",
                "exit_code": EXIT_CANNOT_CHECK,
                "error": text,
            })
        );
    }
    Failure::CannotCheck(text)
}

/// The client the environment's credentials name, or, with none set, one of
/// the built-in fake Zoom, which the caller keeps alive as long as the client.
async fn client_from_env(plan: ZoomPlan, rate: NonZeroU32) -> Result<(Client, Option<FakeZoom>), Failure> {
    Ok(
        match Client::builder_from_env().map_err(|e| Failure::Usage(e.to_string()))? {
            Some(builder) => (build(builder, rate)?, None),
            None => {
                let fake = start_fake(plan).await?;
                (build(fake.client_builder(), rate)?, Some(fake))
            }
        },
    )
}

/// `doctor`: the checks, a line each, against the account the environment
/// names (or the built-in fake Zoom).
async fn run_doctor(out: Option<PathBuf>, files: Option<PathBuf>, plan: Plan, json: bool) -> Result<(), Failure> {
    let plan = ZoomPlan::from(plan);
    let rate = requests_per_second(plan, None)?;
    let (client, fake) = client_from_env(plan, rate).await?;
    let checks = zoom_chat_archive::doctor(&client, &DoctorPlaces::new(out, files)).await;
    drop(fake);
    if json {
        println!("{}", serde_json::to_value(&checks).unwrap_or_default());
    } else {
        for check in &checks {
            println!("{} {}: {}", if check.ok { "✓" } else { "✗" }, check.name, check.detail);
        }
    }
    let failed = checks.iter().filter(|c| !c.ok).count();
    if failed == 0 {
        Ok(())
    } else {
        Err(Failure::Failed(format!(
            "{failed} check(s) failed; each ✗ line says what to do"
        )))
    }
}

/// `status --out [--json]`: what the archive holds, a line per question.
async fn run_status(out: &std::path::Path, json: bool) -> Result<(), Failure> {
    let status = zoom_chat_archive::status(out)
        .await
        .map_err(|error| cannot_check(out, &error, json))?;
    if json {
        println!("{}", serde_json::to_value(&status).unwrap_or_default());
        return Ok(());
    }
    let shown = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    let mut lines = vec![format!("Archive:          {}", shown.display())];
    if status.running {
        lines.push("                  a run holds it now: what follows is as of its last step".into());
    }
    lines.push(format!("Source:           {}", status.source));
    lines.push(format!("Keeps:            {}", status.include));
    if let (Some(from), Some(before)) = (status.include_from, status.include_before) {
        lines.push(format!(
            "                  from {from} on; the days before keep {before} (past Zoom's six months when it was widened)"
        ));
    }
    lines.push(format!("Complete days:    {}", day_list(&status.complete_days)));
    lines.push(format!(
        "Unfinished days:  {}",
        if status.unfinished_days.is_empty() {
            "none".to_string()
        } else {
            format!("{} (the next run fetches them)", day_list(&status.unfinished_days))
        }
    ));
    lines.push(format!("Lost days:        {}", day_list(&status.lost_days)));
    for (what, sessions) in [
        ("Sessions failed:  ", &status.failed_sessions),
        ("Sessions lost:    ", &status.lost_sessions),
    ] {
        if sessions.is_empty() {
            lines.push(format!("{what}none"));
        }
        for session in sessions {
            lines.push(format!(
                "{what}{} of {} to {} ({} run(s): {})",
                printable(&session.session_id),
                session.from,
                session.to,
                session.attempts,
                printable(&session.reason)
            ));
        }
    }
    lines.push(format!(
        "Next sync adds:   {} through the day before it runs",
        status.next_new_day
    ));
    lines.push(match &status.last_run {
        Some(run) => format!(
            "Last run:         {}, took {} s, {} ({} run(s) recorded)",
            run.started.format("%Y-%m-%d %H:%M UTC"),
            run.seconds,
            run.outcome,
            status.runs
        ),
        None => "Last run:         none has ended yet".into(),
    });
    if status.last_run_cut_off {
        lines.push(
            "                  the run after it was cut off (killed, or the machine stopped); the next run repairs what it left"
                .into(),
        );
    }
    if status.counted {
        let total: u64 = status.messages.values().sum();
        let by_kind: Vec<String> = status.messages.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
        lines.push(format!(
            "Messages:         {total} ({}), as of the last run's end",
            if by_kind.is_empty() {
                "none".to_string()
            } else {
                by_kind.join(", ")
            }
        ));
        lines.push(format!("Sessions:         {}", status.sessions));
    } else {
        lines.push("Messages:         not counted yet: they are counted when a run ends".into());
    }
    lines.push(match &status.files_dir {
        Some(dir) => {
            let mut by_status: Vec<String> = status.files.iter().map(|(s, n)| format!("{n} {s}")).collect();
            if status.files_not_fetched > 0 {
                by_status.push(format!("{} not downloaded yet", status.files_not_fetched));
            }
            if status.files_to_retry > 0 {
                by_status.push(format!("{} to be tried again", status.files_to_retry));
            }
            format!(
                "Files:            {} in {}",
                if by_status.is_empty() {
                    "none yet".to_string()
                } else {
                    by_status.join(", ")
                },
                std::path::absolute(dir).unwrap_or_else(|_| dir.clone()).display()
            )
        }
        None => "Files:            not downloaded (no --files run)".into(),
    });
    lines.push(match &status.chain {
        Some(chain) => format!(
            "Chain of runs:    {} entries, head {} ({})",
            chain.entries,
            chain.hash,
            match &chain.signed_by {
                Some(key) => format!("signed by key {}", &key[..16.min(key.len())]),
                None => "the head is not signed".to_string(),
            }
        ),
        None => "Chain of runs:    none yet (each run records one)".into(),
    });
    lines.push(match &status.search_index {
        Some(index) if index.is_current() => format!(
            "Search index:     current ({}){}",
            zoom_chat_archive::search_index_path(out).display(),
            index
                .updated_at
                .map(|t| format!(", brought up to date {}", t.format("%Y-%m-%d %H:%M UTC")))
                .unwrap_or_default()
        ),
        Some(index) => format!(
            "Search index:     behind: it holds {} of the archive's {} bytes; 'index' or the next run brings it up to date",
            index.indexed_bytes, index.archive_bytes
        ),
        None => "Search index:     none ('index' or 'search' builds it)".into(),
    });
    if status.manifest_missing {
        lines.push(format!(
            "Manifest:         missing ({}): the next run writes it again, and says so",
            manifest_path(out).display()
        ));
    }
    println!("{}", lines.join("\n"));
    Ok(())
}

/// verify's findings, a line each: differences, then what a later run adds,
/// then what is missing for good.
fn print_verify_findings(report: &VerifyReport) {
    // After a cut-off run the files are ahead of the manifest until the next
    // run repairs them: expected, not a change.
    let label = if report.last_run_cut_off {
        "not repaired yet"
    } else {
        "differs"
    };
    for difference in &report.differences {
        eprintln!("{label}: {difference}");
    }
    if report.last_run_cut_off {
        eprintln!("incomplete: the last run was cut off before it ended (killed, or the machine stopped)");
    }
    for days in &report.unfinished_days {
        eprintln!("incomplete: days {days} are not complete yet");
    }
    for session in &report.failed_sessions {
        eprintln!(
            "incomplete: {} is not in the archive yet (failed, tried again by the next run: {})",
            session_days(session),
            printable(&session.reason)
        );
    }
    if report.files_not_fetched > 0 {
        eprintln!(
            "incomplete: {} file(s) the messages reference have not been downloaded yet",
            report.files_not_fetched
        );
    }
    if report.files_to_retry > 0 {
        eprintln!(
            "incomplete: {} file(s) failed to download and are tried again by the next run",
            report.files_to_retry
        );
    }
    for days in &report.lost_days {
        eprintln!("lost for good: days {days} (Zoom no longer reported them when they were due)");
    }
    for session in &report.lost_sessions {
        eprintln!(
            "lost for good: {} ({})",
            session_days(session),
            printable(&session.reason)
        );
    }
    for (status, count) in &report.files_given_up {
        eprintln!(
            "not downloaded, for good: {count} file(s) {}",
            file_status_words(status)
        );
    }
    for (started, count) in &report.files_found_changed {
        eprintln!(
            "note: the run of {} found {count} downloaded file(s) gone or changed and downloaded them again",
            started.format("%Y-%m-%d %H:%M UTC")
        );
    }
    for started in &report.manifest_found_missing {
        eprintln!(
            "note: the run of {} found the manifest deleted and wrote it again from the archive's files; \
             what it said before is not known",
            started.format("%Y-%m-%d %H:%M UTC")
        );
    }
}

/// "session ID of FROM to TO", for a line about a session's missing days.
fn session_days(session: &zoom_chat_archive::MissingSession) -> String {
    format!(
        "session {} of {} to {}",
        printable(&session.session_id),
        session.from,
        session.to
    )
}

/// A files status as the index names it, in words.
fn file_status_words(status: &str) -> &str {
    match status {
        "missing" => "that Zoom no longer has (404 or 410)",
        "size_mismatch" => "that Zoom kept sending at the wrong size",
        "too_large" => "larger than the client accepts",
        "no_url" => "that Zoom gave no download link for",
        "untrusted_url" => "whose link is not Zoom's, so the access token was not sent to it",
        "failed" => "that failed on every run allowed",
        other => other,
    }
}

/// What an incomplete archive lacks, in a few words.
fn lacking(report: &VerifyReport) -> String {
    let mut parts = Vec::new();
    if report.last_run_cut_off {
        parts.push("its last run was cut off".to_string());
    }
    if !report.unfinished_days.is_empty() {
        parts.push(format!("days {} are unfinished", day_list(&report.unfinished_days)));
    }
    if !report.failed_sessions.is_empty() {
        parts.push(format!("{} session(s) failed", report.failed_sessions.len()));
    }
    let files = report.files_not_fetched + report.files_to_retry;
    if files > 0 {
        parts.push(format!("{files} file(s) are not downloaded yet"));
    }
    parts.join("; ")
}

/// Day ranges as words: "2026-06-01 to 2026-11-30, 2026-12-02", or "none".
fn day_list(days: &[DayRange]) -> String {
    if days.is_empty() {
        return "none".into();
    }
    days.iter().map(DayRange::to_string).collect::<Vec<_>>().join(", ")
}

/// A future that completes on Ctrl-C, and on Unix also on SIGTERM (`kill`,
/// systemd, docker stop) or SIGHUP (a closed terminal): each stops the export
/// in good order, resumable, with exit code 3. On Unix the handlers are
/// installed here, at once, so that a signal during start-up is not fatal; a
/// signal whose handler cannot be installed is not waited for.
fn stop_signals() -> impl Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut streams: Vec<_> = [SignalKind::interrupt(), SignalKind::terminate(), SignalKind::hangup()]
            .into_iter()
            .filter_map(|kind| signal(kind).ok())
            .collect();
        async move {
            if streams.is_empty() {
                std::future::pending::<()>().await;
            }
            let any = futures::future::select_all(streams.iter_mut().map(|s| Box::pin(s.recv())));
            any.await;
        }
    }
    #[cfg(not(unix))]
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// The client's rate: the plan's `Medium` limit, or a lower `--rate`.
fn requests_per_second(plan: ZoomPlan, rate: Option<NonZeroU32>) -> Result<NonZeroU32, Failure> {
    let limit = plan.medium_requests_per_second();
    match rate {
        None => Ok(limit),
        Some(rate) if rate <= limit => Ok(rate),
        Some(rate) => Err(Failure::Usage(format!(
            "--rate {rate} is above the {limit} requests a second of the plan given by --plan or ZOOM_PLAN; \
             Zoom would refuse the excess, so give your plan (free, pro or business) or a lower --rate or ZOOM_RATE_LIMIT"
        ))),
    }
}

fn build(builder: ClientBuilder, rate: NonZeroU32) -> Result<Client, Failure> {
    builder
        .requests_per_second(Some(rate))
        .build()
        .map_err(|e| Failure::Usage(e.to_string()))
}

async fn start_fake(plan: ZoomPlan) -> Result<FakeZoom, Failure> {
    // The fake enforces the chosen plan's limit, as Zoom would, and its data
    // grows with the real clock, so that a daily --sync against it works.
    // It says what people say, in several scripts and with hostile markup,
    // and sends images, so that search and the HTML copy show real work.
    let config = FakeZoomConfig::default()
        .dataset(zoom_chat_archive::demo_dataset())
        .clock(Arc::new(SystemClock))
        .reveal_by_clock(true)
        .varied_texts(true)
        .per_second_limit(plan.medium_requests_per_second().get());
    let fake = FakeZoom::start(config)
        .await
        .map_err(|e| Failure::Failed(format!("cannot start the fake Zoom: {e}")))?;
    Ok(fake)
}

/// The note that the data comes from the built-in fake Zoom, said at most once.
struct FakeNote {
    text: Option<String>,
    said: std::sync::atomic::AtomicBool,
}

impl FakeNote {
    fn new(fake: Option<&FakeZoom>) -> Self {
        let text = fake.map(|fake| {
            let dataset = fake.dataset();
            format!(
                "note: no Zoom credentials are set (ZOOM_ACCOUNT_ID/ZOOM_CLIENT_ID/ZOOM_CLIENT_SECRET or ZOOM_ACCESS_TOKEN), \
                 so the data comes from the built-in fake Zoom at {} ({} sessions, {} messages a day, from {}), not from your account.",
                fake.base_url(),
                dataset.sessions,
                dataset.sessions * 2,
                dataset.start,
            )
        });
        Self {
            text,
            said: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn say(&self) {
        if let Some(text) = &self.text
            && !self.said.swap(true, Ordering::Relaxed)
        {
            eprintln!("{text}");
        }
    }
}

/// The progress bar on stderr; hidden with `--quiet` or when stderr is not a terminal.
struct Progress {
    bar: Arc<ProgressBar>,
    messages: AtomicU64,
    /// For the rate its limiter allows now.
    client: Client,
}

impl Progress {
    fn new(quiet: bool, client: Client) -> Self {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::new(0)
        };
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} session-months, {msg}")
                .expect("the template is valid"),
        );
        Self {
            bar: Arc::new(bar),
            messages: AtomicU64::new(0),
            client,
        }
    }

    fn on(&self, event: ExportProgress) {
        match event {
            ExportProgress::Discovered { units } => self.bar.set_length(units),
            ExportProgress::UnitDone { messages } => {
                let total = self.messages.fetch_add(messages, Ordering::Relaxed) + messages;
                let stats = self.client.stats();
                let rate = match (stats.current_rate, stats.configured_rate) {
                    (Some(now), Some(configured)) if now < configured - 0.5 => {
                        format!(", {now:.0} requests/s (slowed: other apps share the account's limit)")
                    }
                    (Some(now), _) => format!(", {now:.0} requests/s"),
                    _ => String::new(),
                };
                self.bar.set_message(format!("{total} messages{rate}"));
                self.bar.inc(1);
            }
            ExportProgress::UnitSkipped => self.bar.inc(1),
            _ => {}
        }
    }
}

fn describe(
    summary: &ExportSummary,
    out: &std::path::Path,
    files_dir: Option<&std::path::Path>,
    include: Include,
) -> String {
    let before = if summary.skipped_units > 0 {
        format!(", {} done before", summary.skipped_units)
    } else {
        String::new()
    };
    let mut text = format!(
        "Exported {} messages from {} sessions to {} ({} session-months done{before}) with {} requests, {} retries, in {:.1?}.",
        summary.messages,
        summary.sessions,
        out.display(),
        summary.units,
        summary.stats.requests,
        summary.stats.retries,
        summary.elapsed,
    );
    text += &format!(
        " {} sessions are in {}.",
        summary.sessions_in_sidecar,
        sessions_path(out).display()
    );
    if let Some(synced) = summary.synced {
        if synced.new_from > synced.to {
            // A widening on a day the archive already reached yesterday.
            text += &format!(
                " No new day to add; re-checked {} to {}; {} records found again were already archived.",
                synced.rechecked_from, synced.to, summary.already_archived
            );
        } else {
            text += &format!(
                " Synced {} to {} (re-checked from {}); {} records found again were already archived.",
                synced.new_from, synced.to, synced.rechecked_from, summary.already_archived
            );
        }
        if let Some(widened) = synced.widened {
            text += &format!(
                "\nWidened: the archive now keeps {}. Edits and deletions were fetched for {} to {}, the days Zoom still reports; every sync from now on asks for them.",
                widened.kinds, widened.from, synced.to
            );
            if let Some((first, last)) = widened.kept_as_archived {
                text += &format!(
                    " {first} to {last} are past Zoom's six months and could not be widened: they keep what they were archived with."
                );
            }
        }
    }
    if let (Some(files), Some(dir)) = (&summary.files, files_dir) {
        let statuses: Vec<String> = files
            .by_status
            .iter()
            .map(|(status, n)| format!("{n} {}", status.as_str()))
            .collect();
        text += &format!(
            " Files: {} downloaded now ({} bytes), {} done before; {} lists {}.",
            files.downloaded,
            files.bytes,
            files.skipped,
            files_index_path(dir).display(),
            if statuses.is_empty() {
                "none".to_string()
            } else {
                statuses.join(", ")
            }
        );
    }
    text += &format!(" Manifest: {}.", manifest_path(out).display());
    if let Some(head) = &summary.chain_head {
        text += &format!(
            "\nChain of runs: {} entries, head {} ({}); keep the head elsewhere, and 'verify --head' checks the chain still holds it.",
            head.entries,
            head.hash,
            match &head.signed_by {
                Some(key) => format!("signed by key {}", &key[..16.min(key.len())]),
                None => "not signed: no --sign-key".to_string(),
            }
        );
    }
    // What is kept, said every time: an archive of sent messages alone is a
    // choice a reviewer must be able to see.
    text += &format!("\nArchived: {include}.");
    if !(include.edited && include.deleted) {
        text += " Edits and deletions are not archived; a --sync with --include all adds them, for every day Zoom still reports.";
    }
    if let Some(slowed) = rate_note(&summary.stats) {
        text += "\n";
        text += &slowed;
    }
    if summary.refetched_units > 0 {
        text += &format!(
            "\nnote: an interrupted run left data that failed its check (as after a power cut): {} session-months, from the first such one on, were fetched again.",
            summary.refetched_units
        );
    }
    if summary.cut_bytes > 0 {
        text += &format!(
            "\nnote: {} bytes after the last recorded session-month, left by an interrupted run, were cut off and fetched again.",
            summary.cut_bytes
        );
    }
    if summary.provisional_units > 0 {
        text += &format!(
            "\nnote: the range includes today, which Zoom is still adding to: its {} session-months are written but provisional, and --resume fetches them again.",
            summary.provisional_units
        );
    }
    text
}

/// When the account's limit, shared with its other apps, held the run below
/// the configured rate: how fast it ran, and why.
fn rate_note(stats: &TransportStats) -> Option<String> {
    let (configured, average) = (stats.configured_rate?, stats.average_rate?);
    if stats.rate_cuts == 0 {
        return None;
    }
    Some(format!(
        "note: ran at about {average:.0} requests a second, below the {configured:.0} of --plan or --rate: \
         other apps share this account's limit. {} requests were refused for it and sent again; \
         the client slowed down to fit (lowest {:.1} a second, {:.0} at the end).",
        stats.throttled,
        stats.lowest_rate.unwrap_or(average),
        stats.current_rate.unwrap_or(average),
    ))
}

/// The error as a terminal user reads it: the library's sentence, or for
/// what the user can fix by what they type, that sentence in the terms of
/// this command's options, with what to type instead.
fn message(error: &ExportError) -> String {
    match error {
        ExportError::Journal { output, journal, problem } => format!(
            "cannot continue {}: its journal {} {problem}. Nothing was changed; to start over, keep a copy of both files, then run with --overwrite instead of --resume, or export to another --out",
            output.display(),
            journal.display()
        ),
        ExportError::Damaged { output, journal, problem } => format!(
            "cannot continue {}: {problem}. Nothing was changed; keep a copy of it and of its journal {}, then start a new export to another --out (or, not with --sync, over this one with --overwrite)",
            output.display(),
            journal.display()
        ),
        ExportError::BadOutput { output, problem } => {
            format!("--out {}: {}", output.display(), path_problem(problem, "--out"))
        }
        ExportError::BadFilesDir { dir, problem } => {
            format!("--files {}: {}", dir.display(), path_problem(problem, "--files"))
        }
        ExportError::Interrupted => "interrupted".to_string(),
        // verify, status, index, search, html and produce read an archive
        // that must be there: the full path they looked at, and where to look.
        ExportError::Io { path, source } if source.kind() == std::io::ErrorKind::NotFound => format!(
            "{}: {source}. If your archive is elsewhere, cd to its directory first or give its full path with --out",
            std::path::absolute(path).unwrap_or_else(|_| path.clone()).display()
        ),
        // The path, then what the system or the check said of it, as before the split.
        ExportError::Io { path, source } | ExportError::Write { path, source } => {
            format!("{}: {source}", path.display())
        }
        ExportError::AlreadyExists { output, journal: Some(journal) } => format!(
            "{} already holds an export (journal {}): to continue it, run the same command with --resume; to start over and replace it, add --overwrite",
            output.display(),
            journal.display()
        ),
        ExportError::AlreadyExists { output, journal: None } => format!(
            "{} already exists and is not empty: to replace it, add --overwrite, or export to another --out",
            output.display()
        ),
        ExportError::NoJournal { output, journal } => format!(
            "cannot continue {}: it has data but no journal ({}), so what it holds is unknown; to replace it, run with --overwrite instead of --resume, or export to another --out",
            output.display(),
            journal.display()
        ),
        ExportError::Locked { .. } => format!("{error}; wait for it to finish or stop it, then run this again"),
        ExportError::SourceMismatch { output, recorded, current } => source_mismatch_message(output, recorded, current),
        ExportError::OptionsMismatch { output, recorded, requested } => format!(
            "cannot continue {}: it is an export of {recorded}, not of {requested}; resume with the same --from, --to and --include (a --sync: --from only as first given), or start over with --overwrite",
            output.display()
        ),
        ExportError::Zoom(zoom) if matches!(zoom.root(), zoom_chat_reports::Error::InvalidRange(_)) => {
            match zoom.root() {
                zoom_chat_reports::Error::InvalidRange(range) => range_problem(range),
                _ => error.to_string(),
            }
        }
        ExportError::EndsAfterToday { to, today } => format!(
            "--to {to} is after today ({today}, UTC): Zoom cannot report days that have not happened yet; use --to {today} or earlier"
        ),
        ExportError::SyncNeedsFirstDay { output } => format!(
            "there is no archive at {}. If your archive is elsewhere, cd to its directory first or give its \
             full path with --out. To start a new archive there, give its first day with --from yyyy-mm-dd",
            std::path::absolute(output).unwrap_or_else(|_| output.clone()).display()
        ),
        ExportError::NothingComplete { from, today } => format!(
            "--from {from} leaves no complete day to archive: a sync archives up to yesterday ({}), since Zoom is still adding to today ({today}, UTC)",
            today.pred_opt().unwrap_or(*today)
        ),
        ExportError::AccessMismatch { .. } => format!("{error}: run without --group-readable"),
        ExportError::FilesDirDiffers { output, recorded, given } => format!(
            "--files {}: the archive {} keeps its files in {}, as its manifest records; give --files {} \
             or leave --files out. Nothing was fetched. If you moved that directory to {} yourself, \
             add --files-moved: the run checks the files are there before it records the new place",
            given.display(),
            output.display(),
            recorded.display(),
            recorded.display(),
            given.display()
        ),
        ExportError::FilesMoveUnconfirmed { .. } => format!(
            "--files-moved: {error}. Nothing was fetched; move the whole directory, files.jsonl included, \
             or give the directory the files are in"
        ),
        ExportError::ConflictingOptions => {
            "--overwrite cannot be used with --resume or --sync: those continue the export in the file, --overwrite replaces it"
                .to_string()
        }
        _ => error.to_string(),
    }
}

/// A range Zoom cannot report, in the terms of --from and --to.
fn range_problem(problem: &zoom_chat_reports::RangeError) -> String {
    use zoom_chat_reports::RangeError;
    match problem {
        RangeError::Reversed { from, to } => {
            format!("--from {from} is after --to {to}: give the first day with --from and the last with --to")
        }
        RangeError::OlderThanSixMonths { from, earliest, today } => format!(
            "--from {from} is too old: Zoom reports only the last six months, so on {today} (UTC) the earliest day is {earliest}; use --from {earliest} or later"
        ),
        RangeError::EndsAfterToday { to, today } => format!(
            "--to {to} is after today ({today}, UTC): Zoom cannot report days that have not happened yet; use --to {today} or earlier"
        ),
        other => other.to_string(),
    }
}

fn source_mismatch_message(output: &std::path::Path, recorded: &Source, current: &Source) -> String {
    let start = format!(
        "cannot continue {}: it was exported from {recorded}, but this run reads from {current}, and resuming would mix the two",
        output.display()
    );
    let fake = |source: &Source| matches!(source.account, SourceAccount::FakeDataset { .. });
    let advice = if fake(current) && !fake(recorded) {
        // Most likely an environment lost under cron or sudo: --overwrite would
        // replace a real archive with made-up data, so it is not suggested.
        "this run found no Zoom credentials; set the ones of that account (ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and \
         ZOOM_CLIENT_SECRET, or ZOOM_ACCESS_TOKEN, and ZOOM_API_BASE if it was set) and run again"
            .to_string()
    } else if fake(recorded) && !fake(current) {
        "the file holds the built-in fake Zoom's sample data; export your account to another --out, or replace \
         the sample with --overwrite"
            .to_string()
    } else if fake(recorded) && fake(current) {
        "the file holds another version of the built-in fake's sample data; start over with --overwrite, or use \
         another --out"
            .to_string()
    } else if matches!(
        (&recorded.account, &current.account),
        (SourceAccount::TokenFingerprint(_), SourceAccount::TokenFingerprint(_))
    ) {
        "an access token that names no account is known only by its fingerprint, so only the same token can \
         resume; use that token, or start a new export with --overwrite or another --out"
            .to_string()
    } else {
        "resume with the same ZOOM_API_BASE and credentials, or start a new export with --overwrite or another --out"
            .to_string()
    };
    format!("{start}; {advice}. Nothing was changed")
}

/// What is wrong with the path given to `option`, and what to give instead.
fn path_problem(problem: &PathProblem, option: &str) -> String {
    match problem {
        PathProblem::StandardOutput => {
            "standard output cannot hold an export, which must be a file it can journal and resume; give a file name"
                .into()
        }
        PathProblem::NotAFileName => "is not a file name; give a file such as chat.jsonl".into(),
        PathProblem::CompanionName => "is named like an export's journal, lock, spool, sessions or manifest file; \
                                       give the export's own file, such as chat.jsonl"
            .into(),
        PathProblem::SharedWithTwin {
            sessions,
            manifest,
            twin,
        } => format!(
            "would share its sessions and manifest files ({} and {}) with the export in {}; give another name",
            sessions.display(),
            manifest.display(),
            twin.display()
        ),
        PathProblem::CompanionNotAFile { path } if option == "--files" => format!(
            "{} is not a regular file (a link, or a directory); move it away",
            path.display()
        ),
        PathProblem::CompanionNotAFile { path } => format!(
            "{} exists and is not a regular file (a directory, FIFO or symbolic link); move it away",
            path.display()
        ),
        PathProblem::DanglingLink => "is a symbolic link to a file that does not exist; give a real path".into(),
        PathProblem::Directory => "is a directory; give a file in it, such as chat.jsonl".into(),
        PathProblem::NotADirectory => "exists and is not a directory; give a directory for the files".into(),
        PathProblem::NotARegularFile => "is not a regular file (a device, FIFO or socket); give a file name".into(),
        PathProblem::ParentNotADirectory { directory } => format!("{} is not a directory", directory.display()),
        PathProblem::NoSuchDirectory { directory } => {
            format!("the directory {} does not exist; create it first", directory.display())
        }
        other => other.to_string(),
    }
}

/// The error as the start of a sentence that goes on: without a final full stop.
fn clause(error: &ExportError) -> String {
    message(error).trim_end_matches('.').to_string()
}

fn failure(error: ExportError, out: &std::path::Path, sync: bool) -> Failure {
    // A sync is continued by running it again, as cron will.
    let again = if sync {
        "the same command"
    } else {
        "the same command with --resume"
    };
    if error.is_usage_error() {
        return Failure::Usage(message(&error));
    }
    let saved = format!(
        "what was finished is saved in {} (journal {})",
        out.display(),
        journal_path(out).display()
    );
    if let ExportError::Locked { .. } = &error {
        // Busy, not broken: a verify or another run holds the archive. The
        // same command later continues; cron's next night does.
        return Failure::Resumable(format!(
            "{}; nothing was fetched. Run {again} once it is done.",
            clause(&error)
        ));
    }
    if error.is_resumable_stop() {
        let until = match &error {
            ExportError::Zoom(zoom) => zoom
                .daily_limit_reset()
                .map(|at| format!(" Zoom's daily quota is used up until {at}; resume then."))
                .unwrap_or_else(|| " Zoom's daily quota is used up; resume tomorrow.".into()),
            _ => String::new(),
        };
        return Failure::Resumable(format!("{}; {saved}.{until} Run {again} to continue.", clause(&error)));
    }
    if error.can_resume() {
        if !journal_path(out).exists() {
            // A new export that failed before writing anything removes its journal.
            return Failure::Failed(format!(
                "{}. Nothing was written; once the cause is fixed, run the same command again.",
                clause(&error)
            ));
        }
        let same_source = if matches!(&error, ExportError::Zoom(zoom) if zoom.is_auth()) {
            " (the export continues only from the same account: other credentials, or a new token that names no account, are another source)"
        } else {
            ""
        };
        return Failure::Failed(format!(
            "{}; {saved}. Once the cause is fixed, run {again} to continue{same_source}.",
            clause(&error)
        ));
    }
    // Complete messages of their own: the lost dates, the lock holder, a damaged journal, I/O.
    Failure::Failed(message(&error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use zoom_chat_archive::lock_path;

    fn rate(plan: Plan, rate: Option<u32>) -> Result<u32, String> {
        requests_per_second(plan.into(), rate.and_then(NonZeroU32::new))
            .map(NonZeroU32::get)
            .map_err(|failure| match failure {
                Failure::Usage(message) => message,
                _ => "not a usage error".into(),
            })
    }

    #[test]
    fn plans_set_zooms_medium_limits_and_rate_only_lowers_them() {
        assert_eq!(rate(Plan::Free, None), Ok(2));
        assert_eq!(rate(Plan::Pro, None), Ok(20));
        assert_eq!(rate(Plan::Business, None), Ok(60));
        assert_eq!(rate(Plan::Business, Some(45)), Ok(45));
        assert_eq!(rate(Plan::Business, Some(60)), Ok(60));
        let above = rate(Plan::Pro, Some(21)).unwrap_err();
        assert!(above.contains("--rate 21 is above the 20 requests a second"), "{above}");
    }

    #[test]
    fn numbers_are_whole_and_a_mistake_says_the_range_in_words() {
        assert_eq!(parse_concurrency("8"), Ok(8));
        assert_eq!(
            parse_concurrency("0").unwrap_err(),
            "`0` is not a whole number from 1 to 256"
        );
        assert_eq!(parse_lookback("0"), Ok(0));
        assert!(parse_lookback("400").unwrap_err().contains("from 0 to 180"));
        assert_eq!(parse_rate("5"), Ok(NonZeroU32::new(5).unwrap()));
        for wrong in ["0", "1.5", "-3", "fast"] {
            assert!(
                parse_rate(wrong)
                    .unwrap_err()
                    .contains("whole number of requests a second"),
                "{wrong}"
            );
        }
    }

    #[test]
    fn days_are_yyyy_mm_dd_and_a_mistake_names_the_format() {
        assert_eq!(
            parse_day("2026-06-01"),
            Ok(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap())
        );
        for wrong in ["12/01/2026", "2026-6-1", "01-06-2026", "2026-06-01T00:00", "", "today"] {
            assert!(parse_day(wrong).unwrap_err().contains("yyyy-mm-dd"), "{wrong}");
        }
        assert!(
            parse_day("2026-02-30")
                .unwrap_err()
                .contains("not a day of the calendar")
        );
    }

    #[test]
    fn include_accepts_kinds_and_all() {
        // Empty is a mistake (an unset variable in a script), not "sent only".
        assert!(parse_include("").unwrap_err().contains("is empty"));
        assert!(parse_include(" , ").unwrap_err().contains("is empty"));
        assert_eq!(parse_include("sent"), Ok(Include::NONE));
        assert_eq!(parse_include("all"), Ok(Include::ALL));
        assert_eq!(
            parse_include("edited, deleted,bot,reactions,custom-emoji"),
            Ok(Include::ALL)
        );
        let reactions = parse_include("reactions").unwrap();
        assert!(reactions.reactions && !reactions.edited && !reactions.bot_messages);
        let edited = parse_include("edited").unwrap();
        assert!(edited.edited && !edited.deleted);
        assert!(parse_include("edited,bogus").unwrap_err().contains("`bogus`"));
        // Sent messages are always exported: naming them is allowed and changes nothing.
        assert_eq!(parse_include("sent"), Ok(Include::NONE));
        assert_eq!(parse_include("sent,edited"), Ok(edited));
    }

    #[test]
    fn error_messages_name_the_file_and_the_flag() {
        let output = PathBuf::from("chat.jsonl");
        let with_journal = message(&ExportError::AlreadyExists {
            output: output.clone(),
            journal: Some(journal_path(&output)),
        });
        assert!(
            with_journal.contains("chat.jsonl")
                && with_journal.contains("--resume")
                && with_journal.contains("--overwrite")
        );
        // Resuming cannot help a file without a journal: it is not suggested.
        let without_journal = message(&ExportError::AlreadyExists {
            output: output.clone(),
            journal: None,
        });
        assert!(
            without_journal.contains("--overwrite") && !without_journal.contains("--resume"),
            "{without_journal}"
        );
        let no_journal = message(&ExportError::NoJournal {
            output: output.clone(),
            journal: journal_path(&output),
        });
        assert!(no_journal.contains("--overwrite instead of --resume"), "{no_journal}");
        let locked = message(&ExportError::Locked {
            output: output.clone(),
            lock: lock_path(&output),
            holder: Some(42),
        });
        assert!(
            locked.contains("chat.jsonl.lock") && locked.contains("process 42") && locked.contains("run this again"),
            "{locked}"
        );
    }

    /// A resume from another source: no credentials (cron lost them) must not
    /// be answered with --overwrite, which would replace a real archive with
    /// the fake's sample data; any other case may start over.
    #[test]
    fn another_source_is_answered_by_what_the_user_can_fix() {
        let output = PathBuf::from("chat.jsonl");
        let fake: Source = serde_json::from_str(
            r#"{"api":"fake-zoom","account":{"fake_dataset":{"seed":42,"start":"2026-01-01","end":"2030-12-31"}}}"#,
        )
        .unwrap();
        let real: Source =
            serde_json::from_str(r#"{"api":"https://api.zoom.us/v2","account":{"id":"acct-1"}}"#).unwrap();
        let other: Source =
            serde_json::from_str(r#"{"api":"https://api.zoom.us/v2","account":{"id":"acct-2"}}"#).unwrap();
        let lost_credentials = source_mismatch_message(&output, &real, &fake);
        assert!(
            lost_credentials.contains("found no Zoom credentials"),
            "{lost_credentials}"
        );
        assert!(!lost_credentials.contains("--overwrite"), "{lost_credentials}");
        for (recorded, current) in [(&fake, &real), (&real, &other)] {
            let message = source_mismatch_message(&output, recorded, current);
            assert!(
                message.contains("--overwrite") && message.contains("Nothing was changed"),
                "{message}"
            );
        }
    }

    /// The library says what happened in one plain sentence; only the
    /// command speaks of its options.
    #[test]
    fn the_library_names_no_option_and_the_command_does() {
        let output = PathBuf::from("chat.jsonl");
        let today: NaiveDate = "2026-12-05".parse().unwrap();
        let errors = [
            ExportError::AlreadyExists {
                output: output.clone(),
                journal: Some(journal_path(&output)),
            },
            ExportError::NoJournal {
                output: output.clone(),
                journal: journal_path(&output),
            },
            ExportError::EndsAfterToday {
                to: today.succ_opt().unwrap(),
                today,
            },
            ExportError::SyncNeedsFirstDay { output: output.clone() },
            ExportError::NothingComplete { from: today, today },
            ExportError::ConflictingOptions,
            ExportError::BadOutput {
                output: output.clone(),
                problem: PathProblem::Directory,
            },
            ExportError::BadOutput {
                output: output.clone(),
                problem: PathProblem::NoSuchDirectory {
                    directory: "missing".into(),
                },
            },
            ExportError::BadFilesDir {
                dir: "files".into(),
                problem: PathProblem::NotADirectory,
            },
            ExportError::AccessMismatch {
                output: output.clone(),
                recorded: Access::Owner,
                asked: Access::Group,
            },
        ];
        for error in &errors {
            let plain = error.to_string();
            assert!(!plain.contains("--"), "the library's sentence names an option: {plain}");
            assert!(!plain.contains(". "), "more than one sentence: {plain}");
            let terminal = message(error);
            assert!(terminal.contains("--"), "the command says what to type: {terminal}");
        }
    }
}
