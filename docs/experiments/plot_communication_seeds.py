#!/usr/bin/python3
"""Accuracy against uploaded bytes over several seeds and partitions, for docs/communication.md.

    plot_communication_seeds.py [--runs=REGEX] IMAGE SUMMARY LABEL=DIR[,DIR...] [LABEL=DIR[,DIR...] ...]

Each LABEL (a partition, e.g. "Dirichlet 0.5") names the result directories of its seeds, each holding the
<run>.csv files that `hansa simulate --csv` writes (docs/experiments/communication.sh); a seed's runs may come from
several directories joined by "+" (DIR+DIR: communication.sh's and lgreco.sh's of one seed). --runs keeps only the
runs whose name the regular expression matches (dense always). Per run and label: uploaded
bytes summed over rounds (the `bytes_up` column), the final accuracy (mean of the last 5 evaluations, as
plot_communication.py) and its gap to dense FedAvg of the same seed, reported as the mean over seeds with the
minimum and maximum. A run missing from one seed is left out of that label. IMAGE gets one panel per label: the
final accuracy of each run against its uploaded bytes (log axis), the bar spanning the seeds. Needs matplotlib.
"""
import csv
import glob
import math
import os
import re
import statistics
import sys

FINAL_WINDOW = 5


def read(path):
    """(uploaded bytes, final accuracy, rounds) of one run, or None if it has no evaluation."""
    uploaded, accuracies, rounds = 0, [], 0
    with open(path) as f:
        for r in csv.DictReader(f):
            uploaded += int(r["bytes_up"])
            rounds = int(r["round"])
            if r["test_accuracy"]:
                accuracies.append(float(r["test_accuracy"]))
    return (uploaded, statistics.mean(accuracies[-FINAL_WINDOW:]), rounds) if accuracies else None


def seed_runs(directories, keep):
    """The runs of one seed, from each of its "+"-joined directories."""
    runs = {}
    for directory in directories.split("+"):
        for p in glob.glob(os.path.join(directory, "*.csv")):
            name = os.path.basename(p)[:-4]
            if name == "dense" or keep.search(name):
                runs[name] = read(p)
    return {k: v for k, v in runs.items() if v}


def spread(values, scale=1.0, fmt="{:.2f}"):
    values = [scale * v for v in values]
    middle = fmt.format(statistics.mean(values))
    return middle if len(values) == 1 else "{} ({}…{})".format(middle, fmt.format(min(values)), fmt.format(max(values)))


def summarise(directories, keep):
    """Per run present in every seed with dense: bytes, accuracies and gaps to dense, one entry per seed."""
    seeds = [seed_runs(d, keep) for d in directories]
    common = set.intersection(*(set(s) for s in seeds))
    if "dense" not in common:
        raise SystemExit("no dense run in every one of " + ", ".join(directories))
    rows = {"rounds": max(s["dense"][2] for s in seeds)}
    for name in common:
        rows[name] = {
            "bytes": statistics.mean(s[name][0] for s in seeds),
            "accuracy": [s[name][1] for s in seeds],
            "gap": [s[name][1] - s["dense"][1] for s in seeds],
        }
    return rows


def main(image, summary, specs, keep):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    labels = []
    for spec in specs:
        label, dirs = spec.split("=", 1)
        labels.append((label, dirs.split(",")))
    fig, axes = plt.subplots(1, len(labels), figsize=(6.5 * len(labels), 5.5), squeeze=False)
    lines, rounds, lowest, highest = [], set(), 1.0, 0.0
    for (label, dirs), ax in zip(labels, axes[0]):
        rows = summarise(dirs, keep)
        rounds.add(rows.pop("rounds"))
        dense_bytes = rows["dense"]["bytes"]
        lines += ["", "**{}**, {} seed(s):".format(label, len(dirs)), "",
                  "| run | uploaded MB | dense / run (bytes) | final acc. (%) | vs dense (points) |",
                  "|---|---|---|---|---|"]
        order = sorted(rows, key=lambda n: (-rows[n]["bytes"], n))
        colours = {n: plt.get_cmap("tab20")(i % 20) for i, n in enumerate(sorted(rows))}
        for name in order:
            r = rows[name]
            lines.append("| {} | {:.1f} | {:.1f} | {} | {} |".format(
                name, r["bytes"] / 1e6, dense_bytes / r["bytes"], spread(r["accuracy"], 100),
                spread(r["gap"], 100, "{:+.2f}")))
            mean = statistics.mean(r["accuracy"])
            lowest, highest = min(lowest, min(r["accuracy"])), max(highest, max(r["accuracy"]))
            ax.errorbar([r["bytes"] / 1e6], [mean],
                        yerr=[[mean - min(r["accuracy"])], [max(r["accuracy"]) - mean]],
                        fmt="o" if "-ef" in name or "-decayed" in name or name == "dense" else "s",
                        color=colours[name], label=name, capsize=3, markersize=5)
        ax.set_xscale("log")
        ax.set_xlabel("uploaded MB, all clients (log)")
        ax.set_ylabel("final test accuracy (mean of seeds, bar: min to max)")
        ax.set_title("{}, {} seed(s)".format(label, len(dirs)), fontsize=10)
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=7, loc="lower right", ncol=2)
    # One accuracy range for every panel, in steps of 0.05 around what the runs reached.
    for ax in axes[0]:
        ax.set_ylim(max(0.0, math.floor((lowest - 0.02) * 20) / 20), min(1.0, math.ceil((highest + 0.02) * 20) / 20))
    fig.suptitle("FedAvg, Fashion-MNIST, 100 clients (10 per round), MLP, {} rounds:\ncircles with error feedback "
                 "(dense: none), squares without".format("/".join(str(r) for r in sorted(rounds))), fontsize=10)
    fig.tight_layout()
    os.makedirs(os.path.dirname(image) or ".", exist_ok=True)
    fig.savefig(image, dpi=110)
    with open(summary, "w") as f:
        f.write("\n".join(lines[1:]) + "\n")
    print("\n".join(lines[1:]))


if __name__ == "__main__":
    args = sys.argv[1:]
    runs = "."
    if args and args[0].startswith("--runs="):
        runs = args.pop(0)[len("--runs="):]
    if len(args) < 3:
        raise SystemExit(__doc__)
    main(args[0], args[1], args[2:], re.compile(runs))
