//! HTML escaping: the one way a text from Zoom reaches a page of the HTML
//! copy or a production's HTML part. Markup characters become entities;
//! control characters and text-direction overrides are shown, marked, and
//! never obeyed.

use std::fmt::Write as _;

/// Escapes text for an HTML text node or a quoted attribute. Control
/// characters, which are not text, are shown as their Unicode pictures
/// (␛ for escape), marked so that a reader sees them for what they are.
pub(crate) fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + raw.len() / 8);
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            // The CR of a CRLF is part of the line break; alone, it is shown.
            '\r' if chars.peek() == Some(&'\n') => {}
            c if (c as u32) < 0x20 => {
                let picture = char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}');
                let _ = write!(out, "<span class=\"control\">{picture}</span>");
            }
            '\u{7f}' => out.push_str("<span class=\"control\">␡</span>"),
            // Bidirectional overrides and isolates would reorder the text
            // around them: shown, not obeyed.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                let _ = write!(out, "<span class=\"control\">U+{:04X}</span>", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// The same, for attributes, where markup for control characters cannot go.
pub(crate) fn attr(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c if c.is_control() => "\u{fffd}".to_string(),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_from_zoom_is_escaped_and_controls_are_shown() {
        assert_eq!(
            text("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(text("a\u{1b}[31m"), "a<span class=\"control\">␛</span>[31m");
        assert_eq!(text("x\u{202e}y"), "x<span class=\"control\">U+202E</span>y");
        assert_eq!(text("one\r\ntwo"), "one\ntwo");
        assert_eq!(text("one\rtwo"), "one<span class=\"control\">␍</span>two");
        assert_eq!(attr("a\"b\u{7}"), "a&quot;b\u{fffd}");
    }
}
