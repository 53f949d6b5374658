#!/usr/bin/env bash
# Sets up a fresh Debian machine, builds sirtkit, writes the digital demo
# patient and plans its treatment. Results land in ./demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh sirtkit
build/sirtkit phantom --out demo/patient
set +e
build/sirtkit plan demo/patient/plan.toml --out demo/plan
code=$?
set -e
echo "plan exit code: $code (0 ok, 3 = a goal or constraint cannot be met; see the summary above)"
echo "report: demo/plan/report.html"
exit $code
