//! What a nightly sync costs: bytes read by one `--sync` of one new day (with
//! the 7-day lookback), on a small archive and on a large one of the same
//! account, and their ratio. A sync should cost the night's work, not the
//! archive: the ratio should be near 1, whatever the large archive's size.
//!
//! The fake Zoom runs in the parent; each measured sync runs in a child
//! process of its own and reports its `rchar` (every byte it read, from the
//! page cache, the disk or the loopback socket) from `/proc/self/io`. Run
//! with `cargo bench -p zoom-chat-archive --bench sync_cost`.

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use zoom_chat_archive::{ExportOptions, export_jsonl};
use zoom_chat_reports::mock::{Dataset, FakeZoom, FakeZoomConfig};
use zoom_chat_reports::runtime::FixedClock;
use zoom_chat_reports::{Client, Include};

const TOKEN: &str = "bench-token";

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

#[derive(Debug)]
struct DayClock(Mutex<DateTime<Utc>>);

impl zoom_chat_reports::runtime::Clock for DayClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock")
    }
}

fn noon(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(12, 0, 0).expect("noon").and_utc()
}

fn client(url: &str, today: NaiveDate) -> Client {
    Client::builder()
        .base_url(url)
        .bearer_token(TOKEN)
        .clock(Arc::new(FixedClock::on(today)))
        .requests_per_second(None)
        .build()
        .expect("client")
}

async fn sync(client: &Client, out: &Path, first_day: Option<NaiveDate>) {
    let options = ExportOptions::daily_sync(first_day, 7)
        .include(Include::ALL)
        .concurrency(8)
        .files(out.with_file_name(format!(
            "{}-files",
            out.file_stem().unwrap_or_default().to_string_lossy()
        )));
    export_jsonl(client, out, &options, &|_| {}, std::future::pending())
        .await
        .expect("sync");
}

fn io_field(name: &str) -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    if args.first().map(String::as_str) == Some("sync-child") {
        // Child: one sync on the day given; prints rchar, seconds.
        let (url, out, today) = (&args[1], Path::new(&args[2]), day(&args[3]));
        let before = io_field("rchar");
        let started = Instant::now();
        runtime.block_on(sync(&client(url, today), out, None));
        println!("{} {:.2}", io_field("rchar") - before, started.elapsed().as_secs_f64());
        return;
    }
    runtime.block_on(parent());
}

async fn parent() {
    let clock = Arc::new(DayClock(Mutex::new(noon(day("2026-11-20")))));
    let zoom = FakeZoom::start(
        FakeZoomConfig::default()
            .dataset(Dataset {
                seed: 3,
                sessions: 60,
                messages_per_session: 4000,
                start: day("2026-06-01"),
                end: day("2026-11-30"),
                edited_share: 0.1,
                deleted_share: 0.03,
                file_share: 0.02,
                reply_share: 0.2,
            })
            .clock(clock.clone())
            .reveal_by_clock(true)
            .static_token(TOKEN),
    )
    .await
    .expect("fake");
    let url = zoom.base_url().to_string();
    let dir = std::env::temp_dir().join(format!("zoom-bench-sync-cost-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (small, medium, large) = (
        dir.join("small.jsonl"),
        dir.join("medium.jsonl"),
        dir.join("large.jsonl"),
    );
    // The same account, synced through 2026-11-19: from 10, 60 and 170 days
    // before. A sync reads from the start of the month window its lookback
    // reaches into: the small archive's window is shorter than the month;
    // the medium and large archives have the same whole one.
    let today = day("2026-11-20");
    sync(&client(&url, today), &small, Some(day("2026-11-10"))).await;
    sync(&client(&url, today), &medium, Some(day("2026-09-21"))).await;
    sync(&client(&url, today), &large, Some(day("2026-06-03"))).await;
    // The next night.
    let next = day("2026-11-21");
    *clock.0.lock().expect("clock") = noon(next);
    let mut results = Vec::new();
    for out in [&small, &medium, &large] {
        let size = std::fs::metadata(out).expect("archive").len();
        // Waited for on a thread of its own: this runtime serves the fake
        // Zoom the child talks to.
        let mut command = Command::new(std::env::current_exe().expect("own path"));
        command.args(["sync-child", &url, &out.to_string_lossy(), &next.to_string()]);
        let output = tokio::task::spawn_blocking(move || command.output().expect("child runs"))
            .await
            .expect("child waited for");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let fields: Vec<f64> = text.split_whitespace().map(|f| f.parse().unwrap_or(f64::NAN)).collect();
        let added = std::fs::metadata(out).expect("archive").len() - size;
        println!(
            "sync of 2026-11-20 into {}: archive {:.1} MiB, added {:.2} MiB, read {:.2} MiB ({:.3} of the archive's size) in {:.2} s",
            out.file_name().unwrap_or_default().to_string_lossy(),
            size as f64 / 1048576.0,
            added as f64 / 1048576.0,
            fields[0] / 1048576.0,
            fields[0] / size as f64,
            fields[1]
        );
        results.push((size as f64, fields[0]));
    }
    println!(
        "sync cost: large ÷ medium archive {:.1}×; bytes read, large ÷ medium {:.3} (target: near 1, not the archives' ratio)",
        results[2].0 / results[1].0,
        results[2].1 / results[1].1
    );
    println!(
        "sync cost: large ÷ small archive {:.1}×; bytes read, large ÷ small {:.3} (the small archive's month window is 10 days)",
        results[2].0 / results[0].0,
        results[2].1 / results[0].1
    );
    std::fs::remove_dir_all(&dir).expect("clean up");
}
