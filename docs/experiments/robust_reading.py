#!/usr/bin/python3
"""The figures docs/robustness.md's reading of the robust grid cites, from the same files robust_plot.py reads.

    robust_reading.py RESULTS CURVES

Cells and worst cases are robust_plot.py's (ByzFL's procedure: c chosen on validation, the worst case over the
attacks of the seeds' mean). On top of them it prints, over the cells every rule finished:
- per heterogeneity and f, the range of the rules' worst cases, and per rule the loss from the smallest f to the
  largest;
- per cell, the spread between the rules, the best and the lowest rule (ties within 0.0005 count for each);
- per heterogeneity, how often each attack is the strongest;
- the seeds' spread: per (rule, cell), each seed's own worst case (the smallest over the attacks of that seed's best
  test accuracy), its sample standard deviation over the seeds, and per rule against the mean how many cells it
  beats, trails or equals on every seed.
"""
import os
import statistics
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from robust_plot import ATTACK_LABEL, HET_LABEL, HETEROGENEITY, cells, read, shared_cells  # noqa: E402

TIE = 0.0005


def per_seed_worst(runs, cell, row):
    """{seed: smallest best test accuracy over the attacks} at the chosen c, over the seeds every attack finished."""
    agg, f, het = cell
    points = {a: runs[(agg, f, het, a, row["clip"])] for a in row["per_attack"]}
    seeds = set.intersection(*(set.intersection(*(set(s) for s in p.values())) for p in points.values()))
    return {s: min(max(v[s][1] for v in p.values()) for p in points.values()) for s in seeds}


def by_f_and_heterogeneity(table, aggs, shared):
    print("## Worst case by f and heterogeneity: lowest-highest over the rules")
    fs = sorted({c[0] for c in shared})
    hets = [h for h in HETEROGENEITY if any(c[1] == h for c in shared)]
    print("| f | " + " | ".join(HET_LABEL[h] for h in hets) + " |")
    for f in fs:
        row = []
        for h in hets:
            values = [table[(a, f, h)]["worst"] for a in aggs if (a, f, h) in table]
            row.append("%.3f-%.3f" % (min(values), max(values)) if values else "-")
        print("| %d | %s |" % (f, " | ".join(row)))
    print("\nLoss in points from f = %d to f = %d:" % (fs[0], fs[-1]))
    print("| rule | " + " | ".join(HET_LABEL[h] for h in hets) + " |")
    for a in aggs:
        print("| %s | %s |" % (a, " | ".join(
            "%.1f" % (100 * (table[(a, fs[0], h)]["worst"] - table[(a, fs[-1], h)]["worst"])) for h in hets)))


def rules_per_cell(table, aggs, shared):
    print("\n## Per cell: spread between the rules, best and lowest")
    lowest, best = Counter(), Counter()
    for f, h in shared:
        worst = {a: table[(a, f, h)]["worst"] for a in aggs}
        top, bottom = max(worst.values()), min(worst.values())
        tops = [a for a in aggs if worst[a] >= top - TIE]
        bottoms = [a for a in aggs if worst[a] <= bottom + TIE]
        best.update(tops)
        lowest.update(bottoms)
        print("f = %d, %-7s spread %4.1f points; best %.3f %s; lowest %.3f %s; mean %.3f" % (
            f, HET_LABEL[h] + ":", 100 * (top - bottom), top, "/".join(tops), bottom, "/".join(bottoms),
            worst["mean"]))
    print("\nCells where the rule is the best / the lowest (ties count for each):")
    for a in aggs:
        print("  %-18s best %2d  lowest %2d" % (a, best[a], lowest[a]))


def strongest_attacks(table, aggs, shared):
    print("\n## The strongest attack, per heterogeneity, over the (rule, cell) pairs")
    for h in [h for h in HETEROGENEITY if any(c[1] == h for c in shared)]:
        count = Counter(table[(a, f, h)]["attack"] for a in aggs for f, hh in shared if hh == h)
        print("  %-8s %s" % (HET_LABEL[h], ", ".join(
            "%s %d" % (ATTACK_LABEL.get(t, t), count[t]) for t in ATTACK_LABEL if count[t])))


def seed_spread(runs, table, aggs, shared):
    print("\n## The seeds' spread")
    seeds_worst = {(a,) + c: per_seed_worst(runs, (a,) + c, table[(a,) + c]) for a in aggs for c in shared}
    spread = [statistics.stdev(w.values()) for w in seeds_worst.values() if len(w) > 1]
    counts = Counter(len(w) for w in seeds_worst.values())
    print("(rule, cell) pairs by number of seeds: %s" % dict(sorted(counts.items())))
    if spread:
        print("sample std of a pair's per-seed worst case, in points: median %.1f, quartiles %.1f-%.1f, max %.1f" % (
            100 * statistics.median(spread), *(100 * q for q in statistics.quantiles(spread, n=4)[::2]),
            100 * max(spread)))
    print("Against the mean, per rule: cells better on every seed / worse on every seed / equal on every seed / "
          "mixed, and the mean difference of the worst case (points):")
    for a in [a for a in aggs if a != "mean"]:
        ahead = behind = equal = mixed = 0
        diffs = []
        for c in shared:
            mine, theirs = seeds_worst[(a,) + c], seeds_worst[("mean",) + c]
            d = [mine[s] - theirs[s] for s in mine.keys() & theirs.keys()]
            diffs.append(table[(a,) + c]["worst"] - table[("mean",) + c]["worst"])
            if d and all(x > TIE for x in d):
                ahead += 1
            elif d and all(x < -TIE for x in d):
                behind += 1
            elif d and all(abs(x) <= TIE for x in d):
                equal += 1
            else:
                mixed += 1
        print("  %-18s %2d / %2d / %2d / %2d   %+.1f" % (
            a, ahead, behind, equal, mixed, 100 * sum(diffs) / len(diffs)))


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    runs = read(argv[1], argv[2])
    table, _ = cells(runs)
    aggs, shared = shared_cells(table)
    if not shared:
        sys.exit("no cell has every rule finished")
    print("%d cells (f, heterogeneity) with every rule finished; %d rules\n" % (len(shared), len(aggs)))
    by_f_and_heterogeneity(table, aggs, shared)
    rules_per_cell(table, aggs, shared)
    strongest_attacks(table, aggs, shared)
    seed_spread(runs, table, aggs, shared)


if __name__ == "__main__":
    main(sys.argv)
