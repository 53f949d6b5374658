#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in ./build-fuzz.
# Usage: scripts/fuzz.sh                 build only (CTest in build-fuzz replays the corpora)
#        scripts/fuzz.sh SECONDS [TARGET...]   then fuzz each target for SECONDS, adding new
#                                        inputs to fuzz/corpus/<target>/ and crashes to fuzz/crashes/<target>/
set -euo pipefail
cd "$(dirname "$0")/.."
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [ ! -f build-fuzz/CMakeCache.txt ]; then
  cmake -S . -B build-fuzz "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DSIRTKIT_FUZZ=ON \
    -DCMAKE_C_COMPILER=clang-15 -DCMAKE_CXX_COMPILER=clang++-15 ${SIRTKIT_FUZZ_CMAKE_ARGS:-}
fi
cmake --build build-fuzz --parallel "$(nproc)"
[ $# -ge 1 ] || exit 0
seconds=$1
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(sed -n 's/^set(fuzz_targets \(.*\)/\1/p;s/^ *\([a-z_ ]*\))$/\1/p' fuzz/CMakeLists.txt))
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/crashes/$t"
  echo "== fuzzing $t for $seconds s"
  build-fuzz/fuzz/${t}_fuzz -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -max_len=65536 \
    -artifact_prefix="fuzz/crashes/$t/" -print_final_stats=1 "fuzz/corpus/$t" 2>&1 | tail -20 || true
done
