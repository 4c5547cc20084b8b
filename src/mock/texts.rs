//! What people write, for a fake that serves it
//! ([`FakeZoomConfig::varied_texts`](crate::mock::FakeZoomConfig::varied_texts)):
//! messages, session names and display names in several scripts, with
//! accents and emoji, and with the texts that break careless readers:
//! markup, spreadsheet formulas, mail header breaks, XML and control
//! characters. Some files are small PNG images, so that a reader can show
//! them inline.
//!
//! Everything is picked by the dataset's indexes, so the same dataset always
//! says the same things.

use serde_json::{Value, json};

use crate::MessageKind;

/// The messages, picked in turn by a hash of the session and message index.
/// Every reader of an archive must show each as text, and every production
/// must carry each unchanged and harmless.
pub const VARIED_MESSAGES: [&str; 16] = [
    "Can we review the contract in Zürich next week?",
    "会议记录已经上传到共享文件夹",
    "<script>alert('pwned')</script> is what the scanner flagged",
    "=HYPERLINK(\"http://evil.example/\",\"click me\")",
    "+1 from me; -2 for the other plan; @channel please vote",
    "Überweisung für Café Crème bestätigt ✓",
    "Line one\r\nBcc: attacker@example.com\r\n\r\nline three",
    "]]></Text></Message><Message>injected & <b>bold</b>",
    "Déjà vu: the naïve façade of the résumé",
    "Thanks! 😀👍 see you at 10:00 UTC",
    "Quarterly numbers are attached; the budget is final.",
    "Bell\u{7} and escape\u{1b}[31m red, then a tab\tand \u{202e}reversed",
    "東京オフィスの契約書を確認しました",
    "Let's move the contract signing to Thursday.",
    "\"Quoted\", with a comma, and a 'single' quote",
    "Reply-To: nobody@example.com",
];

/// The names of group chats, by session index.
pub const VARIED_SESSION_NAMES: [&str; 8] = [
    "Legal & Compliance",
    "<img src=x onerror=alert(1)> Team",
    "Projekt Zürich",
    "会议室 3",
    "Sales\r\nBcc: attacker@example.com",
    "=SUM(A1:A9) budget",
    "Ops <ops@example.com>",
    "\"Quarterly\" review, Q4",
];

/// The display names of users, by user number.
const VARIED_NAMES: [&str; 8] = [
    "Zoë Müller",
    "李雷",
    "O'Brien, Seán",
    "<b>Mallory</b>",
    "Eve\r\nBcc: eve@example.com",
    "=cmd|' /C calc'!A0",
    "José Ñúñez",
    "Ana",
];

fn pick(session: usize, index: usize, salt: u64, len: usize) -> usize {
    let key = [session as u64, index as u64, salt];
    let bytes: Vec<u8> = key.iter().flat_map(|k| k.to_le_bytes()).collect();
    (xxhash_rust::xxh3::xxh3_64(&bytes) % len as u64) as usize
}

/// Gives `message` (as [`Dataset::message_json`](crate::mock::Dataset::message_json)
/// made it) a varied text and display name. An edit says something else, so
/// that a search finds the message by either.
pub(crate) fn vary_message(message: &mut Value, session: usize, index: usize, kind: MessageKind) {
    let sent = VARIED_MESSAGES[pick(session, index, 1, VARIED_MESSAGES.len())];
    message["message"] = json!(match kind {
        MessageKind::Edited => format!(
            "{} (edited)",
            VARIED_MESSAGES[pick(session, index, 2, VARIED_MESSAGES.len())]
        ),
        _ => sent.to_string(),
    });
    if let Some(user) = message["sender_display_name"]
        .as_str()
        .and_then(|name| name.strip_prefix("User "))
        .and_then(|n| n.parse::<usize>().ok())
    {
        message["sender_display_name"] = json!(format!("{} {user}", VARIED_NAMES[user % VARIED_NAMES.len()]));
    }
}

/// Gives a group chat of the sessions report a varied name.
pub(crate) fn vary_session(session_json: &mut Value, session: usize) {
    if session_json["name"].as_str().is_some_and(|name| !name.is_empty()) {
        session_json["name"] = json!(VARIED_SESSION_NAMES[session % VARIED_SESSION_NAMES.len()]);
    }
}

/// One file in three is an image.
pub(crate) fn is_image(file_id: &str) -> bool {
    xxhash_rust::xxh3::xxh3_64(file_id.as_bytes()).is_multiple_of(3)
}

/// The file's name as an image: its stem, with `.png`.
pub(crate) fn image_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    format!("{stem}.png")
}

/// A 32×32 PNG of stripes in two colours that depend on the file's id: a
/// real image, small and different for every file.
pub(crate) fn png(file_id: &str) -> Vec<u8> {
    const SIDE: u32 = 32;
    let hash = xxhash_rust::xxh3::xxh3_64(file_id.as_bytes()).to_le_bytes();
    let (a, b) = ([hash[0], hash[1], hash[2]], [hash[3], hash[4], hash[5]]);
    let mut raw = Vec::new();
    for y in 0..SIDE {
        raw.push(0); // no filter
        for x in 0..SIDE {
            raw.extend_from_slice(if (x + y) / 4 % 2 == 0 { &a } else { &b });
        }
    }
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&SIDE.to_be_bytes());
    ihdr.extend_from_slice(&SIDE.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &zlib_stored(&raw));
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = png.len();
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let crc = crc32(&png[start..]);
    png.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of stored (uncompressed) deflate blocks: valid, and all a
/// tiny image needs.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    let (mut s1, mut s2) = (1u32, 0u32);
    for &byte in data {
        s1 = (s1 + u32::from(byte)) % 65_521;
        s2 = (s2 + s1) % 65_521;
    }
    out.extend_from_slice(&((s2 << 16) | s1).to_be_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_and_png_are_as_the_format_says() {
        // The CRC of "IEND" with no data, as every PNG ends.
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
        let png = png("0000abc");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(png.ends_with(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]));
        assert_ne!(png, super::png("0000abd"));
    }
}
