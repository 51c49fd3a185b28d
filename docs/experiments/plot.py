#!/usr/bin/python3
"""Plots and tables of docs/experiments.md from the CSVs `hansa simulate --csv` writes.

    plot.py RESULTS IMAGES   grid: RESULTS/dir<alpha>/<method>-seed<k>.csv -> IMAGES/*.png and RESULTS/summary.md
    plot.py --tune RESULTS   sweep: RESULTS/tune/dir<alpha>/<method>-<setting>.csv -> RESULTS/tune/summary.md
    plot.py --runs DIR IMAGES  any runs: DIR/<subdir>/*.csv -> DIR/summary.md and IMAGES/<DIR name>-<subdir>.png

Accuracy is the global model's on the 10,000 Fashion-MNIST test images, in rounds where the run evaluated it. Bytes
are the safetensors payloads of both directions (every participant's model download, broadcast download and upload),
summed over rounds.

The plots need matplotlib (Debian: apt-get install python3-matplotlib, for /usr/bin/python3); --tune writes only a
table and needs nothing beyond Python.
"""
import csv
import glob
import math
import os
import re
import statistics
import sys


METHODS = ["fedavg", "fedprox", "fedadam", "fedspeed", "fedamd"]
LABELS = {"fedavg": "FedAvg", "fedprox": "FedProx", "fedadam": "FedAdam", "fedspeed": "FedSpeed", "fedamd": "FedAMD"}
COLORS = {"fedavg": "#1f77b4", "fedprox": "#ff7f0e", "fedadam": "#2ca02c", "fedspeed": "#d62728", "fedamd": "#9467bd"}
# Rounds-to-target thresholds per Dirichlet alpha: about 3 points under FedAvg's best, so the first crossing measures
# speed rather than one lucky evaluation.
TARGETS = {"0.1": 0.75, "0.5": 0.83}
# "Final" accuracy averages the last evaluations, so one noisy round does not decide it.
FINAL_WINDOW = 5


def pyplot():
    """matplotlib's pyplot, drawing to files; --tune writes only a table and runs without it."""
    try:
        import matplotlib
    except ImportError:
        sys.exit("plot.py needs matplotlib for the plots: apt-get install python3-matplotlib (Debian's, for "
                 "/usr/bin/python3)")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


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


def figure(plt, curves, kind, xlabel, target, title, path):
    """Mean curves with min-max bands: the whole run on the left, on the right a zoom on the second half of the
    run and on the methods within 10 points of the best, where they are otherwise hard to tell apart."""
    fig, (full, zoom) = plt.subplots(1, 2, figsize=(12, 4.6), gridspec_kw={"width_ratios": [1.15, 1]})
    for c in curves.values():
        for ax in (full, zoom):
            ax.plot(c[kind], c["mean"], color=c["color"], label=c["label"], linewidth=1.3)
            ax.fill_between(c[kind], c["lo"], c["hi"], color=c["color"], alpha=0.16, linewidth=0)
    top = max(c["mean"][-1] for c in curves.values())
    close = [c for c in curves.values() if c["mean"][-1] >= top - 0.10]
    window = [[i for i, x in enumerate(c[kind]) if x >= 0.4 * c[kind][-1]] for c in close]
    low = min(min(c["mean"][i] for i in w) for c, w in zip(close, window))
    high = max(max(c["hi"][i] for i in w) for c, w in zip(close, window))
    zoom.set_xlim(0.4 * min(c[kind][-1] for c in close), max(c[kind][-1] for c in close) * 1.01)
    zoom.set_ylim(low - 0.01, high + 0.005)
    full.set_ylim(bottom=0)
    full.set_title(title, fontsize=9)
    zoom.set_title("zoom: second half, methods within 10 points of the best", fontsize=9)
    for ax in (full, zoom):
        ax.set_xlabel(xlabel)
        ax.set_ylabel("test accuracy")
        if target:
            ax.axhline(target, color="grey", linestyle=":", linewidth=0.8)
        ax.grid(alpha=0.3)
    full.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print("wrote", path, file=sys.stderr)


def grid(results, images):
    plt = pyplot()
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
        curves = {}
        for m, seeds in runs.items():
            n = min(len(evaluated(s)) for s in seeds)
            accs = [[r["acc"] for r in evaluated(s)[:n]] for s in seeds]
            curves[m] = {
                "rounds": [r["round"] for r in evaluated(seeds[0])[:n]],
                "bytes": [statistics.mean(evaluated(s)[i]["cum_bytes"] for s in seeds) / 1e6 for i in range(n)],
                "mean": [statistics.mean(a[i] for a in accs) for i in range(n)],
                "lo": [min(a[i] for a in accs) for i in range(n)],
                "hi": [max(a[i] for a in accs) for i in range(n)],
                "label": "{} ({} seeds)".format(LABELS[m], len(seeds)),
                "color": COLORS[m],
            }
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
        for kind, xlabel in (("rounds", "round"), ("bytes", "MB communicated (upload + download, all clients)")):
            path = os.path.join(images, "fmnist-dir{}-{}.png".format(alpha, kind))
            figure(plt, curves, kind, xlabel, target,
                   "Fashion-MNIST, 100 clients (10 per round), Dirichlet({}), MLP 784-200-10".format(alpha), path)
    note = ("Final accuracy: mean of the last {} evaluations of each run; best: highest evaluation. Rounds and MB to\n"
            "target: first evaluated round at or above the target ({}), per seed. ± is the\n"
            "standard deviation over seeds.".format(
                FINAL_WINDOW, ", ".join("Dir({}): {:.0f}%".format(a, 100 * t) for a, t in TARGETS.items())))
    text = "\n".join(out) + "\n\n" + note + "\n"
    with open(os.path.join(results, "summary.md"), "w") as f:
        f.write(text)
    print(text)


def tune(results):
    """One row per method and setting, the final accuracy on each partition and their mean; the pick (highest mean
    per method) in bold."""
    finals = {}  # (method, setting) -> {alpha: final}
    alphas = []
    for alpha_dir in sorted(glob.glob(os.path.join(results, "tune", "dir*"))):
        alpha = os.path.basename(alpha_dir)[3:]
        alphas.append(alpha)
        for m in METHODS:
            for path in glob.glob(os.path.join(alpha_dir, m + "-*.csv")):
                rows = read(path)
                if evaluated(rows):
                    setting = os.path.basename(path)[len(m) + 1:-4].replace("_", " ").replace("-", " = ")
                    finals.setdefault((m, setting), {})[alpha] = final_accuracy(rows)
    out = ["| method | setting | " + " | ".join("Dir({})".format(a) for a in alphas) + " | mean |",
           "|---|---|" + "---|" * (len(alphas) + 1)]
    for m in METHODS:
        rows = [(setting, by_alpha) for (method, setting), by_alpha in finals.items()
                if method == m and len(by_alpha) == len(alphas)]
        rows.sort(key=lambda r: [float(x) for x in re.findall(r"\d+\.?\d*", r[0])])
        if not rows:
            continue
        best = max(rows, key=lambda r: statistics.mean(r[1].values()))[0]
        for setting, by_alpha in rows:
            cells = ["{:.2f}".format(100 * by_alpha[a]) for a in alphas]
            cells.append("{:.2f}".format(100 * statistics.mean(by_alpha.values())))
            if setting == best:
                cells = ["**{}**".format(c) for c in cells]
            out.append("| {} | {} | {} |".format(LABELS[m], setting, " | ".join(cells)))
    text = "\n".join(out) + "\n\nFinal accuracy (mean of the evaluations at rounds 80 to 100) on seed 101; bold: the pick.\n"
    with open(os.path.join(results, "tune", "summary.md"), "w") as f:
        f.write(text)
    print(text)


# Titles of the FedAMD diagnostic groups (fmnist.sh fedamd), by subdirectory prefix.
TITLES = {
    "official": "FedAMD's official regime: 20 clients, 10 per round, K=10, B=64, lr 0.01, Dirichlet({})",
    "full": "Full participation: 10 clients, all per round, anchors every other round, Dirichlet({})",
    "dir": "This page's regime (100 clients, 10 per round, K=20, B=32), seed 101, Dirichlet({})",
    "e5": "FedAvg, 100 clients, 10 per round, 5 local epochs of batch 32, lr 0.05, Dirichlet({})",
}


def runs(directory, images):
    plt = pyplot()
    os.makedirs(images, exist_ok=True)
    out = ["| run | final acc. | best acc. | accuracy at rounds 25 / 50 / 75 / 100 |", "|---|---|---|---|"]
    for sub in sorted(d for d in glob.glob(os.path.join(directory, "*")) if os.path.isdir(d)):
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for path in sorted(glob.glob(os.path.join(sub, "*.csv"))):
            rows = read(path)
            ev = evaluated(rows)
            if not ev:
                continue
            name = os.path.relpath(path, directory)[:-4]
            at = {r["round"]: r["acc"] for r in ev}
            out.append("| {} | {:.2f} | {:.2f} | {} |".format(name, 100 * final_accuracy(rows),
                                                             100 * max(r["acc"] for r in ev),
                                                             " / ".join("{:.1f}".format(100 * at[k]) if k in at else "—"
                                                                        for k in (25, 50, 75, 100))))
            ax.plot([r["round"] for r in ev], [r["acc"] for r in ev], label=os.path.basename(name), linewidth=1.3)
        ax.set_xlabel("round")
        ax.set_ylabel("test accuracy")
        kind, alpha = re.match(r"(.*?)-?dir(.*)", os.path.basename(sub)).groups()
        ax.set_title(TITLES[kind or "dir"].format(alpha), fontsize=9)
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right", fontsize=8)
        fig.tight_layout()
        path = os.path.join(images, "{}-{}.png".format(os.path.basename(directory.rstrip("/")), os.path.basename(sub)))
        fig.savefig(path, dpi=110)
        print("wrote", path, file=sys.stderr)
        plt.close(fig)
    text = "\n".join(out) + "\n"
    with open(os.path.join(directory, "summary.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--tune":
        tune(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "--runs":
        runs(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3:
        grid(sys.argv[1], sys.argv[2])
    else:
        sys.exit(__doc__)
