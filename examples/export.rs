//! Exports every chat session and message in a date range to JSON Lines.
//!
//! ```sh
//! cargo run --release --example export -- --from 2026-10-01 --to 2026-11-20 --out chat.jsonl \
//!     [--include edited,deleted] [--concurrency 8] [--resume]
//! ```
//!
//! Credentials come from `ZOOM_ACCOUNT_ID`, `ZOOM_CLIENT_ID` and
//! `ZOOM_CLIENT_SECRET` (Server-to-Server OAuth) or `ZOOM_ACCESS_TOKEN`;
//! `ZOOM_API_BASE` and `ZOOM_OAUTH_URL` override the URLs. With none set, it
//! starts the fake Zoom in-process and exports from that.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::NaiveDate;
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use zoom_chat_reports::export::{ExportError, ExportOptions, ExportProgress, export_jsonl, journal_path};
use zoom_chat_reports::mock::{FakeZoom, FakeZoomConfig};
use zoom_chat_reports::{Client, Error, Include, ZoomPlan};

/// Export Zoom Team Chat messages to JSON Lines.
#[derive(Debug, Parser)]
#[command(name = "export")]
struct Args {
    /// First day, yyyy-mm-dd.
    #[arg(long)]
    from: NaiveDate,
    /// Last day, yyyy-mm-dd, inclusive.
    #[arg(long)]
    to: NaiveDate,
    /// The JSON Lines file to write.
    #[arg(long)]
    out: PathBuf,
    /// Also export these kinds: edited, deleted, or both (comma-separated).
    #[arg(long, value_parser = parse_include, default_value = "")]
    include: Include,
    /// Sessions fetched at once, all under the client's rate limit.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    concurrency: u16,
    /// Continue an interrupted export of the same range in the same file.
    #[arg(long)]
    resume: bool,
}

fn parse_include(text: &str) -> Result<Include, String> {
    let mut include = Include::NONE;
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part {
            "edited" => include.edited = true,
            "deleted" => include.deleted = true,
            other => return Err(format!("`{other}` is not a message kind; use edited, deleted or both")),
        }
    }
    Ok(include)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    // Keep the fake alive for the whole export when there is one.
    let (client, _fake) = match Client::builder_from_env().map_err(|e| e.to_string())? {
        Some(builder) => (builder.build().map_err(|e| e.to_string())?, None),
        None => {
            // Zoom's Business+ limit, enforced by the fake and respected by the client.
            let config = FakeZoomConfig {
                per_second_limit: Some(60),
                ..FakeZoomConfig::default()
            };
            let fake = FakeZoom::start(config)
                .await
                .map_err(|e| format!("cannot start the fake Zoom: {e}"))?;
            eprintln!(
                "No Zoom credentials set (ZOOM_ACCOUNT_ID/ZOOM_CLIENT_ID/ZOOM_CLIENT_SECRET or ZOOM_ACCESS_TOKEN): \
                 exporting from the built-in fake Zoom at {} ({} sessions x {} messages, {}..={}).",
                fake.base_url(),
                fake.dataset().sessions,
                fake.dataset().messages_per_session,
                fake.dataset().start,
                fake.dataset().end,
            );
            let client = fake
                .client_builder()
                .plan(ZoomPlan::BusinessPlus)
                .build()
                .map_err(|e| e.to_string())?;
            (client, Some(fake))
        }
    };

    let bar = Arc::new(ProgressBar::new(0));
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} session windows, {msg}")
            .expect("the template is valid"),
    );
    let messages = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let progress = {
        let (bar, messages) = (bar.clone(), messages.clone());
        move |event: ExportProgress| match event {
            ExportProgress::Discovered { units } => bar.set_length(units),
            ExportProgress::UnitDone { messages: n } => {
                let total = messages.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n;
                bar.set_message(format!("{total} messages"));
                bar.inc(1);
            }
            ExportProgress::UnitSkipped => bar.inc(1),
            _ => {}
        }
    };
    let options = ExportOptions::new(args.from..=args.to)
        .include(args.include)
        .concurrency(usize::from(args.concurrency))
        .resume(args.resume);
    let stop = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let result = export_jsonl(&client, &args.out, &options, &progress, stop).await;
    bar.finish_and_clear();
    match result {
        Ok(summary) => {
            eprintln!(
                "Exported {} messages from {} sessions to {} ({} session windows done{}) with {} requests, {} retries, in {:.1?}.",
                summary.messages,
                summary.sessions,
                args.out.display(),
                summary.units,
                if summary.skipped_units > 0 {
                    format!(", {} done before", summary.skipped_units)
                } else {
                    String::new()
                },
                summary.stats.requests,
                summary.stats.retries,
                summary.elapsed,
            );
            Ok(())
        }
        Err(ExportError::Interrupted) => Err(format!(
            "interrupted; what was finished is saved in {} (journal {}). Run the same command with --resume to continue.",
            args.out.display(),
            journal_path(&args.out).display()
        )),
        Err(ExportError::Zoom(error @ Error::RateLimited { daily: true, .. })) => Err(format!(
            "{error}. Zoom's daily quota is used up{}; run the same command with --resume then.",
            error
                .daily_limit_reset()
                .map(|at| format!(" until {at}"))
                .unwrap_or_default()
        )),
        Err(error) => Err(format!(
            "{error}. What was finished is saved; run the same command with --resume to continue."
        )),
    }
}
