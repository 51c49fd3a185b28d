#!/usr/bin/python3
"""Heatmaps, table and curves of docs/robustness.md "Experiments" from what `hansa robust-grid` writes.

    robust_plot.py RESULTS CURVES IMAGES TABLE

RESULTS is the grid's results CSV (one row per finished run), CURVES its curves CSV (validation and test accuracy of
every run at each evaluation). Only runs that have a row in RESULTS count (their curves are complete).

ByzFL's procedure (byzfl/benchmark/evaluate_results.py), with the clipping bound c as the tuned hyperparameter:
- a run's accuracy curve is averaged over the seeds that every attack of its cell has finished at its c (so the
  attacks are compared on the same seeds); "best" is the maximum of that mean curve over the evaluations;
- per cell (aggregator, f, heterogeneity), the c kept is the one whose smallest best *validation* accuracy over the
  attacks is largest (the c that resists the strongest attack best); only values of c with every attack finished
  compete, on the seeds they all have (all of them when the grid is complete; seed 1 alone when the later seeds ran
  at the chosen c only, as robust_chosen.py lists them);
- the cell's number is the smallest best *test* accuracy over the attacks at that c, over all its seeds: the worst
  case.

Writes IMAGES/robust-heatmaps.png (a panel per aggregator: f x heterogeneity), IMAGES/robust-curves-<heterogeneity>.png
(test accuracy against steps under the attack that validation found strongest, per f) and the markdown table TABLE.
Needs matplotlib (Debian: apt-get install python3-matplotlib, for /usr/bin/python3).
"""
import csv
import os
import sys
from collections import defaultdict

AGGREGATORS = ["mean", "median", "trimmed-mean", "geomed", "krum", "multi-krum", "centered-clipping", "meamed",
               "bulyan", "caf", "mda", "smea"]
HETEROGENEITY = ["iid", "dirichlet:1.0", "dirichlet:0.5", "dirichlet:0.1"]
HET_LABEL = {"iid": "IID", "dirichlet:1.0": "Dir 1.0", "dirichlet:0.5": "Dir 0.5", "dirichlet:0.1": "Dir 0.1",
             "gamma:1": "gamma 1", "gamma:0.66": "gamma 0.66", "gamma:0.33": "gamma 0.33", "gamma:0": "gamma 0"}
GAMMA = ["gamma:1", "gamma:0.66", "gamma:0.33", "gamma:0"]
ATTACK_LABEL = {"sign-flipping": "SF", "optimal-ipm": "IPM*", "optimal-alie": "ALIE*"}
COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
          "#17becf", "#000000", "#aec7e8"]


def read(results_path, curves_path):
    """{(aggregator, f, het, attack, clip): {step: [(val, test) per seed]}} for the runs RESULTS lists."""
    with open(results_path, newline="") as fh:
        finished = {tuple(r[k] for k in ("aggregator", "f", "heterogeneity", "attack", "seed", "clip"))
                    for r in csv.DictReader(fh)}
    runs = defaultdict(lambda: defaultdict(dict))
    with open(curves_path, newline="") as fh:
        for r in csv.DictReader(fh):
            key = tuple(r[k] for k in ("aggregator", "f", "heterogeneity", "attack", "seed", "clip"))
            if key in finished:
                # A run restarted after a crash appends its curve again: the last one written wins.
                runs[(r["aggregator"], int(r["f"]), r["heterogeneity"], r["attack"], float(r["clip"]))][
                    int(r["step"])][r["seed"]] = (float(r["val_accuracy"]), float(r["test_accuracy"]))
    return runs


def mean_curve(points, which, only=None):
    """[(step, mean over seeds)] of validation (which=0) or test (which=1) accuracy; over the seeds in `only` if
    given."""
    out = []
    for step, seeds in sorted(points.items()):
        values = [v[which] for s, v in seeds.items() if only is None or s in only]
        out.append((step, sum(values) / len(values)))
    return out


def seeds_of(points):
    """The seeds with a point at every evaluation of a run."""
    return set.intersection(*(set(seeds) for seeds in points.values()))


def cells(runs):
    """{(aggregator, f, het): dict(clip, worst test, strongest attack, seeds, curve)} by ByzFL's procedure."""
    attacks = sorted({k[3] for k in runs})
    grouped = defaultdict(lambda: defaultdict(dict))
    for (agg, f, het, attack, clip), points in runs.items():
        grouped[(agg, f, het)][clip][attack] = points
    out = {}
    for cell, by_clip in grouped.items():
        # Attacks are compared on the same seeds: those every attack has finished at a c.
        common = {clip: set.intersection(*(seeds_of(p) for p in by_attack.values()))
                  for clip, by_attack in by_clip.items() if set(by_attack) == set(attacks)}
        common = {clip: seeds for clip, seeds in common.items() if seeds}
        if not common:
            continue
        # The values of c compete on the seeds they all have (the later seeds may run at the chosen c alone).
        shared = set.intersection(*common.values())
        best = None
        for clip in sorted(common):
            on = shared or common[clip]
            score = min(max(v for _, v in mean_curve(p, 0, on)) for p in by_clip[clip].values())
            if best is None or score > best[1]:
                best = (clip, score)
        clip = best[0]
        by_attack, seeds = by_clip[clip], common[clip]
        val = {a: max(v for _, v in mean_curve(p, 0, seeds)) for a, p in by_attack.items()}
        test = {a: max(v for _, v in mean_curve(p, 1, seeds)) for a, p in by_attack.items()}
        strongest = min(test, key=test.get)
        out[cell] = {"clip": clip, "worst": test[strongest], "attack": strongest, "seeds": len(seeds),
                     "curve": mean_curve(by_attack[min(val, key=val.get)], 1, seeds),
                     "curve_attack": min(val, key=val.get), "per_attack": test, "clips": sorted(common)}
    return out, attacks


def heatmaps(plt, table, images):
    """One panel per aggregator, f (rows) by heterogeneity (columns); grey where the cell is not finished."""
    fs = sorted({1, 2, 3, 4} | {c[1] for c in table})
    aggs = [a for a in AGGREGATORS if any(c[0] == a for c in table)]
    cols = min(4, len(aggs))
    rows = (len(aggs) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.9 * rows), squeeze=False)
    cmap = plt.get_cmap("RdYlGn").copy()
    cmap.set_bad("#dddddd")
    for k, ax in enumerate(axes.flat):
        if k >= len(aggs):
            ax.axis("off")
            continue
        agg = aggs[k]
        grid = [[table.get((agg, f, h), {}).get("worst", float("nan")) for h in HETEROGENEITY] for f in fs]
        ax.imshow(grid, vmin=0.1, vmax=0.9, cmap=cmap, origin="lower", aspect="auto")
        for i, f in enumerate(fs):
            for j, h in enumerate(HETEROGENEITY):
                cell = table.get((agg, f, h))
                ax.text(j, i, "-" if cell is None else "%.2f" % cell["worst"], ha="center", va="center", fontsize=9)
        ax.set_xticks(range(len(HETEROGENEITY)), [HET_LABEL[h] for h in HETEROGENEITY], fontsize=8)
        ax.set_yticks(range(len(fs)), [str(f) for f in fs], fontsize=8)
        ax.set_xlabel("heterogeneity", fontsize=8)
        ax.set_ylabel("f (of 10 + f clients)", fontsize=8)
        ax.set_title(agg, fontsize=10)
    fig.suptitle("Worst-case test accuracy over the attacks, each rule behind clipping + NNM", fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(images, "robust-heatmaps.png"), dpi=100)
    plt.close(fig)


def curves(plt, table, images):
    fs = sorted({c[1] for c in table})
    aggs = [a for a in AGGREGATORS if any(c[0] == a for c in table)]
    for het in [h for h in HETEROGENEITY if any(c[2] == h for c in table)]:
        fs = sorted({c[1] for c in table if c[2] == het})
        fig, axes = plt.subplots(1, len(fs), figsize=(3.2 * len(fs), 3.2), sharey=True, squeeze=False)
        for ax, f in zip(axes[0], fs):
            for k, agg in enumerate(aggs):
                cell = table.get((agg, f, het))
                if cell:
                    steps, acc = zip(*cell["curve"])
                    ax.plot(steps, acc, color=COLORS[AGGREGATORS.index(agg)],
                            label="%s (%s)" % (agg, ATTACK_LABEL.get(cell["curve_attack"], cell["curve_attack"])))
            ax.set_title("%s, f = %d" % (HET_LABEL[het], f), fontsize=9)
            ax.set_xlabel("step")
            ax.set_ylim(0, 0.9)
            ax.grid(alpha=0.3)
            ax.legend(fontsize=6, loc="lower right")
        axes[0][0].set_ylabel("test accuracy under the strongest attack")
        fig.tight_layout()
        fig.savefig(os.path.join(images, "robust-curves-%s.png" % het.replace(":", "")), dpi=110)
        plt.close(fig)


def per_attack(runs):
    """Rows of the best test accuracy (mean over seeds) of every finished (aggregator, f, het, attack, clip)."""
    lines = ["", "Best test accuracy of every finished run (mean over its seeds):", "",
             "| aggregator | f | heterogeneity | c | " + " | ".join(ATTACK_LABEL.values()) + " |",
             "|---|---|---|---|" + "---|" * len(ATTACK_LABEL)]
    keys = sorted({(k[0], k[1], k[2], k[4]) for k in runs},
                  key=lambda k: (AGGREGATORS.index(k[0]) if k[0] in AGGREGATORS else 99, k[1], k[2], k[3]))
    for agg, f, het, clip in keys:
        row = []
        for attack in ATTACK_LABEL:
            points = runs.get((agg, f, het, attack, clip))
            row.append("-" if points is None else "%.3f" % max(v for _, v in mean_curve(points, 1)))
        lines.append("| %s | %d | %s | %g | %s |" % (agg, f, HET_LABEL.get(het, het), clip, " | ".join(row)))
    return lines


def shared_cells(table):
    """The rules in the table, and the cells (f, heterogeneity) every one of them finished, by f then heterogeneity."""
    aggs = [a for a in AGGREGATORS if any(c[0] == a for c in table)]
    shared = sorted({c[1:] for c in table if all((a,) + c[1:] in table for a in aggs)},
                    key=lambda c: (c[0], HETEROGENEITY.index(c[1]) if c[1] in HETEROGENEITY else 99))
    return aggs, shared


def summary(table):
    """Per rule, over the cells every rule finished: the mean worst case, the lowest, and the cells where the rule is
    within half a point of the best rule's worst case."""
    aggs, shared = shared_cells(table)
    if not shared:
        return []
    lines = ["", "Over the %d cells (f, heterogeneity) every rule finished:" % len(shared), "",
             "| aggregator | mean worst case | lowest worst case (cell) | cells within 0.005 of the best rule |",
             "|---|---|---|---|"]
    best = {cell: max(table[(a,) + cell]["worst"] for a in aggs) for cell in shared}
    for agg in aggs:
        worst = {cell: table[(agg,) + cell]["worst"] for cell in shared}
        lowest = min(worst, key=worst.get)
        near = sum(1 for cell in shared if worst[cell] >= best[cell] - 0.005)
        lines.append("| %s | %.3f | %.3f (f = %d, %s) | %d of %d |" % (
            agg, sum(worst.values()) / len(shared), worst[lowest], lowest[0], HET_LABEL[lowest[1]], near,
            len(shared)))
    return lines


def on_shared_seeds(runs, attacks):
    """The runs of every value of c that finished all attacks of its cell, each kept to the seeds that all of them
    have, so that the values of c compare on the same seeds (seed 1 alone when the later seeds ran at the chosen c)."""
    by_cell = defaultdict(lambda: defaultdict(list))
    for key in runs:
        by_cell[key[:3]][key[4]].append(key)
    out = {}
    for by_clip in by_cell.values():
        complete = [key for keys in by_clip.values() if len(keys) == len(attacks) for key in keys]
        seeds = set.intersection(*(seeds_of(runs[key]) for key in complete)) if complete else set()
        for key in complete if seeds else []:
            out[key] = {step: {s: v for s, v in points.items() if s in seeds} for step, points in runs[key].items()}
    return out


def validation(runs, attacks):
    """Per rule, over the cells where more than one c finished, on the seeds they share: how often validation chose
    a larger c than the smallest, and the mean worst case at the chosen c against the smallest c alone."""
    smallest = min(k[4] for k in runs)
    shared = on_shared_seeds(runs, attacks)
    table, _ = cells(shared)
    fixed, _ = cells({k: p for k, p in shared.items() if k[4] == smallest})
    swept = [c for c in table if len(table[c]["clips"]) > 1 and c in fixed]
    if not swept:
        return []
    seeds = sorted({s for points in shared.values() for s in seeds_of(points)}, key=int)
    lines = ["", "Validation's choice over the %d (rule, cell) pairs where more than one c finished, on the seeds "
             "every c of a pair ran (%s):" % (len(swept), ", ".join(seeds)), "",
             "| aggregator | pairs | c > %g chosen | mean worst case, chosen c | mean worst case, c = %g |" % (
                 smallest, smallest), "|---|---|---|---|---|"]
    for agg in [a for a in AGGREGATORS if any(c[0] == a for c in swept)]:
        mine = [c for c in swept if c[0] == agg]
        lines.append("| %s | %d | %d | %.3f | %.3f |" % (
            agg, len(mine), sum(table[c]["clip"] != smallest for c in mine),
            sum(table[c]["worst"] for c in mine) / len(mine), sum(fixed[c]["worst"] for c in mine) / len(mine)))
    change = [table[c]["worst"] - fixed[c]["worst"] for c in swept]
    lines += ["", "Against c = %g alone, %d pairs gain more than 0.0005, %d lose more, %d keep their worst case." % (
        smallest, sum(d > 0.0005 for d in change), sum(d < -0.0005 for d in change),
        sum(abs(d) <= 0.0005 for d in change))]
    return lines


def markdown(table, attacks, path, runs):
    fs = sorted({c[1] for c in table})
    aggs = [a for a in AGGREGATORS if any(c[0] == a for c in table)]
    lines = ["Worst-case test accuracy over %s" % ", ".join(attacks),
             "(the strongest attack, and the c that validation chose, of those run where more than one was, in",
             "brackets); `-`: not finished.", "",
             "| aggregator | f | " + " | ".join(HET_LABEL[h] for h in HETEROGENEITY) + " |",
             "|---|---|" + "---|" * len(HETEROGENEITY)]
    for agg in aggs:
        for f in fs:
            row = []
            for h in HETEROGENEITY:
                cell = table.get((agg, f, h))
                row.append("-" if cell is None else "%.3f (%s, c=%g%s%s)" % (
                    cell["worst"], ATTACK_LABEL.get(cell["attack"], cell["attack"]), cell["clip"],
                    "" if len(cell["clips"]) == 1 else " of " + "/".join("%g" % c for c in cell["clips"]),
                    "" if cell["seeds"] == 1 else ", %d seeds" % cell["seeds"]))
            lines.append("| %s | %d | %s |" % (agg, f, " | ".join(row)))
    lines += summary(table)
    lines += validation(runs, attacks)
    lines += per_attack(runs)
    with open(path, "w") as fh:
        fh.write("\n".join(lines) + "\n")


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__)
    try:
        import matplotlib
    except ImportError:
        sys.exit("robust_plot.py needs matplotlib: apt-get install python3-matplotlib (for /usr/bin/python3)")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    results, curves_path, images, table_path = argv[1:]
    runs = read(results, curves_path)
    table, attacks = cells(runs)
    if any(c[2].startswith("gamma") for c in table):
        # ByzFL's gamma-similarity levels: draw those columns instead.
        HETEROGENEITY[:] = GAMMA
    os.makedirs(images, exist_ok=True)
    heatmaps(plt, table, images)
    curves(plt, table, images)
    markdown(table, attacks, table_path, runs)
    print("%d cells complete; table in %s" % (len(table), table_path))


if __name__ == "__main__":
    main(sys.argv)
