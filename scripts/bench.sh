#!/usr/bin/env bash
# Every benchmark in BENCHMARKS.md, in one run. Usage: scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench sdk
cargo bench -p zoom-chat-archive --bench shared_limit
cargo bench -p zoom-chat-archive --bench export
scripts/build-times.sh
