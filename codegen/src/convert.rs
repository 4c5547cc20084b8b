//! Postman collection → OpenAPI 3.0 document.
//!
//! The document is assembled as JSON and then read into `openapiv3::OpenAPI`,
//! which is the typed model progenitor consumes; reading it back is what checks
//! that we produced a valid document. Keeping it as JSON until then is also what
//! lets the corrections file (a JSON Patch) apply to exactly what is snapshotted.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::infer::{Shape, StringFormat, is_date, is_date_time, placeholder_type};
use crate::postman::{Body, Collection, ExampleResponse, Param, Request};

/// The name of the shared schema every error response refers to.
pub const ZOOM_ERROR_SCHEMA: &str = "ZoomError";

/// Which operations of a collection to convert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every request in the collection.
    All,
    /// Only these operations, as `METHOD /path/{param}` keys.
    Only(Vec<String>),
}

/// What to convert and how to name it.
#[derive(Debug, Clone)]
pub struct ConvertOptions {
    /// Which operations to keep.
    pub selection: Selection,
    /// Pinned operation names by `METHOD /path` key; the rest are derived from method and path.
    pub operation_names: BTreeMap<String, String>,
}

/// The converted document and what the converter had to say about it.
#[derive(Debug, Clone)]
pub struct Conversion {
    /// The OpenAPI 3.0 document, as JSON.
    pub document: Value,
    /// Things a maintainer should know but that do not stop the build.
    pub warnings: Vec<String>,
}

/// Converts a parsed collection into an OpenAPI 3.0 document.
pub fn convert(collection: &Collection, file: &str, options: &ConvertOptions) -> Result<Conversion> {
    let mut warnings = Vec::new();
    let mut by_key: BTreeMap<String, &Request> = BTreeMap::new();
    let mut ordered_keys = Vec::new();
    for request in &collection.requests {
        let key = operation_key(request);
        if let Some(previous) = by_key.insert(key.clone(), request) {
            return Err(Error::item(
                file,
                request.display_path(),
                format!(
                    "`{key}` is also defined by item `{}`; each method and path may appear once",
                    previous.display_path()
                ),
            ));
        }
        ordered_keys.push(key);
    }

    let selected: Vec<String> = match &options.selection {
        Selection::All => ordered_keys,
        Selection::Only(wanted) => {
            for key in wanted {
                if !by_key.contains_key(key) {
                    return Err(Error::file(file, missing_operation_message(key, &by_key)));
                }
            }
            // Keep the collection's order so the output does not depend on how the list is sorted.
            ordered_keys.into_iter().filter(|k| wanted.contains(k)).collect()
        }
    };
    for key in options.operation_names.keys() {
        if !by_key.contains_key(key) {
            warnings.push(format!(
                "{file}: `operation_names` pins `{key}`, which the collection does not define"
            ));
        }
    }

    let mut paths: Map<String, Value> = Map::new();
    let mut names_used: BTreeMap<String, String> = BTreeMap::new();
    for key in &selected {
        let request = by_key[key];
        let name = options
            .operation_names
            .get(key)
            .cloned()
            .unwrap_or_else(|| derive_operation_name(&request.method, &openapi_path(request)));
        if let Some(other) = names_used.insert(name.clone(), key.clone()) {
            return Err(Error::item(
                file,
                request.display_path(),
                format!("operation name `{name}` is used by both `{other}` and `{key}`; pin one in `operation_names`"),
            ));
        }
        let operation = convert_operation(request, &name, file, &mut warnings)?;
        let path_item = paths
            .entry(openapi_path(request))
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("path items are created as objects");
        path_item.insert(request.method.to_ascii_lowercase(), operation);
    }

    let mut info = json!({ "title": collection.name, "version": "postman" });
    if let Some(description) = &collection.description {
        info["description"] = json!(decode_entities(description));
    }
    let server = collection
        .base_url
        .clone()
        .unwrap_or_else(|| "https://api.zoom.us/v2".into());
    let document = json!({
        "openapi": "3.0.3",
        "info": info,
        "servers": [{ "url": server }],
        "paths": paths,
        "components": {
            "schemas": { ZOOM_ERROR_SCHEMA: zoom_error_schema() },
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } }
        },
        "security": [{ "bearer": [] }],
    });
    Ok(Conversion { document, warnings })
}

/// Zoom's error body, per its error docs: `{code, message, errors[]}`.
fn zoom_error_schema() -> Value {
    json!({
        "type": "object",
        "description": "Zoom's error body. `code` is Zoom's own error code (300, 124, 429, ...), not the HTTP status.",
        "properties": {
            "code": { "type": "integer", "format": "int64", "description": "Zoom's error code." },
            "message": { "type": "string", "description": "A human-readable description of the error." },
            "errors": {
                "type": "array",
                "description": "Per-field validation errors, when Zoom sends them.",
                "items": {
                    "type": "object",
                    "properties": {
                        "field": { "type": "string" },
                        "message": { "type": "string" }
                    }
                }
            }
        }
    })
}

/// `METHOD /path/{param}`: the stable identity of an operation, independent of the item's name.
pub fn operation_key(request: &Request) -> String {
    format!("{} {}", request.method, openapi_path(request))
}

/// The OpenAPI path: `:var` and `{{var}}` segments become `{var}`.
pub fn openapi_path(request: &Request) -> String {
    let segments: Vec<String> = request
        .path
        .iter()
        .map(|segment| match path_variable_name(segment) {
            Some(name) => format!("{{{name}}}"),
            None => segment.clone(),
        })
        .collect();
    format!("/{}", segments.join("/"))
}

fn path_variable_name(segment: &str) -> Option<&str> {
    segment
        .strip_prefix(':')
        .or_else(|| segment.strip_prefix("{{").and_then(|s| s.strip_suffix("}}")))
        .filter(|name| !name.is_empty())
}

/// `get` + `/report/chat/sessions/{sessionId}` → `get_report_chat_sessions_by_session_id`.
pub fn derive_operation_name(method: &str, path: &str) -> String {
    let mut words = vec![method.to_ascii_lowercase()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by_{}", snake_case(param))),
            None => words.push(snake_case(segment)),
        }
    }
    words.retain(|w| !w.is_empty());
    words.join("_")
}

fn snake_case(s: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            if previous_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = false;
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
            previous_lower = true;
        } else {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            previous_lower = false;
        }
    }
    out.trim_end_matches('_').to_string()
}

fn missing_operation_message(key: &str, available: &BTreeMap<String, &Request>) -> String {
    let path = key.split_once(' ').map_or(key, |(_, p)| p);
    let last = path.rsplit('/').next().unwrap_or(path);
    let similar: Vec<&str> = available
        .keys()
        .map(String::as_str)
        .filter(|k| k.contains(last))
        .take(5)
        .collect();
    let mut message = format!("operation `{key}` was asked for but the collection does not define it");
    if !similar.is_empty() {
        message.push_str(&format!("; similar: {}", similar.join(", ")));
    }
    message
}

fn convert_operation(request: &Request, name: &str, file: &str, warnings: &mut Vec<String>) -> Result<Value> {
    let mut operation = json!({ "operationId": name, "summary": decode_entities(&request.name) });
    if let Some(description) = &request.description {
        operation["description"] = json!(decode_entities(description));
    }
    if let Some(folder) = request.folders.first() {
        operation["tags"] = json!([folder]);
    }

    let mut parameters = Vec::new();
    for segment in &request.path {
        let Some(var) = path_variable_name(segment) else {
            continue;
        };
        let example = request.path_variables.iter().find(|p| p.key == var);
        // A path variable is always required, whatever its description says.
        let (_, description) = split_required(example.and_then(|p| p.description.as_deref()).unwrap_or_default());
        let value = example.and_then(|p| p.value.as_deref());
        parameters.push(parameter(var, "path", true, description, value));
    }
    for param in &request.query {
        let (required, description) = split_required(param.description.as_deref().unwrap_or_default());
        if parameters
            .iter()
            .any(|p| p["in"] == "query" && p["name"] == param.key.as_str())
        {
            warnings.push(format!(
                "{file}: item `{}`: query parameter `{}` appears twice; kept the first",
                request.display_path(),
                param.key
            ));
            continue;
        }
        parameters.push(parameter(
            &param.key,
            "query",
            required,
            description,
            param.value.as_deref(),
        ));
    }
    for header in &request.headers {
        // These are set by the client itself, never by the caller.
        if ["accept", "content-type", "authorization"].contains(&header.key.to_ascii_lowercase().as_str()) {
            continue;
        }
        let (required, description) = split_required(header.description.as_deref().unwrap_or_default());
        parameters.push(parameter(
            &header.key,
            "header",
            required,
            description,
            header.value.as_deref(),
        ));
    }
    if !parameters.is_empty() {
        operation["parameters"] = json!(parameters);
    }

    if let Some(body) = &request.body
        && let Some(request_body) = request_body(body, request, file, warnings)
    {
        operation["requestBody"] = request_body;
    }
    operation["responses"] = responses(request, file, warnings);
    Ok(operation)
}

/// Postman marks required parameters with a `(Required)` prefix on the description.
fn split_required(description: &str) -> (bool, &str) {
    let trimmed = description.trim_start();
    match trimmed.strip_prefix("(Required)") {
        Some(rest) => (true, rest.trim_start()),
        None => (false, trimmed),
    }
}

fn parameter(name: &str, location: &str, required: bool, description: &str, example: Option<&str>) -> Value {
    let mut param = json!({
        "name": name,
        "in": location,
        "required": required,
        "schema": parameter_schema(example, description),
    });
    if !description.is_empty() {
        param["description"] = json!(decode_entities(description));
    }
    param
}

/// Postman stores every parameter value as text, so types come from the
/// value's form and from what the description says about it.
fn parameter_schema(example: Option<&str>, description: &str) -> Value {
    let value = example.unwrap_or_default().trim();
    if let Some(shape) = placeholder_type(value) {
        return shape.to_schema();
    }
    let mentions_date_format = description.to_ascii_lowercase().contains("yyyy-mm-dd");
    let shape = if is_date(value) || (mentions_date_format && !is_date_time(value)) {
        Shape::String(StringFormat::Date)
    } else if is_date_time(value) {
        Shape::String(StringFormat::DateTime)
    } else if value == "true" || value == "false" {
        Shape::Boolean
    } else if is_integer_literal(value) {
        Shape::Integer
    } else {
        Shape::String(StringFormat::Plain)
    };
    match shape {
        // Parameters are page sizes and counts: a plain integer reads better than int64 in the API.
        Shape::Integer => json!({ "type": "integer" }),
        other => other.to_schema(),
    }
}

/// Digits that fit an i64 and have no leading zero: `"0123"` is an identifier, not a number.
fn is_integer_literal(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && value.parse::<i64>().is_ok()
}

fn request_body(body: &Body, request: &Request, file: &str, warnings: &mut Vec<String>) -> Option<Value> {
    let (content_type, schema) = match body {
        Body::Raw { text, language } => {
            if text.trim().is_empty() {
                return None;
            }
            match serde_json::from_str::<Value>(text) {
                Ok(value) => ("application/json", Shape::of(&value).to_schema()),
                Err(e) => {
                    if language.as_deref() == Some("json") {
                        warnings.push(format!(
                            "{file}: item `{}`: request body is not valid JSON ({e}); typed as text",
                            request.display_path()
                        ));
                    }
                    ("text/plain", json!({ "type": "string" }))
                }
            }
        }
        Body::UrlEncoded(fields) => ("application/x-www-form-urlencoded", form_schema(fields)),
        Body::FormData(fields) => ("multipart/form-data", form_schema(fields)),
        Body::Other(mode) => {
            warnings.push(format!(
                "{file}: item `{}`: request body mode `{mode}` is not converted",
                request.display_path()
            ));
            return None;
        }
    };
    Some(json!({ "required": true, "content": { content_type: { "schema": schema } } }))
}

fn form_schema(fields: &[Param]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in fields {
        let (is_required, description) = split_required(field.description.as_deref().unwrap_or_default());
        let mut schema = if field.field_type.as_deref() == Some("file") {
            json!({ "type": "string", "format": "binary" })
        } else {
            parameter_schema(field.value.as_deref(), description)
        };
        if !description.is_empty() {
            schema["description"] = json!(decode_entities(description));
        }
        if is_required {
            required.push(field.key.clone());
        }
        properties.insert(field.key.clone(), schema);
    }
    let mut schema = json!({ "type": "object", "properties": properties });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

/// Merges the examples into one schema per status, then fits progenitor's
/// rule of one success type: see the module docs of `generate` for why.
fn responses(request: &Request, file: &str, warnings: &mut Vec<String>) -> Value {
    let mut by_status: BTreeMap<u16, Vec<&ExampleResponse>> = BTreeMap::new();
    for example in &request.responses {
        by_status.entry(example.code.unwrap_or(200)).or_default().push(example);
    }

    let mut out = Map::new();
    let successes: Vec<(u16, Option<Shape>, String)> = by_status
        .iter()
        .filter(|(code, _)| (200..300).contains(*code))
        .map(|(code, examples)| {
            (
                *code,
                merged_body_shape(examples, request, file, warnings),
                describe(examples),
            )
        })
        .collect();
    // The success progenitor types: the first 2xx with a JSON body, else the first 2xx.
    let chosen = successes
        .iter()
        .position(|(_, shape, _)| shape.is_some())
        .or(if successes.is_empty() { None } else { Some(0) });
    for (index, (code, shape, description)) in successes.iter().enumerate() {
        if Some(index) != chosen {
            warnings.push(format!(
                "{file}: item `{}`: dropped the {code} response; a client has one success type and {} is kept",
                request.display_path(),
                successes[chosen.unwrap_or(0)].0
            ));
            continue;
        }
        let mut response = json!({ "description": description });
        if let Some(shape) = shape {
            response["content"] = json!({ "application/json": { "schema": shape.to_schema() } });
        }
        out.insert(code.to_string(), response);
    }
    if chosen.is_none() {
        out.insert("200".into(), json!({ "description": "Success." }));
    }

    // Zoom answers errors with `{code, message}` whatever the example says:
    // exported error examples are empty text/plain bodies. 400 and 429 can
    // come from any endpoint; 300 is how the old exports spell Zoom error code 300.
    let mut error_codes: BTreeMap<u16, String> = by_status
        .iter()
        .filter(|(code, _)| **code >= 300)
        .map(|(code, examples)| (*code, describe(examples)))
        .collect();
    error_codes.entry(400).or_insert_with(|| {
        "Bad request. Zoom error code 300 covers invalid fields and an invalid or expired `next_page_token`.".into()
    });
    error_codes
        .entry(429)
        .or_insert_with(|| "Too many requests: a per-second or daily rate limit was hit.".into());
    for (code, description) in error_codes {
        out.insert(
            code.to_string(),
            json!({
                "description": description,
                "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{ZOOM_ERROR_SCHEMA}") } } }
            }),
        );
    }
    Value::Object(out)
}

fn describe(examples: &[&ExampleResponse]) -> String {
    let text = examples
        .iter()
        .map(|e| decode_entities(&e.name))
        .find(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "Response.".into());
    text.replace("<br>", "\n")
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

fn merged_body_shape(
    examples: &[&ExampleResponse],
    request: &Request,
    file: &str,
    warnings: &mut Vec<String>,
) -> Option<Shape> {
    let mut merged: Option<Shape> = None;
    for example in examples {
        let Some(body) = example.body.as_deref().filter(|b| !b.trim().is_empty()) else {
            continue;
        };
        match serde_json::from_str::<Value>(body) {
            Ok(value) => merged = Some(merged.map_or_else(|| Shape::of(&value), |m| m.merge(Shape::of(&value)))),
            Err(e) if example.is_json() => warnings.push(format!(
                "{file}: item `{}`: example `{}` is marked JSON but does not parse ({e}); ignored",
                request.display_path(),
                example.name
            )),
            Err(_) => {}
        }
    }
    merged
}

/// Zoom's descriptions carry HTML entities (`&quot;`, `&mdash;`) that would otherwise reach the docs verbatim.
pub fn decode_entities(text: &str) -> String {
    html_escape::decode_html_entities(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_follow_method_and_path() {
        assert_eq!(
            derive_operation_name("GET", "/report/chat/sessions"),
            "get_report_chat_sessions"
        );
        assert_eq!(
            derive_operation_name("GET", "/report/chat/sessions/{sessionId}"),
            "get_report_chat_sessions_by_session_id"
        );
        assert_eq!(
            derive_operation_name("PATCH", "/chat/users/me/channels/{channelId}/mention_group"),
            "patch_chat_users_me_channels_by_channel_id_mention_group"
        );
        assert_eq!(derive_operation_name("POST", "/im/groups"), "post_im_groups");
    }

    #[test]
    fn parameter_types_come_from_values_and_descriptions() {
        assert_eq!(
            parameter_schema(Some("1989-05-07"), ""),
            json!({"type": "string", "format": "date"})
        );
        assert_eq!(parameter_schema(Some("30"), ""), json!({"type": "integer"}));
        assert_eq!(parameter_schema(Some("0123"), ""), json!({"type": "string"}));
        assert_eq!(parameter_schema(Some("true"), ""), json!({"type": "boolean"}));
        assert_eq!(
            parameter_schema(Some("<integer>"), ""),
            json!({"type": "integer", "format": "int64"})
        );
        assert_eq!(
            parameter_schema(None, "Start date in 'yyyy-mm-dd' format."),
            json!({"type": "string", "format": "date"})
        );
        assert_eq!(parameter_schema(Some("quis officia"), ""), json!({"type": "string"}));
        assert_eq!(
            parameter_schema(Some("99999999999999999999"), ""),
            json!({"type": "string"})
        );
    }

    #[test]
    fn required_prefix() {
        assert_eq!(split_required("(Required) End date."), (true, "End date."));
        assert_eq!(split_required("End date. (Required)"), (false, "End date. (Required)"));
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            decode_entities("the &quot;from&quot; date &mdash; ok"),
            "the \"from\" date \u{2014} ok"
        );
    }
}
