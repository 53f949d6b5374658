#!/usr/bin/env python3
"""Runs every command of every ```sh block of README.md, as written, in a temporary
copy of the source tree (build/ there is a link to the build being tested), in
README order (later commands use what earlier ones wrote), and checks each exit
status. A command that cannot run here is listed in NOT_RUN with the reason;
any other command that is not run fails the test.

Usage: readme_commands_test.py SOURCE_DIR BUILD_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

# Commands not run, each with why (matched against the start of the command).
NOT_RUN = {
    "scripts/demo.sh": "the setup command: installs Debian packages (root) and builds; CI runs its steps through this test (phantom, plan)",
    "scripts/test.sh": "the test command itself, which runs this test",
    "build/sirtkit serve": "serves until stopped; tests/cli/serve_command_test.cpp starts it and logs in",
    "build/bench/": "benchmarks take minutes at their sizes and never fail the build (README, Tests and benchmarks)",
    "scripts/package.sh": "builds a second (statistics-only) tree and two .debs; tests/package/install_tree_test.sh checks the install tree",
}
COMMAND_TIMEOUT_S = 300  # the slowest command (kernel planning of the demo patient) takes well under a minute
EXPECTED_EXIT = {}  # command -> exit status the README says it gives, when not 0 (none today)


def commands(readme):
    """Yields (line number, command) of every ```sh block, comments dropped, continuations joined."""
    in_block = False
    pending, start = "", 0
    for number, line in enumerate(readme.splitlines(), 1):
        if line.startswith("```"):
            in_block = line.strip() in ("```sh", "```bash", "```console") if not in_block else False
            continue
        if not in_block:
            continue
        text = re.sub(r"(^|\s)#\s.*$", "", line).rstrip()  # a comment after the command
        if not text and not pending:
            continue
        if not pending:
            start = number
        if text.endswith("\\"):
            pending += text[:-1] + " "
            continue
        yield start, (pending + text).strip()
        pending = ""


def main():
    source, build = sys.argv[1], sys.argv[2]
    with open(os.path.join(source, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    work = tempfile.mkdtemp(prefix="sirtkit-readme-")
    try:
        ignore = shutil.ignore_patterns("build", "build-*", ".git", "node_modules", "demo")
        shutil.copytree(source, os.path.join(work, "src-copy"), ignore=ignore)
        root = os.path.join(work, "src-copy")
        os.symlink(os.path.abspath(build), os.path.join(root, "build"))
        failures, ran, skipped = [], 0, []
        for number, cmd in commands(readme):
            reason = next((why for prefix, why in NOT_RUN.items() if cmd.startswith(prefix)), None)
            if reason:
                skipped.append((number, cmd, reason))
                continue
            begin = time.monotonic()
            try:
                r = subprocess.run(["bash", "-c", cmd], cwd=root, capture_output=True, text=True,
                                   timeout=COMMAND_TIMEOUT_S)
                code, out = r.returncode, r.stdout + r.stderr
            except subprocess.TimeoutExpired:
                code, out = "timeout", ""
            ran += 1
            want = EXPECTED_EXIT.get(cmd, 0)
            status = "ok" if code == want else "FAILED"
            print(f"README.md:{number}: {status} exit {code} in {time.monotonic() - begin:.1f} s: {cmd}")
            if code != want:
                failures.append(number)
                print("    " + "\n    ".join(out.strip().splitlines()[-15:]))
        for number, cmd, reason in skipped:
            print(f"README.md:{number}: not run: {cmd}\n    why: {reason}")
        print(f"{ran} commands run, {len(failures)} failed, {len(skipped)} not run (listed above)")
        if ran == 0:
            print("no command found in README.md")
            return 1
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
