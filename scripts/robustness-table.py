#!/usr/bin/python3
"""Re-measures the hostile and extreme inputs of docs/robustness.md
("Heavy commands, bounded"): builds each input in a temporary folder, runs
the real binary on it under a time limit, and prints a Markdown table of
what it answered, its exit code, wall time and peak memory (the child's
maximum resident set). Run by `make robustness-table`; needs bin/scaleplan
or a ci build given as the first argument.
"""
import copy
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else "bin/scaleplan"
LIMIT = 180  # seconds: a row that takes longer is reported as such
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(name):
    with open(os.path.join(ROOT, "testdata", name)) as f:
        return json.load(f)


def write(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f)
    return path


def ranged(v):
    """A number as a ±20 % range, kept inside (0, 1] for shares."""
    lo, hi = round(v * 0.8, 12), round(v * 1.2, 12)
    if 0 < v <= 1 and isinstance(v, float):
        hi = min(hi, 1.0)
    if isinstance(v, int):
        lo, hi = int(lo), max(int(hi), int(lo) + 1)
    return {"low": lo, "high": hi}


def many_phases(plan, n, days, range_every=0):
    base = plan["phases"]
    phases = []
    for i in range(n):
        ph = copy.deepcopy(base[i % len(base)])
        ph["name"] = "Phase %d" % (i + 1)
        ph["days"] = days
        if range_every and i % range_every == 0 and isinstance(ph.get("calls_per_day"), int):
            ph["calls_per_day"] = ranged(ph["calls_per_day"])
        phases.append(ph)
    plan["phases"] = phases
    plan.pop("scenarios", None)
    return plan


def run(args, stdin=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.time()
    try:
        p = subprocess.run([BIN] + args, stdin=stdin, capture_output=True, timeout=LIMIT, env=dict(os.environ, LANG="C.UTF-8"))
        code, out = p.returncode, (p.stderr or p.stdout).decode(errors="replace").strip().splitlines()
        said = out[0] if out else ""
    except subprocess.TimeoutExpired:
        code, said = "killed", "still running after %d s" % LIMIT
    took = time.time() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far: a row can only be
    # read when it is the largest yet, so each row runs in its own process.
    return code, took, peak, before, said


def main():
    tmp = tempfile.mkdtemp()
    seed = load("seed-roadmap.json")
    comp = load("components-roadmap.json")
    rows = []

    fifo = os.path.join(tmp, "book.fifo")
    os.mkfifo(fifo)
    bigbook = os.path.join(tmp, "big-book.json")
    with open(bigbook, "w") as f:
        f.write('{"format": 1, "name": "big", "offers": [' + ",".join(['{"provider": "x", "instance": "i%d", "region": "r", "gpus": {"count": 1, "model": "H100", "memory_gib": 80}, "on_demand": {"hourly": 1, "as_of": "2026-01-01", "source": "%s"}}' % (i, "s" * 200) for i in range(230000)]) + "]}")

    # The components example with every price, latency, bytes and retention
    # input (its components' too) as a ±20 % range.
    unc = copy.deepcopy(comp)
    for k, v in list(unc["assumptions"].items()):
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 and k not in ("slots", "gpus_per_node", "min_nodes", "max_nodes"):
            unc["assumptions"][k] = ranged(v)
    for c in unc.get("components", []):
        for k in ("price", "latency_ms", "per_gb_month"):
            if isinstance(c.get(k), (int, float)) and c[k] > 0:
                c[k] = ranged(c[k])
    uncertain = write(os.path.join(tmp, "ranged-components.json"), unc)

    p1000 = write(os.path.join(tmp, "p1000.json"), many_phases(copy.deepcopy(seed), 1000, 10, range_every=5))
    p2000 = write(os.path.join(tmp, "p2000.json"), many_phases(copy.deepcopy(seed), 2000, 10, range_every=5))

    def scen_plan(n):
        p = many_phases(copy.deepcopy(seed), 10000, 3)
        p["scenarios"] = [{"name": "many", "overrides": {"phases[Phase %d].calls_per_day" % (10 * i + 1): 700000 for i in range(n)}}]
        return p
    s200 = write(os.path.join(tmp, "s200.json"), scen_plan(200))
    s1000 = write(os.path.join(tmp, "s1000.json"), scen_plan(1000))

    fast = copy.deepcopy(seed)
    fast["phases"] = [{"name": "Huge", "days": 1, "calls_per_day": 86400000000, "scaling": "fixed", "nodes": 90000}]
    fast.pop("scenarios", None)
    huge = write(os.path.join(tmp, "huge.json"), fast)
    wide = copy.deepcopy(seed)
    wide["phases"] = [{"name": "Wide", "days": 1, "calls_per_day": 1000000, "scaling": "fixed", "nodes": 950000}]
    wide.pop("scenarios", None)
    wide = write(os.path.join(tmp, "wide.json"), wide)

    noranges = write(os.path.join(tmp, "noranges.json"), many_phases(copy.deepcopy(seed), 1000, 10))

    bench = os.path.join(tmp, "big-bench.json")
    with open(bench, "w") as f:
        run1 = '{"args": {"strategy": {"type_": "synchronous"}}, "duration": 30, "request_totals": {"successful": 46, "errored": 0, "incomplete": 0}, "metrics": {"requests_per_second": {"successful": {"mean": 1.5}}, "request_latency": {"successful": {"mean": 0.64, "std_dev": 0.01, "percentiles": {"p50": 0.64, "p99": 0.69}}}}, "requests": ['
        f.write('{"benchmarks": [' + run1 + ",".join(['{"request_latency": 0.6%d, "prompt": "%s"}' % (i % 10, "x" * 500) for i in range(100000)]) + "]}]}")

    big = many_phases(copy.deepcopy(comp), 10000, 3)
    big["assumptions"]["node_hourly"] = ranged(big["assumptions"]["node_hourly"]) if isinstance(big["assumptions"].get("node_hourly"), (int, float)) else big["assumptions"]["node_hourly"]
    big["scenarios"] = [{"name": "high", "overrides": {"assumptions.node_rps": 20}}, {"name": "low", "overrides": {"assumptions.node_rps": 30}}]
    big = write(os.path.join(tmp, "big.json"), big)

    cases = [
        ("`prices list --book /dev/zero`", ["prices", "list", "--book", "/dev/zero"]),
        ("`prices list --book` a named pipe", ["prices", "list", "--book", fifo]),
        ("a %d MB price book" % (os.path.getsize(bigbook) >> 20), ["prices", "list", "--book", bigbook]),
        ("3 phases, %d inputs as ±20 %% ranges: `risk`" % sum(1 for v in json.dumps(unc).split('"low"')[1:]), ["risk", uncertain]),
        ("the same: `export`", ["export", uncertain, "-o", os.path.join(tmp, "ranged.xlsx")]),
        ("1,000 phases, a range on every 5th: `validate`", ["validate", p1000]),
        ("2,000 phases, a range on every 5th: `validate`", ["validate", p2000]),
        ("10,000 phases, a scenario of 200 overrides: `validate`", ["validate", s200]),
        ("10,000 phases, a scenario of 1,000 overrides: `validate`", ["validate", s1000]),
        ("`simulate` at 1M calls/s", ["simulate", huge]),
        ("`simulate` on 950,000 nodes", ["simulate", wide]),
        ("`risk` on 1,000 phases with no ranges", ["risk", noranges]),
        ("a %d MB load test" % (os.path.getsize(bench) >> 20), ["import-bench", bench]),
        ("10,000 phases, components, two scenarios, the node price a range: `export`", ["export", big, "-o", os.path.join(tmp, "big.xlsx")]),
        ("the same: `risk`", ["risk", big]),
    ]
    print("| input | exit | time | peak memory | what it says |")
    print("|---|---:|---:|---:|---|")
    for name, args in cases:
        # each row in a fresh interpreter child so ru_maxrss is its own
        out = subprocess.run([sys.executable, __file__, "--one", BIN] + args, capture_output=True, text=True)
        code, took, peak, said = out.stdout.strip().split("\t", 3) if out.stdout.strip() else ("?", "0", "0", out.stderr.strip()[:200])
        said = said.replace("|", "\\|")
        if len(said) > 140:
            said = said[:137] + "…"
        print("| %s | %s | %.1f s | %s MB | %s |" % (name, code, float(took), peak, said))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        BIN = sys.argv[2]
        code, took, peak, _, said = run(sys.argv[3:])
        print("%s\t%.2f\t%d\t%s" % (code, took, peak // 1024, said))
    else:
        main()
