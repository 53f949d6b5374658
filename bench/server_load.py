#!/usr/bin/env python3
"""Load test of `sirtkit serve` with wrk (Debian) on loopback (issue 13).

For each store (a fresh SQLite file; a throw-away PostgreSQL 15 cluster on
127.0.0.1 created with initdb, stopped and deleted afterwards) it starts
`sirtkit serve --demo` on a free port, signs in as the one-time admin and runs
wrk twice with CONNECTIONS concurrent connections for DURATION seconds:

  read   GET /api/patients (the first page of the demo cohort's list)
  write  PATCH /api/users/{id} {"disabled": true|false} on a user made for the
         test (an audited write: a users row update, an auth_events row and
         their audit_log entries, in one transaction)

and reports requests/s, latency p50/p99 (wrk --latency), non-2xx answers and
socket errors. After the write run it checks that every write answered 2xx is
in the store: the auth_events rows of the target user grew by exactly the
number of 2xx answers (counted per answer by the wrk Lua script).

  bench/server_load.py [--sirtkit build/sirtkit] [--duration 30] [--connections 100]
                       [--threads 2] [--stores sqlite,postgres] [--check]

--check exits 1 when any request failed or a write is missing (the short run
in CTest); without it the figures are only printed (benchmarks never fail the
build).
"""
import argparse
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

PG_BIN = "/usr/lib/postgresql/15/bin"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throw-away cluster (as tests/registry/store_fixture.h starts one), durable settings left on."""

    def __init__(self, root):
        self.dir = os.path.join(root, "pg")
        os.makedirs(self.dir)
        self.as_user = []
        if os.getuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        data = os.path.join(self.dir, "data")
        self.run([f"{PG_BIN}/initdb", "--no-sync", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "-D", data])
        self.port = free_port()
        opts = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c max_connections=200"
        self.run([f"{PG_BIN}/pg_ctl", "-D", data, "-l", os.path.join(self.dir, "server.log"), "-w", "-t", "60", "-o", opts, "start"])
        self.data = data
        self.run([f"{PG_BIN}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "bench"])

    def run(self, cmd):
        subprocess.run(self.as_user + cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.dir)

    def conninfo(self):
        return f"postgresql://postgres@127.0.0.1:{self.port}/bench"

    def stop(self):
        self.run([f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"])


class Server:
    def __init__(self, sirtkit, db, web):
        self.proc = subprocess.Popen([sirtkit, "serve", "--db", db, "--demo", "--port", "0", "--web", web], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        out = ""
        deadline = time.time() + 120
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("sirtkit serve exited: " + out + self.proc.stderr.read())
            out += line
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", out)
            p = re.search(r"password\s+(\S{20})", out)
            if m and p:
                self.port, self.password = int(m.group(1)), p.group(1)
                break
        else:
            raise RuntimeError("sirtkit serve did not start: " + out)
        self.base = f"http://127.0.0.1:{self.port}"
        self.cookie = ""
        self.csrf = ""

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        rq = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            rq.add_header("Content-Type", "application/json")
            rq.add_header("X-CSRF-Token", self.csrf)
        if self.cookie:
            rq.add_header("Cookie", self.cookie)
        with urllib.request.urlopen(rq, timeout=30) as r:
            return r.headers, json.loads(r.read() or b"null")

    def login(self):
        headers, body = self.call("POST", "/api/login", {"username": "admin", "password": self.password})
        self.cookie = headers["Set-Cookie"].split(";")[0]
        self.csrf = body["csrf_token"]

    def stop(self):
        """Stops the server; returns what it logged on stderr."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            _, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return err


WRITE_LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  ok = 0; bad = 0; n = 0
  wrk.method = "PATCH"
  wrk.path = "%(path)s"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-CSRF-Token"] = "%(csrf)s"
  wrk.headers["Cookie"] = "%(cookie)s"
end
function request()
  n = n + 1
  local body = (n %% 2 == 0) and '{"disabled": false}' or '{"disabled": true}'
  return wrk.format(nil, nil, nil, body)
end
function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else
    bad = bad + 1
    if bad <= 3 then io.stderr:write("write answered " .. status .. ": " .. body .. "\\n") end
  end
end
function done(summary, latency, requests)
  local o, b = 0, 0
  for _, t in ipairs(threads) do o = o + t:get("ok"); b = b + t:get("bad") end
  io.write(string.format("WRITES_2XX %%d\\nWRITES_OTHER %%d\\n", o, b))
end
"""


def parse_wrk(out):
    def unit(v, u):
        return float(v) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[u]

    r = {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
         "requests": int(re.search(r"(\d+) requests in", out).group(1))}
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        m = re.search(r"^\s+%s(?:\.000)?%%\s+([\d.]+)(us|ms|s|m)\s*$" % pct, out, re.M)
        r[key] = unit(m.group(1), m.group(2))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    r["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    r["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    return r


def wrk(args, url, extra):
    cmd = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.duration}s", "--latency", "--timeout", "10s"] + extra + [url]
    p = subprocess.run(cmd, check=True, capture_output=True, text=True)
    sys.stderr.write(p.stderr)
    return p.stdout, parse_wrk(p.stdout)


def auth_event_count(server, username):
    _, body = server.call("GET", "/api/audit?table=auth_events&limit=1000")
    total = body["total"]
    seen, offset = 0, 0
    while offset < total:
        _, page = server.call("GET", f"/api/audit?table=auth_events&limit=1000&offset={offset}")
        seen += sum(1 for e in page["entries"] if (e.get("new_row") or {}).get("username") == username)
        offset += 1000
    return seen


def run_store(args, store, root):
    pg = None
    try:
        if store == "postgres":
            pg = Postgres(root)
            db = pg.conninfo()
        else:
            db = os.path.join(root, "bench.sqlite")
        server = Server(args.sirtkit, db, args.web or os.path.join(os.path.dirname(os.path.abspath(args.sirtkit)), "web"))
        try:
            server.login()
            _, user = server.call("POST", "/api/users", {"username": "loadtarget", "role": "monitor"})
            read_out, read = wrk(args, server.base + "/api/patients", ["-H", "Cookie: " + server.cookie])
            before = auth_event_count(server, "loadtarget")
            lua = os.path.join(root, f"write_{store}.lua")
            with open(lua, "w") as f:
                f.write(WRITE_LUA % {"path": f"/api/users/{user['id']}", "csrf": server.csrf, "cookie": server.cookie})
            write_out, write = wrk(args, server.base + f"/api/users/{user['id']}", ["-s", lua])
            write["writes_2xx"] = int(re.search(r"WRITES_2XX (\d+)", write_out).group(1))
            write["writes_other"] = int(re.search(r"WRITES_OTHER (\d+)", write_out).group(1))
            write["stored"] = auth_event_count(server, "loadtarget") - before
            # Requests still in flight when wrk stops are committed but their answers not
            # counted: the store may hold up to one write per connection more than the 2xx.
            write["lost"] = max(0, write["writes_2xx"] - write["stored"])
            write["in_flight_at_stop"] = write["stored"] - write["writes_2xx"]
            if write["in_flight_at_stop"] > args.connections:
                write["unexplained"] = write["in_flight_at_stop"]
            return {"read": read, "write": write, "read_raw": read_out, "write_raw": write_out}
        finally:
            log = server.stop()
            faults = [l for l in log.splitlines() if "internal error" in l or "error:" in l]
            for line in faults[:5]:
                print(f"{store} server log: {line}", file=sys.stderr)
    finally:
        if pg:
            pg.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--sirtkit", default=os.path.join(here, "..", "build", "sirtkit"))
    ap.add_argument("--web", help="browser assets (default: web/ beside the program)")
    ap.add_argument("--duration", type=int, default=30)
    ap.add_argument("--connections", type=int, default=100)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--stores", default="sqlite,postgres")
    ap.add_argument("--check", action="store_true", help="exit 1 on any failed request or missing write")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    for tool in ("wrk",):
        if not shutil.which(tool):
            sys.exit(f"server_load: {tool} not found (scripts/install-deps.sh installs it)")
    root = tempfile.mkdtemp(prefix="sirtkit-load-")
    if os.getuid() == 0:
        os.chmod(root, 0o755)
    results = {}
    failed = []
    try:
        for store in args.stores.split(","):
            r = run_store(args, store, root)
            results[store] = {"read": r["read"], "write": r["write"]}
            for kind in ("read", "write"):
                x = r[kind]
                print(f"{store:8} {kind:5} {x['requests_per_s']:9.1f} req/s  p50 {x['p50_ms']:8.2f} ms  p99 {x['p99_ms']:8.2f} ms  "
                      f"requests {x['requests']}  non-2xx {x['non_2xx']}  socket errors {x['socket_errors']}"
                      + (f"  writes 2xx {x['writes_2xx']} stored {x['stored']} lost {x['lost']}" if kind == "write" else ""))
                if x["non_2xx"] or x["socket_errors"]:
                    failed.append(f"{store} {kind}: {x['non_2xx']} non-2xx, {x['socket_errors']} socket errors")
            if r["write"].get("unexplained"):
                failed.append(f"{store} write: {r['write']['unexplained']} more writes stored than answered, above one per connection")
            if r["write"]["lost"] != 0 or r["write"]["writes_other"]:
                failed.append(f"{store} write: {r['write']['lost']} writes answered 2xx but not stored, {r['write']['writes_other']} not 2xx")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s on 127.0.0.1")
    if args.json:
        print(json.dumps(results, indent=2))
    for f in failed:
        print("FAILED: " + f, file=sys.stderr)
    sys.exit(1 if failed and args.check else 0)


if __name__ == "__main__":
    main()
