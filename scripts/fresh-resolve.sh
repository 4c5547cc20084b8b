#!/usr/bin/env bash
# Clippy and the tests against the newest versions the manifests allow, not
# the lock file's: a deprecation or a break upstream turns this red before a
# user's `cargo update` meets it. Works on a scratch copy; the checkout and
# its Cargo.lock are untouched. Usage: scripts/fresh-resolve.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
git -C "$root" ls-files -z | (cd "$root" && xargs -0 cp --parents -t "$scratch")
cd "$scratch"
# Lists every version it moves.
cargo update
# Its own target directory, removed with the copy: the new versions share
# little with the lock file's build, and two builds side by side filled a
# CI machine's disk.
export CARGO_TARGET_DIR="$scratch/target"
cargo clippy --workspace --all-targets --all-features --quiet -- -D warnings
cargo test --workspace --quiet
