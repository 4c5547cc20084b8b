//! Searching the index (`search --out chat.jsonl QUERY`).
//!
//! A query is words and "quoted phrases"; a message is found when one of
//! the texts it ever had (sent, or any edit) holds all of them, as
//! substrings, whatever their case or accents. A trailing `*` is allowed and
//! changes nothing (every word is already found as the start of a longer
//! one). Words of 3 characters or more use the full-text index; shorter ones
//! are matched by scanning, case-blind for ASCII only.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OpenFlags, params_from_iter};
use serde::Serialize;

use crate::error::ExportError;
use crate::index::sqlite_error;
use crate::paths::search_index_path;

/// What to look for, and where.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SearchQuery {
    /// Words and "quoted phrases", all of which a text must hold.
    pub text: String,
    /// Only these sessions, each given by its id or its name (any case).
    pub sessions: Vec<String>,
    /// Only messages sent by this email address (any case).
    pub sender: Option<String>,
    /// Only messages sent on this day (UTC) or later.
    pub from: Option<NaiveDate>,
    /// Only messages sent on this day (UTC) or earlier.
    pub to: Option<NaiveDate>,
    /// At most this many hits, the earliest first.
    pub limit: usize,
}

impl SearchQuery {
    /// Whether the query's text can be searched for: before anything is read.
    pub fn check(&self) -> Result<(), QueryError> {
        if self.sessions.iter().any(|s| s.trim().is_empty()) {
            return Err(QueryError::EmptyFilter("--session"));
        }
        if self.sender.as_deref().is_some_and(|s| s.trim().is_empty()) {
            return Err(QueryError::EmptyFilter("--sender"));
        }
        parse_terms(&self.text).map(|_| ())
    }

    /// A search for `text` everywhere, the first 100 hits.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            limit: 100,
            ..Self::default()
        }
    }
}

/// One message found: each message once, whatever number of its texts matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SearchHit {
    /// The message's id.
    pub id: String,
    /// Its session.
    pub session_id: String,
    /// The session's name; for a 1:1 chat without one, its members.
    pub session_name: String,
    /// When it was sent (UTC, RFC 3339).
    pub date_time: String,
    /// The sender's email.
    pub sender: Option<String>,
    /// The sender's display name.
    pub sender_name: Option<String>,
    /// Its latest text.
    pub message: String,
    /// It was edited; its latest text is its last edit's.
    pub edited: bool,
    /// When it was last edited (UTC, RFC 3339).
    pub edited_at: Option<String>,
    /// It was deleted.
    pub deleted: bool,
    /// When it was deleted (UTC, RFC 3339).
    pub deleted_at: Option<String>,
    /// Its page and anchor in the HTML copy, relative to the copy's folder:
    /// `s/<session>/<yyyy-mm>.html#m-<id>`.
    pub link: String,
    /// The text that matched, when it was not the latest: an earlier text.
    pub matched_text: Option<String>,
    /// Where the query matched in `matched_text`, or else in `message`: char
    /// ranges, start inclusive, end exclusive.
    pub matches: Vec<(usize, usize)>,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SearchResults {
    /// The hits, in time order, at most the query's limit.
    pub hits: Vec<SearchHit>,
    /// How many messages matched in all.
    pub total: u64,
}

/// A query that cannot be run: bad usage.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// Nothing to search for.
    #[error("the query is empty: give words or a \"quoted phrase\" to search for")]
    Empty,
    /// A `"` without its closing one.
    #[error("the query has a \" without its closing \"")]
    UnclosedQuote,
    /// No session has this id or name.
    #[error("no session has the id or name `{0}`")]
    NoSuchSession(String),
    /// Too many words, or too long.
    #[error("the query is too long: at most {MAX_TERMS} words or phrases, and {MAX_QUERY_CHARS} characters")]
    TooLong,
    /// An empty `--session` or `--sender`.
    #[error("{0} is empty: give a session's id or name, or a sender's email, or leave it out")]
    EmptyFilter(&'static str),
}

/// The most words and phrases a query may have.
pub const MAX_TERMS: usize = 32;
/// The longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;

/// One word or phrase of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term(String);

fn parse_terms(text: &str) -> Result<Vec<Term>, QueryError> {
    let mut terms = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('"') {
            let end = after.find('"').ok_or(QueryError::UnclosedQuote)?;
            let phrase = after[..end].trim();
            if !phrase.is_empty() {
                terms.push(Term(phrase.to_string()));
            }
            rest = after[end + 1..].trim_start();
        } else {
            let end = rest.find(|c: char| c.is_whitespace() || c == '"').unwrap_or(rest.len());
            let word = rest[..end].trim_end_matches('*');
            if !word.is_empty() {
                terms.push(Term(word.to_string()));
            }
            rest = rest[end..].trim_start();
        }
    }
    if terms.is_empty() {
        return Err(QueryError::Empty);
    }
    if terms.len() > MAX_TERMS || text.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong);
    }
    Ok(terms)
}

/// The index's FTS5 query for the long terms: each a quoted string, so that
/// no character of it is FTS5 syntax.
fn fts_query(terms: &[Term]) -> Option<String> {
    let quoted: Vec<String> = terms
        .iter()
        .filter(|t| t.0.chars().count() >= 3)
        .map(|t| format!("\"{}\"", t.0.replace('"', "\"\"")))
        .collect();
    (!quoted.is_empty()).then(|| quoted.join(" "))
}

/// A LIKE pattern for a short term, `\` escaping LIKE's own characters.
fn like_pattern(term: &Term) -> String {
    let mut pattern = String::from("%");
    for c in term.0.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Searches the index of the archive in `output`, which must exist (see
/// [`crate::update_index`]). Reads only; works while a run writes the
/// archive, on what the index held before it.
pub fn search(output: &Path, query: &SearchQuery) -> Result<SearchResults, SearchError> {
    query.check()?;
    let terms = parse_terms(&query.text)?;
    let path = search_index_path(output);
    let sql = |e| SearchError::Index(sqlite_error(&path, e));
    let db = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(sql)?;
    // An update commits now and then: wait for it rather than fail.
    db.busy_timeout(std::time::Duration::from_secs(10)).map_err(sql)?;
    // Short words and session names compare as the full-text index does:
    // whatever the case and the accents.
    db.create_scalar_function(
        "fold",
        1,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8 | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            Ok(ctx
                .get::<Option<String>>(0)?
                .map(|text| text.chars().map(fold).collect::<String>()))
        },
    )
    .map_err(sql)?;

    let mut conditions = Vec::new();
    let mut values: Vec<rusqlite::types::Value> = Vec::new();
    let mut hits_from = String::from("SELECT DISTINCT t.message_id FROM texts t");
    if let Some(fts) = fts_query(&terms) {
        hits_from = String::from(
            "SELECT DISTINCT t.message_id FROM texts_fts f JOIN texts t ON t.id = f.rowid WHERE texts_fts MATCH ?",
        );
        values.push(fts.into());
    }
    let short: Vec<&Term> = terms.iter().filter(|t| t.0.chars().count() < 3).collect();
    for (i, term) in short.iter().enumerate() {
        let joiner = if i == 0 && !hits_from.contains("MATCH") {
            " WHERE "
        } else {
            " AND "
        };
        hits_from.push_str(joiner);
        hits_from.push_str("fold(t.text) LIKE fold(?) ESCAPE '\\'");
        values.push(like_pattern(term).into());
    }
    if !query.sessions.is_empty() {
        let mut ids = Vec::new();
        for wanted in &query.sessions {
            let mut find = db
                .prepare("SELECT session_id FROM sessions WHERE session_id = ?1 OR fold(name) = fold(?1)")
                .map_err(sql)?;
            let found: Vec<String> = find
                .query_map([wanted], |r| r.get(0))
                .map_err(sql)?
                .collect::<rusqlite::Result<_>>()
                .map_err(sql)?;
            // A session whose messages are archived but not (yet) listed.
            let listed_or_archived = if found.is_empty() {
                db.query_row(
                    "SELECT session_id FROM messages WHERE session_id = ?1 LIMIT 1",
                    [wanted],
                    |r| r.get::<_, String>(0),
                )
                .ok()
                .into_iter()
                .collect()
            } else {
                found
            };
            if listed_or_archived.is_empty() {
                return Err(QueryError::NoSuchSession(wanted.clone()).into());
            }
            ids.extend(listed_or_archived);
        }
        conditions.push(format!("m.session_id IN ({})", vec!["?"; ids.len()].join(", ")));
        values.extend(ids.into_iter().map(Into::into));
    }
    if let Some(sender) = &query.sender {
        conditions.push("m.sender = ? COLLATE NOCASE".to_string());
        values.push(sender.clone().into());
    }
    if let Some(from) = query.from {
        conditions.push("m.day >= ?".to_string());
        values.push(from.to_string().into());
    }
    if let Some(to) = query.to {
        conditions.push("m.day <= ?".to_string());
        values.push(to.to_string().into());
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    let matched = format!("FROM messages m JOIN ({hits_from}) h ON h.message_id = m.message_id{filter}");
    let total: i64 = db
        .query_row(
            &format!("SELECT count(*) {matched}"),
            params_from_iter(values.iter()),
            |r| r.get(0),
        )
        .map_err(sql)?;
    let mut limited = values.clone();
    limited.push((query.limit as i64).into());
    let mut select = db
        .prepare(&format!(
            "SELECT m.message_id, m.session_id, m.sent_at, m.sender, m.sender_name, m.text, m.edited, m.edited_at,
                    m.deleted, m.deleted_at, m.page
             {matched} ORDER BY m.sent_at, m.message_id LIMIT ?"
        ))
        .map_err(sql)?;
    let rows: Vec<Row> = select
        .query_map(params_from_iter(limited.iter()), |r| {
            Ok(Row {
                id: r.get(0)?,
                session_id: r.get(1)?,
                sent_at: r.get(2)?,
                sender: r.get(3)?,
                sender_name: r.get(4)?,
                text: r.get(5)?,
                edited: r.get(6)?,
                edited_at: r.get(7)?,
                deleted: r.get(8)?,
                deleted_at: r.get(9)?,
                page: r.get(10)?,
            })
        })
        .map_err(sql)?
        .collect::<rusqlite::Result<_>>()
        .map_err(sql)?;
    let mut hits = Vec::with_capacity(rows.len());
    for row in rows {
        let session_name = session_title(&db, &row.session_id).map_err(sql)?;
        let (matched_text, matches) = match find_all(&row.text, &terms) {
            Some(ranges) => (None, ranges),
            None => {
                // An earlier text matched: the first that did, in time order.
                let mut earlier = db
                    .prepare("SELECT text FROM texts WHERE message_id = ?1 ORDER BY at, id")
                    .map_err(sql)?;
                let texts: Vec<String> = earlier
                    .query_map([&row.id], |r| r.get(0))
                    .map_err(sql)?
                    .collect::<rusqlite::Result<_>>()
                    .map_err(sql)?;
                let found = texts
                    .into_iter()
                    .find_map(|text| find_all(&text, &terms).map(|ranges| (text, ranges)));
                match found {
                    Some((text, ranges)) => (Some(text), ranges),
                    // Matched by the index's own folding, which knows more
                    // accents than ours: found, but not marked.
                    None => (None, Vec::new()),
                }
            }
        };
        hits.push(SearchHit {
            link: message_link(&row.session_id, &row.page, &row.id),
            id: row.id,
            session_id: row.session_id,
            session_name,
            date_time: rfc3339(row.sent_at),
            sender: row.sender,
            sender_name: row.sender_name,
            message: row.text,
            edited: row.edited,
            edited_at: row.edited_at.map(rfc3339),
            deleted: row.deleted,
            deleted_at: row.deleted_at.map(rfc3339),
            matched_text,
            matches,
        });
    }
    Ok(SearchResults {
        hits,
        total: total as u64,
    })
}

/// What went wrong with a search.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    /// The query is bad usage.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] ExportError),
}

struct Row {
    id: String,
    session_id: String,
    sent_at: i64,
    sender: Option<String>,
    sender_name: Option<String>,
    text: String,
    edited: bool,
    edited_at: Option<i64>,
    deleted: bool,
    deleted_at: Option<i64>,
    page: String,
}

pub(crate) fn rfc3339(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A session's title: its name, or for a chat without one its members, or its id.
pub(crate) fn session_title(db: &Connection, session_id: &str) -> rusqlite::Result<String> {
    let row: Option<(String, Option<String>)> = db
        .query_row(
            "SELECT name, members FROM sessions WHERE session_id = ?1",
            [session_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .ok();
    Ok(match row {
        Some((name, _)) if !name.trim().is_empty() => name,
        Some((_, Some(members))) => serde_json::from_str::<Vec<String>>(&members)
            .map(|m| m.join(", "))
            .unwrap_or_else(|_| session_id.to_string()),
        _ => session_id.to_string(),
    })
}

/// The folder of a session in the HTML copy: its id when that is a plain
/// name, else a hash of it, so that no id from Zoom makes a path.
pub(crate) fn session_dir(session_id: &str) -> String {
    let plain = !session_id.is_empty()
        && session_id.len() <= 64
        && session_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if plain {
        session_id.to_string()
    } else {
        format!("x{:016x}", xxhash_rust::xxh3::xxh3_64(session_id.as_bytes()))
    }
}

/// The anchor of a message: `m-<id>`, the id percent-encoded where it is
/// not a plain name, so that it is a valid fragment and HTML id.
pub(crate) fn message_anchor(id: &str) -> String {
    let mut anchor = String::from("m-");
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' {
            anchor.push(b as char);
        } else {
            anchor.push_str(&format!("%{b:02X}"));
        }
    }
    anchor
}

/// The HTML file of a page of a session, relative to the copy's folder.
pub(crate) fn page_path(session_id: &str, page: &str) -> String {
    format!("s/{}/{}.html", session_dir(session_id), page)
}

pub(crate) fn message_link(session_id: &str, page: &str, id: &str) -> String {
    format!("{}#{}", page_path(session_id, page), message_anchor(id))
}

/// A character as the search compares it: lower case, without the accents
/// of the Latin letters people write (the index itself knows more).
fn fold(c: char) -> char {
    let lower = c.to_lowercase().next().unwrap_or(c);
    match lower {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ţ' | 'ť' | 'ŧ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

/// Where every term occurs in `text`, as char ranges sorted and merged;
/// `None` when a term does not occur.
fn find_all(text: &str, terms: &[Term]) -> Option<Vec<(usize, usize)>> {
    let folded: Vec<char> = text.chars().map(fold).collect();
    let mut ranges = Vec::new();
    for term in terms {
        let needle: Vec<char> = term.0.chars().map(fold).collect();
        if needle.is_empty() || needle.len() > folded.len() {
            return None;
        }
        let mut found = false;
        for start in 0..=folded.len() - needle.len() {
            if folded[start..start + needle.len()] == needle[..] {
                ranges.push((start, start + needle.len()));
                found = true;
            }
        }
        if !found {
            return None;
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    Some(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_words_and_phrases_and_never_fts_syntax() {
        assert_eq!(
            parse_terms(r#"contract "next week" zür* "#).unwrap(),
            vec![Term("contract".into()), Term("next week".into()), Term("zür".into())]
        );
        assert_eq!(parse_terms("  "), Err(QueryError::Empty));
        assert_eq!(parse_terms("*"), Err(QueryError::Empty));
        assert_eq!(parse_terms("\"open"), Err(QueryError::UnclosedQuote));
        // FTS5's operators and quotes are text to find, nothing more.
        let terms = parse_terms(r#"NEAR(abc b) OR "x y*""#).unwrap();
        assert_eq!(
            fts_query(&terms).unwrap(),
            r#""NEAR(abc" "x y*""#,
            "b), OR are under 3 characters: matched by scanning, not by FTS5"
        );
        assert_eq!(like_pattern(&Term("5%_\\".into())), "%5\\%\\_\\\\%");
    }

    #[test]
    fn matches_are_found_whatever_the_case_and_accents() {
        let terms = parse_terms("zurich CONTRACT").unwrap();
        assert_eq!(
            find_all("Can we review the contract in Zürich?", &terms),
            Some(vec![(18, 26), (30, 36)])
        );
        assert_eq!(find_all("no match here", &terms), None);
        assert_eq!(
            find_all("会议记录已经上传", &parse_terms("议记录").unwrap()),
            Some(vec![(1, 4)])
        );
    }

    #[test]
    fn paths_and_anchors_from_zoom_ids_stay_plain() {
        assert_eq!(
            session_dir("a759ea27d4727622aa5255ff67bf8bbf"),
            "a759ea27d4727622aa5255ff67bf8bbf"
        );
        let hostile = session_dir("../../etc");
        assert!(hostile.starts_with('x') && !hostile.contains('/'));
        assert_eq!(message_anchor("12ab-cd"), "m-12ab-cd");
        assert_eq!(message_anchor("a\"b<c>"), "m-a%22b%3Cc%3E");
        assert_eq!(message_link("s1", "2026-11-p2", "id1"), "s/s1/2026-11-p2.html#m-id1");
    }
}
