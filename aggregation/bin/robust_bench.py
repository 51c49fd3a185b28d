#!/usr/bin/env python3
"""Driver behind aggregation/bin/robust-bench: Hansa's robust rules against Flower's functions of the same name on
the same updates in the same run. The updates are written once (fold_bench.write_inputs: standard normal float32);
then in every repetition each rule runs on each side in a fresh process (Hansa: RobustBenchmark; Flower:
flower_robust.py), in an order that rotates between repetitions so that slow phases of a shared machine hit every
side. A Hansa process runs its rule `warmup + runs` times and reports the median of the timed runs; a Flower process
runs it `flower-runs` times (numpy needs no warm-up; its runs take long). Ratios (Flower's seconds over Hansa's) are
taken within a repetition; the summary gives the median and the min-max over repetitions. A Flower run that exceeds
--flower-timeout is stopped and counts as that long, so its ratio is a lower bound (marked >=).

The two sides must agree on each rule's output: the sums of its absolute values may differ by 1e-4 relative at most
(Flower computes in float32 where Hansa uses double; a different Krum pick would differ by far more).

Besides the seconds: for the Gram-based rules, the share of the rule's time spent in the Gram GEMM calls and in the
whole geometry (centring and GEMM); for the coordinate-wise rules, GB/s of the coordinate pass, counting the input
read once (updates x size x 4 bytes) over the pass's time (for Bulyan, its time less the geometry's).
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys

from fold_bench import cell, summary, write_inputs

RULES = ["krum", "multi-krum", "median", "trimmed-mean", "bulyan"]
TARGETS = {"krum": 10, "multi-krum": 10, "median": 4, "trimmed-mean": 4, "bulyan": 70}
GRAM = {"krum", "multi-krum", "bulyan"}
COORDINATE = {"median", "trimmed-mean", "bulyan"}


def hansa_command(args, rule, updates_file):
    target = os.path.join(args.repo, "aggregation", "target")
    with open(os.path.join(target, "bench.classpath")) as f:
        classpath = ":".join([os.path.join(target, "classes"), os.path.join(target, "test-classes"), f.read().strip()])
    return [os.path.join(os.environ["JAVA_HOME"], "bin", "java"), "--add-modules", "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC", "-cp", classpath,
            "dev.hansa.aggregation.bench.RobustBenchmark", rule, str(args.f), updates_file, str(args.updates),
            str(args.size), str(args.warmup), str(args.runs)]


def flower_command(args, rule, updates_file):
    return ["/usr/bin/python3", os.path.join(args.repo, "aggregation", "bin", "flower_robust.py"), "--flower",
            args.flower, "--rule", rule, "--f", str(args.f), "--updates", updates_file, "--count", str(args.updates),
            "--size", str(args.size), "--runs", str(args.flower_runs)]


def run_side(args, rule, side, updates_file):
    if side == "hansa":
        done = subprocess.run(hansa_command(args, rule, updates_file), check=True, capture_output=True, text=True)
        return json.loads(done.stdout.strip().splitlines()[-1])
    try:
        done = subprocess.run(flower_command(args, rule, updates_file), check=True, capture_output=True, text=True,
                              timeout=args.flower_timeout)
    except subprocess.TimeoutExpired:
        return {"seconds": [float(args.flower_timeout)], "timed_out": True}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--flower", required=True, help="root of a Flower checkout")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--rules", default=",".join(RULES), help="comma-separated subset of " + ",".join(RULES))
    ap.add_argument("--updates", type=int, default=100)
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--f", type=int, default=10, help="the rules' f (Multi-Krum keeps n - f, trimmed mean trims f)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed runs per Hansa process (JIT, page faults)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per Hansa process")
    ap.add_argument("--flower-runs", type=int, default=1, help="timed runs per Flower process")
    ap.add_argument("--flower-timeout", type=float, default=900, help="seconds before a Flower process is stopped")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rules = [r for r in args.rules.split(",") if r]
    if not rules or any(r not in RULES for r in rules):
        raise SystemExit(f"--rules takes a subset of {RULES}, got {args.rules}")

    base = os.path.join(args.repo, "aggregation", "target", "robust-bench")
    out = os.path.join(base, datetime.datetime.now().strftime("%Y%m%d-%H%M%S"))
    os.makedirs(out, exist_ok=True)
    log = lambda msg: print(f"[{datetime.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)
    updates_file, _ = write_inputs(base, args.updates, args.size, args.seed)
    gigabytes = args.updates * args.size * 4 / 1e9

    sides = [(rule, side) for rule in rules for side in ("hansa", "flower")]
    rows = []
    for rep in range(args.reps):
        shift = rep * (2 * len(sides) // max(1, args.reps) + 1) % len(sides)
        order = sides[shift:] + sides[:shift]
        row = {"rep": rep, "load1": os.getloadavg()[0], "order": [f"{r}/{s}" for r, s in order]}
        for rule, side in order:
            result = run_side(args, rule, side, updates_file)
            result["median_seconds"] = statistics.median(result["seconds"])
            row.setdefault(rule, {})[side] = result
            log(f"rep {rep + 1}/{args.reps}: {rule} {side} {result['median_seconds']:.3f} s"
                + (" (stopped at the timeout)" if result.get("timed_out") else ""))
        for rule in rules:
            hansa, flower = row[rule]["hansa"], row[rule]["flower"]
            if not flower.get("timed_out"):
                h, f = hansa["checksum"], flower["checksum"]
                if abs(h - f) > 1e-4 * max(1.0, abs(h)):
                    raise SystemExit(f"{rule}: the sides disagree on the output: sums of |x| {h} and {f}")
            row[rule]["ratio"] = flower["median_seconds"] / hansa["median_seconds"]
            row[rule]["lower_bound"] = bool(flower.get("timed_out"))
            if rule in GRAM:
                row[rule]["gemm_share"] = statistics.median(hansa["gemm"]) / hansa["median_seconds"]
                row[rule]["geometry_share"] = statistics.median(hansa["geometry"]) / hansa["median_seconds"]
            if rule in COORDINATE:
                geometry = statistics.median(hansa["geometry"]) if rule in GRAM else 0.0
                row[rule]["coordinate_gbytes_per_s"] = gigabytes / (hansa["median_seconds"] - geometry)
        rows.append(row)
        with open(os.path.join(out, "results.json"), "w") as f:
            json.dump({"command": " ".join(sys.argv), "rows": rows}, f, indent=1)

    first = rows[0]
    flower_info = next((first[r]["flower"] for r in rules if "numpy" in first[r]["flower"]), {})
    lines = [f"{args.updates} updates of {args.size} floats ({gigabytes:.1f} GB), f = {args.f}, {args.reps} "
             f"repetitions; Hansa: median of {args.runs} timed runs per process after {args.warmup} untimed, backend "
             f"{first[rules[0]]['hansa']['backend']}; Flower: {args.flower_runs} run per process, numpy "
             f"{flower_info.get('numpy', '?')}, {flower_info.get('source', '?')}; {os.cpu_count()} CPUs, 1-minute load "
             f"average {cell(summary([r['load1'] for r in rows]))}.", "",
             "| rule | Hansa s | Flower s | Flower / Hansa | target | met |", "|---|---|---|---|---|---|"]
    for rule in rules:
        bound = ">= " if any(r[rule]["lower_bound"] for r in rows) else ""
        ratio = summary([r[rule]["ratio"] for r in rows])
        met = "yes" if ratio["min"] >= TARGETS[rule] else "median only" if ratio["median"] >= TARGETS[rule] else "no"
        hansa = cell(summary([r[rule]["hansa"]["median_seconds"] for r in rows]), 3)
        flower = cell(summary([r[rule]["flower"]["median_seconds"] for r in rows]), 1)
        lines.append(f"| {rule} | {hansa} | {bound}{flower} | {bound}{cell(ratio, 1)} | >= {TARGETS[rule]} | {met} |")
    lines += ["", "| rule | Gram GEMM share of the rule's time | geometry (centring + GEMM) share | "
              "coordinate pass GB/s |", "|---|---|---|---|"]
    for rule in rules:
        share = lambda key: cell(summary([100 * r[rule][key] for r in rows]), 0) + " %" if key in rows[0][rule] else ""
        speed = (cell(summary([r[rule]["coordinate_gbytes_per_s"] for r in rows]))
                 if "coordinate_gbytes_per_s" in rows[0][rule] else "")
        lines.append(f"| {rule} | {share('gemm_share')} | {share('geometry_share')} | {speed} |")
    text = "\n".join(lines)
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(text + "\n")
    print(text)
    print(f"\nraw results: {os.path.join(out, 'results.json')}", file=sys.stderr)


if __name__ == "__main__":
    main()
