#!/usr/bin/python3
"""Plots and tables of docs/experiments.md from the CSVs `hansa simulate --csv` writes.

    plot.py RESULTS IMAGES   grid: RESULTS/dir<alpha>/<method>-seed<k>.csv -> IMAGES/*.png and RESULTS/summary.md
    plot.py --tune RESULTS   sweep: RESULTS/tune/dir<alpha>/<method>-<setting>.csv -> RESULTS/tune/summary.md

Accuracy is the global model's on the 10,000 Fashion-MNIST test images, in rounds where the run evaluated it. Bytes
are the safetensors payloads of both directions (every participant's model download, broadcast download and upload),
summed over rounds.
"""
import csv
import glob
import math
import os
import re
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

METHODS = ["fedavg", "fedprox", "fedadam", "fedspeed", "fedamd"]
LABELS = {"fedavg": "FedAvg", "fedprox": "FedProx", "fedadam": "FedAdam", "fedspeed": "FedSpeed", "fedamd": "FedAMD"}
COLORS = {"fedavg": "#1f77b4", "fedprox": "#ff7f0e", "fedadam": "#2ca02c", "fedspeed": "#d62728", "fedamd": "#9467bd"}
# Rounds-to-target thresholds per Dirichlet alpha: reached by every method's mean curve except the failing ones.
TARGETS = {"0.1": 0.70, "0.5": 0.80}
# "Final" accuracy averages the last evaluations, so one noisy round does not decide it.
FINAL_WINDOW = 5


def read(path):
    rows = []
    with open(path) as f:
        for r in csv.DictReader(f):
            rows.append({
                "round": int(r["round"]),
                "acc": float(r["test_accuracy"]) if r["test_accuracy"] else None,
                "bytes": int(r["bytes_up"]) + int(r["bytes_down"]),
                "seconds": float(r["seconds"]),
            })
    total = 0
    for r in rows:
        total += r["bytes"]
        r["cum_bytes"] = total
    return rows


def evaluated(rows):
    return [r for r in rows if r["acc"] is not None]


def final_accuracy(rows):
    ev = evaluated(rows)[-FINAL_WINDOW:]
    return statistics.mean(r["acc"] for r in ev)


def rounds_to(rows, target):
    for r in evaluated(rows):
        if r["acc"] >= target:
            return r["round"], r["cum_bytes"]
    return None, None


def spread(values, fmt):
    if len(values) == 1:
        return fmt.format(values[0])
    return (fmt + " ± " + fmt).format(statistics.mean(values), statistics.stdev(values))


def grid(results, images):
    out = ["| partition | method | final acc. (mean ± std) | best acc. | rounds to target | MB to target | MB per round | s per round |",
           "|---|---|---|---|---|---|---|---|"]
    os.makedirs(images, exist_ok=True)
    for alpha_dir in sorted(glob.glob(os.path.join(results, "dir*"))):
        alpha = os.path.basename(alpha_dir)[3:]
        target = TARGETS.get(alpha)
        runs = {}
        for m in METHODS:
            files = sorted(glob.glob(os.path.join(alpha_dir, m + "-seed*.csv")))
            if files:
                runs[m] = [read(f) for f in files]
        if not runs:
            continue
        fig_r, ax_r = plt.subplots(figsize=(7, 4.5))
        fig_b, ax_b = plt.subplots(figsize=(7, 4.5))
        for m, seeds in runs.items():
            n = min(len(evaluated(s)) for s in seeds)
            rounds = [r["round"] for r in evaluated(seeds[0])[:n]]
            accs = [[r["acc"] for r in evaluated(s)[:n]] for s in seeds]
            mb = [statistics.mean(evaluated(s)[i]["cum_bytes"] for s in seeds) / 1e6 for i in range(n)]
            mean = [statistics.mean(a[i] for a in accs) for i in range(n)]
            lo = [min(a[i] for a in accs) for i in range(n)]
            hi = [max(a[i] for a in accs) for i in range(n)]
            label = "{} ({} seeds)".format(LABELS[m], len(seeds))
            for ax, x in ((ax_r, rounds), (ax_b, mb)):
                ax.plot(x, mean, color=COLORS[m], label=label, linewidth=1.4)
                ax.fill_between(x, lo, hi, color=COLORS[m], alpha=0.18, linewidth=0)
            finals = [final_accuracy(s) for s in seeds]
            bests = [max(r["acc"] for r in evaluated(s)) for s in seeds]
            reached = [rounds_to(s, target) for s in seeds] if target else []
            hit = [r for r in reached if r[0] is not None]
            if target and len(hit) == len(seeds):
                to_rounds = spread([r[0] for r in hit], "{:.0f}")
                to_mb = spread([r[1] / 1e6 for r in hit], "{:.0f}")
            elif target:
                to_rounds = "{}/{} seeds".format(len(hit), len(seeds)) + (
                    " ({})".format(", ".join(str(r[0]) for r in hit)) if hit else "")
                to_mb = "—"
            else:
                to_rounds = to_mb = "—"
            per_round = statistics.mean(r["bytes"] for s in seeds for r in s) / 1e6
            secs = statistics.mean(r["seconds"] for s in seeds for r in s)
            out.append("| Dir({}) | {} | {} | {} | {} | {} | {:.2f} | {:.2f} |".format(
                alpha, LABELS[m], spread([100 * f for f in finals], "{:.2f}"),
                spread([100 * b for b in bests], "{:.2f}"), to_rounds, to_mb, per_round, secs))
        for ax, fig, xlabel, kind in ((ax_r, fig_r, "round", "rounds"),
                                      (ax_b, fig_b, "MB communicated (upload + download, all clients)", "bytes")):
            ax.set_xlabel(xlabel)
            ax.set_ylabel("test accuracy")
            ax.set_title("Fashion-MNIST, 100 clients (10 per round), Dirichlet({}), MLP 784-200-10".format(alpha),
                         fontsize=10)
            if target:
                ax.axhline(target, color="grey", linestyle=":", linewidth=0.8)
            ax.set_ylim(bottom=max(0.0, ax.get_ylim()[0]))
            ax.grid(alpha=0.3)
            ax.legend(loc="lower right", fontsize=8)
            fig.tight_layout()
            path = os.path.join(images, "fmnist-dir{}-{}.png".format(alpha, kind))
            fig.savefig(path, dpi=110)
            plt.close(fig)
            print("wrote", path, file=sys.stderr)
    note = ("Final accuracy: mean of the last {} evaluations of each run; best: highest evaluation. Rounds and MB to "
            "target: first evaluated round at or above the target ({}), per seed. ± is the standard deviation over "
            "seeds.".format(FINAL_WINDOW, ", ".join("Dir({}): {:.0f}%".format(a, 100 * t) for a, t in TARGETS.items())))
    text = "\n".join(out) + "\n\n" + note + "\n"
    with open(os.path.join(results, "summary.md"), "w") as f:
        f.write(text)
    print(text)


def tune(results):
    out = ["| partition | method | setting | final acc. | best acc. |", "|---|---|---|---|---|"]
    for alpha_dir in sorted(glob.glob(os.path.join(results, "tune", "dir*"))):
        alpha = os.path.basename(alpha_dir)[3:]
        for m in METHODS:
            for path in sorted(glob.glob(os.path.join(alpha_dir, m + "-*.csv")),
                               key=lambda p: [float(x) for x in re.findall(r"\d+\.?\d*", os.path.basename(p))]):
                rows = read(path)
                if not evaluated(rows):
                    continue
                setting = os.path.basename(path)[len(m) + 1:-4].replace("_", " ")
                final = final_accuracy(rows)
                out.append("| Dir({}) | {} | {} | {} | {:.2f} |".format(
                    alpha, LABELS[m], setting, "diverged" if math.isnan(final) else "{:.2f}".format(100 * final),
                    100 * max(r["acc"] for r in evaluated(rows))))
    text = "\n".join(out) + "\n"
    with open(os.path.join(results, "tune", "summary.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--tune":
        tune(sys.argv[2])
    elif len(sys.argv) == 3:
        grid(sys.argv[1], sys.argv[2])
    else:
        sys.exit(__doc__)
