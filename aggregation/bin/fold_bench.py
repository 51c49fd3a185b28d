#!/usr/bin/env python3
"""Driver behind aggregation/bin/fold-bench: writes the updates once, then in every repetition runs Hansa's fold
(FoldBenchmark hansa, four updates per pass over the sum), the same kernel one update per pass (FoldBenchmark
single), the scalar loop before the kernel (FoldBenchmark scalar), Flower's aggregate_inplace (flower_fold.py) and,
as the ceiling, a pass that only reads the input (FoldBenchmark read), each in a fresh process on the same file,
rotating which goes first so that slow phases of a shared machine hit all of them. The folds' results must agree.
Each process folds the updates `warmup + folds` times and reports the timed folds; a repetition's figure for a side
is the median of its folds, ratios are taken within a repetition, and the summary gives the median and the min-max
over repetitions.

GB/s counts the input folded: updates x size x 4 bytes per fold.
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys

import numpy as np

SIDES = ["hansa", "single", "scalar", "flower", "read"]
FOLDS = [s for s in SIDES if s != "read"]  # "read" only reads the input: no mean to compare
LABELS = {"hansa": "Hansa RoundAggregation, mean (WeightedSum, 4 updates per pass)",
          "single": "WeightedSum, one update per pass",
          "scalar": "Hansa's former scalar loop",
          "flower": "Flower aggregate_inplace (numpy)",
          "read": "no fold: the input only read, one thread per core (the memory's ceiling)"}


def write_inputs(directory, updates, size, seed):
    """Standard normal float32 updates and sample counts in [100, 1000), written once per shape and seed."""
    stem = os.path.join(directory, f"updates-{updates}x{size}-seed{seed}")
    if not os.path.exists(stem + ".f32"):
        rng = np.random.default_rng(seed)
        with open(stem + ".tmp", "wb") as f:
            for _ in range(updates):
                rng.standard_normal(size, dtype=np.float32).tofile(f)
        with open(stem + ".txt", "w") as f:
            f.write("\n".join(str(n) for n in rng.integers(100, 1000, updates)) + "\n")
        os.replace(stem + ".tmp", stem + ".f32")
    return stem + ".f32", stem + ".txt"


def run_side(side, args, updates_file, samples_file):
    if side == "flower":
        cmd = ["/usr/bin/python3", os.path.join(args.repo, "aggregation", "bin", "flower_fold.py"),
               "--flower", args.flower, "--updates", updates_file, "--samples", samples_file,
               "--size", str(args.size), "--warmup", str(args.warmup), "--folds", str(args.folds)]
    else:
        target = os.path.join(args.repo, "aggregation", "target")
        with open(os.path.join(target, "bench.classpath")) as f:
            classpath = ":".join([os.path.join(target, "classes"), os.path.join(target, "test-classes"), f.read().strip()])
        cmd = [os.path.join(os.environ["JAVA_HOME"], "bin", "java"), "--add-modules", "jdk.incubator.vector",
               "--enable-native-access=ALL-UNNAMED", "-XX:+UseParallelGC", "-cp", classpath,
               "dev.hansa.aggregation.bench.FoldBenchmark", side, updates_file, samples_file, str(args.size),
               str(args.warmup), str(args.folds)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def cell(s, digits=1):
    return f"{s['median']:.{digits}f} ({s['min']:.{digits}f}-{s['max']:.{digits}f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--flower", required=True, help="root of a Flower checkout")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--updates", type=int, default=100)
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--warmup", type=int, default=2, help="untimed folds per process (JIT, page faults)")
    ap.add_argument("--folds", type=int, default=5, help="timed folds per process")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    base = os.path.join(args.repo, "aggregation", "target", "fold-bench")
    out = os.path.join(base, datetime.datetime.now().strftime("%Y%m%d-%H%M%S"))
    os.makedirs(out, exist_ok=True)
    log = lambda msg: print(f"[{datetime.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)
    updates_file, samples_file = write_inputs(base, args.updates, args.size, args.seed)
    gigabytes = args.updates * args.size * 4 / 1e9

    rows = []
    for rep in range(args.reps):
        load = os.getloadavg()[0]
        order = SIDES[rep % len(SIDES):] + SIDES[:rep % len(SIDES)]
        row = {"rep": rep, "load1": load, "order": order}
        for side in order:
            result = run_side(side, args, updates_file, samples_file)
            row[side] = {"seconds": result["seconds"], "checksum": result["checksum"],
                         "gbytes_per_s": gigabytes / statistics.median(result["seconds"])}
            if side == "flower":
                row["flower_source"], row["numpy"] = result["source"], result["numpy"]
        checks = [row[s]["checksum"] for s in FOLDS]
        if max(checks) - min(checks) > 1e-4 * max(1.0, abs(checks[0])):
            raise SystemExit(f"the sides disagree on the mean: checksums {checks}")
        for side in SIDES[1:]:
            row["ratio_" + side] = row["hansa"]["gbytes_per_s"] / row[side]["gbytes_per_s"]
        rows.append(row)
        log(f"rep {rep + 1}/{args.reps} (load average {load:.1f}): " + ", ".join(
            f"{s} {row[s]['gbytes_per_s']:.1f} GB/s" for s in SIDES) + f", Hansa/Flower {row['ratio_flower']:.2f}")

    loads = summary([r["load1"] for r in rows])
    lines = [f"{args.updates} updates of {args.size} floats ({gigabytes:.1f} GB per fold), {args.reps} repetitions of "
             f"{args.folds} timed folds per process after {args.warmup} untimed; {os.cpu_count()} CPUs, 1-minute load "
             f"average {cell(loads)}; numpy {rows[0]['numpy']}; Flower source {rows[0]['flower_source']}.", "",
             "| fold | GB/s of input, median (min-max) | Hansa's ratio to it, median (min-max) |", "|---|---|---|"]
    for side in SIDES:
        speed = summary([r[side]["gbytes_per_s"] for r in rows])
        ratio = "" if side == "hansa" else cell(summary([r["ratio_" + side] for r in rows]), 2)
        lines.append(f"| {LABELS[side]} | {cell(speed)} | {ratio} |")
    text = "\n".join(lines)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"command": " ".join(sys.argv), "rows": rows}, f, indent=1)
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(text + "\n")
    print(text)
    print(f"\nraw results: {os.path.join(out, 'results.json')}", file=sys.stderr)


if __name__ == "__main__":
    main()
