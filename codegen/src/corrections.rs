//! The corrections file: JSON Patches applied to the converted document.
//!
//! Zoom's exports are wrong in small, known ways (a field typed as a string
//! in one export and an integer in another, fields marked present that Zoom
//! omits). Fixing them by hand in the generated code would be lost on the next
//! regeneration, so each fix is a reviewed patch that is re-applied every time.

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::shared::operation_pointer;

/// One correction: why, which operations it needs, and the patch.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// Why the export is wrong here; shown in errors and warnings.
    pub reason: String,
    /// `METHOD /path` keys the patch touches. When the document does not
    /// contain all of them (a build of a selected subset), the correction is
    /// skipped with a warning instead of failing.
    #[serde(default)]
    pub requires: Vec<String>,
    /// RFC 6902 operations.
    pub patch: json_patch::Patch,
}

/// Reads a corrections file: a JSON array of corrections.
pub fn parse_corrections(text: &str, file: &str) -> Result<Vec<Correction>> {
    serde_json::from_str(text).map_err(|e| Error::file(file, format!("not a valid corrections list: {e}")))
}

/// Applies every correction in order. A patch that does not apply (its target
/// moved, a `test` failed) stops the build: a correction that silently stops
/// applying is a bug that reaches users.
pub fn apply_corrections(
    document: &mut Value,
    corrections: &[Correction],
    file: &str,
    warnings: &mut Vec<String>,
) -> Result<()> {
    for (index, correction) in corrections.iter().enumerate() {
        let missing: Vec<&str> = correction
            .requires
            .iter()
            .filter(|key| operation_pointer(key).and_then(|p| document.pointer(&p)).is_none())
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            warnings.push(format!(
                "{file}: correction #{index} ({}) skipped: the document has no {}",
                correction.reason,
                missing.join(", ")
            ));
            continue;
        }
        json_patch::patch(document, &correction.patch).map_err(|e| {
            Error::file(
                file,
                format!("correction #{index} ({}) does not apply: {e}", correction.reason),
            )
        })?;
    }
    Ok(())
}
