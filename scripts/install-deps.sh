#!/usr/bin/env bash
# Installs the Debian packages sirtkit needs. Idempotent: packages already present are skipped.
#   scripts/install-deps.sh          to build and run sirtkit (the demo command)
#   scripts/install-deps.sh --test   also what only the tests need: a PostgreSQL server,
#                                    R and its packages (goldens), SciPy (LP reference,
#                                    benchmark peer), clang/libFuzzer, npm (test data),
#                                    zsh (the generated completion is checked), dcmtk
#                                    (storescu/echoscu push studies to the C-STORE receiver)
set -euo pipefail

# Build and run: compilers, the libraries sirtkit links, GoogleTest and Google
# Benchmark (the default build configures the suites and benchmarks).
packages=(
  build-essential cmake pkg-config ninja-build file
  libgtest-dev libgmock-dev libbenchmark-dev
  libinsighttoolkit5-dev libgdcm-tools libdcmtk-dev zlib1g-dev
  libfftw3-dev libeigen3-dev libboost-math-dev libglpk-dev
  libsqlite3-dev libpq-dev
  libtomlplusplus-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libssl-dev librsvg2-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core libicu-dev
  libcpp-httplib-dev libsodium-dev
)

# Tests only (scripts/test.sh).
test_packages=(
  postgresql
  python3-scipy python3-numpy
  r-base-core r-cran-survival r-cran-rpact r-cran-cmprsk r-cran-matchit
  clang-15 libfuzzer-15-dev libomp-15-dev
  zsh
  poppler-utils
  chromium wrk
  dcmtk
)

with_tests=0
case "${1:-}" in
  --test) with_tests=1 ;;
  "") ;;
  *) echo "usage: scripts/install-deps.sh [--test]" >&2; exit 2 ;;
esac
[ $with_tests -eq 1 ] && packages+=("${test_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm (the DICOM test corpus, scripts/test-data.sh, and @niivue/niivue at build time,
# cmake/web_vendor.cmake): Debian's package only when no
# npm is on the PATH, since a Node.js install that ships its own npm (e.g. the
# nodesource nodejs package) conflicts with Debian's npm package.
[ $with_tests -eq 1 ] && { command -v npm >/dev/null || missing+=(npm); }

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
