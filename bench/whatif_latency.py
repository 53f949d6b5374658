#!/usr/bin/env python3
# What-if round trips of sirtkit serve (docs/server.md, Measured) on loopback: sequential requests over one keep-alive connection.
# Usage: bench/whatif_latency.py PORT USER PASSWORD [N=1000] [PLAN_FILE=plan.toml]
# against `sirtkit serve --db demo.sqlite --demo --data demo/data`; prints p50/p99/max in ms.
import http.client, json, sys, time, statistics
port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
n = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
plan_file = sys.argv[5] if len(sys.argv) > 5 else "plan.toml"
c = http.client.HTTPConnection("127.0.0.1", port)
c.request("POST", "/api/login", json.dumps({"username": user, "password": password}), {"Content-Type": "application/json"})
r = c.getresponse(); body = json.loads(r.read()); cookie = r.getheader("Set-Cookie").split(";")[0]
h = {"Cookie": cookie, "X-CSRF-Token": body["csrf_token"], "Content-Type": "application/json"}
c.request("GET", "/api/plans", headers=h); studies = json.loads(c.getresponse().read())["studies"]
sid = next(s["id"] for s in studies if s["folder"] == "demo-patient" and s["plan_file"] == plan_file)
c.request("GET", "/api/plans/" + sid, headers=h); study = json.loads(c.getresponse().read())
opt = study["optimum_gbq"]
times = []
for i in range(n):
    a = [x * (0.5 + (i % 100) / 100) for x in opt]
    t = time.perf_counter()
    c.request("POST", f"/api/plans/{sid}/what-if", json.dumps({"activity_gbq": a}), h)
    r = c.getresponse(); r.read()
    times.append((time.perf_counter() - t) * 1000)
    assert r.status == 200, r.status
times.sort()
print(f"{n} what-ifs ({len(opt)} injection(s)): p50 {times[n//2]:.1f} ms, p99 {times[int(n*0.99)-1]:.1f} ms, max {times[-1]:.1f} ms")
