#!/usr/bin/env bash
# Clean build time of the crate as a dependency, rebuild time after touching
# spec/, and the number of crates it pulls in. Usage: scripts/build-times.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
cat > "$work/Cargo.toml" <<TOML
[package]
name = "consumer"
version = "0.0.0"
edition = "2024"

[dependencies]
zoom-chat-reports = { path = "$repo" }
TOML
echo 'fn main() { let _ = zoom_chat_reports::Client::builder(); }' > "$work/src/main.rs"
cd "$work"
cargo fetch -q
# Milliseconds a command takes.
millis() { local start; start=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - start) / 1000000 )); }
clean=$(millis cargo build -q)
touch "$repo/spec/zoom-chat-reports.postman_collection.json"
rebuild=$(millis cargo build -q)
clean_release=$(millis cargo build -q --release)
crates=$(cargo tree -q -e normal,build --prefix none | sed 's/ (\*)//' | sort -u | wc -l)
awk -v c="$clean" -v r="$rebuild" -v cr="$clean_release" 'BEGIN {
  printf "build: clean debug build as a dependency: %.1f s\n", c / 1000
  printf "build: rebuild after touching spec/: %.1f s\n", r / 1000
  printf "build: clean release build as a dependency: %.1f s\n", cr / 1000
}'
echo "build: crates in cargo tree (normal and build dependencies, this crate included): $crates"
