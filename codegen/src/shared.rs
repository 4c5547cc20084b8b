//! Hoisting inline schemas into named, shared component schemas.
//!
//! progenitor names an inline schema after where it sits
//! (`ReportChatMessagesResponseEditedMessagesItem`), so the three message
//! arrays of a messages report would become three unrelated Rust types.
//! Naming them once in the config gives one `ChatMessage` type whose name does
//! not change when Zoom renames an item, and a stable place
//! (`/components/schemas/ChatMessage`) for corrections to patch.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::{Error, Result};

/// One place an inline schema sits: an operation and a JSON Pointer into it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SchemaLocation {
    /// `METHOD /path/{param}`.
    pub operation: String,
    /// A JSON Pointer relative to the operation object, such as
    /// `/responses/200/content/application~1json/schema/properties/sessions/items`.
    pub pointer: String,
}

/// Replaces every listed location with a `$ref` to one component schema that
/// merges them all. Locations of operations the document does not contain are
/// skipped (a selected subset of a full export is normal); a location that does
/// not resolve in an operation that is present is an error, because it means
/// the export changed shape and the names would silently stop applying.
pub fn hoist_shared_schemas(
    document: &mut Value,
    shared: &BTreeMap<String, Vec<SchemaLocation>>,
    config_file: &str,
    warnings: &mut Vec<String>,
) -> Result<()> {
    for (name, locations) in shared {
        let mut merged: Option<Value> = None;
        for location in locations {
            let Some(operation_pointer) = operation_pointer(&location.operation) else {
                return Err(Error::file(
                    config_file,
                    format!("shared schema `{name}`: `{}` is not `METHOD /path`", location.operation),
                ));
            };
            if document.pointer(&operation_pointer).is_none() {
                warnings.push(format!(
                    "{config_file}: shared schema `{name}`: `{}` is not in the document; skipped",
                    location.operation
                ));
                continue;
            }
            let pointer = format!("{operation_pointer}{}", location.pointer);
            let slot = document.pointer_mut(&pointer).ok_or_else(|| {
                Error::file(
                    config_file,
                    format!(
                        "shared schema `{name}`: `{}` has nothing at `{}`",
                        location.operation, location.pointer
                    ),
                )
            })?;
            let schema = std::mem::replace(slot, json!({ "$ref": format!("#/components/schemas/{name}") }));
            merged = Some(match merged {
                Some(existing) => merge_schemas(existing, schema),
                None => schema,
            });
        }
        if let Some(schema) = merged {
            let schemas = document
                .pointer_mut("/components/schemas")
                .and_then(Value::as_object_mut)
                .ok_or_else(|| Error::file(config_file, "the converted document has no `components.schemas`"))?;
            if schemas.insert(name.clone(), schema).is_some() {
                return Err(Error::file(
                    config_file,
                    format!("shared schema `{name}` clashes with a schema of the same name"),
                ));
            }
        }
    }
    Ok(())
}

/// `GET /report/chat/sessions/{sessionId}` → `/paths/~1report~1chat~1sessions~1{sessionId}/get`.
pub fn operation_pointer(key: &str) -> Option<String> {
    let (method, path) = key.split_once(' ')?;
    if !path.starts_with('/') {
        return None;
    }
    let escaped = path.replace('~', "~0").replace('/', "~1");
    Some(format!("/paths/{escaped}/{}", method.to_ascii_lowercase()))
}

/// Merges two JSON schemas into one that accepts both: object properties are
/// united, a property is required only where both require it, and schemas that
/// disagree on type become a `oneOf`.
pub fn merge_schemas(a: Value, b: Value) -> Value {
    if a == b {
        return a;
    }
    let (mut a, mut b) = match (a, b) {
        (Value::Object(a), Value::Object(b)) => (a, b),
        // Only a mistaken pointer in the config leads here; keep both rather than guess.
        (a, b) => return json!({ "oneOf": [a, b] }),
    };
    let is = |s: &serde_json::Map<String, Value>, t: &str| s.get("type").and_then(Value::as_str) == Some(t);
    if is(&a, "object") && is(&b, "object") {
        let mut properties = a.remove("properties").and_then(into_object).unwrap_or_default();
        for (key, schema) in b.remove("properties").and_then(into_object).unwrap_or_default() {
            let merged = match properties.remove(&key) {
                Some(existing) => merge_schemas(existing, schema),
                None => schema,
            };
            properties.insert(key, merged);
        }
        let required_b: Vec<Value> = b.remove("required").and_then(into_array).unwrap_or_default();
        let required: Vec<Value> = a
            .remove("required")
            .and_then(into_array)
            .unwrap_or_default()
            .into_iter()
            .filter(|r| required_b.contains(r))
            .collect();
        a.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            a.insert("required".into(), Value::Array(required));
        }
        return Value::Object(a);
    }
    if is(&a, "array") && is(&b, "array") {
        let items = merge_schemas(
            a.remove("items").unwrap_or(json!({})),
            b.remove("items").unwrap_or(json!({})),
        );
        a.insert("items".into(), items);
        return Value::Object(a);
    }
    json!({ "oneOf": [Value::Object(a), Value::Object(b)] })
}

fn into_object(v: Value) -> Option<serde_json::Map<String, Value>> {
    match v {
        Value::Object(o) => Some(o),
        _ => None,
    }
}

fn into_array(v: Value) -> Option<Vec<Value>> {
    match v {
        Value::Array(a) => Some(a),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_unites_properties_and_intersects_required() {
        let a = json!({"type": "object", "properties": {"id": {"type": "string"}, "x": {"type": "integer"}}, "required": ["id", "x"]});
        let b = json!({"type": "object", "properties": {"id": {"type": "string"}, "y": {"type": "boolean"}}, "required": ["id", "y"]});
        let merged = merge_schemas(a, b);
        assert_eq!(merged["required"], json!(["id"]));
        assert_eq!(merged["properties"].as_object().map(|p| p.len()), Some(3));
    }

    #[test]
    fn pointers_escape_slashes() {
        assert_eq!(operation_pointer("GET /a/{b}").as_deref(), Some("/paths/~1a~1{b}/get"));
        assert_eq!(operation_pointer("GET a"), None);
    }
}
