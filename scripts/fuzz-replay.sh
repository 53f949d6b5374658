#!/usr/bin/env bash
# Replays a libFuzzer target over its corpus and crash reproducers: every file
# runs once (no mutation). Usage: scripts/fuzz-replay.sh TARGET DIR...
# Fails when any input crashes, hangs (> 30 s) or trips a sanitizer.
set -euo pipefail
target=$1
shift
files=$(find "$@" -type f ! -name '.*' 2>/dev/null | wc -l)
if [ "$files" -eq 0 ]; then
  echo "fuzz-replay: no input in $*" >&2
  exit 1
fi
set +e +o pipefail
find "$@" -type f ! -name '.*' -print0 2>/dev/null |
  xargs -0 -n 100 "$target" -timeout=30 -rss_limit_mb=4096 2>&1 |
  grep -vE '^(Running:|Executed .* in [0-9]+ ms|\*\*\*|INFO:)'
# xargs exits 123 when any invocation failed.
status=${PIPESTATUS[1]}
set -e
echo "fuzz-replay: $(basename "$target"): $files inputs, exit $status"
exit "$status"
