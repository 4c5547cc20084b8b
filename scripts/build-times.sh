#!/usr/bin/env bash
# Build times users see, each from an empty target directory (crates already
# downloaded, so only compiling is timed):
# - the README's first command: a clean release build of the zoom-chat-archive CLI;
# - the SDK as a dependency: clean debug and release builds, the rebuild
#   after touching spec/, and the number of crates it pulls in.
# Usage: scripts/build-times.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Milliseconds a command takes.
millis() { local start; start=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - start) / 1000000 )); }

# The README's command, in a fresh clone of what is committed.
git clone -q "$repo" "$work/clone"
(cd "$work/clone" && cargo fetch -q)
cli=$(cd "$work/clone" && millis cargo build --release -p zoom-chat-archive)

mkdir -p "$work/consumer/src"
cat > "$work/consumer/Cargo.toml" <<TOML
[package]
name = "consumer"
version = "0.0.0"
edition = "2024"

[dependencies]
zoom-chat-reports = { path = "$work/clone" }
TOML
echo 'fn main() { let _ = zoom_chat_reports::Client::builder(); }' > "$work/consumer/src/main.rs"
cd "$work/consumer"
cargo fetch -q
clean=$(millis cargo build -q)
touch "$work/clone/spec/zoom-chat-reports.postman_collection.json"
rebuild=$(millis cargo build -q)
clean_release=$(millis cargo build -q --release)
crates=$(cargo tree -q -e normal,build --prefix none | sed 's/ (\*)//' | sort -u | wc -l)
awk -v cli="$cli" -v c="$clean" -v r="$rebuild" -v cr="$clean_release" 'BEGIN {
  printf "build: the README command (clean release build of zoom-chat-archive): %.1f s (target < 120 s)\n", cli / 1000
  printf "build: clean debug build as a dependency: %.1f s\n", c / 1000
  printf "build: rebuild after touching spec/: %.1f s\n", r / 1000
  printf "build: clean release build as a dependency: %.1f s\n", cr / 1000
}'
echo "build: crates in cargo tree (normal and build dependencies, this crate included): $crates"
