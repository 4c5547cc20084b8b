//! Reading an archive: the search index, search, and the HTML copy, on an
//! archive of what people write (several scripts, hostile markup, images),
//! checked against the archive itself, and the copy in a real browser.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use zoom_chat_archive::{
    ExportOptions, MAX_PAGE_BYTES, SearchQuery, export_jsonl, search, search_index_path, update_index, write_site,
};
use zoom_chat_reports::Include;
use zoom_chat_reports::mock::{Dataset, FakeZoom, FakeZoomConfig};

use common::day;

fn dataset() -> Dataset {
    Dataset {
        seed: 21,
        sessions: 10,
        messages_per_session: 400,
        start: day("2026-09-01"),
        end: day("2026-11-20"),
        edited_share: 0.15,
        deleted_share: 0.05,
        file_share: 0.15,
        reply_share: 0.3,
    }
}

/// An archive of `dataset()` with its files, from a fake that says what people say.
async fn archive(name: &str) -> (PathBuf, PathBuf) {
    let zoom = FakeZoom::start(
        FakeZoomConfig::default()
            .dataset(dataset())
            .today(day("2026-11-22"))
            .varied_texts(true),
    )
    .await
    .unwrap();
    let dir = common::fresh_dir("zoom-read-test", name);
    let out = dir.join("chat.jsonl");
    let options = ExportOptions::new(day("2026-09-01")..=day("2026-11-20"))
        .include(Include::ALL)
        .concurrency(4)
        .files(dir.join("files"));
    export_jsonl(
        &common::fake_client(&zoom, 10),
        &out,
        &options,
        &|_| {},
        std::future::pending(),
    )
    .await
    .unwrap();
    (dir, out)
}

/// Lower case, without the accents the fake's texts have: how a person
/// expects a search to compare.
fn folded(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'ü' | 'ú' => 'u',
            'é' | 'è' | 'ë' => 'e',
            'à' | 'á' => 'a',
            'ï' | 'í' => 'i',
            'ç' => 'c',
            'ñ' => 'n',
            'ö' => 'o',
            c => c,
        })
        .collect()
}

/// Every message of the archive: id → (sent time, every text it had, session).
fn messages_of(out: &Path) -> BTreeMap<String, (i64, BTreeSet<String>, String)> {
    let mut messages: BTreeMap<String, (i64, BTreeSet<String>, String)> = BTreeMap::new();
    for line in std::fs::read_to_string(out).unwrap().lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let entry = messages
            .entry(value["id"].as_str().unwrap().to_string())
            .or_insert_with(|| {
                (
                    value["timestamp"].as_i64().unwrap(),
                    BTreeSet::new(),
                    value["session_id"].as_str().unwrap().to_string(),
                )
            });
        entry
            .1
            .insert(value["message"].as_str().unwrap_or_default().to_string());
    }
    messages
}

/// What a search must find: every message one of whose texts holds every
/// term, in time order, each once. Found by reading the archive line by line.
fn expected(out: &Path, terms: &[&str]) -> Vec<String> {
    let mut found: Vec<(i64, String)> = messages_of(out)
        .into_iter()
        .filter(|(_, (_, texts, _))| {
            texts
                .iter()
                .any(|text| terms.iter().all(|term| folded(text).contains(&folded(term))))
        })
        .map(|(id, (sent, _, _))| (sent, id))
        .collect();
    found.sort();
    found.into_iter().map(|(_, id)| id).collect()
}

fn found(out: &Path, query: &str) -> Vec<String> {
    let mut q = SearchQuery::new(query);
    q.limit = 1_000_000;
    let results = search(out, &q).unwrap();
    assert_eq!(results.total as usize, results.hits.len());
    results.hits.into_iter().map(|hit| hit.id).collect()
}

#[tokio::test]
async fn search_finds_exactly_what_the_archive_holds_by_any_text_any_case_any_accent() {
    let (dir, out) = archive("search").await;
    let summary = update_index(&out, |_| {}).await.unwrap();
    assert!(summary.created && summary.rebuilt.is_none(), "{summary:?}");
    assert_eq!(summary.bytes_read, std::fs::metadata(&out).unwrap().len());
    let messages = messages_of(&out);
    assert_eq!(summary.messages as usize, messages.len(), "one row per message id");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(search_index_path(&out)).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "the index holds the conversations: the archive's access"
        );
    }

    for (query, terms) in [
        ("zurich", vec!["zurich"]),
        ("ZÜRICH", vec!["zurich"]),
        ("议记录", vec!["议记录"]),
        ("\"the contract\"", vec!["the contract"]),
        ("contract zurich", vec!["contract", "zurich"]),
        ("script", vec!["script"]),
        ("resum*", vec!["resum"]),
        ("ab", vec!["ab"]),
        ("(edited)", vec!["(edited)"]),
        ("\"\"\"quoted\"\"\"", vec!["quoted"]),
    ] {
        let want = expected(&out, &terms);
        assert!(!want.is_empty(), "{query}: the dataset has it");
        assert_eq!(found(&out, query), want, "{query}");
    }
    assert!(found(&out, "no such words anywhere").is_empty());

    // An edited message is found by its first text, and shows its latest.
    let mut q = SearchQuery::new("\"see you at 10:00\"");
    q.limit = 1000;
    let hits = search(&out, &q).unwrap().hits;
    let by_earlier = hits
        .iter()
        .find(|h| h.matched_text.is_some())
        .expect("an edit changed such a text");
    assert!(by_earlier.edited && by_earlier.message.ends_with("(edited)"));
    assert!(by_earlier.matched_text.as_ref().unwrap().contains("see you at 10:00"));
    // Deleted messages are found and marked.
    let deleted = search(&out, &SearchQuery::new("Zürich")).unwrap();
    assert!(deleted.hits.len() <= 100 && deleted.total > 100);
    let mut all = SearchQuery::new("a");
    all.limit = 1_000_000;
    let every = search(&out, &all).unwrap().hits;
    assert!(every.iter().any(|h| h.deleted && h.deleted_at.is_some()));
    // Filters: a session by name (every session of that name), a sender, days.
    let mut filtered = SearchQuery::new("contract");
    filtered.sessions = vec!["projekt zürich".into()];
    filtered.sender = Some("USER3@example.com".into());
    filtered.from = Some(day("2026-10-01"));
    filtered.to = Some(day("2026-10-31"));
    filtered.limit = 1000;
    let hits = search(&out, &filtered).unwrap().hits;
    for hit in &hits {
        assert_eq!(hit.session_name, "Projekt Zürich");
        assert_eq!(hit.sender.as_deref(), Some("user3@example.com"));
        assert!(hit.date_time.as_str() >= "2026-10-01" && hit.date_time.as_str() < "2026-11-01");
    }
    let mut unknown = SearchQuery::new("contract");
    unknown.sessions = vec!["no such session".into()];
    assert!(search(&out, &unknown).unwrap_err().to_string().contains("no session"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_index_reads_only_what_was_appended_and_rebuilds_a_rewritten_archive() {
    let (dir, out) = archive("incremental").await;
    update_index(&out, |_| {}).await.unwrap();
    let again = update_index(&out, |_| {}).await.unwrap();
    assert_eq!((again.bytes_read, again.rebuilt.clone()), (0, None), "nothing new");

    // An edit appended, as a sync appends one: only its bytes are read, and
    // the message's latest text is the edit's, found by the new words.
    let first: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(&out).unwrap().lines().next().unwrap()).unwrap();
    let mut edit = first.clone();
    edit["kind"] = "edited".into();
    edit["message"] = "Nachtrag: Vertragsentwurf überarbeitet".into();
    edit["action_timestamp"] = (first["timestamp"].as_i64().unwrap() + 60_000).into();
    let line = format!("{edit}\n");
    std::fs::OpenOptions::new()
        .append(true)
        .open(&out)
        .unwrap()
        .write_all(line.as_bytes())
        .unwrap();
    let appended = update_index(&out, |_| {}).await.unwrap();
    assert_eq!(appended.bytes_read, line.len() as u64);
    assert_eq!(appended.rebuilt, None);
    let hits = search(&out, &SearchQuery::new("vertragsentwurf uberarbeitet"))
        .unwrap()
        .hits;
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, first["id"].as_str().unwrap());
    assert!(hits[0].edited);
    // Its first text still finds it.
    let earlier = first["message"].as_str().unwrap();
    let mut by_first = SearchQuery::new(format!("\"{}\"", earlier.replace('"', "")));
    by_first.limit = 100_000;
    if !earlier.contains('"') {
        assert!(search(&out, &by_first).unwrap().hits.iter().any(|h| h.id == hits[0].id));
    }

    // A changed byte among those indexed: rebuilt, and said why.
    let mut bytes = std::fs::read(&out).unwrap();
    let at = bytes.len() - 10;
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    std::fs::write(&out, &bytes).unwrap();
    let rebuilt = update_index(&out, |_| {}).await.unwrap();
    assert!(rebuilt.rebuilt.as_deref().unwrap().contains("rewritten"), "{rebuilt:?}");
    // Cut back: rebuilt.
    bytes.truncate(bytes.len() - line.len());
    std::fs::write(&out, &bytes).unwrap();
    let cut = update_index(&out, |_| {}).await.unwrap();
    assert!(cut.rebuilt.as_deref().unwrap().contains("shorter"), "{cut:?}");
    assert!(
        search(&out, &SearchQuery::new("vertragsentwurf"))
            .unwrap()
            .hits
            .is_empty()
    );
    // Ours, but damaged past its header (a disk error, a copy cut short):
    // rebuilt from the archive.
    let index = search_index_path(&out);
    let mut damaged = std::fs::read(&index).unwrap();
    let len = damaged.len();
    damaged[8192..len].fill(0xff);
    std::fs::write(&index, &damaged).unwrap();
    let repaired = update_index(&out, |_| {}).await.unwrap();
    assert!(repaired.rebuilt.as_deref().unwrap().contains("damaged"), "{repaired:?}");
    assert_eq!(repaired.messages as usize, messages_of(&out).len());
    // Somebody else's file of that name, a database or not: left alone.
    for foreign in [b"not a database".to_vec(), {
        let other = dir.join("other.sqlite");
        let db = rusqlite_free_sqlite(&other);
        std::fs::read(db).unwrap()
    }] {
        std::fs::write(&index, &foreign).unwrap();
        let error = update_index(&out, |_| {}).await.unwrap_err();
        assert!(
            error.to_string().contains("not a search index this program made"),
            "{error}"
        );
        assert_eq!(std::fs::read(&index).unwrap(), foreign, "left as it was");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A SQLite database that is not an index, made by the sqlite3 format's
/// own header: 100 bytes of header with no application id, and a page.
fn rusqlite_free_sqlite(path: &Path) -> PathBuf {
    let mut page = vec![0u8; 4096];
    page[..16].copy_from_slice(b"SQLite format 3\0");
    page[16..18].copy_from_slice(&4096u16.to_be_bytes());
    std::fs::write(path, &page).unwrap();
    path.to_path_buf()
}

/// What Zoom would never send, but a hostile or broken server could: the
/// readers show it, whole and harmless.
#[tokio::test]
async fn the_readers_survive_what_zoom_would_never_send() {
    let (dir, out) = archive("odd").await;
    let first: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(&out).unwrap().lines().next().unwrap()).unwrap();
    let session = first["session_id"].as_str().unwrap().to_string();
    let timestamp = first["timestamp"].as_i64().unwrap();
    let line = |id: &str, text: String, reply_to: Option<&str>, timestamp: i64| {
        let mut value = serde_json::json!({
            "session_id": session, "kind": "sent", "id": id, "message": text,
            "sender": "x@example.com", "timestamp": timestamp,
        });
        if let Some(parent) = reply_to {
            value["reply_main_message_id"] = parent.into();
        }
        format!("{value}\n")
    };
    let mut appended = String::new();
    // Two messages that reply to each other.
    appended += &line("loop-a", "Loop A".into(), Some("loop-b"), timestamp + 1);
    appended += &line("loop-b", "Loop B".into(), Some("loop-a"), timestamp + 2);
    // Texts that grow thirty-fold when shown: control characters.
    for i in 0..60 {
        appended += &line(&format!("bells-{i}"), "\u{7}".repeat(4000), None, timestamp + 10 + i);
    }
    // A time no calendar page can have.
    appended += &line("far-future", "From the year 10000".into(), None, 253_402_300_800_000);
    appended += &line("short-accents", "él ça".into(), None, timestamp + 100);
    std::fs::OpenOptions::new()
        .append(true)
        .open(&out)
        .unwrap()
        .write_all(appended.as_bytes())
        .unwrap();
    let site = dir.join("site");
    let summary = write_site(&out, &site).await.unwrap();
    assert!(summary.largest_page <= MAX_PAGE_BYTES, "{summary:?}");
    let all: String = pages(&site)
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    for id in ["loop-a", "loop-b", "bells-0", "bells-59", "far-future"] {
        assert!(all.contains(&format!("id=\"m-{id}\"")), "{id} is shown");
    }
    assert!(!pages(&site).iter().any(|p| p.to_string_lossy().contains('+')));
    // Short words compare whatever the accents and case, as long ones do.
    for query in ["ÉL", "el", "Ça"] {
        let hits = search(&out, &SearchQuery::new(query)).unwrap();
        assert!(hits.hits.iter().any(|h| h.id == "short-accents"), "{query}");
    }
    let mut by_name = SearchQuery::new("contract");
    by_name.sessions = vec!["PROJEKT ZÜRICH".into()];
    assert!(search(&out, &by_name).unwrap().total > 0);
    // Too long, or an empty filter: bad usage, said.
    let long = SearchQuery::new(vec!["ab"; 100].join(" "));
    assert!(search(&out, &long).unwrap_err().to_string().contains("too long"));
    let mut empty = SearchQuery::new("contract");
    empty.sender = Some(" ".into());
    assert!(
        search(&out, &empty)
            .unwrap_err()
            .to_string()
            .contains("--sender is empty")
    );

    // A folder of somebody else's is not written into.
    let theirs = dir.join("theirs");
    std::fs::create_dir_all(&theirs).unwrap();
    std::fs::write(theirs.join("index.html"), "mine").unwrap();
    let error = write_site(&out, &theirs).await.unwrap_err();
    assert!(error.to_string().contains("no HTML copy this program made"), "{error}");
    assert_eq!(std::fs::read_to_string(theirs.join("index.html")).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(&theirs).unwrap().count(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every page of the copy, relative to its folder.
fn pages(site: &Path) -> Vec<PathBuf> {
    let mut pages = vec![site.join("index.html")];
    for session in std::fs::read_dir(site.join("s")).unwrap() {
        for page in std::fs::read_dir(session.unwrap().path()).unwrap() {
            pages.push(page.unwrap().path());
        }
    }
    pages.sort();
    pages
}

/// The values of `attribute="..."` in a page.
fn attribute_values(html: &str, attribute: &str) -> Vec<String> {
    let marker = format!("{attribute}=\"");
    html.match_indices(&marker)
        .map(|(at, _)| {
            let rest = &html[at + marker.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn the_html_copy_shows_every_message_once_escaped_and_rewrites_only_what_changed() {
    let (dir, out) = archive("site").await;
    let site = dir.join("site");
    let summary = write_site(&out, &site).await.unwrap();
    let messages = messages_of(&out);
    assert_eq!(summary.messages as usize, messages.len());
    assert!(summary.largest_page <= MAX_PAGE_BYTES);
    let mut anchors = BTreeMap::new();
    for page in pages(&site) {
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(html.len() as u64 <= MAX_PAGE_BYTES, "{}", page.display());
        // Nothing from Zoom is markup: no element but ours.
        assert!(!html.contains("<script") && !html.contains("<img src=x") && !html.contains("<b>"));
        assert!(!html.contains('\u{1b}') && !html.contains('\u{202e}'));
        for id in attribute_values(&html, "id")
            .into_iter()
            .filter(|id| id.starts_with("m-"))
        {
            *anchors.entry(id).or_insert(0) += 1;
        }
        // Every link to a file or page resolves, relative to the page.
        for target in attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"))
        {
            let path = target.split('#').next().unwrap();
            if path.is_empty() {
                continue;
            }
            let resolved = page.parent().unwrap().join(percent_decode(path));
            assert!(resolved.exists(), "{} links {target}", page.display());
        }
    }
    assert_eq!(anchors.len(), messages.len(), "every message has its anchor");
    assert!(anchors.values().all(|&n| n == 1), "and only one");
    let all_html: String = pages(&site)
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(all_html.contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;"));
    assert!(
        all_html.contains("<ol class=\"replies\""),
        "threads under their message"
    );
    assert!(all_html.contains("<details><summary>Earlier text"));
    assert!(all_html.contains("class=\"badge deleted\""));
    assert!(all_html.contains("<img src=\""), "images inline");
    assert!(all_html.contains("👍 "), "reactions");

    // Again: nothing changed, nothing written.
    let again = write_site(&out, &site).await.unwrap();
    assert_eq!((again.written, again.removed), (0, 0));
    assert_eq!(again.unchanged, again.pages);
    // One edit: its page, its session's list and the index page, nothing more.
    let first: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(&out).unwrap().lines().next().unwrap()).unwrap();
    let mut edit = first.clone();
    edit["kind"] = "edited".into();
    edit["message"] = "A late correction".into();
    edit["action_timestamp"] = (first["timestamp"].as_i64().unwrap() + 60_000).into();
    std::fs::OpenOptions::new()
        .append(true)
        .open(&out)
        .unwrap()
        .write_all(format!("{edit}\n").as_bytes())
        .unwrap();
    let after = write_site(&out, &site).await.unwrap();
    assert!(after.written >= 1 && after.written <= 3, "{after:?}");
    assert_eq!(after.index.bytes_read as usize, format!("{edit}\n").len());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Chromium, as Debian installs it; `.ci/run` installs it where it is missing.
fn chromium() -> PathBuf {
    for candidate in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(output) = Command::new("which").arg(candidate).output()
            && output.status.success()
        {
            return PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        }
    }
    panic!(
        "this test opens the HTML copy in Chromium: install Debian's chromium (apt-get install -y chromium); .ci/run does"
    );
}

/// Runs headless Chromium on `url` with `args`, and returns its stdout.
fn headless(profile: &Path, args: &[&str], url: &str) -> String {
    let output = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--allow-file-access-from-files",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What a person sees, measured inside the browser by a page of the test's
/// own that frames a page of the copy (the copy runs no script).
fn seen(profile: &Path, harness_dir: &Path, framed: &str, extra: &[&str]) -> serde_json::Value {
    let harness = harness_dir.join(format!("harness-{}.html", extra.len()));
    // `</scr` + `ipt>` is split: the words themselves would end this script.
    std::fs::write(
        &harness,
        format!(
            r#"<!DOCTYPE html><html><body><pre id="result">pending</pre>
<iframe id="f" style="width:1000px;height:700px" src="{framed}"></iframe>
<script>
document.getElementById('f').addEventListener('load', () => {{
  const f = document.getElementById('f');
  const d = f.contentDocument;
  const hash = decodeURIComponent(f.contentWindow.location.hash.slice(1));
  const target = hash ? d.getElementById(hash) : null;
  const text = d.body.innerText;
  document.getElementById('result').textContent = JSON.stringify({{
    title: d.title,
    rows: d.querySelectorAll('tbody tr').length,
    firstRow: d.querySelector('tbody tr') ? d.querySelector('tbody tr').innerText : null,
    scrollY: f.contentWindow.scrollY,
    targetTop: target ? target.getBoundingClientRect().top : null,
    targetOutline: target ? getComputedStyle(target.querySelector('article')).outlineStyle : null,
    scripts: d.querySelectorAll('script').length,
    images: [...d.querySelectorAll('img')].map(i => [i.complete, i.naturalWidth]),
    nestedReplies: d.querySelectorAll('li.message ol.replies li.message').length,
    scriptShown: text.includes('<scr' + "ipt>alert('pwned')</scr" + 'ipt>'),
    background: getComputedStyle(d.body).backgroundColor,
  }});
}});
</script></body></html>"#
        ),
    )
    .unwrap();
    let mut args = vec!["--virtual-time-budget=10000", "--dump-dom"];
    args.extend_from_slice(extra);
    let dom = headless(profile, &args, &format!("file://{}", harness.display()));
    let start = dom.find("<pre id=\"result\">").expect("the harness ran") + "<pre id=\"result\">".len();
    let json = &dom[start..start + dom[start..].find("</pre>").unwrap()];
    serde_json::from_str(&json.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
        .unwrap_or_else(|e| panic!("{e}: {json}"))
}

#[tokio::test]
async fn the_html_copy_in_a_real_browser() {
    let (dir, out) = archive("browser").await;
    let site = dir.join("site");
    write_site(&out, &site).await.unwrap();
    let profile = dir.join("chromium-profile");

    // The session list.
    let index = seen(&profile, &dir, "site/index.html", &[]);
    assert_eq!(index["title"], "Zoom Team Chat archive");
    assert_eq!(index["rows"], dataset().sessions);
    assert_eq!(index["scripts"], 0);

    // A page with a thread, an image and the hostile script, opened at a
    // permalink far down: the browser scrolled to the message and marks it.
    let page = pages(&site)
        .into_iter()
        .filter(|p| p.file_name().unwrap() != "index.html")
        .map(|p| (std::fs::read_to_string(&p).unwrap(), p))
        .find(|(html, _)| {
            html.contains("<img src=") && html.contains("class=\"replies\"") && html.contains("&lt;script&gt;")
        })
        .expect("a page with an image, a thread and the script text");
    let ids: Vec<String> = attribute_values(&page.0, "id")
        .into_iter()
        .filter(|id| id.starts_with("m-"))
        .collect();
    let far = &ids[ids.len() * 2 / 3];
    let relative = page.1.strip_prefix(&dir).unwrap().display().to_string();
    let at = seen(&profile, &dir, &format!("{relative}#{far}"), &[]);
    assert!(at["scrollY"].as_f64().unwrap() > 0.0, "{at}");
    assert!(
        at["targetTop"].as_f64().unwrap().abs() < 2.0,
        "the message is at the top: {at}"
    );
    assert_eq!(at["targetOutline"], "solid", "and marked as the target: {at}");
    assert!(at["nestedReplies"].as_u64().unwrap() > 0, "{at}");
    assert!(at["scriptShown"].as_bool().unwrap(), "the script is text: {at}");
    assert_eq!(at["scripts"], 0, "and no script element: {at}");
    let images = at["images"].as_array().unwrap();
    assert!(!images.is_empty());
    for image in images {
        assert_eq!(image, &serde_json::json!([true, 32]), "the archived image shows: {at}");
    }
    // Dark when the system is dark.
    let dark = seen(&profile, &dir, &relative, &["--force-dark-mode"]);
    assert_ne!(dark["background"], at["background"], "{dark} {at}");

    // Screenshots for review, where `cargo test` keeps its files. Each is of
    // a page framed whole by a page of the test's own: headless Chromium
    // paints a page opened at a fragment blank, but scrolls a frame to it.
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (name, framed, extra) in [
        ("index", "site/index.html".to_string(), None),
        ("permalink", format!("{relative}#{far}"), None),
        ("permalink-dark", format!("{relative}#{far}"), Some("--force-dark-mode")),
    ] {
        let frame = dir.join(format!("frame-{name}.html"));
        std::fs::write(
            &frame,
            format!(
                "<!DOCTYPE html><html><body style=\"margin:0\"><iframe style=\"border:0;width:100vw;height:100vh;display:block\" src=\"{framed}\"></iframe></body></html>"
            ),
        )
        .unwrap();
        let file = shots.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&file);
        let screenshot = format!("--screenshot={}", file.display());
        let mut args = vec![
            "--window-size=1280,1000",
            "--virtual-time-budget=5000",
            screenshot.as_str(),
        ];
        args.extend(extra);
        headless(&profile, &args, &format!("file://{}", frame.display()));
        assert!(std::fs::metadata(&file).unwrap().len() > 20_000, "{}", file.display());
        eprintln!("screenshot: {}", file.display());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
