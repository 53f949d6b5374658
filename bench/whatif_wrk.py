#!/usr/bin/env python3
"""What-if round trips of `sirtkit serve` under wrk (Debian) on loopback (issue 14, docs/server.md "Measured").

Starts `sirtkit serve --db TMP/d.sqlite --demo --data TMP/data --port 0`, signs
in as the one-time admin, opens each demo plan of PLAN_FILES (of demo-patient:
plan.toml, one injection, and plan_two_injections.toml, two) and runs wrk with a Lua script that POSTs /api/plans/ID/what-if, each request at
another activity (0.5 to 1.49 times the optimum, in 100 steps, per injection):

  wrk -t1 -c1  -d10s --latency   (one user)
  wrk -t2 -c50 -d15s --latency   (50 concurrent users)

and prints requests/s, p50/p99 (wrk --latency), non-2xx answers, the server's
CPU time per what-if (/proc/PID/stat) and the load average (`uptime`) before
each run. --perf FILE records the server with
`perf record` during the 50-connection run (--perf-call-graph dwarf,16384 for callers). Figures only; never fails the build.

  bench/whatif_wrk.py [--sirtkit build/sirtkit] [--web web] [--plan-files plan.toml,plan_two_injections.toml] [--connections 1,50]
"""
import argparse
import json
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.request

LUA = """
local bodies = {}
local n = 0
function init(args)
  for i = 0, 99 do
    local f = 0.5 + i / 100
    local a = {}
    for k, x in ipairs(OPTIMUM) do a[k] = string.format("%.3f", x * f) end
    bodies[i + 1] = '{"activity_gbq":[' .. table.concat(a, ",") .. ']}'
  end
end
function request()
  n = n + 1
  return wrk.format("POST", nil, nil, bodies[(n % 100) + 1])
end
"""


def cpu_s(pid):
    """User + system CPU seconds of a process (/proc/PID/stat, fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_plan(args, proc, tmp, base, auth, plans, plan_file):
    """wrk at each number of connections against the what-if of one demo plan; prints one line per run."""
    def call(method, path):
        rq = urllib.request.Request(base + path, method=method, headers=dict(auth))
        with urllib.request.urlopen(rq, timeout=300) as r:
            return r.headers, json.loads(r.read() or b"null")

    sid = next(s["id"] for s in plans["studies"] if s["folder"] == "demo-patient" and s["plan_file"] == plan_file)
    _, study = call("GET", "/api/plans/" + sid)  # prepares the study
    opt = study["optimum_gbq"]
    lua = os.path.join(tmp, plan_file + ".lua")
    with open(lua, "w") as f:
        f.write("OPTIMUM = {" + ",".join(repr(x) for x in opt) + "}\n" + LUA)
    url = f"{base}/api/plans/{sid}/what-if"
    hdr = ["-H", f"Cookie: {auth['Cookie']}", "-H", f"X-CSRF-Token: {auth['X-CSRF-Token']}", "-H", "Content-Type: application/json"]
    conns = [int(c) for c in args.connections.split(",")]
    for c in conns:
        load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
        cmd = ["wrk", f"-t{min(c, 2)}", f"-c{c}", f"-d{10 if c == 1 else 15}s", "--latency", "-s", lua] + hdr + [url]
        perf = None
        if args.perf and c == max(conns):
            perf = subprocess.Popen(["perf", "record", "--call-graph", args.perf_call_graph, "-F", "1500", "-o", args.perf, "-p", str(proc.pid)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(1)
        cpu0 = cpu_s(proc.pid)
        r = subprocess.run(cmd, capture_output=True, text=True)
        cpu = cpu_s(proc.pid) - cpu0
        if perf:
            perf.send_signal(signal.SIGINT)
            perf.wait()
        text = r.stdout
        rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
        p50 = re.search(r"^\s*50%\s+(\S+)", text, re.M)
        p99 = re.search(r"^\s*99%\s+(\S+)", text, re.M)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        errs = re.search(r"Socket errors: (.*)", text)
        done = re.search(r"(\d+) requests in", text)
        per = f", server CPU {1000 * cpu / int(done.group(1)):.2f} ms per what-if" if done and int(done.group(1)) else ""
        print(f"{plan_file} ({len(opt)} injection(s)), wrk -c{c}: {rps.group(1) if rps else '?'} what-ifs/s, "
              f"p50 {p50.group(1) if p50 else '?'}, p99 {p99.group(1) if p99 else '?'}, "
              f"non-2xx {non2xx.group(1) if non2xx else 0}{', socket errors ' + errs.group(1) if errs else ''}{per}; load before: {load}")
        if not rps:
            print(text, r.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sirtkit", default="build/sirtkit")
    ap.add_argument("--web", default="web", help="the browser assets (sirtkit serve --web)")
    ap.add_argument("--plan-files", default="plan.toml,plan_two_injections.toml", help="comma-separated plan files of the demo patient")
    ap.add_argument("--connections", default="1,50")
    ap.add_argument("--perf", help="perf record the server during the largest run into this file")
    ap.add_argument("--perf-call-graph", default="fp",
                    help="perf's --call-graph: fp, or dwarf,16384 (the build keeps no frame pointers: dwarf gives the callers)")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="sirtkit-whatif-wrk-")
    proc = subprocess.Popen([args.sirtkit, "serve", "--db", os.path.join(tmp, "d.sqlite"), "--demo", "--data", os.path.join(tmp, "data"),
                             "--port", "0", "--web", args.web], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out = ""
        deadline = time.time() + 300
        port = password = None
        while time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError("sirtkit serve exited: " + out + proc.stderr.read())
            out += line
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", out)
            p = re.search(r"password\s+(\S{20})", out)
            if m and p:
                port, password = int(m.group(1)), p.group(1)
                break
        base = f"http://127.0.0.1:{port}"

        def call(method, path, body=None, headers={}):
            data = json.dumps(body).encode() if body is not None else None
            rq = urllib.request.Request(base + path, data=data, method=method, headers=dict(headers))
            if data is not None:
                rq.add_header("Content-Type", "application/json")
            with urllib.request.urlopen(rq, timeout=300) as r:
                return r.headers, json.loads(r.read() or b"null")

        h, body = call("POST", "/api/login", {"username": "admin", "password": password})
        auth = {"Cookie": h["Set-Cookie"].split(";")[0], "X-CSRF-Token": body["csrf_token"]}
        _, plans = call("GET", "/api/plans", headers=auth)
        for plan_file in args.plan_files.split(","):
            run_plan(args, proc, tmp, base, auth, plans, plan_file)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
