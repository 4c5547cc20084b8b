//! The commands that read an archive: `index`, `search` and `html`.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use zoom_chat_archive::{
    ExportError, IndexProgress, IndexSummary, SearchError, SearchHit, SearchQuery, index_state, search,
    search_index_path, update_index, write_site,
};

use crate::{Failure, message, printable};

/// Says what the index update did, in one line, unless nothing was new.
fn index_words(summary: &IndexSummary) -> String {
    let what = match (&summary.rebuilt, summary.created) {
        (Some(reason), _) => format!("Rebuilt the search index from the start, because {reason}:"),
        (None, true) => "Built the search index:".to_string(),
        (None, false) => "Brought the search index up to date:".to_string(),
    };
    let mut text = format!(
        "{what} read {} lines ({} of the archive's {} bytes) in {:.1?}; {} holds {} messages.",
        summary.lines_read,
        summary.bytes_read,
        summary.archive_bytes,
        summary.elapsed,
        summary.path.display(),
        summary.messages,
    );
    if summary.lines_passed_over > 0 {
        text += &format!(
            "\nnote: {} lines of the archive are no message record and were passed over; 'verify' checks the archive.",
            summary.lines_passed_over
        );
    }
    text
}

/// A progress bar of the bytes read, on a terminal and not with --quiet.
fn index_bar(quiet: bool) -> Arc<ProgressBar> {
    let bar = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(0)
    };
    bar.set_style(
        ProgressStyle::with_template("indexing {bar:30} {bytes}/{total_bytes} ({eta})").expect("the template is valid"),
    );
    Arc::new(bar)
}

/// Brings the index up to date, with a progress bar; a run that holds the
/// archive is `Busy`.
async fn bring_up_to_date(out: &Path, quiet: bool) -> Result<IndexSummary, ExportError> {
    let bar = index_bar(quiet);
    let shown = bar.clone();
    let result = update_index(out, move |p: IndexProgress| {
        shown.set_length(p.total);
        shown.set_position(p.read);
    })
    .await;
    bar.finish_and_clear();
    result
}

fn cannot_read(error: &ExportError) -> Failure {
    Failure::CannotRead(message(error))
}

/// `index --out`: builds the search index or brings it up to date.
pub(crate) async fn run_index(out: &Path, quiet: bool) -> Result<(), Failure> {
    let summary = bring_up_to_date(out, quiet).await.map_err(|e| cannot_read(&e))?;
    if !quiet || summary.rebuilt.is_some() {
        eprintln!("{}", index_words(&summary));
    }
    Ok(())
}

/// After a run: brings an existing search index up to date, so that a
/// search the next morning finds the night's messages. A failure is a
/// warning: the archive is done, and `index` tries again.
pub(crate) async fn keep_index_current(out: &Path, quiet: bool) {
    if !search_index_path(out).exists() {
        return;
    }
    match update_index(out, |_| {}).await {
        Ok(summary) if summary.rebuilt.is_some() || (!quiet && summary.bytes_read > 0) => {
            eprintln!("{}", index_words(&summary))
        }
        Ok(_) => {}
        Err(error) => eprintln!(
            "warning: the search index could not be brought up to date: {}. The archive is not affected; 'index --out {}' tries again.",
            message(&error),
            out.display()
        ),
    }
}

/// What `search` was given.
pub(crate) struct SearchArgs<'a> {
    pub(crate) out: &'a Path,
    pub(crate) query: &'a str,
    pub(crate) sessions: &'a [String],
    pub(crate) sender: Option<&'a str>,
    pub(crate) from: Option<NaiveDate>,
    pub(crate) to: Option<NaiveDate>,
    pub(crate) limit: usize,
    pub(crate) json: bool,
    pub(crate) quiet: bool,
}

/// `search --out QUERY`: the messages found, in time order, each once.
pub(crate) async fn run_search(args: SearchArgs<'_>) -> Result<(), Failure> {
    if let (Some(from), Some(to)) = (args.from, args.to)
        && from > to
    {
        return Err(Failure::Usage(format!("--from {from} is after --to {to}")));
    }
    let mut query = SearchQuery::new(args.query);
    query.sessions = args.sessions.to_vec();
    query.sender = args.sender.map(str::to_string);
    query.from = args.from;
    query.to = args.to;
    query.limit = args.limit;
    // The query's own mistakes first, before any work.
    query.check().map_err(|error| Failure::Usage(error.to_string()))?;
    match bring_up_to_date(args.out, args.quiet).await {
        Ok(summary) => {
            if !args.quiet && (summary.created || summary.rebuilt.is_some()) {
                eprintln!("{}", index_words(&summary));
            }
        }
        // A run is writing: search what the index held before it.
        Err(ExportError::Locked { .. }) if index_state(args.out).ok().flatten().is_some() => {
            eprintln!("note: a run holds the archive now; this searches the index as it was before that run.");
        }
        Err(error) => return Err(cannot_read(&error)),
    }
    let results = search(args.out, &query).map_err(|error| match error {
        SearchError::Query(error) => Failure::Usage(error.to_string()),
        SearchError::Index(error) => cannot_read(&error),
        other => Failure::Failed(other.to_string()),
    })?;
    if args.json {
        for hit in &results.hits {
            println!("{}", serde_json::to_string(hit).unwrap_or_default());
        }
    } else {
        let marks = if std::io::stdout().is_terminal() {
            ("\u{1b}[7m", "\u{1b}[27m")
        } else {
            ("[", "]")
        };
        for hit in &results.hits {
            println!("{}", hit_line(hit, marks));
        }
    }
    let shown = results.hits.len() as u64;
    if results.total == 0 {
        // The exit code says it; -q says nothing more.
        return Err(Failure::NothingFound(if args.quiet {
            String::new()
        } else {
            "no message matches".to_string()
        }));
    }
    if !args.quiet {
        if results.total > shown {
            eprintln!(
                "{shown} of {} messages shown, the earliest first; narrow the search with --from, --to, --session or --sender, or raise --limit.",
                results.total
            );
        } else {
            eprintln!("{shown} message{} found.", if shown == 1 { "" } else { "s" });
        }
    }
    Ok(())
}

/// One hit as a line: day, time, session, sender, and the text with its
/// matches marked. Every text from Zoom goes through `printable`, so that
/// none of it can move the cursor or recolour the terminal.
fn hit_line(hit: &SearchHit, (open, close): (&str, &str)) -> String {
    let when = hit.date_time.replacen('T', " ", 1).trim_end_matches('Z').to_string();
    let when = when.get(..16).unwrap_or(&when);
    let sender = match (&hit.sender_name, &hit.sender) {
        (Some(name), Some(email)) => format!("{} <{}>", printable(name), printable(email)),
        (Some(name), None) => printable(name),
        (None, Some(email)) => printable(email),
        (None, None) => "(unknown sender)".to_string(),
    };
    let marked_in = hit.matched_text.as_deref().unwrap_or(&hit.message);
    let mut marked = String::new();
    let mut at = 0;
    let chars: Vec<char> = marked_in.chars().collect();
    for &(start, end) in &hit.matches {
        let (start, end) = (start.min(chars.len()), end.min(chars.len()));
        marked += &printable(&chars[at..start].iter().collect::<String>());
        marked += open;
        marked += &printable(&chars[start..end].iter().collect::<String>());
        marked += close;
        at = end;
    }
    marked += &printable(&chars[at.min(chars.len())..].iter().collect::<String>());
    let mut line = format!("{when} UTC  {}  {sender}: ", printable(&hit.session_name));
    match &hit.matched_text {
        Some(_) => line += &format!("{} (earlier text: {marked})", printable(&hit.message)),
        None => line += &marked,
    }
    if hit.edited {
        line += "  [edited]";
    }
    if let Some(deleted) = &hit.deleted_at {
        let at = deleted.replacen('T', " ", 1);
        line += &format!("  [deleted {} UTC]", at.get(..16).unwrap_or(&at));
    } else if hit.deleted {
        line += "  [deleted]";
    }
    line
}

/// `html --out --dir`: the HTML copy.
pub(crate) async fn run_html(out: &Path, dir: &Path, quiet: bool) -> Result<(), Failure> {
    let summary = write_site(out, dir).await.map_err(|e| cannot_read(&e))?;
    if summary.index.rebuilt.is_some() || (!quiet && summary.index.created) {
        eprintln!("{}", index_words(&summary.index));
    }
    if !quiet {
        let open =
            std::path::absolute(summary.dir.join("index.html")).unwrap_or_else(|_| summary.dir.join("index.html"));
        eprintln!(
            "Wrote the HTML copy of {} sessions and {} messages in {:.1?}: {} pages, {} written, {} unchanged, {} removed; the largest is {} bytes. Open {}",
            summary.sessions,
            summary.messages,
            summary.elapsed,
            summary.pages,
            summary.written,
            summary.unchanged,
            summary.removed,
            summary.largest_page,
            open.display()
        );
    }
    Ok(())
}

/// `produce`: a production for a reviewer.
pub(crate) async fn run_produce(
    out: &Path,
    custodians: &[String],
    (from, to): (NaiveDate, NaiveDate),
    format: zoom_chat_archive::ProductionFormat,
    dir: &Path,
    overwrite: bool,
    quiet: bool,
) -> Result<(), Failure> {
    if from > to {
        return Err(Failure::Usage(format!("--from {from} is after --to {to}")));
    }
    if let Some(bad) = custodians.iter().find(|c| {
        let c = c.trim();
        c.matches('@').count() != 1 || c.starts_with('@') || c.ends_with('@') || c.contains(char::is_whitespace)
    }) {
        return Err(Failure::Usage(format!(
            "--custodian `{}` is not an email address, such as boss@example.com",
            printable(bad)
        )));
    }
    let mut request = zoom_chat_archive::ProductionRequest::new(custodians.to_vec(), from, to, format);
    request.overwrite = overwrite;
    request.command = std::env::args().collect();
    let summary = zoom_chat_archive::produce(out, dir, &request)
        .await
        .map_err(|error| match &error {
            ExportError::Io { source, .. } if source.kind() == std::io::ErrorKind::AlreadyExists => {
                Failure::Usage(message(&error))
            }
            _ => Failure::CannotRead(message(&error)),
        })?;
    let record = &summary.record;
    if !quiet || record.conversation_days.is_empty() {
        let counts: Vec<String> = record.counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
        eprintln!(
            "Produced {} conversation-day(s) of {} from {from} to {to}: {} record(s) ({}); {} archived file(s) {}, {} not archived (listed by name). {} records the command, the scope and the SHA-256 of every file produced and of the archive's manifest.",
            record.conversation_days.len(),
            custodians.join(", "),
            record.counts.values().sum::<u64>(),
            if counts.is_empty() {
                "none".to_string()
            } else {
                counts.join(", ")
            },
            record.files_attached,
            if matches!(format, zoom_chat_archive::ProductionFormat::Eml) {
                "attached"
            } else {
                "referenced"
            },
            record.files_not_archived,
            summary.dir.join("production.json").display()
        );
    }
    if record.conversation_days.is_empty() {
        eprintln!(
            "note: no custodian sent a message or is a listed member of a session on those days: the production is empty, and production.json records that."
        );
    }
    Ok(())
}
