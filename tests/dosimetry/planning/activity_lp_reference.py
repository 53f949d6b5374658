#!/usr/bin/env python3
"""Independent reference for sirtkit's lexicographic activity LP (src/dosimetry/planning/activity_lp.h).

Reads the random programmes written by tests/dosimetry/planning/activity_lp_crosscheck_test.cpp and
solves each with SciPy's HiGHS (scipy.optimize.linprog), formulated from the documented
semantics (docs/planning.md), not from sirtkit's code:

  hard rows  lower <= c.x <= upper, lb_k <= x_k <= ub_k
  levels     in order: reached_i = min(aim_i, max c_i.x) over what the earlier levels left;
             then c_i.x >= reached_i is kept (no auxiliary variable, unlike sirtkit's GLPK form)
  last       minimise sum(x)
  binding    the hard rows with a non-zero marginal in the stage of the first level short of its aim

Input (one programme per block):  P n | U ub_1 .. ub_n (inf allowed) | B lb_1 .. lb_n | H lower upper c_1..c_n
(repeated) | L aim c_1..c_n (repeated) | E.   Output per programme, one line:
  feasible first_short x_1..x_n ; attained_1.. ; dual_1..dual_hard
"""
import math
import sys

import numpy as np
from scipy.optimize import linprog


def solve(n, ub, lb, hard, levels):
    if any(not math.isinf(u) and u < l for u, l in zip(ub, lb)):
        return False, -1, [], [], []
    bounds = [(l, None if math.isinf(u) else u) for u, l in zip(ub, lb)]
    a_ub, b_ub, owner = [], [], []  # owner: which hard row an inequality came from
    for r, (lo, hi, c) in enumerate(hard):
        if not math.isinf(hi):
            a_ub.append(list(c)); b_ub.append(hi); owner.append(r)
        if not math.isinf(lo):
            a_ub.append([-v for v in c]); b_ub.append(-lo); owner.append(r)

    def lp(cost):
        return linprog(cost, A_ub=np.array(a_ub) if a_ub else None, b_ub=np.array(b_ub) if b_ub else None,
                       bounds=bounds, method="highs")

    if lp(np.zeros(n)).status == 2:
        return False, -1, [], [], []
    attained, first_short, duals = [], -1, [0.0] * len(hard)
    for i, (aim, c) in enumerate(levels):
        res = lp(-np.array(c))
        if res.status != 0:
            raise RuntimeError(f"level {i}: HiGHS status {res.status}")
        best = -res.fun
        reached = min(best, aim)
        attained.append(reached)
        if first_short < 0 and reached < aim - 1e-7 * max(1.0, abs(aim)):
            first_short = i
            marginals = res.ineqlin.marginals
            for k, r in enumerate(owner):
                if k < len(marginals):
                    duals[r] += abs(marginals[k])
        a_ub.append([-v for v in c])
        b_ub.append(-(reached - 1e-10 * max(1.0, abs(reached))))
    res = lp(np.ones(n))
    if res.status != 0:
        raise RuntimeError(f"last stage: HiGHS status {res.status}")
    return True, first_short, list(res.x), attained, duals


def main():
    tokens = sys.stdin.read().split()
    pos = 0
    out = []

    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    while pos < len(tokens):
        assert take() == "P"
        n = int(take())
        ub, lb, hard, levels = [], [], [], []
        while True:
            tag = take()
            if tag == "U":
                ub = [float(take()) for _ in range(n)]
            elif tag == "B":
                lb = [float(take()) for _ in range(n)]
            elif tag == "H":
                lo, hi = float(take()), float(take())
                hard.append((lo, hi, [float(take()) for _ in range(n)]))
            elif tag == "L":
                aim = float(take())
                levels.append((aim, [float(take()) for _ in range(n)]))
            elif tag == "E":
                break
            else:
                raise ValueError(tag)
        feasible, first_short, x, attained, duals = solve(n, ub, lb or [0.0] * n, hard, levels)
        fmt = lambda v: " ".join(repr(float(t)) for t in v)
        out.append(f"{int(feasible)} {first_short} {fmt(x)} ; {fmt(attained)} ; {fmt(duals)}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
