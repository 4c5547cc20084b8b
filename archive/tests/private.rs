//! The archive holds a company's private conversations: everything it
//! creates is its owner's alone, under the usual umask of 022, unless it was
//! created for a group; looser paths are named, and tightened only when asked.
#![cfg(unix)]

#[path = "../../tests/common/mod.rs"]
mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXPORT: &str = env!("CARGO_BIN_EXE_zoom-chat-archive");

/// The binary under umask 022, with no Zoom settings: the built-in fake.
fn export(cwd: &Path) -> Command {
    let mut command = Command::new("sh");
    command
        .current_dir(cwd)
        .args(["-c", "umask 022; exec \"$0\" \"$@\"", EXPORT]);
    for name in common::ZOOM_ENVIRONMENT {
        command.env_remove(name);
    }
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zoom-private-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Every path under `dir` (not `dir` itself), with its mode and whether it is a directory.
fn tree(dir: &Path) -> Vec<(PathBuf, u32, bool)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            let metadata = std::fs::symlink_metadata(&path).unwrap();
            if metadata.is_dir() {
                pending.push(path.clone());
            }
            found.push((path, metadata.permissions().mode() & 0o7777, metadata.is_dir()));
        }
    }
    found.sort();
    found
}

fn assert_every_path(dir: &Path, file_mode: u32, dir_mode: u32) -> usize {
    let paths = tree(dir);
    for (path, mode, is_dir) in &paths {
        let wanted = if *is_dir { dir_mode } else { file_mode };
        assert_eq!(*mode, wanted, "{} is {mode:04o}, not {wanted:04o}", path.display());
    }
    paths.len()
}

fn first_day() -> String {
    (chrono::Utc::now().date_naive() - chrono::Duration::days(4)).to_string()
}

fn sync(dir: &Path, extra: &[&str]) -> Output {
    run(export(dir)
        .args([
            "--out",
            "chat.jsonl",
            "--sync",
            "--from",
            &first_day(),
            "--include",
            "all",
        ])
        .args(["--files", "files", "--plan", "business"])
        .args(extra))
}

#[test]
fn the_readmes_daily_archive_under_umask_022_is_its_owners_alone() {
    let dir = fresh_dir("owner");
    let first = sync(&dir, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    // The run after, as cron makes it, and a verify.
    let again = run(export(&dir).args(["--out", "chat.jsonl", "--sync", "--files", "files", "-q"]));
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!stderr(&again).contains("warning"), "{}", stderr(&again));
    let verify = run(export(&dir).args(["verify", "--out", "chat.jsonl"]));
    assert!(verify.status.success(), "{}", stderr(&verify));
    let checked = assert_every_path(&dir, 0o600, 0o700);
    // The messages, journal, lock, sidecar, manifest, the files directory,
    // its index and lock, and at least one file in its folder.
    assert!(checked >= 10, "{:?}", tree(&dir));
    assert!(dir.join("files/files.jsonl").exists());
    assert!(
        tree(&dir.join("files"))
            .iter()
            .any(|(p, _, is_dir)| !is_dir && p.parent() != Some(&dir.join("files")))
    );
    let clean = run(export(&dir).args(["permissions", "--out", "chat.jsonl"]));
    assert!(clean.status.success(), "{}", stderr(&clean));
    assert!(stderr(&clean).contains("private to its owner"), "{}", stderr(&clean));
}

#[test]
fn group_access_is_chosen_once_and_later_runs_keep_it() {
    let dir = fresh_dir("group");
    let first = sync(&dir, &["--group-readable"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let again = run(export(&dir).args(["--out", "chat.jsonl", "--sync", "--files", "files", "-q"]));
    assert!(again.status.success(), "{}", stderr(&again));
    assert_every_path(&dir, 0o640, 0o750);

    // A private archive is not opened to a group by one option.
    let private = fresh_dir("group-refused");
    assert!(sync(&private, &[]).status.success());
    let before = tree(&private);
    let opened = run(export(&private).args(["--out", "chat.jsonl", "--sync", "--files", "files", "--group-readable"]));
    assert_eq!(opened.status.code(), Some(2), "{}", stderr(&opened));
    let text = stderr(&opened);
    assert!(text.contains("was created private to its owner"), "{text}");
    assert!(text.contains("run without --group-readable"), "{text}");
    assert_eq!(tree(&private), before, "nothing was changed");
}

#[test]
fn an_archive_made_world_readable_by_hand_is_named_and_tightened_only_when_asked() {
    let dir = fresh_dir("loose");
    assert!(sync(&dir, &[]).status.success());
    let file = tree(&dir.join("files"))
        .into_iter()
        .find(|(p, _, is_dir)| !is_dir && !p.ends_with("files.jsonl") && !p.ends_with("files.jsonl.lock"))
        .map(|(p, _, _)| p)
        .expect("a downloaded file");
    let set = |path: &Path, mode: u32| std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    set(&dir.join("chat.jsonl"), 0o644);
    set(&dir.join("files"), 0o755);
    set(&file, 0o664);

    // A run warns, even with -q, and changes nothing.
    let warned = run(export(&dir).args(["--out", "chat.jsonl", "--sync", "--files", "files", "-q"]));
    assert!(warned.status.success(), "{}", stderr(&warned));
    let text = stderr(&warned);
    assert_eq!(text.matches("warning:").count(), 1, "once per run: {text}");
    assert!(
        text.contains("chat.jsonl (0644)") && text.contains("files (0755)"),
        "{text}"
    );
    assert!(text.contains("permissions --out chat.jsonl --fix"), "{text}");
    assert_eq!(mode(&dir.join("chat.jsonl")), 0o644);

    // `permissions` lists every one, files inside included, and fails.
    let listed = run(export(&dir).args(["permissions", "--out", "chat.jsonl"]));
    assert_eq!(listed.status.code(), Some(1), "{}", stderr(&listed));
    let list = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert_eq!(list.lines().count(), 3, "{list}");
    assert!(
        list.contains("0644 -> 0600") && list.contains("0755 -> 0700") && list.contains("0664 -> 0600"),
        "{list}"
    );

    // A link planted in the files directory is neither followed nor changed.
    let outside = dir.join("outside.txt");
    std::fs::write(&outside, "not the archive's").unwrap();
    set(&outside, 0o644);
    std::os::unix::fs::symlink(&outside, dir.join("files/planted")).unwrap();

    let fixed = run(export(&dir).args(["permissions", "--out", "chat.jsonl", "--fix"]));
    assert!(fixed.status.success(), "{}", stderr(&fixed));
    assert_eq!(mode(&outside), 0o644, "the link's target is left alone");
    std::fs::remove_file(dir.join("files/planted")).unwrap();
    std::fs::remove_file(&outside).unwrap();
    assert_every_path(&dir, 0o600, 0o700);
    let clean = run(export(&dir).args(["permissions", "--out", "chat.jsonl"]));
    assert!(clean.status.success(), "{}", stderr(&clean));
}

#[test]
fn a_directory_given_as_out_is_never_judged_nor_tightened() {
    let dir = fresh_dir("out-is-a-directory");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let sync = run(export(&dir).args(["--out", ".", "--sync"]));
    assert_eq!(sync.status.code(), Some(2), "{}", stderr(&sync));
    assert!(!stderr(&sync).contains("warning"), "{}", stderr(&sync));
    let fix = run(export(&dir).args(["permissions", "--out", ".", "--fix"]));
    assert_eq!(fix.status.code(), Some(1), "{}", stderr(&fix));
    assert!(
        stderr(&fix).contains("is not an archive's JSON Lines file"),
        "{}",
        stderr(&fix)
    );
    assert_eq!(mode(&dir), 0o755, "the user's directory is left as it was");
}
