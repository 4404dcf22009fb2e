#!/usr/bin/env python3
"""Summarises the runs of tools/bench-api: each side's median and the ratio of the medians.

usage: bench-api-summary.py OUT_DIR STAMP

Reads OUT_DIR/ironlog-STAMP-*.json and OUT_DIR/ironic-STAMP-*.json (bench.py summaries),
prints a Markdown table and writes it, with the raw figures, to OUT_DIR/summary-STAMP.json.
"""
import glob
import json
import os
import statistics
import sys

# (label, path into bench.py's summary, higher is better, target ratio or None)
FIGURES = [
    ("GET /v1/nodes/{uuid} req/s (wrk)", ("wrk_get_node", "req_per_s"), True, 30),
    ("GET /v1/nodes/{uuid} req/s (python client)", ("get_node", "req_per_s"), True, None),
    ("GET /v1/nodes?detail=True req/s (wrk)", ("wrk_get_nodes_detail", "req_per_s"), True, 50),
    ("GET /v1/nodes?detail=True req/s (python client)", ("get_nodes_detail", "req_per_s"), True, None),
    ("fleet enroll → active (s)", ("fleet_enroll_to_active", "total_s"), False, 20),
    ("  manage → manageable (s)", ("fleet_enroll_to_active", "manage", "total_s"), False, None),
    ("  provide → available (s)", ("fleet_enroll_to_active", "provide", "total_s"), False, None),
    ("  deploy → active (s)", ("fleet_enroll_to_active", "deploy", "total_s"), False, None),
    ("enroll N nodes (s)", ("enroll", "wall_s"), False, None),
    ("undeploy all → available (s)", ("cleanup", "undeploy", "total_s"), False, None),
    ("delete all (s)", ("cleanup", "delete", "wall_s"), False, None),
]


def dig(summary, path):
    for key in path:
        if not isinstance(summary, dict) or key not in summary:
            return None
        summary = summary[key]
    return summary


def load(out, side, stamp):
    runs = []
    for name in sorted(glob.glob(os.path.join(out, f"{side}-{stamp}-*.json"))):
        with open(name) as f:
            runs.append(json.load(f))
    return runs


def main():
    out, stamp = sys.argv[1], sys.argv[2]
    sides = {side: load(out, side, stamp) for side in ("ironlog", "ironic")}
    rows = []
    print(f"| figure | Ironlog (median of {len(sides['ironlog'])}) | Ironic (median of {len(sides['ironic'])}) | ratio | target |")
    print("|---|---|---|---|---|")
    for label, path, higher_is_better, target in FIGURES:
        values = {side: [v for v in (dig(r, path) for r in runs) if isinstance(v, (int, float))]
                  for side, runs in sides.items()}
        medians = {side: statistics.median(v) if v else None for side, v in values.items()}
        ratio = None
        if medians["ironlog"] and medians["ironic"]:
            ratio = (medians["ironlog"] / medians["ironic"] if higher_is_better
                     else medians["ironic"] / medians["ironlog"])
        verdict = "" if target is None else (f"≥ {target}× " + ("met" if ratio and ratio >= target else "not met"))
        fmt = lambda v: "—" if v is None else f"{v:,.2f}"
        print(f"| {label} | {fmt(medians['ironlog'])} | {fmt(medians['ironic'])} | "
              f"{'—' if ratio is None else f'{ratio:,.1f}×'} | {verdict} |")
        rows.append({"figure": label, "runs": values, "medians": medians, "ratio": ratio, "target": target})
    with open(os.path.join(out, f"summary-{stamp}.json"), "w") as f:
        json.dump({"stamp": stamp, "figures": rows}, f, indent=2)


if __name__ == "__main__":
    main()
