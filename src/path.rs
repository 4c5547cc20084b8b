//! Path parameters that cannot leave their segment.
//!
//! A session id is caller input, and a service may take it from its own
//! users. progenitor's `encode_path` (progenitor-client 0.15.1) leaves `\`
//! and `.` as they are, and the WHATWG URL parser treats `\` as `/` in http(s)
//! URLs and resolves `.` and `..` segments, so `..\..\..\users\me` as a
//! session id makes the generated builder send `GET /v2/users/me` with the
//! account's admin token. (`encode_path` also encodes `%`, so an id encoded
//! before it would be encoded twice.) The messages request therefore builds
//! its URL here, in the handwritten layer, where regenerating the client
//! cannot undo it; and the transport refuses any messages request whose path
//! is not exactly one segment below the sessions path, which also covers the
//! generated builder when a caller uses it directly.

use crate::error::Error;

/// RFC 3986 `unreserved`: the only bytes left as they are.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// One path segment for `id`: refuses what cannot be a segment (empty, `.`
/// and `..`) and percent-encodes every byte outside RFC 3986's unreserved set.
pub(crate) fn encode_segment(what: &str, id: &str) -> Result<String, Error> {
    if id.is_empty() || id == "." || id == ".." {
        return Err(Error::InvalidRequest {
            message: format!("a {what} cannot be empty, `.` or `..`"),
        });
    }
    let mut encoded = String::with_capacity(id.len());
    for &byte in id.as_bytes() {
        if is_unreserved(byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    Ok(encoded)
}

/// Whether `path` is `prefix` followed by exactly one non-empty segment that
/// is not a dot segment: what a messages request must look like once the URL
/// parser is done with it.
pub(crate) fn is_single_segment_below(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix).is_some_and(|segment| {
        !segment.is_empty()
            && !segment.contains('/')
            && !segment.contains('\\')
            && !matches!(
                segment.to_ascii_lowercase().as_str(),
                "." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e."
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_outside_unreserved_is_encoded() {
        let cases = [
            ("abc-DEF_1.2~", "abc-DEF_1.2~"),
            (r"..\..\..\users\me", "..%5C..%5C..%5Cusers%5Cme"),
            ("a/b", "a%2Fb"),
            ("%2e%2e", "%252e%252e"),
            ("a?b#c d", "a%3Fb%23c%20d"),
            ("IBG5ck+Z/7v==", "IBG5ck%2BZ%2F7v%3D%3D"),
            ("é", "%C3%A9"),
            ("x@conference.xmpp.zoom.us", "x%40conference.xmpp.zoom.us"),
            ("...", "..."),
        ];
        for (id, expected) in cases {
            assert_eq!(encode_segment("session id", id).unwrap(), expected, "{id}");
        }
    }

    #[test]
    fn dot_segments_and_empty_ids_are_refused() {
        for id in ["", ".", ".."] {
            let error = encode_segment("session id", id).unwrap_err();
            assert!(matches!(error, Error::InvalidRequest { .. }), "{id:?}: {error:?}");
        }
    }

    #[test]
    fn the_path_check_allows_one_segment_only() {
        let prefix = "/v2/report/chat/sessions/";
        assert!(is_single_segment_below("/v2/report/chat/sessions/abc%2F", prefix));
        for path in [
            "/v2/users/me",
            "/v2/report/chat/sessions/",
            "/v2/report/chat/sessions/a/b",
            "/v2/report/chat/sessions/%2E%2e",
            "/v2/report/chat/sessionsX",
        ] {
            assert!(!is_single_segment_below(path, prefix), "{path}");
        }
    }
}
