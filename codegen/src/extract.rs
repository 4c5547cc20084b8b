//! Cuts a Postman export down to the operations a config lists, item by item
//! as Zoom wrote them, so that `spec/` holds only what the build reads and a
//! new export shows up in review as the diff of those items.

use serde_json::{Map, Value};

use crate::convert::operation_key;
use crate::error::{Error, Result};
use crate::postman::parse_collection;

/// The collection in `text` with only the requests whose operation key
/// (`GET /report/chat/sessions`) is in `operations`, their folders kept, and
/// everything else at the top (info, variables, auth) unchanged. Fails, naming
/// the operation, if one of `operations` is not in the export.
pub fn extract(text: &str, file: &str, operations: &[String]) -> Result<String> {
    // Checks the whole export first, with the converter's own reading of it.
    let collection = parse_collection(text, file)?;
    for wanted in operations {
        if !collection.requests.iter().any(|r| &operation_key(r) == wanted) {
            return Err(Error::file(file, format!("has no request for `{wanted}`")));
        }
    }
    let mut root: Map<String, Value> =
        serde_json::from_str(text).map_err(|e| Error::file(file, format!("not valid JSON: {e}")))?;
    let info = root.get("info").cloned().unwrap_or(Value::Null);
    let items = root.remove("item").unwrap_or(Value::Array(Vec::new()));
    let kept = keep(&items, &info, file, operations)?;
    root.insert("item".into(), Value::Array(kept));
    let mut out = serde_json::to_string_pretty(&Value::Object(root))
        .map_err(|e| Error::file(file, format!("cannot write the extract: {e}")))?;
    out.push('\n');
    Ok(out)
}

/// The items (and folders holding them) whose request is one of `operations`.
fn keep(items: &Value, info: &Value, file: &str, operations: &[String]) -> Result<Vec<Value>> {
    let mut kept = Vec::new();
    for item in items.as_array().into_iter().flatten() {
        if let Some(children) = item.get("item") {
            let inner = keep(children, info, file, operations)?;
            if !inner.is_empty() {
                let mut folder = item.clone();
                folder["item"] = Value::Array(inner);
                kept.push(folder);
            }
            continue;
        }
        // One request, read as a collection of its own to get its operation key.
        let single = serde_json::json!({ "info": info, "item": [item] });
        let request = parse_collection(&single.to_string(), file)?;
        if request.requests.iter().any(|r| operations.contains(&operation_key(r))) {
            kept.push(item.clone());
        }
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export() -> String {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/team-chat.2026-02-07.postman_collection.json"
        );
        std::fs::read_to_string(path).unwrap()
    }

    fn operations(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn keeps_only_the_listed_operations_in_their_folder() {
        let wanted = operations(&["GET /report/chat/sessions", "GET /report/chat/sessions/{sessionId}"]);
        let text = extract(&export(), "export.json", &wanted).unwrap();
        let collection = parse_collection(&text, "extract.json").unwrap();
        let keys: Vec<String> = collection.requests.iter().map(operation_key).collect();
        assert_eq!(keys, wanted);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["item"].as_array().unwrap().len(), 1, "one folder, Reports");
        assert_eq!(value["item"][0]["name"], "Reports");
        // The items are Zoom's, unchanged.
        let original: Value = serde_json::from_str(&export()).unwrap();
        let reports = original["item"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "Reports")
            .unwrap();
        let kept = &value["item"][0]["item"];
        for item in kept.as_array().unwrap() {
            assert!(reports["item"].as_array().unwrap().contains(item), "{}", item["name"]);
        }
        // The spec in this repository is exactly this extract.
        let spec = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../spec/zoom-chat-reports.postman_collection.json"
        );
        assert_eq!(std::fs::read_to_string(spec).unwrap(), text);
    }

    #[test]
    fn an_operation_the_export_lacks_is_an_error_naming_it() {
        let wanted = operations(&["GET /report/chat/sessions", "GET /report/chat/unknown"]);
        let error = extract(&export(), "export.json", &wanted).unwrap_err().to_string();
        assert!(
            error.contains("export.json") && error.contains("GET /report/chat/unknown"),
            "{error}"
        );
    }
}
