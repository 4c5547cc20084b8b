//! Tamper evidence against an insider: the signed chain of runs, and the
//! attacks it must catch, each the way an insider with write access to the
//! archive's folder (but not to the signing key) would make it.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use zoom_chat_archive::{
    ExportOptions, SigningKey, chain_path, export_jsonl, files_index_path, keygen, manifest_path, read_public_key,
    verify, verify_signed,
};
use zoom_chat_reports::Include;
use zoom_chat_reports::mock::{Dataset, FakeZoom, FakeZoomConfig};

use common::{DayClock, day};

fn dataset() -> Dataset {
    Dataset {
        seed: 9,
        sessions: 6,
        messages_per_session: 120,
        start: day("2026-10-01"),
        end: day("2026-11-30"),
        edited_share: 0.1,
        deleted_share: 0.05,
        file_share: 0.0,
        reply_share: 0.1,
    }
}

/// A fake Zoom that reveals `dataset` as its clock, on 2026-11-20, passes.
async fn fake(dataset: Dataset) -> (std::sync::Arc<DayClock>, FakeZoom) {
    let clock = DayClock::on(day("2026-11-20"));
    let zoom = FakeZoom::start(
        FakeZoomConfig::default()
            .dataset(dataset)
            .clock(clock.clone())
            .reveal_by_clock(true),
    )
    .await
    .unwrap();
    (clock, zoom)
}

async fn sync(zoom: &FakeZoom, out: &Path, first: Option<&str>, key: Option<&SigningKey>) {
    let mut options = ExportOptions::daily_sync(first.map(day), 7).include(Include::ALL);
    if let Some(key) = key {
        options = options.sign_with(key.clone());
    }
    export_jsonl(
        &common::fake_client(zoom, 6),
        out,
        &options,
        &|_| {},
        std::future::pending(),
    )
    .await
    .unwrap();
}

fn sha256_hex(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What an insider does to hide an edit: the manifest's digest of the
/// archive made to match the edited file.
fn rewrite_manifest_to_match(out: &Path) {
    let bytes = std::fs::read(out).unwrap();
    let mut manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(manifest_path(out)).unwrap()).unwrap();
    manifest["digests"]["messages"]["sha256"] = sha256_hex(&bytes).into();
    manifest["digests"]["messages"]["size"] = bytes.len().into();
    manifest["digests"]["messages"]
        .as_object_mut()
        .unwrap()
        .remove("midstate");
    std::fs::write(manifest_path(out), serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
}

/// Changes one message's text, keeping the file's length.
fn edit_a_line(out: &Path) {
    let text = std::fs::read_to_string(out).unwrap();
    let at = text.find("\"message\":\"Message ").unwrap() + "\"message\":\"".len();
    let mut bytes = text.into_bytes();
    bytes[at..at + 7].copy_from_slice(b"Forged!");
    std::fs::write(out, bytes).unwrap();
}

fn keys(dir: &Path, name: &str) -> (SigningKey, String, PathBuf) {
    let (secret, public) = keygen(dir, name).unwrap();
    (
        SigningKey::from_file(&secret).unwrap(),
        read_public_key(&public).unwrap(),
        secret,
    )
}

#[tokio::test]
async fn keygen_writes_a_private_key_and_never_replaces_one() {
    let dir = common::fresh_dir("zoom-chain-test", "keygen");
    let (secret, public) = keygen(&dir, "k").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&secret).unwrap().permissions().mode() & 0o777, 0o600);
        // A key others may read is refused, as ssh refuses one.
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(
            SigningKey::from_file(&secret)
                .unwrap_err()
                .to_string()
                .contains("chmod 600")
        );
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let key = SigningKey::from_file(&secret).unwrap();
    assert_eq!(key.public_key_hex(), read_public_key(&public).unwrap());
    let before = std::fs::read(&secret).unwrap();
    assert!(keygen(&dir, "k").unwrap_err().to_string().contains("never replaces"));
    assert_eq!(std::fs::read(&secret).unwrap(), before);
    assert!(read_public_key(&secret).is_err(), "a secret key is no public key");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_signed_chain_catches_what_the_manifest_alone_cannot() {
    let (clock, zoom) = fake(dataset()).await;
    let dir = common::fresh_dir("zoom-chain-test", "insider");
    let out = dir.join("chat.jsonl");
    let (key, public, _) = keys(&dir, "archive");
    let (_, other_public, _) = keys(&dir, "other");

    sync(&zoom, &out, Some("2026-11-01"), Some(&key)).await;
    let report = verify_signed(&out, &public, &[]).await.unwrap();
    assert!(report.differences.is_empty(), "{:?}", report.differences);
    let first_head = report.chain.unwrap().head.unwrap();
    // Save the state after the first night, as an insider could.
    let saved: Vec<(PathBuf, Vec<u8>)> = [out.clone(), manifest_path(&out), chain_path(&out)]
        .into_iter()
        .chain([
            zoom_chat_archive::journal_path(&out),
            zoom_chat_archive::sessions_path(&out),
        ])
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();

    clock.set(day("2026-11-21"));
    sync(&zoom, &out, None, Some(&key)).await;
    let report = verify_signed(&out, &public, std::slice::from_ref(&first_head))
        .await
        .unwrap();
    assert!(report.differences.is_empty(), "{:?}", report.differences);
    let chain = report.chain.unwrap();
    assert_eq!((chain.entries, chain.signed), (2, 2));
    let second_head = chain.head.unwrap();

    // The wrong key.
    let wrong = verify_signed(&out, &other_public, &[]).await.unwrap();
    assert!(
        wrong.differences.iter().any(|d| d.contains("another key")),
        "{:?}",
        wrong.differences
    );

    // An insider edits a line and rewrites the manifest to match: the
    // manifest alone is satisfied, the signed head is not.
    let archive_before = std::fs::read(&out).unwrap();
    let manifest_before = std::fs::read(manifest_path(&out)).unwrap();
    edit_a_line(&out);
    rewrite_manifest_to_match(&out);
    assert!(
        verify(&out).await.unwrap().differences.is_empty(),
        "the manifest alone is fooled"
    );
    let caught = verify_signed(&out, &public, &[]).await.unwrap();
    assert!(
        caught
            .differences
            .iter()
            .any(|d| d.contains("not the one the chain's head records")),
        "{:?}",
        caught.differences
    );
    // The next nightly run, signed, does not cover it up: it takes the
    // archive's hash up from the signed head, so the edit stays a difference.
    clock.set(day("2026-11-22"));
    sync(&zoom, &out, None, Some(&key)).await;
    let after_run = verify_signed(&out, &public, &[]).await.unwrap();
    assert!(
        after_run.differences.iter().any(|d| d.contains("SHA-256")),
        "{:?}",
        after_run.differences
    );

    // An entry of the chain edited: its signature no longer holds.
    for (path, bytes) in &saved {
        std::fs::write(path, bytes).unwrap();
    }
    let _ = (archive_before, manifest_before);
    let chain_text = std::fs::read_to_string(chain_path(&out)).unwrap();
    std::fs::write(
        chain_path(&out),
        chain_text.replacen("\"done\"", "\"failed: nothing\"", 1),
    )
    .unwrap();
    let edited = verify_signed(&out, &public, &[]).await.unwrap();
    assert!(
        edited
            .differences
            .iter()
            .any(|d| d.contains("signature does not match")),
        "{:?}",
        edited.differences
    );

    // Rolled back to the first night, archive, manifest and chain together:
    // consistent, and signed, so only a head kept elsewhere finds it.
    std::fs::write(chain_path(&out), chain_text).unwrap();
    let rolled_back = verify_signed(&out, &public, &[]).await.unwrap();
    assert!(rolled_back.differences.is_empty(), "{:?}", rolled_back.differences);
    let with_head = verify_signed(&out, &public, std::slice::from_ref(&second_head))
        .await
        .unwrap();
    assert!(
        with_head
            .differences
            .iter()
            .any(|d| d.contains("cut back, rolled back or rewritten")),
        "{:?}",
        with_head.differences
    );
    // The chain cut back without the rest: the manifest is no longer the head's.
    clock.set(day("2026-11-23"));
    sync(&zoom, &out, None, Some(&key)).await;
    let text = std::fs::read_to_string(chain_path(&out)).unwrap();
    let kept: Vec<&str> = text.lines().collect();
    std::fs::write(chain_path(&out), format!("{}\n", kept[..kept.len() - 1].join("\n"))).unwrap();
    let cut = verify_signed(&out, &public, &[]).await.unwrap();
    assert!(!cut.differences.is_empty());

    // A run without the key leaves an unsigned head, which verify names.
    std::fs::write(chain_path(&out), text).unwrap();
    clock.set(day("2026-11-24"));
    sync(&zoom, &out, None, None).await;
    let unsigned = verify_signed(&out, &public, &[]).await.unwrap();
    assert!(
        unsigned.differences.iter().any(|d| d.contains("is not signed")),
        "{:?}",
        unsigned.differences
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A head log kept apart from the archive: every run appends its head, and
/// a rollback of archive, manifest and chain together, which the chain alone
/// cannot show, fails against it.
#[tokio::test]
async fn a_head_log_kept_apart_finds_a_rollback() {
    let (clock, zoom) = fake(dataset()).await;
    let dir = common::fresh_dir("zoom-chain-test", "head-log");
    let out = dir.join("chat.jsonl");
    let log = dir.join("elsewhere.log");
    let (key, public, _) = keys(&dir, "archive");
    let run = |first: Option<&'static str>| {
        let options = ExportOptions::daily_sync(first.map(day), 7)
            .include(Include::ALL)
            .sign_with(key.clone())
            .head_log(&log);
        let (client, out) = (common::fake_client(&zoom, 6), out.clone());
        async move {
            export_jsonl(&client, &out, &options, &|_| {}, std::future::pending())
                .await
                .unwrap()
        }
    };
    let first = run(Some("2026-11-01")).await;
    let saved: Vec<(PathBuf, Vec<u8>)> = [
        out.clone(),
        manifest_path(&out),
        chain_path(&out),
        zoom_chat_archive::journal_path(&out),
        zoom_chat_archive::sessions_path(&out),
    ]
    .into_iter()
    .map(|p| {
        let bytes = std::fs::read(&p).unwrap();
        (p, bytes)
    })
    .collect();
    clock.set(day("2026-11-21"));
    let second = run(None).await;
    let heads = zoom_chat_archive::read_head_log(&log).unwrap();
    assert_eq!(
        heads,
        vec![first.chain_head.unwrap().hash, second.chain_head.unwrap().hash],
        "a line per run"
    );
    assert!(
        verify_signed(&out, &public, &heads)
            .await
            .unwrap()
            .differences
            .is_empty()
    );
    for (path, bytes) in &saved {
        std::fs::write(path, bytes).unwrap();
    }
    assert!(verify_signed(&out, &public, &[]).await.unwrap().differences.is_empty());
    let rolled_back = verify_signed(&out, &public, &heads).await.unwrap();
    assert!(
        rolled_back.differences.iter().any(|d| d.contains("not in the chain")),
        "{:?}",
        rolled_back.differences
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Changes an insider makes between two signed runs, to have the next run
/// sign over them: each is recorded by that run, and verify names it.
#[tokio::test]
async fn what_changed_between_runs_is_recorded_not_signed_over() {
    let (clock, zoom) = fake(Dataset {
        file_share: 0.2,
        ..dataset()
    })
    .await;
    let dir = common::fresh_dir("zoom-chain-test", "between");
    let out = dir.join("chat.jsonl");
    let files = dir.join("files");
    let (key, public, _) = keys(&dir, "archive");
    let run = |day_: &'static str, first: Option<&'static str>| {
        clock.set(day(day_));
        let options = ExportOptions::daily_sync(first.map(day), 7)
            .include(Include::ALL)
            .files(&files)
            .sign_with(key.clone());
        let (client, out) = (common::fake_client(&zoom, 6), out.clone());
        async move {
            export_jsonl(&client, &out, &options, &|_| {}, std::future::pending())
                .await
                .unwrap()
        }
    };
    run("2026-11-20", Some("2026-11-01")).await;
    assert!(verify_signed(&out, &public, &[]).await.unwrap().differences.is_empty());
    type Tamper<'a> = Box<dyn Fn() + 'a>;
    let cases: [(&str, Tamper); 4] = [
        (
            "the sessions file was changed",
            Box::new(|| {
                let path = zoom_chat_archive::sessions_path(&out);
                let text = std::fs::read_to_string(&path).unwrap();
                std::fs::write(&path, text.replacen("user0@example.com", "user9@example.com", 1)).unwrap();
            }),
        ),
        (
            "the files index was changed",
            Box::new(|| {
                let path = files_index_path(&files);
                let text = std::fs::read_to_string(&path).unwrap();
                let sha = text.split("\"sha256\":\"").nth(1).unwrap()[..64].to_string();
                std::fs::write(&path, text.replacen(&sha, &"0".repeat(64), 1)).unwrap();
            }),
        ),
        (
            "the chain's last entry",
            Box::new(|| {
                // A forged unsigned entry that vouches for an edited archive.
                edit_a_line(&out);
                rewrite_manifest_to_match(&out);
                let text = std::fs::read_to_string(chain_path(&out)).unwrap();
                let mut last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
                let prev = {
                    let entry: zoom_chat_archive::ChainEntry = serde_json::from_value(last.clone()).unwrap();
                    entry.hash()
                };
                last["seq"] = (last["seq"].as_u64().unwrap() + 1).into();
                last["prev"] = prev.into();
                last.as_object_mut().unwrap().remove("signature");
                let bytes = std::fs::read(&out).unwrap();
                last["archive"]["sha256"] = sha256_hex(&bytes).into();
                last["archive"].as_object_mut().unwrap().remove("midstate");
                last["manifest_sha256"] = sha256_hex(&std::fs::read(manifest_path(&out)).unwrap()).into();
                std::fs::write(chain_path(&out), format!("{text}{last}\n")).unwrap();
            }),
        ),
        (
            "the chain of runs was missing",
            Box::new(|| std::fs::remove_file(chain_path(&out)).unwrap()),
        ),
    ];
    let days = ["2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"];
    for ((finding, tamper), today) in cases.iter().zip(days) {
        tamper();
        let summary = run(today, None).await;
        assert!(
            summary.changed_outside_runs.iter().any(|f| f.contains(finding)),
            "{finding}: {:?}",
            summary.changed_outside_runs
        );
        let report = verify_signed(&out, &public, &[]).await.unwrap();
        assert!(
            report.differences.iter().any(|d| d.contains(finding)),
            "{finding}: {:?}",
            report.differences
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
