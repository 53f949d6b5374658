#!/usr/bin/env bash
# Configures and builds sirtkit in ./build (Release). Usage: scripts/build.sh [targets...]
set -euo pipefail
cd "$(dirname "$0")/.."
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release
else
  # Configured again each time: tools installed since (scripts/install-deps.sh --test,
  # e.g. python3 for the LP reference test) are found.
  cmake -S . -B build >/dev/null
fi
cmake --build build --parallel "$(nproc)" ${1:+--target "$@"}
