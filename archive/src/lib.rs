#![doc = include_str!("../README.md")]
//!
//! ## How an export works
//!
//! Exporting a date range to JSON Lines, resumably.
//!
//! The unit of work is one session in one month window. Its messages are
//! streamed to a spool file beside the output (never held in memory), copied
//! into the output when the unit is complete, then recorded in a journal beside
//! it (`OUT.journal`). The output therefore only ever grows by whole units, and
//! a resumed export knows exactly what is done:
//! - the journal's first line names the source (API and account), the range,
//!   the message kinds and the month windows planned at the start, so a resume
//!   from another source or with other arguments is refused, not mixed in;
//! - each further line records a unit written (with the output's length after
//!   it and a checksum), or a window finished;
//! - on resume the output is cut back to the last length the journal accounts
//!   for (dropping a unit half written when the process died), entries whose
//!   data is missing or different are dropped, and finished units are skipped.
//!
//! Around that: an OS lock on `OUT.lock` keeps a second export out; nothing is
//! overwritten unless asked; and the dates are fixed when the export starts
//! (see [`export_jsonl`]).
//!
//! The files an archive consists of are named in [`paths`](crate::journal_path).

// Read from the top: the entry points, what they take and give, then the
// parts of a run in the order it uses them.
mod access;
mod archived;
mod batch;
mod chain;
#[cfg(feature = "cli")]
mod demo;
mod doctor;
mod durable;
mod error;
#[cfg(feature = "read")]
mod escape;
mod export;
mod failures;
mod file_index;
mod files;
mod files_place;
#[cfg(feature = "read")]
mod index;
mod journal;
mod line;
mod lock;
mod manifest;
mod open;
mod options;
mod output;
mod paths;
mod permissions;
#[cfg(feature = "read")]
mod produce;
mod run;
#[cfg(feature = "read")]
mod search;
mod sessions;
mod sha256;
#[cfg(feature = "read")]
mod site;
mod spool;
mod status;
mod summary;
mod sync_plan;
mod unit;
mod writer;

pub use access::{Access, LoosePath};
pub use chain::{
    ChainCheck, ChainEntry, ChainHead, ChainRun, ChainSignature, KeyError, SigningKey, keygen, read_chain,
    read_head_log, read_public_key, verify_signed,
};
#[cfg(feature = "cli")]
pub use demo::demo_dataset;
pub use doctor::{Check, DoctorPlaces, MIN_FREE_BYTES, doctor};
pub use error::{ExportError, PathProblem};
pub use export::{export_jsonl, recorded_include};
pub use file_index::{ChangedFile, FileRecord, FileStatus, FilesSummary, MAX_FILE_ATTEMPTS};
#[cfg(feature = "read")]
pub use index::{INDEX_SCHEMA_VERSION, IndexProgress, IndexSummary, index_state, update_index};
pub use manifest::{
    DayRange, FileDigest, Manifest, MissingSession, VerifyOutcome, VerifyReport, read_manifest, verify,
};
pub use options::{ExportOptions, GONE_CONFIRMATION_DAYS, MAX_UNIT_FAILED_DAYS, SyncOptions};
pub use paths::{
    chain_path, files_index_path, journal_path, lock_path, manifest_path, search_index_path, sessions_path,
};
pub use permissions::{AccessReport, check_access, tighten_access};
#[cfg(feature = "read")]
pub use produce::{
    CSV_COLUMNS, ProducedFile, ProductionFormat, ProductionRecord, ProductionRequest, ProductionSummary, produce,
};
#[cfg(feature = "read")]
pub use search::{QueryError, SearchError, SearchHit, SearchQuery, SearchResults, search};
pub use sha256::Midstate;
#[cfg(feature = "read")]
pub use site::{MAX_PAGE_BYTES, SITE_MARKER, SiteSummary, write_site};
pub use status::{ArchiveStatus, IndexState, RunSummary, status};
pub use summary::{ExportProgress, ExportSummary, FailedSession, SyncedDays, WidenedSync};
