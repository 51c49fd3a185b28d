#!/usr/bin/python3
"""The DiLoCo family against FedAvg at equal uploaded bytes, for docs/communication.md.

    plot_diloco.py RESULTS IMAGE   RESULTS/<run>-seed<s>.csv -> IMAGE (png) and RESULTS/summary.md

Uploaded bytes are the `bytes_up` column (every participant's encoded update as its codec counts it) summed over the
rounds; accuracy is the global model's on the 10,000 Fashion-MNIST test images at the rounds the run evaluated.
Curves and table average the seeds. "Final" is the mean of the last 5 evaluations; "at B MB" is the accuracy of
the last evaluation whose cumulative upload is at most B (the equal-bytes comparison). Needs matplotlib.
"""
import collections
import csv
import glob
import os
import re
import statistics
import sys

FINAL_WINDOW = 5
BUDGETS_MB = (5, 20, 80, 320)


def read(path):
    rows, uploaded = [], 0
    with open(path) as f:
        for r in csv.DictReader(f):
            uploaded += int(r["bytes_up"])
            if r["test_accuracy"]:
                rows.append((int(r["round"]), uploaded, float(r["test_accuracy"])))
    return rows


def mean_curve(seeds):
    """Per evaluated round: (round, mean cumulative bytes, mean accuracy, min, max) over the seeds."""
    by_round = collections.defaultdict(list)
    for rows in seeds:
        for rnd, uploaded, acc in rows:
            by_round[rnd].append((uploaded, acc))
    curve = []
    for rnd in sorted(by_round):
        points = by_round[rnd]
        if len(points) == len(seeds):
            accs = [a for _, a in points]
            curve.append((rnd, statistics.mean(b for b, _ in points), statistics.mean(accs), min(accs), max(accs)))
    return curve


def at_budget(curve, megabytes):
    within = [acc for _, uploaded, acc, _, _ in curve if uploaded <= megabytes * 1e6]
    return "{:.2f}".format(100 * within[-1]) if within else "—"


def main(results, image):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    runs = collections.defaultdict(list)
    for path in sorted(glob.glob(os.path.join(results, "*-seed*.csv"))):
        match = re.fullmatch(r"(.+)-seed(\d+)\.csv", os.path.basename(path))
        rows = read(path)
        if match and rows:
            runs[match.group(1)].append(rows)
    curves = {name: mean_curve(seeds) for name, seeds in runs.items()}
    seeds = {name: len(s) for name, s in runs.items()}
    fedavg = curves.get("fedavg")
    header = ["run", "seeds", "uploaded MB", "FedAvg / run (bytes)", "final acc. (%)", "per seed",
              "vs FedAvg (points)"] + ["at {} MB".format(b) for b in BUDGETS_MB]
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    fig, (by_bytes, by_round) = plt.subplots(1, 2, figsize=(13, 5.2))
    # A run with L-GreCo takes its base run's colour (and a dotted line).
    bases = sorted({name.replace("-lgreco", "") for name in curves})
    colours = {name: plt.get_cmap("tab10")(bases.index(name.replace("-lgreco", "")) % 10) for name in curves}
    fedavg_final = statistics.mean(c[2] for c in fedavg[-FINAL_WINDOW:]) if fedavg else None
    for name, curve in sorted(curves.items(), key=lambda kv: -kv[1][-1][1]):
        final = statistics.mean(c[2] for c in curve[-FINAL_WINDOW:])
        per_seed = ", ".join("{:.2f}".format(100 * statistics.mean(a for _, _, a in rows[-FINAL_WINDOW:]))
                             for rows in runs[name])
        total = curve[-1][1]
        ratio = "{:.1f}".format(fedavg[-1][1] / total) if fedavg else "—"
        gap = "{:+.2f}".format(100 * (final - fedavg_final)) if fedavg else "—"
        table.append("| " + " | ".join([name, str(seeds[name]), "{:.1f}".format(total / 1e6), ratio,
                                        "{:.2f}".format(100 * final), per_seed, gap]
                                       + [at_budget(curve, b) for b in BUDGETS_MB]) + " |")
        style = ":" if "lgreco" in name else "--" if "sgd" in name or name == "fedavg" else "-"
        for ax, x in ((by_bytes, [c[1] / 1e6 for c in curve]), (by_round, [c[0] for c in curve])):
            ax.plot(x, [c[2] for c in curve], style, color=colours[name], label=name, linewidth=1.4)
            ax.fill_between(x, [c[3] for c in curve], [c[4] for c in curve], color=colours[name], alpha=0.12)
    by_bytes.set_xscale("log")
    by_bytes.set_xlabel("uploaded MB, all clients (log)")
    by_round.set_xlabel("round")
    for ax in (by_bytes, by_round):
        ax.set_ylabel("test accuracy")
        ax.set_ylim(0.4, 0.9)
        ax.grid(alpha=0.3, which="both")
    by_round.legend(loc="lower right", fontsize=8)
    fig.suptitle("DiLoCo family vs FedAvg: Fashion-MNIST, 100 clients (10 per round), Dirichlet 0.5, MLP, 20 local "
                 "steps per round, mean of {} seeds (band: min to max)\nsolid: AdamW inner optimiser, dashed: SGD, "
                 "dotted: SparseLoCo with L-GreCo"
                 .format(max(seeds.values())), fontsize=9)
    fig.tight_layout()
    os.makedirs(os.path.dirname(image) or ".", exist_ok=True)
    fig.savefig(image, dpi=110)
    with open(os.path.join(results, "summary.md"), "w") as f:
        f.write("\n".join(table) + "\n")
    print("\n".join(table))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
