//! Tamper evidence that holds against an insider: a hash chain of the
//! archive's runs (`chat.chain.jsonl` beside `chat.jsonl`), its head signed.
//!
//! The manifest sits beside the files it describes, so anyone who can edit
//! a line can rewrite the manifest to match. Each run therefore appends an
//! entry that records the SHA-256 of the manifest it wrote, the archive's
//! size, SHA-256 and counts, how the run went, and the hash of the entry
//! before; with a signing key it signs the entry's hash (Ed25519). Then:
//!
//! - an edited line with a manifest rewritten to match no longer matches the
//!   signed head, and the next run cannot cover it up, because it takes the
//!   archive's hash up from the signed head, not from the files;
//! - an entry changed or removed from the middle breaks the links;
//! - a chain cut back, or rolled back to an earlier head, is found against a
//!   head kept elsewhere (`verify --head HASH`, or `--head-log FILE` that
//!   every run appends its head to);
//! - a verifier needs nothing but the archive and the public key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};
use serde::{Deserialize, Serialize};

use crate::access::Access;
use crate::error::{ExportError, io_error};
use crate::manifest::FileDigest;
use crate::paths::{chain_path, manifest_path};
use crate::sha256::{hex, sha256_hex};

/// What a signature signs: this, then the entry's hash in hex.
const SIGNED_PREFIX: &str = "zoom-chat-archive chain entry v1\n";

/// The first line of a secret key file.
const SECRET_KEY_HEADER: &str = "zoom-chat-archive ed25519 secret key";

/// One run, as the chain records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChainRun {
    /// When it started and ended (UTC, by the machine's clock).
    pub started: DateTime<Utc>,
    /// When it ended.
    pub ended: DateTime<Utc>,
    /// How it ended: `done`, `sessions failed`, `stopped: ...`, `failed: ...`.
    pub outcome: String,
    /// It found the manifest deleted, and wrote it again.
    pub manifest_missing: bool,
}

/// One entry of the chain: one run's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChainEntry {
    /// 0 for the first run, then one more each.
    pub seq: u64,
    /// The hash of the entry before, lowercase hex; empty for the first.
    pub prev: String,
    /// The run.
    pub run: ChainRun,
    /// SHA-256 of the manifest this run wrote.
    pub manifest_sha256: String,
    /// The archive's size and SHA-256 (with where the next run takes the
    /// hash up) when the run ended.
    pub archive: FileDigest,
    /// Its message lines by kind.
    pub messages: BTreeMap<String, u64>,
    /// The journal, the sessions file and the files index as the run left
    /// them: the next run checks them before it writes, so that what was
    /// changed outside a run is recorded, not signed over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<FileDigest>,
    /// The sessions file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sessions: Option<FileDigest>,
    /// The files index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_index: Option<FileDigest>,
    /// What the run found changed since the run before, outside any run: a
    /// manifest, journal, sessions file, files index or chain rewritten or
    /// deleted. Signed with the rest: `verify --public-key` names them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<String>,
    /// The signature of this entry's hash, if the run had a key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<ChainSignature>,
}

/// An Ed25519 signature of an entry's hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChainSignature {
    /// The public key that verifies it, hex.
    pub public_key: String,
    /// The signature, hex.
    pub signature: String,
}

impl ChainEntry {
    /// The entry's hash: SHA-256 of its JSON without its signature, hex.
    pub fn hash(&self) -> String {
        let unsigned = ChainEntry {
            signature: None,
            ..self.clone()
        };
        let bytes = serde_json::to_vec(&unsigned).unwrap_or_default();
        sha256_hex(&bytes)
    }
}

/// A secret key to sign the chain's head with (`keygen` makes one).
#[derive(Clone)]
pub struct SigningKey(Arc<Ed25519KeyPair>);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey(public {})", self.public_key_hex())
    }
}

/// A key file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// It could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The key file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Others than its owner may read it.
    #[error(
        "{} may be read by others than its owner (mode {mode:o}): a signing key must be private, as ssh requires of its keys; chmod 600 it",
        path.display()
    )]
    Exposed {
        /// The key file.
        path: PathBuf,
        /// Its mode.
        mode: u32,
    },
    /// It is not a key this program wrote.
    #[error("{} is not {what} written by 'zoom-chat-archive keygen'", path.display())]
    NotAKey {
        /// The key file.
        path: PathBuf,
        /// What was expected.
        what: &'static str,
    },
    /// The key files already exist.
    #[error("{} exists already: keygen never replaces a key", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
}

impl SigningKey {
    /// Reads a secret key file that only its owner may read.
    pub fn from_file(path: &Path) -> Result<Self, KeyError> {
        let io = |source| KeyError::Io {
            path: path.to_path_buf(),
            source,
        };
        let metadata = std::fs::metadata(path).map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(KeyError::Exposed {
                    path: path.to_path_buf(),
                    mode,
                });
            }
        }
        #[cfg(not(unix))]
        let _ = metadata;
        let text = std::fs::read_to_string(path).map_err(io)?;
        let not_a_key = || KeyError::NotAKey {
            path: path.to_path_buf(),
            what: "a secret key",
        };
        let mut lines = text.lines();
        if lines.next() != Some(SECRET_KEY_HEADER) {
            return Err(not_a_key());
        }
        let pkcs8 = unhex(lines.next().unwrap_or_default().trim()).ok_or_else(not_a_key)?;
        let pair = Ed25519KeyPair::from_pkcs8(&pkcs8).map_err(|_| not_a_key())?;
        Ok(Self(Arc::new(pair)))
    }

    /// The public key, hex: what `keygen` wrote to `NAME.pub`.
    pub fn public_key_hex(&self) -> String {
        hex(self.0.public_key().as_ref())
    }

    fn sign(&self, hash: &str) -> ChainSignature {
        let signature = self.0.sign(format!("{SIGNED_PREFIX}{hash}").as_bytes());
        ChainSignature {
            public_key: self.public_key_hex(),
            signature: hex(signature.as_ref()),
        }
    }
}

/// Writes a new Ed25519 key pair: `dir/name` (the secret key, mode 0600)
/// and `dir/name.pub` (the public key). Never replaces a key.
pub fn keygen(dir: &Path, name: &str) -> Result<(PathBuf, PathBuf), KeyError> {
    let secret = dir.join(name);
    let public = dir.join(format!("{name}.pub"));
    for path in [&secret, &public] {
        if std::fs::symlink_metadata(path).is_ok() {
            return Err(KeyError::Exists { path: path.clone() });
        }
    }
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).map_err(|_| KeyError::Io {
        path: secret.clone(),
        source: std::io::Error::other("the system's random number generator failed"),
    })?;
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).map_err(|_| KeyError::NotAKey {
        path: secret.clone(),
        what: "a key",
    })?;
    let write = |path: &Path, text: String, access: Access| -> Result<(), KeyError> {
        use std::io::Write;
        let io = |source| KeyError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut file = access
            .std_open_options()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)
    };
    write(
        &secret,
        format!("{SECRET_KEY_HEADER}\n{}\n", hex(pkcs8.as_ref())),
        Access::Owner,
    )?;
    // The public key is for anyone who verifies: readable by all.
    write(&public, format!("{}\n", hex(pair.public_key().as_ref())), Access::Group)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&public, std::fs::Permissions::from_mode(0o644));
    }
    Ok((secret, public))
}

/// Reads a public key file (`NAME.pub`): 64 hex digits.
pub fn read_public_key(path: &Path) -> Result<String, KeyError> {
    let text = std::fs::read_to_string(path).map_err(|source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let key = text.trim().to_ascii_lowercase();
    match unhex(&key) {
        Some(bytes) if bytes.len() == 32 => Ok(key),
        _ => Err(KeyError::NotAKey {
            path: path.to_path_buf(),
            what: "a public key",
        }),
    }
}

/// The chain as [`read_chain`] read it.
pub(crate) type ChainRead = Result<Option<Vec<ChainEntry>>, String>;

/// The chain as written, one entry per line; `None` when there is none.
/// A line that does not parse is an error naming it.
pub fn read_chain(output: &Path) -> Result<Option<Vec<ChainEntry>>, String> {
    let path = chain_path(output);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut entries = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let entry: ChainEntry = serde_json::from_str(line)
            .map_err(|e| format!("line {} of {} is damaged: {e}", number + 1, path.display()))?;
        entries.push(entry);
    }
    Ok(Some(entries))
}

/// The last entry, for the next run to take the archive's hash up from.
/// A chain that cannot be read gives none: the run then reads every byte,
/// and `verify` names the damage.
#[cfg(feature = "read")]
pub(crate) fn head(output: &Path) -> Option<ChainEntry> {
    read_chain(output)
        .ok()
        .flatten()
        .and_then(|entries| entries.last().cloned())
}

/// The chain's head after a run: its hash, and whether it is signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ChainHead {
    /// The last entry's hash: keep it elsewhere, and `verify --head` checks
    /// that the chain still holds it.
    pub hash: String,
    /// Entries in the chain.
    pub entries: u64,
    /// The public key that signed it, hex; `None` when the run had no key.
    pub signed_by: Option<String>,
}

/// The entry a run trusts the archive's state from: the last one signed,
/// when any is (an unsigned entry after it could be anyone's), else the last.
pub(crate) fn trusted(entries: &[ChainEntry]) -> Option<&ChainEntry> {
    entries.iter().rev().find(|e| e.signature.is_some()).or(entries.last())
}

/// The archive as the chain's trusted entry left it, for the next manifest
/// to take its hash up from.
pub(crate) fn trusted_state(chain: &ChainRead) -> Option<crate::manifest::ArchiveSoFar> {
    let head = trusted(chain.as_ref().ok()?.as_ref()?)?;
    Some(crate::manifest::ArchiveSoFar {
        digest: head.archive.clone(),
        messages: head.messages.clone(),
    })
}

/// What changed outside a run since the last one, found before this run
/// writes anything: each a sentence for the run's chain entry.
pub(crate) fn findings_before_run(
    output: &Path,
    chain: &ChainRead,
    files_dir: Option<&Path>,
    chained_before: bool,
) -> Vec<String> {
    let mut findings = Vec::new();
    let entries = match chain {
        Ok(Some(entries)) if !entries.is_empty() => entries,
        Ok(_) => {
            if chained_before {
                findings.push(
                    "the chain of runs was missing, although earlier runs had kept one: it was deleted".to_string(),
                );
            }
            return findings;
        }
        Err(problem) => {
            findings.push(format!("the chain of runs could not be read ({problem})"));
            return findings;
        }
    };
    let last = entries.last().expect("not empty");
    if last.signature.is_none() && entries.iter().any(|e| e.signature.is_some()) {
        findings.push(format!(
            "the chain's last entry ({}) is not signed, though entries before it are",
            last.seq + 1
        ));
    }
    let Some(head) = trusted(entries) else {
        return findings;
    };
    let sha_of = |path: &Path, len: Option<u64>| -> Option<String> {
        let bytes = std::fs::read(path).ok()?;
        let bytes = match len {
            Some(len) => bytes.get(..len as usize)?.to_vec(),
            None => bytes,
        };
        Some(sha256_hex(&bytes))
    };
    if let Some(sha) = sha_of(&manifest_path(output), None)
        && sha != last.manifest_sha256
    {
        findings.push("the manifest was changed since the last run, outside any run".to_string());
    }
    if let Some(journal) = &head.journal
        && sha_of(&crate::paths::journal_path(output), Some(journal.size)).as_deref() != Some(journal.sha256.as_str())
    {
        findings.push("the journal's earlier lines were changed since the last signed run".to_string());
    }
    if let Some(sessions) = &head.sessions
        && head.seq == last.seq
        && sha_of(&crate::paths::sessions_path(output), None).as_deref() != Some(sessions.sha256.as_str())
    {
        findings.push("the sessions file was changed since the last run, outside any run".to_string());
    }
    if let (Some(index), Some(dir)) = (&head.files_index, files_dir)
        && head.seq == last.seq
        && sha_of(&crate::paths::files_index_path(dir), None).as_deref() != Some(index.sha256.as_str())
    {
        findings.push("the files index was changed since the last run, outside any run".to_string());
    }
    // The archive's last bytes of the last signed run, kept in its midstate.
    if let Some(midstate) = &head.archive.midstate
        && !midstate.pending.is_empty()
    {
        use std::io::{Read, Seek};
        let recorded = unhex(&midstate.pending).unwrap_or_default();
        let mut now = vec![0u8; recorded.len()];
        let same = std::fs::File::open(output)
            .and_then(|mut f| {
                f.seek(std::io::SeekFrom::Start(midstate.offset))?;
                f.read_exact(&mut now)
            })
            .is_ok()
            && now == recorded;
        if !same {
            findings
                .push("the archive's last bytes as of the last signed run were changed outside any run".to_string());
        }
    }
    findings
}

/// What the run left, for its chain entry.
pub(crate) struct RunState {
    pub archive: FileDigest,
    pub messages: BTreeMap<String, u64>,
    pub journal: Option<FileDigest>,
    pub sessions: Option<FileDigest>,
    pub files_index: Option<FileDigest>,
    pub findings: Vec<String>,
}

/// Appends the entry of a run that wrote `manifest` to `chain`, the chain
/// as the run read it when it began (it held the archive since).
pub(crate) fn append(
    output: &Path,
    chain: &ChainRead,
    run: ChainRun,
    state: RunState,
    key: Option<&SigningKey>,
    access: Access,
) -> Result<ChainHead, ExportError> {
    let manifest = manifest_path(output);
    let manifest_bytes = std::fs::read(&manifest).map_err(io_error(&manifest))?;
    let path = chain_path(output);
    let entries = chain.as_ref().map_err(|problem| ExportError::Io {
        path: path.clone(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, problem.clone()),
    })?;
    let last = entries.as_ref().and_then(|e| e.last());
    let mut entry = ChainEntry {
        seq: last.map_or(0, |l| l.seq + 1),
        prev: last.map(ChainEntry::hash).unwrap_or_default(),
        run,
        manifest_sha256: sha256_hex(&manifest_bytes),
        archive: state.archive,
        messages: state.messages,
        journal: state.journal,
        sessions: state.sessions,
        files_index: state.files_index,
        findings: state.findings,
        signature: None,
    };
    let hash = entry.hash();
    entry.signature = key.map(|key| key.sign(&hash));
    let mut line = serde_json::to_vec(&entry).map_err(|e| io_error(&path)(std::io::Error::other(e)))?;
    line.push(b'\n');
    use std::io::Write;
    let mut file = access
        .std_open_options()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(io_error(&path))?;
    file.write_all(&line).map_err(io_error(&path))?;
    file.sync_data().map_err(io_error(&path))?;
    Ok(ChainHead {
        hash,
        entries: entry.seq + 1,
        signed_by: entry.signature.map(|s| s.public_key),
    })
}

/// Appends the head to a log kept apart from the archive (`--head-log`:
/// another disk, WORM storage, a file a log shipper sends off the machine):
/// `<ended> <entries> <hash> <signed|unsigned>`, a line per run.
pub(crate) fn log_head(path: &Path, head: &ChainHead, ended: DateTime<Utc>) -> Result<(), ExportError> {
    use std::io::Write;
    let line = format!(
        "{} {} {} {}\n",
        ended.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        head.entries,
        head.hash,
        if head.signed_by.is_some() { "signed" } else { "unsigned" }
    );
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(io_error(path))?;
    file.write_all(line.as_bytes()).map_err(io_error(path))?;
    file.sync_data().map_err(io_error(path))
}

/// The heads a head log holds, oldest first (the third field of each line).
pub fn read_head_log(path: &Path) -> Result<Vec<String>, KeyError> {
    let text = std::fs::read_to_string(path).map_err(|source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let heads: Option<Vec<String>> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().nth(2).map(str::to_string))
        .collect();
    heads.ok_or_else(|| KeyError::NotAKey {
        path: path.to_path_buf(),
        what: "a head log",
    })
}

/// [`crate::verify`], and then the chain of runs against `public_key` (hex, as
/// `keygen` writes it to `NAME.pub`) and heads kept elsewhere, if any:
/// its links, its signatures, a signed head, and that the manifest is the
/// one the head records. Fails (in `differences`) when a line was changed
/// and the manifest rewritten to match, when the chain was cut back or
/// rolled back past one of `kept_heads`, or when the key is not the one
/// that signed.
pub async fn verify_signed(
    output: &Path,
    public_key: &str,
    kept_heads: &[String],
) -> Result<crate::VerifyReport, ExportError> {
    let _lock = crate::lock::ReadLock::acquire(output)?;
    let mut report = crate::manifest::verify(output).await?;
    let check = check(output, public_key, kept_heads);
    report.differences.extend(check.problems.iter().cloned());
    report.chain = Some(check);
    Ok(report)
}

/// What checking the chain found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ChainCheck {
    /// Entries in the chain.
    pub entries: u64,
    /// The head's hash.
    pub head: Option<String>,
    /// Entries signed by the key given.
    pub signed: u64,
    /// Every way the chain fails, as a sentence. Empty when it holds.
    pub problems: Vec<String>,
}

/// Checks the chain of `output` against `public_key` (hex) and, if given, a
/// head kept elsewhere: every link, every signature, a signed head, the
/// manifest the head records, and that `kept_head` is still in the chain.
pub(crate) fn check(output: &Path, public_key: &str, kept_heads: &[String]) -> ChainCheck {
    let mut check = ChainCheck::default();
    let entries = match read_chain(output) {
        Ok(Some(entries)) if !entries.is_empty() => entries,
        Ok(_) => {
            check.problems.push(format!(
                "there is no chain of runs ({}): the archive's runs were never recorded in one, or it was deleted",
                chain_path(output).display()
            ));
            return check;
        }
        Err(problem) => {
            check.problems.push(format!("the chain of runs {problem}"));
            return check;
        }
    };
    check.entries = entries.len() as u64;
    let verifier = unhex(public_key).map(|key| UnparsedPublicKey::new(&ED25519, key));
    let mut previous = String::new();
    let mut hashes = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let hash = entry.hash();
        if entry.seq != i as u64 || entry.prev != previous {
            check.problems.push(format!(
                "entry {} of the chain does not follow the one before it: entries were removed, changed or put in",
                i + 1
            ));
        }
        match &entry.signature {
            Some(signature) if signature.public_key != public_key => check.problems.push(format!(
                "entry {} is signed by another key ({}) than the one given",
                i + 1,
                signature.public_key
            )),
            Some(signature) => {
                let good = match (&verifier, unhex(&signature.signature)) {
                    (Some(verifier), Some(bytes)) => verifier
                        .verify(format!("{SIGNED_PREFIX}{hash}").as_bytes(), &bytes)
                        .is_ok(),
                    _ => false,
                };
                if good {
                    check.signed += 1;
                } else {
                    check.problems.push(format!(
                        "entry {}'s signature does not match it: the entry was changed after it was signed",
                        i + 1
                    ));
                }
            }
            None => {}
        }
        previous = hash.clone();
        hashes.push(hash);
    }
    if let Some(first_signed) = entries.iter().position(|e| e.signature.is_some()) {
        for entry in entries.iter().skip(first_signed + 1).filter(|e| e.signature.is_none()) {
            check.problems.push(format!(
                "entry {} of the chain is not signed, though entry {} before it is: a run without the key, or an entry put in by hand",
                entry.seq + 1,
                first_signed + 1
            ));
        }
    }
    for entry in &entries {
        for finding in &entry.findings {
            check.problems.push(format!(
                "the run of {} (entry {}) found: {finding}",
                entry.run.started.format("%Y-%m-%d %H:%M UTC"),
                entry.seq + 1
            ));
        }
        if entry.run.manifest_missing {
            check.problems.push(format!(
                "the run of {} (entry {}) found the manifest deleted",
                entry.run.started.format("%Y-%m-%d %H:%M UTC"),
                entry.seq + 1
            ));
        }
    }
    let head = entries.last().expect("not empty");
    if head.signature.is_none() {
        check.problems.push(format!(
            "the chain's head (entry {}) is not signed: the run that wrote it had no signing key, so nothing vouches for the archive as it is now",
            entries.len()
        ));
    }
    match std::fs::read(manifest_path(output)) {
        Ok(bytes) => {
            let sha = sha256_hex(&bytes);
            if sha != head.manifest_sha256 {
                check.problems.push(format!(
                    "the manifest is not the one the chain's head records (SHA-256 {sha}, the head says {}): it was written by something else than a run",
                    head.manifest_sha256
                ));
            }
        }
        Err(e) => check.problems.push(format!("the manifest cannot be read: {e}")),
    }
    for kept in kept_heads {
        let kept = kept.trim().to_ascii_lowercase();
        if !hashes.contains(&kept) {
            check.problems.push(format!(
                "the head kept elsewhere ({kept}) is not in the chain: the chain was cut back, rolled back or rewritten since"
            ));
        }
    }
    check.head = hashes.last().cloned();
    check
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}
