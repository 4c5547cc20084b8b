//! One error type for everything that can go wrong while turning a spec into code.
//!
//! Every error names the file it came from and, where it applies, the folder path
//! of the Postman item, so that a maintainer who drops in a broken export sees
//! exactly which request to look at.

use std::fmt;

/// A failure to read, convert, correct or generate a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file the problem is in (a collection, the config or the corrections).
    pub file: String,
    /// The Postman folder path and item name, such as `Reports / Get chat sessions reports`.
    pub item: Option<String>,
    /// What is wrong, in one sentence.
    pub problem: String,
}

impl Error {
    /// An error about a whole file.
    pub fn file(file: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            item: None,
            problem: problem.into(),
        }
    }

    /// An error about one item of a collection.
    pub fn item(file: impl Into<String>, item: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            item: Some(item.into()),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.item {
            Some(item) => write!(f, "{}: item `{}`: {}", self.file, item, self.problem),
            None => write!(f, "{}: {}", self.file, self.problem),
        }
    }
}

impl std::error::Error for Error {}

/// Shorthand for results in this crate.
pub type Result<T> = std::result::Result<T, Error>;
