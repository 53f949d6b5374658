#!/usr/bin/env bash
# Builds the statistics-only program (build-stats/, -DSIRTKIT_IMAGING=OFF: no ITK,
# DCMTK, FFTW, GLPK) and checks it: it links none of those libraries, has no
# imaging command, and gives the full build's numbers on the statistics examples.
# scripts/test.sh runs it after the full build (build/sirtkit must exist).
set -euo pipefail
cd "$(dirname "$0")/.."
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [ ! -f build-stats/CMakeCache.txt ]; then
  cmake -S . -B build-stats "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DSIRTKIT_IMAGING=OFF
fi
cmake --build build-stats --parallel "$(nproc)"
stats=build-stats/sirtkit
fail() { echo "stats-build-check: $*" >&2; exit 1; }
linked=$(ldd "$stats" | grep -Ei 'libITK|libitk|libdcm|libgdcm|libfftw|libglpk|libnifti|libgomp' || true)
[ -z "$linked" ] || fail "the statistics-only program links imaging libraries: $linked"
set +e
out=$("$stats" plan demo/patient/plan.toml 2>&1); code=$?
set -e
[ "$code" -eq 2 ] && [[ "$out" == *"'plan' is not a command of sirtkit"* ]] || fail "plan should be absent (exit 2), got $code: $out"
for cmd in "km examples/stats/lung.csv --group sex --times 182.6,365.25 --json" \
           "cox examples/stats/lung.csv --covariates age,sex,ph.ecog --factor ph.ecog --json" \
           "kappa examples/stats/ratings.csv --rater1 reader1 --rater2 reader2 --weights linear --levels CR,PR,SD,PD --json" \
           "response recist examples/clinical/lesions.csv --json"; do
  # shellcheck disable=SC2086
  a=$("$stats" $cmd) || fail "sirtkit $cmd failed in the statistics-only build"
  # shellcheck disable=SC2086
  b=$(build/sirtkit $cmd) || fail "sirtkit $cmd failed in the full build"
  [ "$a" = "$b" ] || fail "sirtkit $cmd: the statistics-only and the full build differ"
done
echo "stats-build-check: $stats links no imaging library, has no imaging command, and matches the full build on 4 commands"
