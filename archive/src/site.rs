//! The HTML copy of an archive (`html --out chat.jsonl --dir SITE`): a static
//! site that opens from `file://` with no server, no network and no script.
//!
//! - `SITE/index.html` lists the sessions;
//! - `SITE/s/<session>/index.html` lists a session's months;
//! - `SITE/s/<session>/<yyyy-mm>.html` (then `-p2`, `-p3`, ...) holds its
//!   messages, split so that no page is over 1 MB, each message an element
//!   with `id="m-<message id>"`;
//! - `SITE/style.css`, its only stylesheet.
//!
//! Every text from Zoom is escaped, and control characters are shown as
//! their pictures (␛), so that nothing Zoom sends is markup, script or a
//! terminal escape. Each page says, in its Content-Security-Policy, that it
//! runs no script at all. Files are linked by relative paths, so the folder
//! holding the archive, its files and the copy can be moved or zipped whole.
//!
//! A rerun renders every page and writes only those whose bytes changed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde_json::Value;

use crate::error::{ExportError, io_error};
use crate::escape::{attr, text};
use crate::index::{IndexSummary, sqlite_error, update_index};
use crate::paths::{resolved, search_index_path};
use crate::search::{message_anchor, page_path, session_dir, session_title};

/// The stylesheet, light and dark, with a print style.
const STYLE: &str = include_str!("site.css");

/// No page of the copy is larger than this.
pub const MAX_PAGE_BYTES: u64 = 1_000_000;

/// What [`write_site`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SiteSummary {
    /// The folder of the copy.
    pub dir: PathBuf,
    /// What bringing the index up to date did first.
    pub index: IndexSummary,
    /// Sessions listed.
    pub sessions: u64,
    /// Messages shown.
    pub messages: u64,
    /// Pages in the copy (stylesheet included).
    pub pages: u64,
    /// Pages written because they were new or changed.
    pub written: u64,
    /// Pages left as they were: their bytes were already right.
    pub unchanged: u64,
    /// Pages of an earlier copy no longer part of it, removed.
    pub removed: u64,
    /// The largest page, in bytes.
    pub largest_page: u64,
    /// How long it took, the index's update included.
    pub elapsed: Duration,
}

/// Writes the HTML copy of the archive in `output` into `dir`, after
/// bringing its search index up to date (which the copy is rendered from).
/// The copy gets the archive's access: it holds the same conversations.
pub async fn write_site(output: &Path, dir: &Path) -> Result<SiteSummary, ExportError> {
    let started = Instant::now();
    let index = update_index(output, |_| {}).await?;
    let access = crate::journal::read_header(&crate::paths::journal_path(output))
        .await
        .ok()
        .flatten()
        .map(|h| h.access)
        .unwrap_or_default();
    let files_dir = crate::manifest::archive_files_dir(output).await?;
    let output = output.to_path_buf();
    let dir = dir.to_path_buf();
    let task = tokio::task::spawn_blocking(move || {
        let mut writer = SiteWriter::new(&output, &dir, access, files_dir)?;
        writer.write_all()?;
        Ok::<_, ExportError>((writer.counts, dir))
    });
    let (counts, dir) = task.await.map_err(|e| ExportError::Io {
        path: PathBuf::from("."),
        source: std::io::Error::other(format!("the HTML writer stopped unexpectedly: {e}")),
    })??;
    Ok(SiteSummary {
        dir,
        index,
        sessions: counts.sessions,
        messages: counts.messages,
        pages: counts.pages,
        written: counts.written,
        unchanged: counts.unchanged,
        removed: counts.removed,
        largest_page: counts.largest,
        elapsed: started.elapsed(),
    })
}

#[derive(Default)]
struct Counts {
    sessions: u64,
    messages: u64,
    pages: u64,
    written: u64,
    unchanged: u64,
    removed: u64,
    largest: u64,
}

struct SiteWriter {
    db: Connection,
    index_path: PathBuf,
    /// The copy's folder, resolved.
    root: PathBuf,
    access: crate::Access,
    /// The archive's files folder, resolved.
    files_dir: Option<PathBuf>,
    counts: Counts,
    /// Every page this run made, relative to the root.
    made: BTreeSet<PathBuf>,
    /// Messages looked up as reply parents, by id.
    parents: HashMap<String, Option<Parent>>,
}

/// Where a reply's parent is, and whose it is.
#[derive(Clone)]
struct Parent {
    session_id: String,
    page: String,
    sent_at: i64,
    sender_name: Option<String>,
}

/// One session, as the index page lists it.
struct SessionRow {
    id: String,
    title: String,
    kind: String,
    members: Vec<String>,
    messages: u64,
    first_day: String,
    last_day: String,
}

/// One message, as a page shows it.
struct Message {
    id: String,
    sent_at: i64,
    sender: Option<String>,
    sender_name: Option<String>,
    text: String,
    edited_at: Option<i64>,
    deleted_at: Option<i64>,
    deleted: bool,
    edited: bool,
    reply_to: Option<String>,
    reactions: Option<String>,
    custom_emoji_reactions: Option<String>,
    files: Option<String>,
    bot_message: Option<String>,
    /// Earlier texts, oldest first, with when each was written.
    earlier: Vec<(i64, String)>,
}

impl SiteWriter {
    fn new(output: &Path, dir: &Path, access: crate::Access, files_dir: Option<PathBuf>) -> Result<Self, ExportError> {
        adopt_dir(dir, access)?;
        let index_path = search_index_path(output);
        let db = Connection::open_with_flags(&index_path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| sqlite_error(&index_path, e))?;
        db.busy_timeout(Duration::from_secs(10))
            .map_err(|e| sqlite_error(&index_path, e))?;
        Ok(Self {
            db,
            index_path,
            root: resolved(dir),
            access,
            files_dir: files_dir.map(|d| resolved(&d)),
            counts: Counts::default(),
            made: BTreeSet::new(),
            parents: HashMap::new(),
        })
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> ExportError + '_ {
        |e| sqlite_error(&self.index_path, e)
    }

    fn write_all(&mut self) -> Result<(), ExportError> {
        self.put(Path::new("style.css"), STYLE.as_bytes())?;
        let sessions = self.sessions()?;
        self.counts.sessions = sessions.len() as u64;
        self.put(Path::new("index.html"), render_index(&sessions).as_bytes())?;
        for session in &sessions {
            self.write_session(session)?;
        }
        self.remove_stale()?;
        Ok(())
    }

    fn sessions(&self) -> Result<Vec<SessionRow>, ExportError> {
        let sql = self.sql();
        let mut select = self
            .db
            .prepare(
                "SELECT m.session_id, count(*), min(m.day), max(m.day), s.type, s.members
                 FROM messages m LEFT JOIN sessions s ON s.session_id = m.session_id
                 GROUP BY m.session_id ORDER BY max(m.sent_at) DESC, m.session_id",
            )
            .map_err(&sql)?;
        let mut sessions: Vec<SessionRow> = select
            .query_map([], |r| {
                Ok(SessionRow {
                    id: r.get(0)?,
                    messages: r.get::<_, i64>(1)? as u64,
                    first_day: r.get(2)?,
                    last_day: r.get(3)?,
                    kind: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                    members: r
                        .get::<_, Option<String>>(5)?
                        .and_then(|m| serde_json::from_str(&m).ok())
                        .unwrap_or_default(),
                    title: String::new(),
                })
            })
            .map_err(&sql)?
            .collect::<rusqlite::Result<_>>()
            .map_err(&sql)?;
        for session in &mut sessions {
            session.title = session_title(&self.db, &session.id).map_err(&sql)?;
        }
        Ok(sessions)
    }

    fn write_session(&mut self, session: &SessionRow) -> Result<(), ExportError> {
        let sql = |e| sqlite_error(&self.index_path, e);
        let pages: Vec<(String, String, i64, String, String)> = {
            let mut select = self
                .db
                .prepare_cached(
                    "SELECT page, month, count(*), min(day), max(day) FROM messages WHERE session_id = ?1
                     GROUP BY page ORDER BY min(sent_at), page",
                )
                .map_err(sql)?;
            select
                .query_map([&session.id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .map_err(sql)?
                .collect::<rusqlite::Result<_>>()
                .map_err(sql)?
        };
        let folder = PathBuf::from("s").join(session_dir(&session.id));
        self.put(
            &folder.join("index.html"),
            render_session_index(session, &pages).as_bytes(),
        )?;
        for (i, (page, month, ..)) in pages.iter().enumerate() {
            let messages = self.page_messages(&session.id, page)?;
            self.counts.messages += messages.len() as u64;
            let neighbours = (
                i.checked_sub(1).map(|p| pages[p].0.as_str()),
                pages.get(i + 1).map(|p| p.0.as_str()),
            );
            let html = self.render_page(session, month, (i + 1, pages.len()), neighbours, &messages)?;
            self.put(&folder.join(format!("{page}.html")), html.as_bytes())?;
        }
        Ok(())
    }

    fn page_messages(&self, session: &str, page: &str) -> Result<Vec<Message>, ExportError> {
        let sql = |e| sqlite_error(&self.index_path, e);
        let mut select = self
            .db
            .prepare_cached(
                "SELECT message_id, sent_at, sender, sender_name, text, edited, edited_at, deleted, deleted_at,
                        reply_to, reactions, custom_emoji_reactions, files, bot_message
                 FROM messages WHERE session_id = ?1 AND page = ?2 ORDER BY sent_at, message_id",
            )
            .map_err(sql)?;
        let mut messages: Vec<Message> = select
            .query_map(params![session, page], |r| {
                Ok(Message {
                    id: r.get(0)?,
                    sent_at: r.get(1)?,
                    sender: r.get(2)?,
                    sender_name: r.get(3)?,
                    text: r.get(4)?,
                    edited: r.get(5)?,
                    edited_at: r.get(6)?,
                    deleted: r.get(7)?,
                    deleted_at: r.get(8)?,
                    reply_to: r.get(9)?,
                    reactions: r.get(10)?,
                    custom_emoji_reactions: r.get(11)?,
                    files: r.get(12)?,
                    bot_message: r.get(13)?,
                    earlier: Vec::new(),
                })
            })
            .map_err(sql)?
            .collect::<rusqlite::Result<_>>()
            .map_err(sql)?;
        let mut texts = self
            .db
            .prepare_cached("SELECT at, text FROM texts WHERE message_id = ?1 ORDER BY at, id")
            .map_err(sql)?;
        for message in &mut messages {
            if !message.edited {
                continue;
            }
            let all: Vec<(i64, String)> = texts
                .query_map([&message.id], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(sql)?
                .collect::<rusqlite::Result<_>>()
                .map_err(sql)?;
            message.earlier = all.into_iter().filter(|(_, text)| *text != message.text).collect();
        }
        Ok(messages)
    }

    /// Where a reply's parent is: its session, page, time and sender name.
    fn parent(&mut self, id: &str) -> Result<Option<Parent>, ExportError> {
        if let Some(known) = self.parents.get(id) {
            return Ok(known.clone());
        }
        // Statements the copy runs per page or per message are prepared once.
        let found = self
            .db
            .prepare_cached("SELECT session_id, page, sent_at, sender_name FROM messages WHERE message_id = ?1")
            .and_then(|mut select| {
                select
                    .query_row([id], |r| {
                        Ok(Parent {
                            session_id: r.get(0)?,
                            page: r.get(1)?,
                            sent_at: r.get(2)?,
                            sender_name: r.get(3)?,
                        })
                    })
                    .optional()
            })
            .map_err(|e| sqlite_error(&self.index_path, e))?;
        self.parents.insert(id.to_string(), found.clone());
        Ok(found)
    }

    /// The files of a message as the files index records them, by id.
    fn file_records(&self, ids: &[String]) -> Result<HashMap<String, (String, String)>, ExportError> {
        let mut records = HashMap::new();
        let mut select = self
            .db
            .prepare_cached("SELECT status, path FROM files WHERE file_id = ?1")
            .map_err(|e| sqlite_error(&self.index_path, e))?;
        for id in ids {
            let row: Option<(Option<String>, Option<String>)> = select
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
                .map_err(|e| sqlite_error(&self.index_path, e))?;
            if let Some((Some(status), Some(path))) = row {
                records.insert(id.clone(), (status, path));
            }
        }
        Ok(records)
    }

    fn render_page(
        &mut self,
        session: &SessionRow,
        month: &str,
        (number, of): (usize, usize),
        (previous, next): (Option<&str>, Option<&str>),
        messages: &[Message],
    ) -> Result<String, ExportError> {
        let on_page: BTreeSet<&str> = messages.iter().map(|m| m.id.as_str()).collect();
        // Replies whose parent is on this page go inside it; the rest stand
        // at their own time.
        let mut replies: BTreeMap<&str, Vec<&Message>> = BTreeMap::new();
        let mut top = Vec::new();
        // Zoom's threads are one level deep (a reply names its thread's first
        // message): a reply goes inside its parent when the parent is on the
        // page and is no reply itself. Anything else (a reply to a reply, a
        // loop of replies Zoom would never send) stands at its own time and
        // links to its parent, so that no message is lost in a cycle.
        let is_top = |m: &Message| {
            m.reply_to
                .as_deref()
                .is_none_or(|parent| !on_page.contains(parent) || parent == m.id)
        };
        let tops: BTreeSet<&str> = messages.iter().filter(|m| is_top(m)).map(|m| m.id.as_str()).collect();
        for message in messages {
            match message.reply_to.as_deref() {
                Some(parent) if tops.contains(parent) && parent != message.id => {
                    replies.entry(parent).or_default().push(message)
                }
                _ => top.push(message),
            }
        }
        let title = format!("{} — {}", session.title, month_words(month));
        let mut html = head(&title, "../../style.css");
        let _ = write!(
            html,
            "<header>\n<nav><a href=\"../../index.html\">All sessions</a> › <a href=\"index.html\">{}</a></nav>\n\
             <h1>{}</h1>\n<p class=\"meta\">{} · {} messages · page {number} of {of} · times in UTC</p>\n",
            text(&session.title),
            text(&title),
            text(&session.kind),
            messages.len(),
        );
        let pager = pager(previous, next);
        html.push_str(&pager);
        html.push_str("</header>\n<main>\n");
        let mut day = String::new();
        for message in top {
            let message_day = crate::index::day_of(message.sent_at);
            if message_day != day {
                if !day.is_empty() {
                    html.push_str("</ol>\n</section>\n");
                }
                let _ = write!(
                    html,
                    "<section class=\"day\" aria-labelledby=\"d-{message_day}\">\n<h2 id=\"d-{message_day}\">{}</h2>\n<ol class=\"messages\">\n",
                    day_words(message.sent_at)
                );
                day = message_day;
            }
            self.render_message(&mut html, message, &replies, session, false)?;
        }
        if !day.is_empty() {
            html.push_str("</ol>\n</section>\n");
        }
        html.push_str("</main>\n");
        html.push_str(&pager);
        html.push_str(&footer());
        Ok(html)
    }

    fn render_message(
        &mut self,
        html: &mut String,
        message: &Message,
        replies: &BTreeMap<&str, Vec<&Message>>,
        session: &SessionRow,
        nested: bool,
    ) -> Result<(), ExportError> {
        let anchor = message_anchor(&message.id);
        let _ = write!(
            html,
            "<li class=\"message\" id=\"{}\">\n<article>\n<div class=\"head\">",
            attr(&anchor)
        );
        let name = message
            .sender_name
            .as_deref()
            .filter(|n| !n.is_empty())
            .or(message.sender.as_deref())
            .unwrap_or("(unknown sender)");
        let _ = write!(html, "<bdi class=\"sender\">{}</bdi>", text(name));
        if let Some(email) = &message.sender {
            let _ = write!(html, " <bdi class=\"email\">{}</bdi>", text(email));
        }
        let _ = write!(
            html,
            " <time datetime=\"{}\">{}</time> <a class=\"permalink\" href=\"#{}\" title=\"Link to this message\">#</a>",
            crate::search::rfc3339(message.sent_at),
            clock(message.sent_at),
            attr(&anchor)
        );
        if message.edited {
            let _ = write!(
                html,
                " <span class=\"badge edited\">edited{}</span>",
                message.edited_at.map(|t| format!(" {}", when(t))).unwrap_or_default()
            );
        }
        if message.deleted {
            let _ = write!(
                html,
                " <span class=\"badge deleted\">deleted{}</span>",
                message.deleted_at.map(|t| format!(" {}", when(t))).unwrap_or_default()
            );
        }
        html.push_str("</div>\n");
        // A reply inside its parent needs no note; one standing alone links to it.
        if let Some(parent_id) = message.reply_to.as_deref().filter(|_| !nested) {
            html.push_str(&self.reply_note(parent_id, session)?);
        }
        let class = if message.deleted { "text deleted-text" } else { "text" };
        let _ = writeln!(html, "<p class=\"{class}\" dir=\"auto\">{}</p>", text(&message.text));
        if !message.earlier.is_empty() {
            let _ = write!(
                html,
                "<details><summary>Earlier text{} ({})</summary><ol>",
                if message.earlier.len() == 1 { "" } else { "s" },
                message.earlier.len()
            );
            for (at, earlier) in &message.earlier {
                let _ = write!(
                    html,
                    "<li><time datetime=\"{}\">{}</time><p class=\"text\" dir=\"auto\">{}</p></li>",
                    crate::search::rfc3339(*at),
                    when(*at),
                    text(earlier)
                );
            }
            html.push_str("</ol></details>\n");
        }
        if let Some(bot) = &message.bot_message {
            let _ = writeln!(html, "<p class=\"bot\">Bot message: {}</p>", text(&bot_words(bot)));
        }
        html.push_str(&reactions(message));
        html.push_str(&self.files(message)?);
        html.push_str("</article>\n");
        if let Some(children) = replies.get(message.id.as_str()) {
            html.push_str("<ol class=\"replies\" aria-label=\"Replies\">\n");
            for child in children {
                self.render_message(html, child, replies, session, true)?;
            }
            html.push_str("</ol>\n");
        }
        html.push_str("</li>\n");
        Ok(())
    }

    fn reply_note(&mut self, parent_id: &str, session: &SessionRow) -> Result<String, ExportError> {
        Ok(match self.parent(parent_id)? {
            Some(parent) => {
                let href = if parent.session_id == session.id {
                    format!("{}.html#{}", parent.page, message_anchor(parent_id))
                } else {
                    format!(
                        "../../{}#{}",
                        page_path(&parent.session_id, &parent.page),
                        message_anchor(parent_id)
                    )
                };
                format!(
                    "<p class=\"reply-to\">In reply to <a href=\"{}\">{}’s message of {}</a></p>\n",
                    attr(&href),
                    text(parent.sender_name.as_deref().unwrap_or("someone")),
                    when(parent.sent_at)
                )
            }
            None => "<p class=\"reply-to\">In reply to a message that is not in the archive</p>\n".to_string(),
        })
    }

    fn files(&self, message: &Message) -> Result<String, ExportError> {
        let Some(files) = message
            .files
            .as_deref()
            .and_then(|f| serde_json::from_str::<Vec<Value>>(f).ok())
        else {
            return Ok(String::new());
        };
        let ids: Vec<String> = files
            .iter()
            .filter_map(|f| f.get("file_id").and_then(Value::as_str).map(str::to_string))
            .collect();
        let records = self.file_records(&ids)?;
        let mut html = String::from("<ul class=\"files\">");
        for file in &files {
            let name = file
                .get("file_name")
                .and_then(Value::as_str)
                .unwrap_or("(unnamed file)");
            let size = file.get("file_size").and_then(Value::as_u64);
            let size_words = size.map(|s| format!(" ({})", bytes_words(s))).unwrap_or_default();
            let id = file.get("file_id").and_then(Value::as_str).unwrap_or_default();
            let archived = records
                .get(id)
                .filter(|(status, _)| status == "downloaded")
                .and_then(|(_, path)| self.file_href(path));
            match archived {
                Some(href) if is_image(name) => {
                    let _ = write!(
                        html,
                        "<li><figure><a href=\"{0}\"><img src=\"{0}\" alt=\"{1}\" loading=\"lazy\"></a><figcaption>{2}{3}</figcaption></figure></li>",
                        attr(&href),
                        attr(name),
                        text(name),
                        size_words
                    );
                }
                Some(href) => {
                    let _ = write!(
                        html,
                        "<li>📎 <a href=\"{}\">{}</a>{}</li>",
                        attr(&href),
                        text(name),
                        size_words
                    );
                }
                None => {
                    let why = match records.get(id) {
                        Some((status, _)) => format!("not archived: {status}"),
                        None => "not archived".to_string(),
                    };
                    let _ = write!(
                        html,
                        "<li>📎 <span class=\"missing\">{}{} — {}</span></li>",
                        text(name),
                        size_words,
                        text(&why)
                    );
                }
            }
        }
        html.push_str("</ul>\n");
        Ok(html)
    }

    /// A relative link from a session's folder to an archived file, or
    /// `None` when the archive has no files folder or the path is not one of
    /// its own (`<file id>/<name>`, no `..`).
    fn file_href(&self, path: &str) -> Option<String> {
        let files_dir = self.files_dir.as_ref()?;
        let relative = Path::new(path);
        if relative.components().any(|c| !matches!(c, Component::Normal(_))) {
            return None;
        }
        let page_dir = self.root.join("s").join("x");
        let mut href = relative_href(&page_dir, files_dir);
        for part in relative.components() {
            href.push('/');
            href.push_str(&percent_encode(&part.as_os_str().to_string_lossy()));
        }
        Some(href)
    }

    /// Writes a page if its bytes differ from what is there.
    fn put(&mut self, relative: &Path, bytes: &[u8]) -> Result<(), ExportError> {
        let path = self.root.join(relative);
        if let Some(parent) = path.parent() {
            create_dir(parent, self.access)?;
        }
        self.counts.pages += 1;
        self.counts.largest = self.counts.largest.max(bytes.len() as u64);
        self.made.insert(relative.to_path_buf());
        match std::fs::read(&path) {
            Ok(existing) if existing == bytes => {
                self.counts.unchanged += 1;
                return Ok(());
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&path)(e)),
        }
        // Written beside, then renamed: a reader never sees half a page.
        let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
        {
            use std::io::Write;
            // A leftover of a run that died is removed, never followed
            // (a link planted there would be, by an open that may create).
            match std::fs::remove_file(&temporary) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_error(&temporary)(e)),
            }
            let mut file = self
                .access
                .std_open_options()
                .write(true)
                .create_new(true)
                .open(&temporary)
                .map_err(io_error(&temporary))?;
            file.write_all(bytes).map_err(io_error(&temporary))?;
        }
        std::fs::rename(&temporary, &path).map_err(io_error(&path))?;
        self.counts.written += 1;
        Ok(())
    }

    /// Removes pages of an earlier copy that this one no longer has: only
    /// `.html` files in the session folders, never anything else.
    fn remove_stale(&mut self) -> Result<(), ExportError> {
        let sessions = self.root.join("s");
        let Ok(folders) = std::fs::read_dir(&sessions) else {
            return Ok(());
        };
        for folder in folders.flatten() {
            if !folder.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let Ok(pages) = std::fs::read_dir(folder.path()) else {
                continue;
            };
            for page in pages.flatten() {
                let path = page.path();
                let relative = path.strip_prefix(&self.root).unwrap_or(&path).to_path_buf();
                let name = page.file_name().to_string_lossy().into_owned();
                if path.extension().is_some_and(|e| e == "html") && !self.made.contains(&relative) {
                    std::fs::remove_file(&path).map_err(io_error(&path))?;
                    self.counts.removed += 1;
                } else if name.contains(".tmp-") {
                    // Left by a run that died while writing a page.
                    std::fs::remove_file(&path).map_err(io_error(&path))?;
                }
            }
            // A session no longer in the copy leaves no empty folder.
            let _ = std::fs::remove_dir(folder.path());
        }
        Ok(())
    }
}

/// The file that marks a folder as an HTML copy this program made: only
/// such a folder, or an empty or new one, is written into, and only in it
/// are pages of an earlier copy removed.
pub const SITE_MARKER: &str = ".zoom-chat-archive-copy";

/// Makes `dir` the copy's folder: creates it with the archive's access, or
/// takes an empty one (given that access), or one with the marker as it is.
/// Any other folder holds somebody's files: refused, and nothing is written.
fn adopt_dir(dir: &Path, access: crate::Access) -> Result<(), ExportError> {
    let marker = dir.join(SITE_MARKER);
    if std::fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(ExportError::Io {
                    path: dir.to_path_buf(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::AlreadyExists,
                        "is not empty and is no HTML copy this program made, so nothing was written into it: give a new folder, or the folder of an earlier copy",
                    ),
                });
            }
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(dir, std::fs::Permissions::from_mode(access.dir_mode()))
                    .map_err(io_error(dir))?;
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create_dir(dir, access)?,
        Err(e) => return Err(io_error(dir)(e)),
    }
    use std::io::Write;
    let mut file = access
        .std_open_options()
        .write(true)
        .create_new(true)
        .open(&marker)
        .map_err(io_error(&marker))?;
    file.write_all(b"This folder is an HTML copy of a Zoom Team Chat archive, made by zoom-chat-archive. Its pages are rewritten by 'html'.\n")
        .map_err(io_error(&marker))
}

pub(crate) fn create_dir(dir: &Path, access: crate::Access) -> Result<(), ExportError> {
    if dir.is_dir() {
        return Ok(());
    }
    access.create_dir_all_blocking(dir).map_err(io_error(dir))
}

fn percent_encode(segment: &str) -> String {
    let mut out = String::new();
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The relative link from one folder to another, both resolved.
fn relative_href(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| percent_encode(&c.as_os_str().to_string_lossy())),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

fn is_image(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".gif", ".webp"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

fn bytes_words(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / (1 << 20) as f64),
        b if b >= 1 << 10 => format!("{:.1} KB", b as f64 / (1 << 10) as f64),
        b => format!("{b} bytes"),
    }
}

fn reactions(message: &Message) -> String {
    let mut items = Vec::new();
    for json in [&message.reactions, &message.custom_emoji_reactions]
        .into_iter()
        .flatten()
    {
        let Ok(list) = serde_json::from_str::<Vec<Value>>(json) else {
            continue;
        };
        for reaction in list {
            let count = reaction.get("total_count").and_then(Value::as_u64).unwrap_or(1);
            let shown = match (
                reaction.get("emoji").and_then(Value::as_str),
                reaction.get("custom_emoji_name").and_then(Value::as_str),
            ) {
                (Some(emoji), _) => emoji_of(emoji),
                (None, Some(name)) => format!(":{name}:"),
                (None, None) => continue,
            };
            items.push(format!(
                "<li title=\"{count} reaction{}\">{} {count}</li>",
                if count == 1 { "" } else { "s" },
                text(&shown)
            ));
        }
    }
    if items.is_empty() {
        return String::new();
    }
    format!(
        "<ul class=\"reactions\" aria-label=\"Reactions\">{}</ul>\n",
        items.join("")
    )
}

/// Zoom's `U+1F44D` (or `U+1F44D U+1F3FB`) as the emoji; anything else as sent.
fn emoji_of(code: &str) -> String {
    let parsed: Option<String> = code
        .split_whitespace()
        .map(|part| {
            part.strip_prefix("U+")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .and_then(char::from_u32)
        })
        .collect();
    parsed.filter(|s| !s.is_empty()).unwrap_or_else(|| code.to_string())
}

/// What a bot card says, as plain words: its texts, joined.
fn bot_words(json: &str) -> String {
    fn collect(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    match v {
                        Value::String(s) if key == "text" => out.push(s.clone()),
                        _ => collect(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut words = Vec::new();
    if let Ok(value) = serde_json::from_str::<Value>(json) {
        collect(&value, &mut words);
    }
    if words.is_empty() {
        "(a card with no text)".to_string()
    } else {
        words.join(" · ")
    }
}

fn head(title: &str, style: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self' file:; style-src 'self' file:\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"generator\" content=\"zoom-chat-archive {}\">\n\
         <title>{}</title>\n<link rel=\"stylesheet\" href=\"{style}\">\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        // A title holds text only: no markup for control characters.
        attr(title)
    )
}

fn footer() -> String {
    format!(
        "<footer>A copy of a Zoom Team Chat archive, made by zoom-chat-archive {}. \
         The archive's JSON Lines file is the record; this copy is rebuilt from it.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    )
}

fn pager(previous: Option<&str>, next: Option<&str>) -> String {
    if previous.is_none() && next.is_none() {
        return String::new();
    }
    let mut html = String::from("<p class=\"pager\">");
    if let Some(page) = previous {
        let _ = write!(html, "<a rel=\"prev\" href=\"{}.html\">← Earlier</a>", attr(page));
    }
    if let Some(page) = next {
        let _ = write!(html, "<a rel=\"next\" href=\"{}.html\">Later →</a>", attr(page));
    }
    html.push_str("</p>\n");
    html
}

fn render_index(sessions: &[SessionRow]) -> String {
    let mut html = head("Zoom Team Chat archive", "style.css");
    let total: u64 = sessions.iter().map(|s| s.messages).sum();
    let _ = write!(
        html,
        "<header>\n<h1>Zoom Team Chat archive</h1>\n<p class=\"meta\">{} sessions · {total} messages · the most recently active first · times in UTC</p>\n</header>\n<main>\n\
         <table>\n<thead><tr><th scope=\"col\">Session</th><th scope=\"col\">Type</th><th scope=\"col\">Members</th>\
         <th scope=\"col\">Messages</th><th scope=\"col\">First day</th><th scope=\"col\">Last day</th></tr></thead>\n<tbody>\n",
        sessions.len()
    );
    for session in sessions {
        let _ = writeln!(
            html,
            "<tr><td><a href=\"s/{}/index.html\"><bdi>{}</bdi></a></td><td>{}</td><td class=\"members\">{}</td>\
             <td class=\"n\">{}</td><td class=\"day\">{}</td><td class=\"day\">{}</td></tr>",
            attr(&session_dir(&session.id)),
            text(&session.title),
            text(&session.kind),
            text(&session.members.join(", ")),
            session.messages,
            session.first_day,
            session.last_day
        );
    }
    html.push_str("</tbody>\n</table>\n</main>\n");
    html.push_str(&footer());
    html
}

fn render_session_index(session: &SessionRow, pages: &[(String, String, i64, String, String)]) -> String {
    let mut html = head(&session.title, "../../style.css");
    let _ = write!(
        html,
        "<header>\n<nav><a href=\"../../index.html\">All sessions</a></nav>\n<h1>{}</h1>\n\
         <p class=\"meta\">{} · {} messages · {} to {}</p>\n",
        text(&session.title),
        text(&session.kind),
        session.messages,
        session.first_day,
        session.last_day
    );
    if !session.members.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"meta\">Members: {}</p>",
            text(&session.members.join(", "))
        );
    }
    html.push_str("</header>\n<main>\n<h2>Months</h2>\n<ul>\n");
    for (page, month, count, first, last) in pages {
        let part = page.strip_prefix(month.as_str()).and_then(|p| p.strip_prefix("-p"));
        let _ = writeln!(
            html,
            "<li><a href=\"{}.html\">{}{}</a> — {count} messages, {first} to {last}</li>",
            attr(page),
            month_words(month),
            part.map(|p| format!(", part {p}")).unwrap_or_default()
        );
    }
    html.push_str("</ul>\n</main>\n");
    html.push_str(&footer());
    html
}

fn month_words(month: &str) -> String {
    chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map(|d| d.format("%B %Y").to_string())
        .unwrap_or_else(|_| month.to_string())
}

fn day_words(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%A, %-d %B %Y")
        .to_string()
}

fn clock(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%H:%M UTC")
        .to_string()
}

fn when(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%d %H:%M UTC")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_and_encoded() {
        assert_eq!(
            relative_href(Path::new("/srv/chat/site/s/x"), Path::new("/srv/chat/files")),
            "../../../files"
        );
        assert_eq!(relative_href(Path::new("/a/b"), Path::new("/a/b")), ".");
        assert_eq!(percent_encode("a b#?.png"), "a%20b%23%3F.png");
        assert_eq!(emoji_of("U+1F44D"), "👍");
        assert_eq!(emoji_of("smile"), "smile");
        assert!(is_image("Photo.JPG") && !is_image("x.svg"));
    }
}
