#!/usr/bin/env bash
# Sets up a fresh Debian machine, builds sirtkit and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/build.sh
# The libFuzzer targets under ASan + UBSan; their CTest replays every corpus file once.
scripts/fuzz.sh
ctest --test-dir build-fuzz --output-on-failure --parallel "$(nproc)" --timeout 1200
scripts/test-data.sh
# playwright-core for the browser test (version pinned in tests/browser/package-lock.json).
(cd tests/browser && npm ci --no-audit --no-fund)
# With the corpus and playwright-core installed, their tests must run (without, they are skipped).
SIRTKIT_REQUIRE_DICOM_CORPUS=1 SIRTKIT_REQUIRE_BROWSER=1 ctest --test-dir build --output-on-failure --parallel "$(nproc)" --timeout 600
# The statistics-only program (-DSIRTKIT_IMAGING=OFF) builds, links no imaging library and gives the full build's numbers.
scripts/stats-build-check.sh
