//! Messages per sender over the last 14 days, edits and deletions included,
//! each message counted once in its latest version, going on past any
//! session Zoom cannot serve and naming it.
//!
//! With Zoom credentials in the environment (`ZOOM_ACCOUNT_ID`,
//! `ZOOM_CLIENT_ID`, `ZOOM_CLIENT_SECRET`, or `ZOOM_ACCESS_TOKEN`) it reads
//! your account; without, the fake Zoom of the `mock` feature:
//!
//! ```sh
//! cargo run --example sender_counts --features mock
//! ```

use std::collections::BTreeMap;

use futures::TryStreamExt;
use zoom_chat_reports::mock::{FakeZoom, FakeZoomConfig};
use zoom_chat_reports::{Client, Include, MessageKind, MessageOutcome};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = match Client::builder_from_env()? {
        Some(builder) => builder.build()?,
        // The fake serves as long as the client lives.
        None => FakeZoom::start(FakeZoomConfig::default())
            .await?
            .client_builder()
            .build()?,
    };
    let range = client.last_days(14);
    let include = Include::NONE.edited(true).deleted(true);
    let mut outcomes = client.all_messages(range.clone()).include(include).outcomes().latest();

    let mut per_sender: BTreeMap<String, (u64, u64, u64)> = BTreeMap::new();
    let mut skipped = Vec::new();
    while let Some(outcome) = outcomes.try_next().await? {
        match outcome {
            MessageOutcome::Message(item) => {
                let sender = item.message.sender.clone().unwrap_or_else(|| "(unknown)".into());
                let counts = per_sender.entry(sender).or_default();
                match item.kind {
                    MessageKind::Deleted => counts.2 += 1,
                    MessageKind::Edited => counts.1 += 1,
                    _ => counts.0 += 1,
                }
            }
            MessageOutcome::SessionFailed(failure) => skipped.push(failure),
            _ => {}
        }
    }

    println!(
        "messages per sender, {}..={}: sent as is, edited, deleted",
        range.start(),
        range.end()
    );
    for (sender, (sent, edited, deleted)) in &per_sender {
        println!("{sender:<32} {sent:>6} {edited:>6} {deleted:>6}");
    }
    for failure in &skipped {
        eprintln!("skipped: {failure}");
    }
    Ok(())
}
