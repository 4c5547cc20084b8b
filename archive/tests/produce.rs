//! Productions for a reviewer, in the three formats, from an archive of
//! hostile texts (formulas, header breaks, markup, control characters) with
//! files, each checked by a parser of its format against the archive.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use zoom_chat_archive::{
    CSV_COLUMNS, ExportOptions, ProductionFormat, ProductionRequest, export_jsonl, files_index_path, manifest_path,
    produce,
};
use zoom_chat_reports::Include;
use zoom_chat_reports::mock::{Dataset, FakeZoom, FakeZoomConfig};

use common::day;
use mail_parser::MimeHeaders;

const CUSTODIAN: &str = "USER3@example.com";

async fn archive(name: &str) -> (PathBuf, PathBuf) {
    let zoom = FakeZoom::start(
        FakeZoomConfig::default()
            .dataset(Dataset {
                seed: 4,
                sessions: 8,
                messages_per_session: 200,
                start: day("2026-10-01"),
                end: day("2026-11-20"),
                edited_share: 0.2,
                deleted_share: 0.1,
                file_share: 0.2,
                reply_share: 0.2,
            })
            .today(day("2026-11-22"))
            .varied_texts(true),
    )
    .await
    .unwrap();
    let dir = common::fresh_dir("zoom-produce-test", name);
    let out = dir.join("chat.jsonl");
    let options = ExportOptions::new(day("2026-10-01")..=day("2026-11-20"))
        .include(Include::ALL)
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

/// The records a production of CUSTODIAN from `from` to `to` must hold,
/// found by reading the archive: (session, day) in scope → its records.
fn expected(out: &Path, from: NaiveDate, to: NaiveDate) -> BTreeMap<(String, NaiveDate), Vec<serde_json::Value>> {
    let members: BTreeMap<String, Vec<String>> = std::fs::read_to_string(zoom_chat_archive::sessions_path(out))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|s| {
            let members = s["member_emails"]
                .as_array()
                .map(|m| m.iter().map(|e| e.as_str().unwrap().to_lowercase()).collect())
                .unwrap_or_default();
            (s["id"].as_str().unwrap().to_string(), members)
        })
        .collect();
    let records: Vec<serde_json::Value> = std::fs::read_to_string(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let day_of = |r: &serde_json::Value| {
        chrono::DateTime::from_timestamp_millis(r["timestamp"].as_i64().unwrap())
            .unwrap()
            .date_naive()
    };
    let custodian = CUSTODIAN.to_lowercase();
    let mut scope = BTreeSet::new();
    for r in &records {
        let (session, d) = (r["session_id"].as_str().unwrap().to_string(), day_of(r));
        // Any record of theirs: a deleted message may have no sent line.
        let sent = r["sender"].as_str().unwrap().to_lowercase() == custodian;
        let member = members.get(&session).is_some_and(|m| m.contains(&custodian));
        if d >= from && d <= to && (sent || member) {
            scope.insert((session, d));
        }
    }
    let mut days: BTreeMap<(String, NaiveDate), Vec<serde_json::Value>> = BTreeMap::new();
    for r in records {
        let key = (r["session_id"].as_str().unwrap().to_string(), day_of(&r));
        if scope.contains(&key) {
            days.entry(key).or_default().push(r);
        }
    }
    days
}

fn request(format: ProductionFormat) -> ProductionRequest {
    ProductionRequest::new(vec![CUSTODIAN.into()], day("2026-10-10"), day("2026-11-10"), format)
}

/// RFC 4180, as a review tool reads it.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted, mut chars) = (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

fn sha256(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// production.json names every file with its SHA-256, and the manifest's.
fn check_record(dir: &Path, out: &Path, days: usize) -> zoom_chat_archive::ProductionRecord {
    let record: zoom_chat_archive::ProductionRecord =
        serde_json::from_slice(&std::fs::read(dir.join("production.json")).unwrap()).unwrap();
    assert_eq!(record.conversation_days.len(), days);
    for file in &record.files {
        let bytes = std::fs::read(dir.join(&file.path)).unwrap();
        assert_eq!(
            (bytes.len() as u64, sha256(&bytes)),
            (file.size, file.sha256.clone()),
            "{}",
            file.path
        );
    }
    assert_eq!(
        record.archive_manifest_sha256.as_deref(),
        Some(sha256(&std::fs::read(manifest_path(out)).unwrap()).as_str())
    );
    record
}

#[tokio::test]
async fn csv_rows_are_the_records_with_formulas_defused() {
    let (dir, out) = archive("csv").await;
    let want = expected(&out, day("2026-10-10"), day("2026-11-10"));
    assert!(!want.is_empty());
    let target = dir.join("production");
    produce(&out, &target, &request(ProductionFormat::Csv)).await.unwrap();
    let bytes = std::fs::read(target.join("messages.csv")).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a BOM");
    // Read by the csv crate, as a review tool would: RFC 4180, no BOM.
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(
        rows,
        parse_csv(std::str::from_utf8(&bytes[3..]).unwrap()),
        "and by the letter of RFC 4180"
    );
    assert_eq!(rows[0], CSV_COLUMNS.map(String::from).to_vec());
    let records: Vec<&serde_json::Value> = want.values().flatten().collect();
    assert_eq!(rows.len() - 1, records.len(), "one row per record");
    let mut by_id: BTreeMap<(String, String), String> = BTreeMap::new();
    for row in &rows[1..] {
        assert_eq!(row.len(), CSV_COLUMNS.len(), "{row:?}");
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula: {cell:?}"
            );
        }
        by_id.insert((row[0].clone(), row[1].clone()), row[8].clone());
    }
    for record in records {
        let text = record["message"].as_str().unwrap();
        let shown = &by_id[&(
            record["id"].as_str().unwrap().to_string(),
            record["kind"].as_str().unwrap().to_string(),
        )];
        let defused = text.starts_with(['=', '+', '-', '@']);
        assert_eq!(shown, &if defused { format!("'{text}") } else { text.to_string() });
    }
    assert!(
        by_id.values().any(|t| t.starts_with("'=HYPERLINK")),
        "the fake's formula is in scope"
    );
    check_record(&target, &out, want.len());
    // A rerun into the folder is refused; with overwrite it replaces it.
    let again = produce(&out, &target, &request(ProductionFormat::Csv))
        .await
        .unwrap_err();
    assert!(again.to_string().contains("--overwrite"), "{again}");
    let mut overwrite = request(ProductionFormat::Csv);
    overwrite.overwrite = true;
    produce(&out, &target, &overwrite).await.unwrap();
    // A link planted in the folder is never followed: not to remove the
    // files it points to, not to write through it.
    let victim = dir.join("victim");
    std::fs::create_dir(&victim).unwrap();
    std::fs::write(victim.join("messages.csv"), "theirs").unwrap();
    std::fs::remove_file(target.join("messages.csv")).unwrap();
    std::os::unix::fs::symlink(victim.join("messages.csv"), target.join("messages.csv")).unwrap();
    let through = produce(&out, &target, &overwrite).await.unwrap_err();
    assert!(through.to_string().contains("link"), "{through}");
    assert_eq!(std::fs::read_to_string(victim.join("messages.csv")).unwrap(), "theirs");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn eml_messages_parse_with_no_header_injected_and_files_attached() {
    let (dir, out) = archive("eml").await;
    let want = expected(&out, day("2026-10-10"), day("2026-11-10"));
    let target = dir.join("production");
    let summary = produce(&out, &target, &request(ProductionFormat::Eml)).await.unwrap();
    let record = check_record(&target, &out, want.len());
    assert_eq!(record.files.len(), want.len(), "one message per conversation-day");
    let archived: BTreeSet<(String, String)> = std::fs::read_to_string(files_index_path(&dir.join("files")))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|f| f["status"] == "downloaded")
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut ids = BTreeSet::new();
    let mut attached = 0;
    let mut saw_break = false;
    for file in &record.files {
        let bytes = std::fs::read(target.join(&file.path)).unwrap();
        let message = mail_parser::MessageParser::default().parse(&bytes).unwrap();
        // Nothing from Zoom became a header of its own.
        for name in ["Bcc", "Cc", "Reply-To"] {
            assert!(message.header(name).is_none(), "{name} injected in {}", file.path);
        }
        let subject = message.subject().unwrap();
        assert!(subject.starts_with("Zoom chat: "), "{subject}");
        assert!(!subject.contains(['\r', '\n']), "{subject}");
        saw_break |= subject.contains("Sales  Bcc: attacker@example.com");
        assert!(message.from().is_some() && message.to().is_some() && message.date().is_some());
        // A display name never decodes to a line break (mail readers refuse it).
        for address in message.to().unwrap().iter().chain(message.from().unwrap().iter()) {
            assert!(
                !address.name().unwrap_or_default().contains(['\r', '\n']),
                "{address:?}"
            );
        }
        assert!(
            ids.insert(message.message_id().unwrap().to_string()),
            "Message-ID unique"
        );
        assert!(message.body_text(0).is_some() && message.body_html(0).is_some());
        for attachment in message.attachments() {
            // Names repeat across sessions: the bytes are an archived file's.
            let name = attachment.attachment_name().unwrap().to_string();
            let sha = sha256(attachment.contents());
            assert!(archived.iter().any(|(n, s)| *n == name && *s == sha), "{name}");
            attached += 1;
        }
    }
    assert!(
        saw_break,
        "the session name with a CR LF stayed inside its Subject, as spaces"
    );
    assert_eq!(attached as u64, summary.record.files_attached);
    assert!(attached > 0);
    // Stable across reruns: the same Message-IDs.
    let again = dir.join("again");
    produce(&out, &again, &request(ProductionFormat::Eml)).await.unwrap();
    for file in &record.files {
        let a = mail_parser::MessageParser::default()
            .parse(&std::fs::read(target.join(&file.path)).unwrap())
            .unwrap()
            .message_id()
            .map(str::to_string);
        let b = mail_parser::MessageParser::default()
            .parse(&std::fs::read(again.join(&file.path)).unwrap())
            .unwrap()
            .message_id()
            .map(str::to_string);
        assert_eq!(a, b);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn xml_is_well_formed_with_a_conversation_per_session_day() {
    let (dir, out) = archive("xml").await;
    let want = expected(&out, day("2026-10-10"), day("2026-11-10"));
    let target = dir.join("production");
    produce(&out, &target, &request(ProductionFormat::Xml)).await.unwrap();
    check_record(&target, &out, want.len());
    let text = std::fs::read_to_string(target.join("conversations.xml")).unwrap();
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut contents = Vec::new();
    let mut in_content = false;
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) => {
                let name = e.name().into_inner().to_string();
                in_content = name == "Content";
                *counts.entry(name).or_default() += 1;
            }
            quick_xml::events::Event::Text(t) => {
                if in_content {
                    contents.push(t.xml10_content().into_owned());
                }
            }
            quick_xml::events::Event::GeneralRef(_) => {}
            quick_xml::events::Event::Eof => break,
            _ => in_content = false,
        }
    }
    assert_eq!(counts["Conversation"], want.len());
    let records: Vec<&serde_json::Value> = want.values().flatten().collect();
    let of = |kind: &str| records.iter().filter(|r| r["kind"] == kind).count();
    assert_eq!(counts.get("Message").copied().unwrap_or(0), of("sent"));
    assert_eq!(counts.get("MessageEdited").copied().unwrap_or(0), of("edited"));
    assert_eq!(counts.get("MessageDeleted").copied().unwrap_or(0), of("deleted"));
    assert!(text.contains("&lt;script&gt;") && !text.contains("<script>"));
    assert!(!text.chars().any(|c| (c as u32) < 0x20 && !matches!(c, '\n' | '\t')));
    std::fs::remove_dir_all(&dir).unwrap();
}
