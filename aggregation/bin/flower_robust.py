#!/usr/bin/env python3
"""Times one of Flower's robust aggregation functions (flwr/server/strategy/aggregate.py, read from a checkout by
flower_aggregate.py) on the updates aggregation/bin/robust-bench writes, for the side-by-side comparison with
Hansa's rule of the same name:

    krum          aggregate_krum(results, num_malicious=f, to_keep=0)
    multi-krum    aggregate_krum(results, num_malicious=f, to_keep=n - f)
    median        aggregate_median(results)
    trimmed-mean  aggregate_trimmed_avg(results, proportiontocut=(f + 1/2) / n)   (trims floor(p n) = f per side)
    bulyan        aggregate_bulyan(results, num_malicious=f, aggregation_rule=aggregate_krum, to_keep=0)

`results` holds each update as Flower's strategies pass it: one float32 layer and num_examples, here 1 for every
update (so Multi-Krum's mean, weighted by num_examples in Flower, is the plain mean Hansa computes; the weighting
costs the same either way). aggregate_bulyan removes the updates it selects from the list it is given, so every run
gets a fresh list (of the same arrays), made outside the timed region.

Prints one JSON line: the seconds of each timed run, the sum of the output's absolute values, numpy's version and
the Flower source file it ran.
"""
import argparse
import json
import time

import numpy as np

import flower_aggregate

RULES = ["krum", "multi-krum", "median", "trimmed-mean", "bulyan"]


def call(fl, rule, results, f):
    n = len(results)
    if rule == "krum":
        return fl["aggregate_krum"](results, f, 0)
    if rule == "multi-krum":
        return fl["aggregate_krum"](results, f, n - f)
    if rule == "median":
        return fl["aggregate_median"](results)
    if rule == "trimmed-mean":
        # f / n itself can land a hair below f when multiplied back by n, and floor to f - 1.
        return fl["aggregate_trimmed_avg"](results, (f + 0.5) / n)
    return fl["aggregate_bulyan"](results, f, fl["aggregate_krum"], to_keep=0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--flower", required=True, help="root of a Flower checkout (github.com/adap/flower)")
    ap.add_argument("--rule", required=True, choices=RULES)
    ap.add_argument("--f", type=int, required=True)
    ap.add_argument("--updates", required=True, help="little-endian float32 updates, one after another")
    ap.add_argument("--count", type=int, required=True, help="updates in the file")
    ap.add_argument("--size", type=int, required=True, help="floats per update")
    ap.add_argument("--warmup", type=int, default=0)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()

    fl, source = flower_aggregate.load(args.flower)
    updates = np.fromfile(args.updates, dtype="<f4").reshape(args.count, args.size)
    seconds, checksum = [], 0.0
    for run in range(args.warmup + args.runs):
        results = [([updates[i]], 1) for i in range(args.count)]
        start = time.perf_counter()
        out = call(fl, args.rule, results, args.f)
        elapsed = time.perf_counter() - start
        if run >= args.warmup:
            seconds.append(elapsed)
        checksum = float(np.sum(np.abs(np.concatenate([np.ravel(layer) for layer in out])), dtype=np.float64))
    print(json.dumps({"seconds": seconds, "checksum": checksum, "numpy": np.__version__, "source": source}))


if __name__ == "__main__":
    main()
