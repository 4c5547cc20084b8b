//! Property-based fuzzing of the whole pipeline: random edits to real
//! collections (values replaced by other JSON types, keys dropped, strings
//! garbled) must give `Ok` or a clear `Err`, never a panic.
//!
//! Slow, so ignored in the normal suite; `scripts/fuzz-converter.sh` runs it
//! with many cases and reports how many inputs it survived.

use proptest::prelude::*;
use serde_json::Value;
use zoom_chat_reports_codegen::convert::{ConvertOptions, Selection, convert};
use zoom_chat_reports_codegen::generate::generate_rust;
use zoom_chat_reports_codegen::postman::parse_collection;

fn seed() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/zoom-chat-reports.postman_collection.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("spec exists")).expect("spec parses")
}

/// Every JSON pointer in the document.
fn pointers(value: &Value, here: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{here}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{here}/{i}");
                out.push(p.clone());
                pointers(v, p, out);
            }
        }
        _ => {}
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        Just(Value::String("string [date]".into())),
        Just(Value::String("2020-01-01T00:00:00Z".into())),
        Just(Value::String(":var".into())),
        Just(Value::String("{{baseUrl}}/a/:b?c=1&d".into())),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[derive(Debug, Clone)]
enum Edit {
    Replace(usize, Value),
    Remove(usize),
    /// Response bodies are JSON inside strings: garble them too.
    Truncate(usize, usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        prop_oneof![
            (any::<usize>(), arbitrary_json()).prop_map(|(i, v)| Edit::Replace(i, v)),
            any::<usize>().prop_map(Edit::Remove),
            (any::<usize>(), any::<usize>()).prop_map(|(i, n)| Edit::Truncate(i, n)),
        ],
        1..6,
    )
}

fn apply(doc: &mut Value, edit: &Edit) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    if all.is_empty() {
        return;
    }
    match edit {
        Edit::Replace(i, value) => {
            if let Some(slot) = doc.pointer_mut(&all[i % all.len()]) {
                *slot = value.clone();
            }
        }
        Edit::Remove(i) => {
            let pointer = &all[i % all.len()];
            let (parent, key) = pointer.rsplit_once('/').expect("pointers have a slash");
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.shift_remove(&key.replace("~1", "/").replace("~0", "~"));
                }
                Some(Value::Array(items)) => {
                    if let Ok(index) = key.parse::<usize>()
                        && index < items.len()
                    {
                        items.remove(index);
                    }
                }
                _ => {}
            }
        }
        Edit::Truncate(i, n) => {
            if let Some(Value::String(s)) = doc.pointer_mut(&all[i % all.len()]) {
                let cut = s
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(n % (s.chars().count() + 1))
                    .unwrap_or(s.len());
                s.truncate(cut);
            }
        }
    }
}

fn pipeline(text: &str) {
    let Ok(collection) = parse_collection(text, "fuzz.json") else {
        return;
    };
    let options = ConvertOptions {
        selection: Selection::All,
        operation_names: Default::default(),
    };
    let Ok(conversion) = convert(&collection, "fuzz.json", &options) else {
        return;
    };
    let mut warnings = Vec::new();
    let _ = generate_rust(&conversion.document, &Default::default(), "fuzz.json", &mut warnings);
}

proptest! {
    // Cases come from PROPTEST_CASES (256 when unset).
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    #[ignore = "slow: run by scripts/fuzz-converter.sh"]
    fn pipeline_never_panics(edits in edits()) {
        let mut doc = seed();
        for edit in &edits {
            apply(&mut doc, edit);
        }
        pipeline(&doc.to_string());
    }

    #[test]
    #[ignore = "slow: run by scripts/fuzz-converter.sh"]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        pipeline(&text);
    }
}
