#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, as a package would: the program,
# its browser assets, docs, LICENSE, man page, completions and example data land
# where the program and a user look for them, and the installed program runs.
# Usage: install_tree_test.sh BUILD_DIR
set -euo pipefail
build=$1
prefix=$(mktemp -d "${TMPDIR:-/tmp}/sirtkit-install.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
fail() { echo "install_tree_test: $*" >&2; exit 1; }
for f in bin/sirtkit share/sirtkit/web/index.html share/sirtkit/web/app.js \
         share/doc/sirtkit/LICENSE share/doc/sirtkit/README.md share/doc/sirtkit/docs/stats.md \
         share/doc/sirtkit/docs/openapi.json share/sirtkit/examples/registry/plain_csv_mapping.toml \
         share/sirtkit/examples/stats/lung.csv share/sirtkit/examples/stats/README.md \
         share/man/man1/sirtkit.1.gz share/bash-completion/completions/sirtkit share/zsh/vendor-completions/_sirtkit; do
  [ -e "$prefix/$f" ] || fail "missing $f"
done
grep -q "Apache License" "$prefix/share/doc/sirtkit/LICENSE" || fail "LICENSE is not the Apache License"
# Nothing of the build tree leaks into the package (objects, archives, test programs, caches).
leaks=$(find "$prefix" \( -name '*.o' -o -name '*.a' -o -name '*_tests' -o -name CMakeCache.txt \) | head -3)
[ -z "$leaks" ] || fail "build files installed: $leaks"
# The installed program reports the project version of CMakeLists.txt.
want=$(sed -n 's/^project(sirtkit VERSION \([0-9.]*\).*/\1/p' "$(dirname "$0")/../../CMakeLists.txt")
got=$("$prefix/bin/sirtkit" --version)
case "$got" in
  "sirtkit $want"|"sirtkit $want (git "*")") ;;
  *) fail "--version printed '$got', expected 'sirtkit $want' (+ git describe)" ;;
esac
# Every document the program's messages cite ("docs/NAME.md") is installed, and none
# cites a file that does not ship (the reference notes of the repository's shared/).
for doc in $(grep -ao 'docs/[a-z0-9_-]*\.[a-z]*' "$prefix/bin/sirtkit" | sort -u); do
  [ -e "$prefix/share/doc/sirtkit/$doc" ] || fail "the program cites $doc, which is not installed"
done
if grep -aqE '(clinical-rules|dosimetry-physics|deid-table)\.md|shared/reference' "$prefix/bin/sirtkit"; then
  fail "the program cites a reference note that does not ship: $(grep -aoE '(clinical-rules|dosimetry-physics|deid-table)\.md.{0,12}|shared/reference' "$prefix/bin/sirtkit" | head -1)"
fi
# The man page and the completions name every command the program has (generated from it).
commands=$("$prefix/bin/sirtkit" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF {print $1}')
[ -n "$commands" ] || fail "no command listed by --help"
man=$(zcat "$prefix/share/man/man1/sirtkit.1.gz")  # once: grep -q in a pipe would SIGPIPE zcat under pipefail
for cmd in $commands; do
  grep -qF ".SS \"sirtkit ${cmd//-/\\-}\"" <<< "$man" || fail "the man page lacks $cmd"
  grep -q "^      \"$cmd\")" "$prefix/share/bash-completion/completions/sirtkit" || fail "the bash completion lacks $cmd"
  grep -q "^        $cmd) " "$prefix/share/zsh/vendor-completions/_sirtkit" || fail "the zsh completion lacks $cmd"
done
bash -n "$prefix/share/bash-completion/completions/sirtkit" || fail "the bash completion is not valid bash"
zsh -n "$prefix/share/zsh/vendor-completions/_sirtkit" || fail "the zsh completion is not valid zsh (zsh: scripts/install-deps.sh --test)"
# The bash completion completes a nested command's name and its options.
reply=$(bash -c 'source "$1"; COMP_WORDS=(sirtkit score child-p); COMP_CWORD=2; _sirtkit; echo "${COMPREPLY[*]}"
                 COMP_WORDS=(sirtkit km --gr); COMP_CWORD=2; _sirtkit; echo "${COMPREPLY[*]}"' _ "$prefix/share/bash-completion/completions/sirtkit")
[ "$reply" = $'child-pugh\n--group' ] || fail "bash completion of 'score child-p' and 'km --gr' gave: $reply"
echo "install_tree_test: $(find "$prefix" -type f | wc -l) files installed, $(echo $commands | wc -w) commands documented, $got"
