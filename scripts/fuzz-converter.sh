#!/usr/bin/env bash
# Fuzzes the Postman -> OpenAPI -> Rust pipeline with proptest: random edits
# to the real collection (values of other JSON types, removed keys, cut
# strings) and arbitrary text. Any panic fails; every input must end in Ok or
# a clear Err. Not part of CI: it is slow. Usage: scripts/fuzz-converter.sh [CASES]
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-2000}"
PROPTEST_CASES="$cases" cargo test --release -p zoom-chat-reports-codegen --test fuzz -- --ignored --test-threads 2
echo "fuzz: 2 properties x $cases cases = $((2 * cases)) inputs survived without a panic"
