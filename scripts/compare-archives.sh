#!/usr/bin/env bash
# Runs two builds of the archive command with the same arguments against the
# built-in fake Zoom (no credentials) and compares every file they write.
#
#   scripts/compare-archives.sh OLD_BINARY NEW_BINARY [ARGS...]
#   e.g. ... --from 2026-11-01 --to 2026-12-04 --out chat.jsonl --include all --files files --concurrency 1
#
# Give --concurrency 1: with more, sessions finish in another order on each
# run, and so do their lines. The fake listens on a new port each run and its
# messages' download URLs name it, so `127.0.0.1:PORT` is made the same on
# both sides first; the journal's unit checksums and the manifest's hashes
# are of the bytes with the real port, so they are compared with those
# masked, and everything else byte for byte.
set -euo pipefail
old=$1; new=$2; shift 2
work=$(mktemp -d)
for side in old new; do
    mkdir -p "$work/$side"
    binary=$old; [ "$side" = new ] && binary=$new
    status=0
    (cd "$work/$side" && env -u ZOOM_ACCOUNT_ID -u ZOOM_CLIENT_ID -u ZOOM_CLIENT_SECRET -u ZOOM_ACCESS_TOKEN \
        "$binary" "$@" -q) 2> "$work/$side.stderr" || status=$?
    echo "$side: exit $status"
    find "$work/$side" -type f ! -name '*.lock' -exec sed -i -E 's/127\.0\.0\.1:[0-9]+/127.0.0.1:PORT/g' {} +
done
cd "$work"
mask() {
    case "$1" in
        *.journal) sed -E 's/"checksum":[0-9]+/"checksum":N/g' "$1" ;;
        *.manifest.json) sed -E 's/"(sha256|size)": ("[0-9a-f]{64}"|[0-9]+)/"\1": X/' "$1" ;;
        *) cat "$1" ;;
    esac
}
same=0; masked=0; differ=0
for file in $(cd old && find . -type f ! -name '*.lock' | sort); do
    if cmp -s "old/$file" "new/$file"; then
        same=$((same + 1))
    elif cmp -s <(mask "old/$file") <(mask "new/$file"); then
        masked=$((masked + 1)); echo "same but for the port's hashes: $file"
    else
        differ=$((differ + 1)); echo "DIFFERS: $file"
    fi
done
if diff <(cd old && find . | sort) <(cd new && find . | sort) >/dev/null; then echo "the same paths on both sides"; else echo "PATHS DIFFER"; differ=$((differ + 1)); fi
echo "$same files byte-identical, $masked identical but for hashes of the port, $differ differ ($work)"
[ "$differ" -eq 0 ]
