#!/usr/bin/env python3
"""Writes the test vectors behind FlowerEqualityTest: Flower's robust aggregation functions (aggregate_median,
aggregate_trimmed_avg, aggregate_krum with and without to_keep, aggregate_bulyan over aggregate_krum), run from a
Flower checkout's aggregate.py with numpy, on a fixed input of 15 updates of 50 values in two layers, three of them
outliers. Values are float32 numbers handed to Flower as float64 arrays, so Flower computes in double and Hansa's
float rows hold the same numbers.

    aggregation/bin/flower_robust_vectors.py --flower /tmp/flower \\
        --out aggregation/src/test/resources/robust/flower-vectors.json

Each case names the Flower call, the first `rows` updates it ran on, the Hansa rule and parameters configured to the
same setting, and Flower's output flattened across layers.
"""
import argparse
import json

import numpy as np

import flower_aggregate

LAYERS = [(5, 6), (20,)]
N = 15
SEED = 20260515
OUTLIERS = {4: "shifted by +6", 9: "scaled by -4", 13: "noise of standard deviation 8"}


def make_input():
    rng = np.random.default_rng(SEED)
    d = sum(int(np.prod(shape)) for shape in LAYERS)
    rows = (0.3 + rng.standard_normal((N, d))).astype(np.float32)
    rows[4] += np.float32(6)
    rows[9] *= np.float32(-4)
    rows[13] = (8 * rng.standard_normal(d)).astype(np.float32)
    num_examples = [int(v) for v in rng.integers(10, 500, N)]
    return rows, num_examples


def as_results(rows, num_examples):
    """Flower's `results`: per update, its layers (float64 copies of the float32 values) and num_examples."""
    out = []
    for row, count in zip(rows, num_examples):
        layers, at = [], 0
        for shape in LAYERS:
            size = int(np.prod(shape))
            layers.append(row[at:at + size].astype(np.float64).reshape(shape))
            at += size
        out.append((layers, count))
    return out


def flat(layers):
    return [float(v) for v in np.concatenate([np.asarray(layer, dtype=np.float64).ravel() for layer in layers])]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--flower", required=True, help="root of a Flower checkout (github.com/adap/flower)")
    ap.add_argument("--out", required=True, help="the JSON file to write")
    args = ap.parse_args()
    fl, source = flower_aggregate.load(args.flower)
    rows, num_examples = make_input()
    weighted = as_results(rows, num_examples)
    equal = as_results(rows, [100] * N)

    cases = []

    def case(name, call, count, hansa, output, equal_examples=False):
        cases.append({"name": name, "flower": call, "rows": count, "equal_num_examples": equal_examples,
                      "hansa": hansa, "output": flat(output)})

    case("median of 15", "aggregate_median(results)", 15, {"aggregator": "median", "f": 0},
         fl["aggregate_median"](weighted))
    case("median of 14 (even)", "aggregate_median(results[:14])", 14, {"aggregator": "median", "f": 0},
         fl["aggregate_median"](weighted[:14]))
    for p in (0.2, 0.1):
        b = int(p * N)
        case(f"trimmed mean, proportion {p}", f"aggregate_trimmed_avg(results, proportiontocut={p})", 15,
             {"aggregator": "trimmed-mean", "f": 0, "aggregatorParams": {"trim": b}},
             fl["aggregate_trimmed_avg"](weighted, p))
    for f in (1, 3):
        case(f"krum, f = {f}", f"aggregate_krum(results, num_malicious={f}, to_keep=0)", 15,
             {"aggregator": "krum", "f": f}, fl["aggregate_krum"](weighted, f, 0))
    for f, m in ((3, 12), (2, 5)):
        case(f"multi-krum, f = {f}, m = {m}", f"aggregate_krum(results, num_malicious={f}, to_keep={m})", 15,
             {"aggregator": "multi-krum", "f": f, "aggregatorParams": {"m": m}}, fl["aggregate_krum"](equal, f, m),
             equal_examples=True)
        case(f"multi-krum, f = {f}, m = {m}, weighted by num_examples",
             f"aggregate_krum(results, num_malicious={f}, to_keep={m})", 15,
             {"aggregator": "multi-krum", "f": f, "aggregatorParams": {"m": m}}, fl["aggregate_krum"](weighted, f, m))
    for f in (3, 2):
        case(f"bulyan, f = {f}", f"aggregate_bulyan(results, num_malicious={f}, "
             "aggregation_rule=aggregate_krum, to_keep=0)", 15, {"aggregator": "bulyan", "f": f},
             fl["aggregate_bulyan"](list(weighted), f, fl["aggregate_krum"], to_keep=0))

    document = {"flower_source": source.split(args.flower.rstrip("/") + "/", 1)[-1],
                "flower_commit": flower_aggregate.commit(args.flower), "numpy": np.__version__, "seed": SEED,
                "layers": [list(s) for s in LAYERS], "outliers": {str(k): v for k, v in OUTLIERS.items()},
                "num_examples": num_examples, "rows": [[float(v) for v in row] for row in rows], "cases": cases}
    with open(args.out, "w") as f:
        f.write(compact(document) + "\n")


def compact(document):
    """JSON with one line per key, per input row and per case, so that a change shows as a readable diff."""
    lines = []
    for key, value in document.items():
        if key in ("rows", "cases"):
            inner = ",\n".join("  " + json.dumps(v) for v in value)
            lines.append(f' "{key}": [\n{inner}\n ]')
        else:
            lines.append(f' "{key}": {json.dumps(value)}')
    return "{\n" + ",\n".join(lines) + "\n}"

if __name__ == "__main__":
    main()
