#!/usr/bin/env bash
# Builds the two Debian packages (CPack, dependencies from dpkg-shlibdeps):
#   build/sirtkit_VERSION_ARCH.deb              the full program
#   build-stats/sirtkit-stats_VERSION_ARCH.deb  the statistics-only program (no ITK, DCMTK, FFTW)
# and prints their installed sizes. Needs scripts/install-deps.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
scripts/build.sh
(cd build && cpack -G DEB)
if [ ! -f build-stats/CMakeCache.txt ]; then
  cmake -S . -B build-stats "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DSIRTKIT_IMAGING=OFF
fi
cmake --build build-stats --parallel "$(nproc)"
(cd build-stats && cpack -G DEB)
for deb in build/sirtkit_*.deb build-stats/sirtkit-stats_*.deb; do
  echo "$deb: $(dpkg-deb -f "$deb" Installed-Size) KiB installed, $(du -k "$deb" | cut -f1) KiB file"
done
