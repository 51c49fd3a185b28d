#!/usr/bin/env python3
"""The same robust-grid runs with two models side by side: for every run of the second results file that the first
has too (same rule, f, heterogeneity, attack, seed and c), the best test accuracy of each, then per (rule, cell) the
worst case over the attacks both finished. Prints a markdown table.

Usage: robust_models.py MLP_RESULTS CNN_RESULTS [NAME_A NAME_B]
"""
import csv
import sys
from collections import defaultdict


def best(path):
    with open(path) as f:
        return {tuple(r[k] for k in ("aggregator", "f", "heterogeneity", "attack", "seed", "clip")):
                float(r["best_test_accuracy"]) for r in csv.DictReader(f)}


def main():
    a, b = best(sys.argv[1]), best(sys.argv[2])
    name_a, name_b = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else ("MLP", "CNN")
    cells = defaultdict(dict)
    for key in sorted(b):
        if key in a:
            cells[key[:3] + key[4:]][key[3]] = (a[key], b[key])
    attacks = sorted({attack for runs in cells.values() for attack in runs})
    print(f"| rule | f | heterogeneity | seed | c | " + " | ".join(f"{t}: {name_a} / {name_b}" for t in attacks)
          + f" | worst case: {name_a} / {name_b} |")
    print("|---" * (6 + len(attacks)) + "|")
    for (rule, f, het, seed, clip), runs in cells.items():
        shown = [f"{runs[t][0]:.3f} / {runs[t][1]:.3f}" if t in runs else "-" for t in attacks]
        worst = (f"{min(v[0] for v in runs.values()):.3f} / {min(v[1] for v in runs.values()):.3f}"
                 if len(runs) == len(attacks) else "-")
        print(f"| {rule} | {f} | {het} | {seed} | {clip} | " + " | ".join(shown) + f" | {worst} |")


if __name__ == "__main__":
    main()
