//! Inferring JSON schemas from example values, and merging them.
//!
//! An operation's response schema is the merge of every example body it has.
//! A field missing from some examples becomes optional; arrays of objects are
//! merged element by element; type names written where values belong
//! (`"string [date]"`, `"integer"`), as older exporters do, are read as types.

use indexmap::IndexMap;
use serde_json::{Value, json};

/// The inferred shape of a JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Nothing known yet: an empty array's items, or only `null` seen.
    Unknown,
    /// `true` / `false`.
    Boolean,
    /// A whole number.
    Integer,
    /// Any number with a fraction.
    Number,
    /// A string, with the format all samples agreed on.
    String(StringFormat),
    /// An array and the merged shape of all its elements.
    Array(Box<Shape>),
    /// An object.
    Object(ObjectShape),
    /// Samples disagreed in a way no single type covers (a timestamp sent as
    /// an integer by one export and as a string by another).
    OneOf(Vec<Shape>),
}

/// The string formats we recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringFormat {
    /// Any text.
    Plain,
    /// `yyyy-mm-dd`.
    Date,
    /// RFC 3339 / ISO 8601 date and time.
    DateTime,
}

/// An object's fields, each with how many of the samples had it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectShape {
    /// Fields in first-seen order.
    pub fields: IndexMap<String, Field>,
    /// How many object samples were merged.
    pub samples: usize,
}

/// One field of an object shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The field's merged shape.
    pub shape: Shape,
    /// In how many samples the field was present.
    pub seen: usize,
    /// Whether any sample held `null`.
    pub nullable: bool,
}

impl Shape {
    /// Infers the shape of one example value.
    pub fn of(value: &Value) -> Shape {
        match value {
            Value::Null => Shape::Unknown,
            Value::Bool(_) => Shape::Boolean,
            Value::Number(n) if n.is_i64() || n.is_u64() => Shape::Integer,
            Value::Number(_) => Shape::Number,
            Value::String(s) => shape_of_string(s),
            Value::Array(items) => Shape::Array(Box::new(
                items
                    .iter()
                    .map(Shape::of)
                    .reduce(Shape::merge)
                    .unwrap_or(Shape::Unknown),
            )),
            Value::Object(map) => {
                let fields = map
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            Field {
                                shape: Shape::of(v),
                                seen: 1,
                                nullable: v.is_null(),
                            },
                        )
                    })
                    .collect();
                Shape::Object(ObjectShape { fields, samples: 1 })
            }
        }
    }

    /// Merges two shapes into one that accepts both.
    pub fn merge(self, other: Shape) -> Shape {
        use Shape::*;
        match (self, other) {
            (Unknown, s) | (s, Unknown) => s,
            (Boolean, Boolean) => Boolean,
            (Integer, Integer) => Integer,
            (Integer | Number, Integer | Number) => Number,
            (String(a), String(b)) => String(if a == b { a } else { StringFormat::Plain }),
            (Array(a), Array(b)) => Array(Box::new(a.merge(*b))),
            (Object(a), Object(b)) => Object(a.merge(b)),
            (OneOf(mut alternatives), s) | (s, OneOf(mut alternatives)) => {
                add_alternative(&mut alternatives, s);
                OneOf(alternatives)
            }
            (a, b) => OneOf(vec![a, b]),
        }
    }

    /// Renders the shape as an OpenAPI 3.0 schema object.
    pub fn to_schema(&self) -> Value {
        match self {
            Shape::Unknown => json!({}),
            Shape::Boolean => json!({ "type": "boolean" }),
            // int64 because Zoom sends millisecond timestamps and byte sizes in these fields.
            Shape::Integer => json!({ "type": "integer", "format": "int64" }),
            Shape::Number => json!({ "type": "number", "format": "double" }),
            Shape::String(StringFormat::Plain) => json!({ "type": "string" }),
            Shape::String(StringFormat::Date) => json!({ "type": "string", "format": "date" }),
            Shape::String(StringFormat::DateTime) => {
                json!({ "type": "string", "format": "date-time" })
            }
            Shape::Array(items) => json!({ "type": "array", "items": items.to_schema() }),
            Shape::Object(object) => object.to_schema(),
            Shape::OneOf(alternatives) => {
                json!({ "oneOf": alternatives.iter().map(Shape::to_schema).collect::<Vec<_>>() })
            }
        }
    }
}

fn add_alternative(alternatives: &mut Vec<Shape>, shape: Shape) {
    for existing in alternatives.iter_mut() {
        let merged = existing.clone().merge(shape.clone());
        if !matches!(merged, Shape::OneOf(_)) {
            *existing = merged;
            return;
        }
    }
    alternatives.push(shape);
}

impl ObjectShape {
    fn merge(mut self, other: ObjectShape) -> ObjectShape {
        for (key, field) in other.fields {
            match self.fields.get_mut(&key) {
                Some(existing) => {
                    existing.shape = std::mem::replace(&mut existing.shape, Shape::Unknown).merge(field.shape);
                    existing.seen += field.seen;
                    existing.nullable |= field.nullable;
                }
                None => {
                    self.fields.insert(key, field);
                }
            }
        }
        self.samples += other.samples;
        self
    }

    /// The names of the fields present in every sample.
    pub fn required(&self) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(_, f)| f.seen == self.samples && !f.nullable)
            .map(|(k, _)| k.as_str())
            .collect()
    }

    fn to_schema(&self) -> Value {
        let properties: serde_json::Map<String, Value> = self
            .fields
            .iter()
            .map(|(k, f)| {
                let mut schema = f.shape.to_schema();
                if f.nullable {
                    schema["nullable"] = json!(true);
                }
                (k.clone(), schema)
            })
            .collect();
        let mut schema = json!({ "type": "object", "properties": properties });
        let required = self.required();
        if !required.is_empty() {
            schema["required"] = json!(required);
        }
        schema
    }
}

/// Reads a string sample: a placeholder type name, a timestamp, or plain text.
fn shape_of_string(s: &str) -> Shape {
    if let Some(shape) = placeholder_type(s) {
        return shape;
    }
    if is_date(s) {
        Shape::String(StringFormat::Date)
    } else if is_date_time(s) {
        Shape::String(StringFormat::DateTime)
    } else {
        Shape::String(StringFormat::Plain)
    }
}

/// Older exporters write the type where the value belongs: `"string"`,
/// `"string [date-time]"`, `"integer"`, `"<long>"`. Returns the shape such a
/// placeholder stands for, or `None` for an ordinary value.
pub fn placeholder_type(s: &str) -> Option<Shape> {
    let trimmed = s.trim();
    let inner = trimmed
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(trimmed);
    let (base, format) = match inner.split_once('[') {
        Some((base, rest)) => (base.trim(), Some(rest.trim_end_matches(']').trim())),
        None => (inner, None),
    };
    let shape = match (base, format) {
        ("string", Some("date")) | ("date", None) => Shape::String(StringFormat::Date),
        ("string", Some("date-time")) | ("dateTime" | "date-time", None) => Shape::String(StringFormat::DateTime),
        ("string", _) => Shape::String(StringFormat::Plain),
        ("integer" | "long", _) => Shape::Integer,
        ("number" | "double" | "float", _) => Shape::Number,
        ("boolean", _) => Shape::Boolean,
        _ => return None,
    };
    Some(shape)
}

/// `yyyy-mm-dd` with a plausible month and day.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&i| b[i].is_ascii_digit())
        && (1..=12).contains(&two_digits(&b[5..7]))
        && (1..=31).contains(&two_digits(&b[8..10]))
}

fn two_digits(b: &[u8]) -> u8 {
    (b[0] - b'0') * 10 + (b[1] - b'0')
}

/// An ISO 8601 date and time with a zone: `2019-09-17T20:25:17Z`,
/// `2016-12-16T05:04:08.470Z`, `2022-03-18T10:16:13+08:00`.
pub fn is_date_time(s: &str) -> bool {
    if s.len() < 20 || !s.is_char_boundary(10) || !is_date(&s[..10]) {
        return false;
    }
    let rest = &s[10..];
    let Some(time) = rest.strip_prefix('T').or_else(|| rest.strip_prefix('t')) else {
        return false;
    };
    let b = time.as_bytes();
    let hms = b.len() >= 8 && b[2] == b':' && b[5] == b':' && [0, 1, 3, 4, 6, 7].iter().all(|&i| b[i].is_ascii_digit());
    if !hms {
        return false;
    }
    let mut zone = &time[8..];
    if let Some(fraction) = zone.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        zone = &fraction[digits..];
    }
    matches!(zone, "Z" | "z")
        || (zone.len() == 6
            && (zone.starts_with('+') || zone.starts_with('-'))
            && zone.as_bytes()[3] == b':'
            && [1, 2, 4, 5].iter().all(|&i| zone.as_bytes()[i].is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_types() {
        assert_eq!(
            placeholder_type("string [date]"),
            Some(Shape::String(StringFormat::Date))
        );
        assert_eq!(placeholder_type("integer"), Some(Shape::Integer));
        assert_eq!(placeholder_type("<long>"), Some(Shape::Integer));
        assert_eq!(
            placeholder_type("<dateTime>"),
            Some(Shape::String(StringFormat::DateTime))
        );
        assert_eq!(placeholder_type("boolean"), Some(Shape::Boolean));
        assert_eq!(placeholder_type("I am good."), None);
    }

    #[test]
    fn timestamps() {
        assert!(is_date_time("2019-09-17T20:25:17Z"));
        assert!(is_date_time("2016-12-16T05:04:08.470Z"));
        assert!(is_date_time("2022-03-18T10:16:13+08:00"));
        assert!(!is_date_time("2022-03-18"));
        assert!(!is_date_time("2022-13-18T10:16:13Z"));
        assert!(is_date("2020-03-01"));
        assert!(!is_date("2020-3-01x"));
        assert!(!is_date("1568751917976"));
    }

    #[test]
    fn merging_objects_marks_missing_fields_optional() {
        let a = Shape::of(&json!({"id": "a", "files": [{"file_size": 1}]}));
        let b = Shape::of(&json!({"id": "b"}));
        let Shape::Object(merged) = a.merge(b) else {
            panic!("expected an object")
        };
        assert_eq!(merged.required(), ["id"]);
    }

    #[test]
    fn integer_and_string_become_one_of() {
        let merged = Shape::of(&json!(1568751917976_i64)).merge(Shape::of(&json!("1568751917976")));
        assert_eq!(
            merged.to_schema(),
            json!({"oneOf": [{"type": "integer", "format": "int64"}, {"type": "string"}]})
        );
    }

    #[test]
    fn integer_and_number_widen() {
        assert_eq!(Shape::of(&json!(1)).merge(Shape::of(&json!(1.5))), Shape::Number);
    }

    #[test]
    fn non_ascii_strings_do_not_panic() {
        assert_eq!(
            shape_of_string("2020-01-01Tééééééééééé"),
            Shape::String(StringFormat::Plain)
        );
        assert_eq!(
            shape_of_string("ééééééééééééééééééééé"),
            Shape::String(StringFormat::Plain)
        );
    }
}
