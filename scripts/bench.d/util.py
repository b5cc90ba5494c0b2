#!/usr/bin/env python3
"""Small helpers for scripts/bench: report.json queries and statistics.

  util.py step-seconds REPORT KIND   seconds of the steps of KIND that ran (summed)
  util.py get REPORT KEY             a top-level field of the report
  util.py totals REPORT...           "ran=N cached=M ..." summed over reports
  util.py steps REPORT               one line per step: kind section status seconds
  util.py min|median|max [-pN] V...  statistics of numbers, N decimals (3)
  util.py calc [-pN] EXPR            evaluate an arithmetic expression (numbers only), N decimals (3)
  util.py rss FILE                   MB from /usr/bin/time -v output ("Maximum resident set size")
"""
import json
import re
import statistics
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "step-seconds":
        report, kind = load(args[0]), args[1]
        steps = [s for s in report["steps"] if s["kind"] == kind and s["status"] == "ran"]
        if not steps:
            sys.exit(f"no {kind} step ran in {args[0]}")
        print(f"{sum(s['seconds'] for s in steps):.3f}")
    elif cmd == "get":
        value = load(args[0]).get(args[1])
        print(json.dumps(value) if isinstance(value, (dict, list)) else value)
    elif cmd == "totals":
        totals = {}
        for path in args:
            for key, n in load(path)["totals"].items():
                totals[key] = totals.get(key, 0) + n
        print(" ".join(f"{k}={totals[k]}" for k in ("ran", "cached", "skipped", "failed") if k in totals))
    elif cmd == "steps":
        for s in load(args[0])["steps"]:
            print(f"    {s['kind']:<9} {s.get('section') or '-':<16} {s['status']:<8} {s['seconds']:8.3f} s")
    elif cmd in ("min", "median", "max"):
        places = 3
        if args and args[0].startswith("-p"):
            places, args = int(args[0][2:]), args[1:]
        values = [float(v) for v in args]
        fn = {"min": min, "median": statistics.median, "max": max}[cmd]
        print(f"{fn(values):.{places}f}")
    elif cmd == "calc":
        places = 3
        if args and args[0].startswith("-p"):
            places, args = int(args[0][2:]), args[1:]
        expr = " ".join(args)
        if not re.fullmatch(r"[0-9eE.+\-*/() ]+", expr):
            sys.exit(f"bad expression: {expr}")
        print(f"{eval(expr):.{places}f}")
    elif cmd == "resources":
        r = load(args[0]).get("resources")
        if not r:
            print("(not reported by this c2v)")
        else:
            worker = r.get("worker_peak_rss_mb")
            print(f"parent {r['peak_rss_mb']:.1f} MB, largest worker "
                  + (f"{worker:.1f} MB" if worker is not None else "none") + f", {r['workers_started']} workers")
    elif cmd == "rss":
        with open(args[0]) as f:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
        if not m:
            sys.exit(f"no 'Maximum resident set size' in {args[0]}")
        print(f"{int(m.group(1)) / 1024:.1f}")
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv)
