//! Productions for a reviewer (`produce`): every conversation-day (one
//! session, one UTC day) in which a custodian sent a message or is a listed
//! member, whole, with its edits and deletions, as CSV, EML or
//! Actiance-style XML, with `production.json` recording what was produced
//! from which archive. The layouts are documented in `PRODUCTIONS.md`.
//!
//! Every text from Zoom is hostile here: a spreadsheet runs a cell that
//! starts with `=`, a mail header ends at a line break, XML 1.0 cannot hold
//! most control characters. Each format defuses, encodes or marks them, and
//! the tests feed the fake Zoom's hostile texts through each.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::access::Access;
use crate::error::{ExportError, io_error};
use crate::lock::ReadLock;
use crate::paths::{files_index_path, manifest_path, sessions_path};
use crate::search::rfc3339;

/// The formats review tools load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProductionFormat {
    /// One CSV file, a row per record (Mattermost's compliance export's shape).
    Csv,
    /// One RFC 5322 message per conversation-day (as Global Relay loads).
    Eml,
    /// Actiance-style XML: one `Conversation` per session per day.
    Xml,
}

/// What to produce.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProductionRequest {
    /// The custodians' email addresses (any case).
    pub custodians: Vec<String>,
    /// The first day (UTC).
    pub from: NaiveDate,
    /// The last day (UTC).
    pub to: NaiveDate,
    /// The format.
    pub format: ProductionFormat,
    /// Replace an earlier production in the folder.
    pub overwrite: bool,
    /// The command as given, for the record.
    pub command: Vec<String>,
}

impl ProductionRequest {
    /// A production of `custodians` from `from` to `to` in `format`, into a new folder.
    pub fn new(custodians: Vec<String>, from: NaiveDate, to: NaiveDate, format: ProductionFormat) -> Self {
        Self {
            custodians,
            from,
            to,
            format,
            overwrite: false,
            command: Vec::new(),
        }
    }
}

/// A file produced, with its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProducedFile {
    /// Relative to the production's folder.
    pub path: String,
    /// Bytes.
    pub size: u64,
    /// Lowercase hex.
    pub sha256: String,
}

/// `DIR/production.json`: what was produced, from what, for whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProductionRecord {
    /// `zoom-chat-archive production`.
    pub format: String,
    /// The layout of this record.
    pub version: u32,
    /// When it was made (UTC).
    pub made: DateTime<Utc>,
    /// The command as given.
    pub command: Vec<String>,
    /// The custodians, as given.
    pub custodians: Vec<String>,
    /// The days.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// The format produced.
    pub production_format: ProductionFormat,
    /// The conversation-days in scope: `(session id, day)`.
    pub conversation_days: Vec<(String, NaiveDate)>,
    /// Records produced by kind (`sent`, `edited`, `deleted`).
    pub counts: BTreeMap<String, u64>,
    /// Archived files included (EML), or referenced.
    pub files_attached: u64,
    /// Files referenced that the archive does not hold, listed by name.
    pub files_not_archived: u64,
    /// SHA-256 of the archive's manifest it came from.
    pub archive_manifest_sha256: Option<String>,
    /// The archive's chain of runs' head when it was made, if any.
    pub archive_chain_head: Option<String>,
    /// Every file produced, with its SHA-256.
    pub files: Vec<ProducedFile>,
}

/// One record of the archive, as a production shows it.
#[derive(Debug, Clone)]
struct Record {
    id: String,
    kind: String,
    session_id: String,
    /// When the message was sent.
    sent_at: i64,
    /// When this record's action happened (sent, edited, deleted).
    at: i64,
    sender: String,
    sender_name: String,
    text: String,
    reply_to: Option<String>,
    /// `(file id, name)`.
    files: Vec<(String, String)>,
}

impl Record {
    fn parse(value: &Value) -> Option<Record> {
        let text = |f: &str| value.get(f).and_then(Value::as_str).map(str::to_string);
        let sent_at = crate::index::sent_time(value)?;
        let kind = text("kind")?;
        let at = match kind.as_str() {
            "sent" => sent_at,
            _ => crate::index::action_time(value, sent_at),
        };
        let files = value
            .get("files")
            .and_then(Value::as_array)
            .map(|files| {
                files
                    .iter()
                    .map(|f| {
                        let field = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
                        (field("file_id"), field("file_name"))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(Record {
            id: text("id")?,
            kind,
            session_id: text("session_id")?,
            sent_at,
            at,
            sender: text("sender").unwrap_or_default(),
            sender_name: text("sender_display_name").unwrap_or_default(),
            text: text("message").unwrap_or_default(),
            reply_to: text("reply_main_message_id").filter(|r| !r.is_empty()),
            files,
        })
    }

    fn day(&self) -> NaiveDate {
        time_of(self.sent_at).date_naive()
    }
}

fn time_of(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

/// A session as the sidecar has it.
#[derive(Debug, Clone, Default)]
struct Session {
    name: String,
    members: Vec<String>,
}

/// What a production made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProductionSummary {
    /// The folder.
    pub dir: PathBuf,
    /// What `production.json` records.
    pub record: ProductionRecord,
}

/// Produces `request` from the archive in `output` into `dir`.
pub async fn produce(output: &Path, dir: &Path, request: &ProductionRequest) -> Result<ProductionSummary, ExportError> {
    let header = crate::journal::header_of(output)
        .await?
        .ok_or_else(|| crate::error::no_archive(output))?;
    let _lock = ReadLock::acquire(output)?;
    let files_dir = crate::manifest::archive_files_dir(output).await?;
    let output = output.to_path_buf();
    let dir = dir.to_path_buf();
    let request = request.clone();
    let access = header.access;
    tokio::task::spawn_blocking(move || produce_blocking(&output, &dir, &request, files_dir.as_deref(), access))
        .await
        .map_err(|e| ExportError::Io {
            path: PathBuf::from("."),
            source: std::io::Error::other(format!("the production stopped unexpectedly: {e}")),
        })?
}

fn produce_blocking(
    output: &Path,
    dir: &Path,
    request: &ProductionRequest,
    files_dir: Option<&Path>,
    access: Access,
) -> Result<ProductionSummary, ExportError> {
    prepare_dir(dir, request.overwrite, access)?;
    let custodians: BTreeSet<String> = request.custodians.iter().map(|c| c.trim().to_lowercase()).collect();
    let sessions = read_sessions(&sessions_path(output))?;
    let in_range = |day: NaiveDate| day >= request.from && day <= request.to;

    // First pass: the conversation-days in scope.
    let mut scope: BTreeSet<(String, NaiveDate)> = BTreeSet::new();
    each_record(output, |_, record| {
        let day = record.day();
        if !in_range(day) {
            return;
        }
        let member = sessions
            .get(&record.session_id)
            .is_some_and(|s| s.members.iter().any(|m| custodians.contains(&m.to_lowercase())));
        // A record of any kind: a deleted message may have no sent line.
        let theirs = custodians.contains(&record.sender.to_lowercase());
        if member || theirs {
            scope.insert((record.session_id.clone(), day));
        }
    })?;
    // Second pass: where each record of a conversation-day in scope is, its
    // edits and deletions with it. Only offsets are kept (8 bytes a record),
    // so that a production of a million records stays small in memory.
    let mut days: BTreeMap<(String, NaiveDate), Vec<u64>> = scope.iter().map(|k| (k.clone(), Vec::new())).collect();
    each_record(output, |offset, record| {
        if let Some(offsets) = days.get_mut(&(record.session_id.clone(), record.day())) {
            offsets.push(offset);
        }
    })?;
    let archived = read_archived_files(files_dir)?;
    let mut archive = std::io::BufReader::new(std::fs::File::open(output).map_err(io_error(output))?);

    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut made = Made::new(dir, access);
    let (mut attached, mut missing) = (0u64, 0u64);
    let mut stream = match request.format {
        ProductionFormat::Csv => {
            let mut file = made.create("messages.csv")?;
            // UTF-8 with a byte order mark, so that a spreadsheet reads it as UTF-8.
            file.write(format!("\u{feff}{}\r\n", CSV_COLUMNS.join(",")).as_bytes())?;
            Some(file)
        }
        ProductionFormat::Xml => {
            let mut file = made.create("conversations.xml")?;
            file.write(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FileDump>\n")?;
            Some(file)
        }
        ProductionFormat::Eml => None,
    };
    for ((session_id, day), offsets) in &days {
        let mut records = Vec::with_capacity(offsets.len());
        for &offset in offsets {
            if let Some(record) = record_at(&mut archive, offset, output)? {
                records.push(record);
            }
        }
        records.sort_by(|a, b| (a.at, &a.id, &a.kind).cmp(&(b.at, &b.id, &b.kind)));
        for record in &records {
            *counts.entry(record.kind.clone()).or_default() += 1;
        }
        let session = sessions.get(session_id).cloned().unwrap_or_default();
        match &mut stream {
            Some(file) if request.format == ProductionFormat::Csv => file.write(&csv_rows(&records, &session))?,
            Some(file) => file.write(&xml_conversation(session_id, *day, &records, &session))?,
            None => {
                let (bytes, with, without) = eml(session_id, &session, *day, &records, &archived);
                attached += with;
                missing += without;
                let mut file = made.create(&format!("eml/{day}_{}.eml", crate::search::session_dir(session_id)))?;
                file.write(&bytes)?;
                made.finish(file)?;
            }
        }
        if request.format != ProductionFormat::Eml {
            for (id, _) in records.iter().flat_map(|r| &r.files) {
                if archived.contains_key(id) {
                    attached += 1;
                } else {
                    missing += 1;
                }
            }
        }
    }
    if let Some(mut file) = stream {
        if request.format == ProductionFormat::Xml {
            file.write(b"</FileDump>\n")?;
        }
        made.finish(file)?;
    }
    let manifest_sha256 = std::fs::read(manifest_path(output))
        .ok()
        .map(|bytes| crate::sha256::sha256_hex(&bytes));
    let record = ProductionRecord {
        format: "zoom-chat-archive production".into(),
        version: 1,
        made: Utc::now(),
        command: request.command.clone(),
        custodians: request.custodians.clone(),
        from: request.from,
        to: request.to,
        production_format: request.format,
        conversation_days: scope.into_iter().collect(),
        counts,
        files_attached: attached,
        files_not_archived: missing,
        archive_manifest_sha256: manifest_sha256,
        archive_chain_head: crate::chain::head(output).map(|h| h.hash()),
        files: made.files.clone(),
    };
    let json = serde_json::to_vec_pretty(&record).map_err(|e| io_error(dir)(std::io::Error::other(e)))?;
    let mut file = made.create("production.json")?;
    file.write(&json)?;
    made.finish(file)?;
    made.files.pop();
    Ok(ProductionSummary {
        dir: dir.to_path_buf(),
        record,
    })
}

/// The record whose line starts at `offset`.
fn record_at(
    archive: &mut std::io::BufReader<std::fs::File>,
    offset: u64,
    output: &Path,
) -> Result<Option<Record>, ExportError> {
    use std::io::Seek;
    archive
        .seek(std::io::SeekFrom::Start(offset))
        .map_err(io_error(output))?;
    let mut line = Vec::new();
    archive.read_until(b'\n', &mut line).map_err(io_error(output))?;
    Ok(serde_json::from_slice::<Value>(&line)
        .ok()
        .as_ref()
        .and_then(Record::parse))
}

/// Reads every record of the archive, in file order; a line that is no
/// record is passed over (verify names it).
fn each_record(output: &Path, mut on: impl FnMut(u64, Record)) -> Result<(), ExportError> {
    let file = std::fs::File::open(output).map_err(io_error(output))?;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut line = Vec::new();
    let mut offset = 0u64;
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line).map_err(io_error(output))?;
        if read == 0 {
            break;
        }
        if let Some(record) = serde_json::from_slice::<Value>(&line)
            .ok()
            .as_ref()
            .and_then(Record::parse)
        {
            on(offset, record);
        }
        offset += read as u64;
    }
    Ok(())
}

fn read_sessions(path: &Path) -> Result<BTreeMap<String, Session>, ExportError> {
    let text = match std::fs::read(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(io_error(path)(e)),
    };
    let mut sessions = BTreeMap::new();
    for line in text.split(|&b| b == b'\n') {
        let Ok(value) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        let Some(id) = value.get("id").and_then(Value::as_str) else {
            continue;
        };
        sessions.insert(
            id.to_string(),
            Session {
                name: value
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                members: value
                    .get("member_emails")
                    .and_then(Value::as_array)
                    .map(|m| m.iter().filter_map(Value::as_str).map(str::to_string).collect())
                    .unwrap_or_default(),
            },
        );
    }
    Ok(sessions)
}

/// Archived files by id: the path on disk and the name.
fn read_archived_files(files_dir: Option<&Path>) -> Result<BTreeMap<String, (PathBuf, String)>, ExportError> {
    let Some(dir) = files_dir else {
        return Ok(BTreeMap::new());
    };
    let path = files_index_path(dir);
    let text = match std::fs::read(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(io_error(&path)(e)),
    };
    let mut files = BTreeMap::new();
    for line in text.split(|&b| b == b'\n') {
        let Ok(record) = serde_json::from_slice::<crate::FileRecord>(line) else {
            continue;
        };
        let relative = Path::new(&record.path);
        let plain = relative
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if record.status == crate::FileStatus::Downloaded && plain {
            files.insert(record.file_id.clone(), (dir.join(relative), record.name.clone()));
        } else {
            files.remove(&record.file_id);
        }
    }
    Ok(files)
}

/// A folder for the production: new, empty, or (with `overwrite`) one
/// holding an earlier production, whose files are removed first. Anything
/// else is refused, and nothing is written.
fn prepare_dir(dir: &Path, overwrite: bool, access: Access) -> Result<(), ExportError> {
    let refuse = |why: &str| ExportError::Io {
        path: dir.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::AlreadyExists, why.to_string()),
    };
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_none() {
                return Ok(());
            }
            let record = dir.join("production.json");
            let earlier: Option<ProductionRecord> = std::fs::read(&record)
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok());
            match (overwrite, earlier) {
                (false, _) => Err(refuse(
                    "is not empty: a production goes into a new or empty folder; add --overwrite to replace an earlier production there",
                )),
                (true, None) => Err(refuse(
                    "is not empty and holds no earlier production (no production.json), so --overwrite does not replace it",
                )),
                (true, Some(earlier)) => {
                    for file in earlier.files {
                        if let Some(path) = inside(dir, Path::new(&file.path)) {
                            let _ = std::fs::remove_file(path);
                        }
                    }
                    std::fs::remove_file(&record).map_err(io_error(&record))
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => crate::site::create_dir(dir, access),
        Err(e) => Err(io_error(dir)(e)),
    }
}

/// `dir/relative`, when `relative` is plain names and no folder on the way
/// is a link: a link planted in a production's folder is never followed,
/// to remove a file or to write one.
fn inside(dir: &Path, relative: &Path) -> Option<PathBuf> {
    let mut path = dir.to_path_buf();
    let parts: Vec<_> = relative.components().collect();
    for (i, part) in parts.iter().enumerate() {
        let std::path::Component::Normal(name) = part else {
            return None;
        };
        path.push(name);
        let last = i + 1 == parts.len();
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => return None,
            Ok(m) if !last && !m.is_dir() => return None,
            _ => {}
        }
    }
    Some(path)
}

/// The files written, with their SHA-256.
struct Made {
    dir: PathBuf,
    access: Access,
    files: Vec<ProducedFile>,
}

/// A file being written, hashed as it goes.
struct Producing {
    relative: String,
    path: PathBuf,
    file: std::io::BufWriter<std::fs::File>,
    hash: ring::digest::Context,
    size: u64,
}

impl Producing {
    fn write(&mut self, bytes: &[u8]) -> Result<(), ExportError> {
        self.hash.update(bytes);
        self.size += bytes.len() as u64;
        self.file.write_all(bytes).map_err(io_error(&self.path))
    }
}

impl Made {
    fn new(dir: &Path, access: Access) -> Self {
        Self {
            dir: dir.to_path_buf(),
            access,
            files: Vec::new(),
        }
    }

    /// A new file, never one that exists (an earlier production's files
    /// were removed first).
    fn create(&mut self, relative: &str) -> Result<Producing, ExportError> {
        let refused = |path: &Path| ExportError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "is a link, or lies behind one: a production never writes through a link",
            ),
        };
        let path = inside(&self.dir, Path::new(relative)).ok_or_else(|| refused(&self.dir.join(relative)))?;
        if let Some(parent) = path.parent() {
            crate::site::create_dir(parent, self.access)?;
        }
        // Made just now, or there before: a real folder either way.
        inside(&self.dir, Path::new(relative)).ok_or_else(|| refused(&path))?;
        let file = self
            .access
            .std_open_options()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io_error(&path))?;
        Ok(Producing {
            relative: relative.to_string(),
            path,
            file: std::io::BufWriter::with_capacity(1 << 16, file),
            hash: ring::digest::Context::new(&ring::digest::SHA256),
            size: 0,
        })
    }

    /// Flushes and syncs a file, and lists it with its SHA-256.
    fn finish(&mut self, producing: Producing) -> Result<(), ExportError> {
        let Producing {
            relative,
            path,
            file,
            hash,
            size,
        } = producing;
        let file = file.into_inner().map_err(|e| io_error(&path)(e.into_error()))?;
        file.sync_all().map_err(io_error(&path))?;
        self.files.push(ProducedFile {
            path: relative,
            size,
            sha256: crate::sha256::hex(hash.finish().as_ref()),
        });
        Ok(())
    }
}

/// A CSV cell: a spreadsheet runs one that starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return as a formula, so it gets a leading `'`
/// (OWASP's advice); then RFC 4180 quoting.
pub(crate) fn csv_cell(raw: &str) -> String {
    let defused = match raw.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{raw}"),
        _ => raw.to_string(),
    };
    if defused.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// The CSV columns, in order (see `PRODUCTIONS.md`).
pub const CSV_COLUMNS: [&str; 11] = [
    "message_id",
    "kind",
    "session_id",
    "session_name",
    "date_time",
    "action_time",
    "sender",
    "sender_name",
    "text",
    "reply_to",
    "files",
];

/// The rows of one conversation-day.
fn csv_rows(records: &[Record], session: &Session) -> Vec<u8> {
    let mut out = String::new();
    for record in records {
        let files: Vec<String> = record.files.iter().map(|(id, name)| format!("{name} ({id})")).collect();
        let cells = [
            record.id.as_str(),
            record.kind.as_str(),
            record.session_id.as_str(),
            session.name.as_str(),
            &rfc3339(record.sent_at),
            &rfc3339(record.at),
            record.sender.as_str(),
            record.sender_name.as_str(),
            record.text.as_str(),
            record.reply_to.as_deref().unwrap_or_default(),
            &files.join("; "),
        ];
        let row: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out += &row.join(",");
        out += "\r\n";
    }
    out.into_bytes()
}

/// Text for XML 1.0: markup escaped, and the characters it cannot hold at
/// all (most C0 controls, U+FFFE, U+FFFF) written as `\u{1b}`, so that the
/// document stays well-formed and the reader still sees them. A CR is kept
/// as `&#13;`, which a parser would otherwise fold into the line break.
pub(crate) fn xml_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// One `Conversation`: a session's day.
fn xml_conversation(session_id: &str, day: NaiveDate, records: &[Record], session: &Session) -> Vec<u8> {
    let mut out = String::new();
    let element = |out: &mut String, indent: &str, name: &str, value: &str| {
        let _ = writeln!(out, "{indent}<{name}>{}</{name}>", xml_text(value));
    };
    {
        let start = records.iter().map(|r| r.at).min().unwrap_or_default();
        let end = records.iter().map(|r| r.at).max().unwrap_or_default();
        out += "  <Conversation Perspective=\"zoom-chat-archive\">\n";
        element(&mut out, "    ", "RoomID", session_id);
        element(&mut out, "    ", "RoomName", &session.name);
        element(&mut out, "    ", "Day", &day.to_string());
        element(&mut out, "    ", "StartTimeUTC", &(start / 1000).to_string());
        let mut participants: BTreeMap<String, String> = BTreeMap::new();
        for member in &session.members {
            participants.entry(member.to_lowercase()).or_default();
        }
        for record in records {
            let name = participants.entry(record.sender.to_lowercase()).or_default();
            if name.is_empty() {
                *name = record.sender_name.clone();
            }
        }
        for (login, display) in &participants {
            out += "    <ParticipantEntered>\n";
            element(&mut out, "      ", "LoginName", login);
            element(&mut out, "      ", "DisplayName", display);
            element(&mut out, "      ", "DateTimeUTC", &(start / 1000).to_string());
            out += "    </ParticipantEntered>\n";
        }
        for record in records {
            let tag = match record.kind.as_str() {
                "edited" => "MessageEdited",
                "deleted" => "MessageDeleted",
                _ => "Message",
            };
            let _ = writeln!(out, "    <{tag}>");
            element(&mut out, "      ", "MessageID", &record.id);
            element(&mut out, "      ", "LoginName", &record.sender);
            element(&mut out, "      ", "UserName", &record.sender_name);
            element(&mut out, "      ", "DateTimeUTC", &(record.at / 1000).to_string());
            element(&mut out, "      ", "SentTimeUTC", &(record.sent_at / 1000).to_string());
            element(&mut out, "      ", "Content", &record.text);
            if let Some(parent) = &record.reply_to {
                element(&mut out, "      ", "ReplyTo", parent);
            }
            let _ = writeln!(out, "    </{tag}>");
            for (id, name) in &record.files {
                for transfer in ["FileTransferStarted", "FileTransferEnded"] {
                    let _ = writeln!(out, "    <{transfer}>");
                    element(&mut out, "      ", "LoginName", &record.sender);
                    element(&mut out, "      ", "FileName", name);
                    element(&mut out, "      ", "FileID", id);
                    element(&mut out, "      ", "DateTimeUTC", &(record.at / 1000).to_string());
                    let _ = writeln!(out, "    </{transfer}>");
                }
            }
        }
        element(&mut out, "    ", "EndTimeUTC", &(end / 1000).to_string());
        out += "  </Conversation>\n";
    }
    out.into_bytes()
}

/// Base64 (RFC 4648), lines of 76 characters ending CRLF, for MIME.
fn base64_lines(bytes: &[u8]) -> String {
    use base64::Engine;
    let flat = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = String::with_capacity(flat.len() + flat.len() / 38);
    for line in flat.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push_str("\r\n");
    }
    out
}

/// A header value from Zoom's data as RFC 2047 encoded words when it is
/// anything but plain printable ASCII: a CR or LF in it is then base64
/// inside its own header, and can never start another.
pub(crate) fn header_words(raw: &str) -> String {
    let plain = raw.bytes().all(|b| (0x20..0x7f).contains(&b)) && !raw.contains("=?");
    if plain {
        return raw.to_string();
    }
    encoded_words(raw)
}

/// `raw` as RFC 2047 encoded words, whatever it holds.
fn encoded_words(raw: &str) -> String {
    // At most 45 bytes a word (60 characters of base64), split on characters.
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in raw.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(chunk);
    }
    words
        .iter()
        .map(|w| format!("=?UTF-8?B?{}?=", base64_lines(w.as_bytes()).replace("\r\n", "")))
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// Text for a header: control characters (a CR or LF above all) as
/// spaces. Encoding alone already keeps them inside their header, but a
/// mail reader that decodes a display name with a line break in it may
/// refuse the whole address.
fn header_text(raw: &str) -> String {
    raw.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// An address from Zoom as a mailbox: the address when it is a plain one,
/// else a placeholder with the text kept, encoded, in the display name.
fn mailbox(email: &str, name: &str) -> String {
    let plain = email.matches('@').count() == 1
        && !email.starts_with('@')
        && !email.ends_with('@')
        && email
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~.@".contains(&b));
    let (address, shown) = if plain {
        (email.to_string(), header_text(name))
    } else {
        (
            "unknown@invalid".to_string(),
            header_text(&format!("{name} {email}")).trim().to_string(),
        )
    };
    if shown.is_empty() {
        format!("<{address}>")
    } else {
        // Encoded unless plain words: a display name may hold commas,
        // quotes or angle brackets, which would change the address list.
        let encoded = if shown.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ') {
            shown
        } else {
            encoded_words(&shown)
        };
        format!("{encoded} <{address}>")
    }
}

/// One conversation-day as an RFC 5322 message; returns it with the counts
/// of archived files attached and of files listed as not archived.
fn eml(
    session_id: &str,
    session: &Session,
    day: NaiveDate,
    records: &[Record],
    archived: &BTreeMap<String, (PathBuf, String)>,
) -> (Vec<u8>, u64, u64) {
    let first = records.first();
    let stable = crate::sha256::sha256_hex(format!("{session_id}\n{day}").as_bytes());
    let boundary = |part: &str| format!("=_zca_{part}_{}", &stable[..24]);
    let mut participants: BTreeMap<String, String> = BTreeMap::new();
    for member in &session.members {
        participants.entry(member.clone()).or_default();
    }
    for record in records {
        let name = participants.entry(record.sender.clone()).or_default();
        if name.is_empty() {
            *name = record.sender_name.clone();
        }
    }
    let title = if session.name.trim().is_empty() {
        session.members.join(", ")
    } else {
        session.name.clone()
    };
    let mut plain = format!("Zoom Team Chat: {title}, {day} (UTC)\r\nSession {session_id}\r\n\r\n");
    let mut html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title></head><body><h1>{} — {day} (UTC)</h1><ol>",
        crate::escape::text(&title),
        crate::escape::text(&title)
    );
    let mut attachments = Vec::new();
    let mut not_archived = Vec::new();
    let mut seen_files = BTreeSet::new();
    for record in records {
        let what = match record.kind.as_str() {
            "edited" => format!("edited at {} (sent {})", rfc3339(record.at), rfc3339(record.sent_at)),
            "deleted" => format!("deleted at {} (sent {})", rfc3339(record.at), rfc3339(record.sent_at)),
            _ => format!("sent at {}", rfc3339(record.at)),
        };
        let _ = write!(
            plain,
            "[{what}] {} <{}>: {}\r\n  message id {}{}\r\n",
            record.sender_name,
            record.sender,
            record.text.replace('\n', "\n  "),
            record.id,
            record
                .reply_to
                .as_deref()
                .map(|p| format!(", in reply to {p}"))
                .unwrap_or_default()
        );
        let _ = write!(
            html,
            "<li><p><b>{}</b> &lt;{}&gt; <i>{}</i></p><p style=\"white-space:pre-wrap\">{}</p><p><small>message id {}</small></p></li>",
            crate::escape::text(&record.sender_name),
            crate::escape::text(&record.sender),
            crate::escape::text(&what),
            crate::escape::text(&record.text),
            crate::escape::text(&record.id)
        );
        for (id, name) in &record.files {
            // Once a file: an edit repeats the files of the message it edits.
            if !seen_files.insert(id.clone()) {
                continue;
            }
            match archived.get(id) {
                Some((path, _)) => match std::fs::read(path) {
                    Ok(bytes) => attachments.push((name.clone(), bytes)),
                    Err(_) => not_archived.push(name.clone()),
                },
                None => not_archived.push(name.clone()),
            }
        }
    }
    if !not_archived.is_empty() {
        plain += "\r\nFiles referenced that the archive does not hold:\r\n";
        for name in &not_archived {
            let _ = write!(plain, "  {name}\r\n");
        }
        html += "</ol><p>Files referenced that the archive does not hold:</p><ul>";
        for name in &not_archived {
            let _ = write!(html, "<li>{}</li>", crate::escape::text(name));
        }
        html += "</ul>";
    } else {
        html += "</ol>";
    }
    html += "</body></html>";

    let from = first
        .map(|r| mailbox(&r.sender, &r.sender_name))
        .unwrap_or_else(|| "<unknown@invalid>".into());
    let to: Vec<String> = participants.iter().map(|(email, name)| mailbox(email, name)).collect();
    let date = first.map(|r| time_of(r.at).to_rfc2822()).unwrap_or_default();
    let mut message = String::new();
    let _ = write!(message, "From: {from}\r\n");
    let _ = write!(message, "To: {}\r\n", to.join(",\r\n "));
    let _ = write!(message, "Date: {date}\r\n");
    let _ = write!(
        message,
        "Subject: {}\r\n",
        header_words(&header_text(&format!("Zoom chat: {title} — {day}")))
    );
    let _ = write!(message, "Message-ID: <{}@zoom-chat-archive.invalid>\r\n", &stable[..40]);
    let _ = write!(message, "X-Zoom-Session-Id: {}\r\n", header_words(session_id));
    message += "MIME-Version: 1.0\r\n";
    let _ = write!(
        message,
        "Content-Type: multipart/mixed; boundary=\"{}\"\r\n\r\n",
        boundary("m")
    );
    let _ = write!(message, "--{}\r\n", boundary("m"));
    let _ = write!(
        message,
        "Content-Type: multipart/alternative; boundary=\"{}\"\r\n\r\n",
        boundary("a")
    );
    for (kind, body) in [("text/plain", &plain), ("text/html", &html)] {
        let _ = write!(message, "--{}\r\n", boundary("a"));
        let _ = write!(
            message,
            "Content-Type: {kind}; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}",
            base64_lines(body.as_bytes())
        );
    }
    let _ = write!(message, "--{}--\r\n", boundary("a"));
    for (name, bytes) in &attachments {
        let _ = write!(message, "--{}\r\n", boundary("m"));
        let _ = write!(
            message,
            "Content-Type: {}\r\nContent-Disposition: attachment; filename*=UTF-8''{}\r\nContent-Transfer-Encoding: base64\r\n\r\n{}",
            content_type(name),
            rfc2231(name),
            base64_lines(bytes)
        );
    }
    let _ = write!(message, "--{}--\r\n", boundary("m"));
    (
        message.into_bytes(),
        attachments.len() as u64,
        not_archived.len() as u64,
    )
}

/// A file's MIME type by its name, for a reviewer's mail reader.
fn content_type(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        _ => "application/octet-stream",
    }
}

/// A file name as an RFC 2231 parameter value: percent-encoded UTF-8.
fn rfc2231(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_a_spreadsheet_would_run_are_defused_and_quoted() {
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@cmd"), "'@cmd");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\r\nlines"), "\"two\r\nlines\"");
        assert_eq!(csv_cell("plain"), "plain");
    }

    #[test]
    fn header_values_can_never_break_their_line() {
        let encoded = header_words("Sales\r\nBcc: attacker@example.com");
        assert!(!encoded.contains('\n') || encoded.split("\r\n").skip(1).all(|l| l.starts_with(' ')));
        assert!(encoded.starts_with("=?UTF-8?B?") && !encoded.contains("Bcc"));
        assert_eq!(header_words("Plain name"), "Plain name");
        assert_eq!(base64_lines(b"Man"), "TWFu\r\n");
        assert_eq!(base64_lines(b"Ma"), "TWE=\r\n");
        assert_eq!(base64_lines(b"M"), "TQ==\r\n");
        assert_eq!(mailbox("a@b.example", "A"), "A <a@b.example>");
        assert!(mailbox("x\r\nBcc: y@z", "Eve").contains("<unknown@invalid>"));
    }

    #[test]
    fn xml_holds_every_text_well_formed() {
        assert_eq!(xml_text("<a & 'b'>"), "&lt;a &amp; &apos;b&apos;&gt;");
        assert_eq!(xml_text("bell\u{7}cr\r"), "bell\\u{7}cr&#13;");
        assert_eq!(xml_text("]]>"), "]]&gt;");
    }
}
