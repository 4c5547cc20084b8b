//! Reading Postman collections (schema v2.0 and v2.1) into a flat list of requests.
//!
//! We read the JSON by hand instead of deriving `Deserialize` for the whole
//! collection format: exports from different tools disagree on many details
//! (a URL as a string or an object, a description as a string or an object,
//! path segments as strings or objects), and every mismatch must become one
//! clear error that names the item, never a panic or an opaque serde message.

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// Which version of the Postman collection schema a file declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaVersion {
    /// `https://schema.getpostman.com/json/collection/v2.0.0/collection.json`
    V2_0,
    /// `https://schema.getpostman.com/json/collection/v2.1.0/collection.json`
    V2_1,
}

/// A parsed collection: its metadata and every request, folders flattened.
#[derive(Debug, Clone)]
pub struct Collection {
    /// `info.name`.
    pub name: String,
    /// `info.description`, if any.
    pub description: Option<String>,
    /// The declared schema version.
    pub version: SchemaVersion,
    /// The value of the `baseUrl` collection variable, if declared.
    pub base_url: Option<String>,
    /// Every request in document order.
    pub requests: Vec<Request>,
}

/// One request item, with the folders that contain it.
#[derive(Debug, Clone)]
pub struct Request {
    /// Folder names from the collection root down to the item.
    pub folders: Vec<String>,
    /// The item's name.
    pub name: String,
    /// The item's (or its request's) description.
    pub description: Option<String>,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path segments after the host, such as `["report", "chat", "sessions", ":sessionId"]`.
    pub path: Vec<String>,
    /// Enabled query parameters.
    pub query: Vec<Param>,
    /// Path variables (`:name` segments), with their example values.
    pub path_variables: Vec<Param>,
    /// Enabled request headers.
    pub headers: Vec<Param>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// Saved example responses.
    pub responses: Vec<ExampleResponse>,
}

impl Request {
    /// `Folder / Sub-folder / Item name`, for error messages.
    pub fn display_path(&self) -> String {
        display_path(&self.folders, &self.name)
    }
}

/// A key/value pair with a description: a query parameter, path variable,
/// header or form field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The parameter's name.
    pub key: String,
    /// The example value.
    pub value: Option<String>,
    /// The description, HTML entities still encoded.
    pub description: Option<String>,
    /// For form-data fields: `text` or `file`.
    pub field_type: Option<String>,
}

/// A request body.
#[derive(Debug, Clone)]
pub enum Body {
    /// `mode: raw`, with the declared language (`json`, `text`, ...).
    Raw {
        /// The body text.
        text: String,
        /// `options.raw.language`, if declared.
        language: Option<String>,
    },
    /// `mode: urlencoded`.
    UrlEncoded(Vec<Param>),
    /// `mode: formdata`.
    FormData(Vec<Param>),
    /// Any other mode (`file`, `graphql`, ...), kept by name so the converter can say why it skipped it.
    Other(String),
}

/// A saved example response.
#[derive(Debug, Clone)]
pub struct ExampleResponse {
    /// The example's name (Postman puts the status description here).
    pub name: String,
    /// The HTTP status code, if given.
    pub code: Option<u16>,
    /// The body text, if any.
    pub body: Option<String>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// Postman's preview language (`json`, `text`, ...).
    pub preview_language: Option<String>,
}

impl ExampleResponse {
    /// Whether the body should be read as JSON.
    pub fn is_json(&self) -> bool {
        let by_header = self
            .content_type
            .as_deref()
            .is_some_and(|c| c.to_ascii_lowercase().contains("json"));
        let by_preview = self.preview_language.as_deref() == Some("json");
        by_header || by_preview
    }
}

fn display_path(folders: &[String], name: &str) -> String {
    let mut parts: Vec<&str> = folders.iter().map(String::as_str).collect();
    parts.push(name);
    parts.join(" / ")
}

/// Parses a collection from its JSON text. `file` is only used in error messages.
pub fn parse_collection(text: &str, file: &str) -> Result<Collection> {
    let root: Value = serde_json::from_str(text).map_err(|e| Error::file(file, format!("not valid JSON: {e}")))?;
    let root = root
        .as_object()
        .ok_or_else(|| Error::file(file, "a collection must be a JSON object"))?;
    let ctx = Ctx { file, item: None };

    let info = ctx.required_object(root, "info")?;
    let schema = ctx.required_str(info, "schema")?;
    let version = if schema.contains("/v2.1") {
        SchemaVersion::V2_1
    } else if schema.contains("/v2.0") {
        SchemaVersion::V2_0
    } else {
        return Err(Error::file(
            file,
            format!("unknown schema version `{schema}`: only Postman collection v2.0 and v2.1 are supported"),
        ));
    };
    let name = ctx.required_str(info, "name")?.to_string();
    let description = ctx.description(info)?;
    let base_url = ctx.base_url_variable(root)?;

    let items = ctx.required_array(root, "item")?;
    let mut requests = Vec::new();
    collect_items(file, items, &mut Vec::new(), &mut requests)?;
    Ok(Collection {
        name,
        description,
        version,
        base_url,
        requests,
    })
}

fn collect_items(file: &str, items: &[Value], folders: &mut Vec<String>, out: &mut Vec<Request>) -> Result<()> {
    for (index, item) in items.iter().enumerate() {
        let fallback = format!("#{index}");
        let obj = item
            .as_object()
            .ok_or_else(|| Error::item(file, display_path(folders, &fallback), "an item must be a JSON object"))?;
        let name = match obj.get("name") {
            None | Some(Value::Null) => fallback,
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                return Err(Error::item(
                    file,
                    display_path(folders, &fallback),
                    "`name` must be a string",
                ));
            }
        };
        let here = display_path(folders, &name);
        let ctx = Ctx {
            file,
            item: Some(here.clone()),
        };
        if let Some(children) = obj.get("item") {
            let children = children
                .as_array()
                .ok_or_else(|| ctx.error("`item` of a folder must be an array"))?;
            folders.push(name);
            collect_items(file, children, folders, out)?;
            folders.pop();
        } else {
            out.push(ctx.request(obj, folders.clone(), name)?);
        }
    }
    Ok(())
}

/// Where we are in the file, so that every error can say so.
struct Ctx<'a> {
    file: &'a str,
    item: Option<String>,
}

impl Ctx<'_> {
    fn error(&self, problem: impl Into<String>) -> Error {
        match &self.item {
            Some(item) => Error::item(self.file, item.clone(), problem),
            None => Error::file(self.file, problem),
        }
    }

    fn optional_str<'v>(&self, obj: &'v Map<String, Value>, key: &str) -> Result<Option<&'v str>> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.error(format!("`{key}` must be a string, found {}", kind(other)))),
        }
    }

    fn required_str<'v>(&self, obj: &'v Map<String, Value>, key: &str) -> Result<&'v str> {
        self.optional_str(obj, key)?
            .ok_or_else(|| self.error(format!("`{key}` is missing")))
    }

    fn required_object<'v>(&self, obj: &'v Map<String, Value>, key: &str) -> Result<&'v Map<String, Value>> {
        match obj.get(key) {
            Some(Value::Object(o)) => Ok(o),
            None | Some(Value::Null) => Err(self.error(format!("`{key}` is missing"))),
            Some(other) => Err(self.error(format!("`{key}` must be an object, found {}", kind(other)))),
        }
    }

    fn required_array<'v>(&self, obj: &'v Map<String, Value>, key: &str) -> Result<&'v [Value]> {
        match obj.get(key) {
            Some(Value::Array(a)) => Ok(a),
            None | Some(Value::Null) => Err(self.error(format!("`{key}` is missing"))),
            Some(other) => Err(self.error(format!("`{key}` must be an array, found {}", kind(other)))),
        }
    }

    fn optional_array<'v>(&self, obj: &'v Map<String, Value>, key: &str) -> Result<&'v [Value]> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(other) => Err(self.error(format!("`{key}` must be an array, found {}", kind(other)))),
        }
    }

    /// A description is a string in v2.0 and either a string or `{content, type}` in v2.1.
    fn description(&self, obj: &Map<String, Value>) -> Result<Option<String>> {
        match obj.get("description") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(non_empty(s)),
            Some(Value::Object(d)) => Ok(self.optional_str(d, "content")?.and_then(non_empty)),
            Some(other) => Err(self.error(format!(
                "`description` must be a string or an object, found {}",
                kind(other)
            ))),
        }
    }

    fn base_url_variable(&self, root: &Map<String, Value>) -> Result<Option<String>> {
        for var in self.optional_array(root, "variable")? {
            let Some(var) = var.as_object() else {
                return Err(self.error("each collection `variable` must be an object"));
            };
            if self.optional_str(var, "key")? == Some("baseUrl") {
                return Ok(self.optional_str(var, "value")?.map(str::to_string));
            }
        }
        Ok(None)
    }

    fn request(&self, item: &Map<String, Value>, folders: Vec<String>, name: String) -> Result<Request> {
        let request = match item.get("request") {
            Some(Value::Object(r)) => r,
            // v2.0 allows a request to be just its URL.
            Some(Value::String(url)) => {
                let (path, query) = parse_raw_url(url);
                return Ok(Request {
                    folders,
                    name,
                    description: self.description(item)?,
                    method: "GET".into(),
                    path,
                    query,
                    path_variables: Vec::new(),
                    headers: Vec::new(),
                    body: None,
                    responses: self.responses(item)?,
                });
            }
            None | Some(Value::Null) => return Err(self.error("`request` is missing")),
            Some(other) => {
                return Err(self.error(format!("`request` must be an object, found {}", kind(other))));
            }
        };
        let method = self
            .optional_str(request, "method")?
            .unwrap_or("GET")
            .to_ascii_uppercase();
        let url = self.url(request)?;
        let description = match self.description(request)? {
            Some(d) => Some(d),
            None => self.description(item)?,
        };
        Ok(Request {
            folders,
            name,
            description,
            method,
            path: url.path,
            query: url.query,
            path_variables: url.variables,
            headers: self.params(request, "header")?,
            body: self.body(request)?,
            responses: self.responses(item)?,
        })
    }

    fn url(&self, request: &Map<String, Value>) -> Result<Url> {
        let url = match request.get("url") {
            Some(Value::String(raw)) => {
                let (path, query) = parse_raw_url(raw);
                return Ok(Url {
                    path,
                    query,
                    variables: Vec::new(),
                });
            }
            Some(Value::Object(u)) => u,
            None | Some(Value::Null) => return Err(self.error("`request.url` is missing")),
            Some(other) => {
                return Err(self.error(format!(
                    "`request.url` must be a string or an object, found {}",
                    kind(other)
                )));
            }
        };
        let raw = self.optional_str(url, "raw")?;
        let path = match url.get("path") {
            None | Some(Value::Null) => match raw {
                Some(raw) => parse_raw_url(raw).0,
                None => return Err(self.error("`request.url` has neither `path` nor `raw`")),
            },
            Some(Value::String(p)) => split_path(p),
            Some(Value::Array(segments)) => segments
                .iter()
                .map(|s| match s {
                    Value::String(s) => Ok(s.clone()),
                    // v2.1 allows `{ "type": "string", "value": "users" }` segments.
                    Value::Object(o) => self.required_str(o, "value").map(str::to_string),
                    other => Err(self.error(format!(
                        "each `url.path` segment must be a string, found {}",
                        kind(other)
                    ))),
                })
                .collect::<Result<Vec<_>>>()?,
            Some(other) => {
                return Err(self.error(format!(
                    "`url.path` must be an array or a string, found {}",
                    kind(other)
                )));
            }
        };
        let query = match (url.get("query"), raw) {
            (None | Some(Value::Null), Some(raw)) => parse_raw_url(raw).1,
            _ => self.params(url, "query")?,
        };
        let variables = self.params(url, "variable")?;
        Ok(Url { path, query, variables })
    }

    /// Key/value lists: query, variable, header, urlencoded and formdata all share this shape.
    /// Disabled entries are dropped here, so nothing downstream can forget to.
    fn params(&self, obj: &Map<String, Value>, key: &str) -> Result<Vec<Param>> {
        let entries = match obj.get(key) {
            // v2.0 allows headers as one "Key: value\n" string.
            Some(Value::String(text)) if key == "header" => {
                return Ok(text
                    .lines()
                    .filter_map(|line| line.split_once(':'))
                    .map(|(k, v)| Param {
                        key: k.trim().to_string(),
                        value: Some(v.trim().to_string()),
                        description: None,
                        field_type: None,
                    })
                    .collect());
            }
            _ => self.optional_array(obj, key)?,
        };
        let mut params = Vec::new();
        for entry in entries {
            let Some(entry) = entry.as_object() else {
                return Err(self.error(format!("each `{key}` entry must be an object, found {}", kind(entry))));
            };
            if entry.get("disabled") == Some(&Value::Bool(true)) {
                continue;
            }
            let name = match entry.get("key").or_else(|| entry.get("id")) {
                Some(Value::String(k)) => k.clone(),
                // Postman writes `"key": null` for a bare `?flag` query.
                None | Some(Value::Null) => continue,
                Some(other) => {
                    return Err(self.error(format!("`{key}[].key` must be a string, found {}", kind(other))));
                }
            };
            let value = match entry.get("value") {
                None | Some(Value::Null) => None,
                Some(Value::String(v)) => Some(v.clone()),
                // Some exporters write numbers and booleans unquoted.
                Some(v @ (Value::Number(_) | Value::Bool(_))) => Some(v.to_string()),
                Some(other) => {
                    return Err(self.error(format!(
                        "`{key}[].value` of `{name}` must be a string, found {}",
                        kind(other)
                    )));
                }
            };
            params.push(Param {
                key: name,
                value,
                description: self.description(entry)?,
                field_type: self.optional_str(entry, "type")?.map(str::to_string),
            });
        }
        Ok(params)
    }

    fn body(&self, request: &Map<String, Value>) -> Result<Option<Body>> {
        let body = match request.get("body") {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Object(b)) if b.is_empty() => return Ok(None),
            Some(Value::Object(b)) => b,
            Some(other) => {
                return Err(self.error(format!("`request.body` must be an object, found {}", kind(other))));
            }
        };
        if body.get("disabled") == Some(&Value::Bool(true)) {
            return Ok(None);
        }
        let Some(mode) = self.optional_str(body, "mode")? else {
            return Ok(None);
        };
        Ok(Some(match mode {
            "raw" => {
                let text = self.optional_str(body, "raw")?.unwrap_or_default().to_string();
                let language = body
                    .get("options")
                    .and_then(|o| o.get("raw"))
                    .and_then(|r| r.get("language"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                Body::Raw { text, language }
            }
            "urlencoded" => Body::UrlEncoded(self.params(body, "urlencoded")?),
            "formdata" => Body::FormData(self.params(body, "formdata")?),
            other => Body::Other(other.to_string()),
        }))
    }

    fn responses(&self, item: &Map<String, Value>) -> Result<Vec<ExampleResponse>> {
        let mut out = Vec::new();
        for response in self.optional_array(item, "response")? {
            let Some(response) = response.as_object() else {
                return Err(self.error(format!("each `response` must be an object, found {}", kind(response))));
            };
            let name = self.optional_str(response, "name")?.unwrap_or_default().to_string();
            let code = match response.get("code") {
                None | Some(Value::Null) => None,
                Some(Value::Number(n)) => Some(
                    n.as_u64()
                        .and_then(|c| u16::try_from(c).ok())
                        .filter(|c| (100..=599).contains(c))
                        .ok_or_else(|| self.error(format!("response `{name}` has an invalid status code {n}")))?,
                ),
                Some(other) => {
                    return Err(self.error(format!(
                        "response `{name}`: `code` must be a number, found {}",
                        kind(other)
                    )));
                }
            };
            let headers = self.params(response, "header")?;
            let content_type = headers
                .iter()
                .find(|h| h.key.eq_ignore_ascii_case("content-type"))
                .and_then(|h| h.value.clone());
            out.push(ExampleResponse {
                body: self.optional_str(response, "body")?.map(str::to_string),
                preview_language: self
                    .optional_str(response, "_postman_previewlanguage")?
                    .map(str::to_string),
                name,
                code,
                content_type,
            });
        }
        Ok(out)
    }
}

struct Url {
    path: Vec<String>,
    query: Vec<Param>,
    variables: Vec<Param>,
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn non_empty(s: &str) -> Option<String> {
    let trimmed = s.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

fn split_path(path: &str) -> Vec<String> {
    path.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Splits a raw URL such as `{{baseUrl}}/report/chat/sessions?from=2020-01-01`
/// into path segments (host dropped) and query parameters.
fn parse_raw_url(raw: &str) -> (Vec<String>, Vec<Param>) {
    let (before_query, query) = raw.split_once('?').unwrap_or((raw, ""));
    let without_scheme = before_query.split_once("://").map_or(before_query, |(_, rest)| rest);
    // The first segment is the host: `{{baseUrl}}`, `api.zoom.us/v2`'s host, and so on.
    let mut segments = split_path(without_scheme);
    if !segments.is_empty() {
        segments.remove(0);
    }
    let params = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Param {
                key: key.to_string(),
                value: Some(value.to_string()),
                description: None,
                field_type: None,
            }
        })
        .collect();
    (segments, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_url_drops_host_and_splits_query() {
        let (path, query) = parse_raw_url("{{baseUrl}}/report/chat/sessions/:sessionId?from=2020-01-01&to=");
        assert_eq!(path, ["report", "chat", "sessions", ":sessionId"]);
        assert_eq!(query.len(), 2);
        assert_eq!(query[0].value.as_deref(), Some("2020-01-01"));
        assert_eq!(query[1].value.as_deref(), Some(""));
    }

    #[test]
    fn raw_url_with_scheme() {
        let (path, _) = parse_raw_url("https://api.zoom.us/v2/users/me");
        assert_eq!(path, ["v2", "users", "me"]);
    }
}
