#!/usr/bin/python3
"""Accuracy against uploaded bytes for docs/communication.md, from the CSVs `hansa simulate --csv` writes.

    plot_communication.py RESULTS IMAGE [TITLE]   RESULTS/<run>.csv -> IMAGE (png) and RESULTS/summary.md

Uploaded bytes are the `bytes_up` column (every participant's encoded update, as the codec's encodedSize counts it)
summed over rounds; accuracy is the global model's on the 10,000 Fashion-MNIST test images where the run evaluated
it. "Final" averages the last 5 evaluations, as docs/experiments/plot.py does. FetchSGD's runs (strategy fetchsgd)
are drawn solid: their error feedback is the server's. TITLE's first line replaces the default's. Needs matplotlib (Debian:
apt-get install python3-matplotlib).
"""
import csv
import glob
import os
import statistics
import sys

FINAL_WINDOW = 5


def read(path):
    rows, uploaded = [], 0
    with open(path) as f:
        for r in csv.DictReader(f):
            uploaded += int(r["bytes_up"])
            if r["test_accuracy"]:
                rows.append((int(r["round"]), uploaded, float(r["test_accuracy"])))
    return rows


def base(name):
    """The codec of a run: its name without the error-feedback suffix."""
    for suffix in ("-ef", "-decayed"):
        if name.endswith(suffix):
            return name[:-len(suffix)]
    return name


TITLE = "FedAvg, Fashion-MNIST, 100 clients (10 per round), Dirichlet 0.5, MLP, 50 rounds, seed 1"


def main(results, image, title=TITLE):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    runs = {os.path.basename(p)[:-4]: read(p) for p in sorted(glob.glob(os.path.join(results, "*.csv")))}
    runs = {k: v for k, v in runs.items() if v}
    dense = runs.get("dense")
    table = ["| run | uploaded MB | dense / run (bytes) | final acc. (%) | vs dense (points) |", "|---|---|---|---|---|"]
    fig, ax = plt.subplots(figsize=(10, 5.5))
    # One colour per codec; solid with classic error feedback (and dense), dashed without, dotted with decayed EF.
    codecs = sorted({base(name) for name in runs})
    colours = {c: plt.get_cmap("tab20" if len(codecs) > 10 else "tab10")(i % 20) for i, c in enumerate(codecs)}
    for name, rows in sorted(runs.items(), key=lambda kv: -kv[1][-1][1]):
        final = statistics.mean(a for _, _, a in rows[-FINAL_WINDOW:])
        total = rows[-1][1]
        ratio = "{:.1f}".format(dense[-1][1] / total) if dense else "—"
        dense_final = statistics.mean(a for _, _, a in dense[-FINAL_WINDOW:]) if dense else None
        gap = "{:+.2f}".format(100 * (final - dense_final)) if dense else "—"
        table.append("| {} | {:.1f} | {} | {:.2f} | {} |".format(name, total / 1e6, ratio, 100 * final, gap))
        solid = name.endswith("-ef") or name == "dense" or name.startswith("fetchsgd")
        style = ":" if name.endswith("-decayed") else "-" if solid else "--"
        ax.plot([b / 1e6 for _, b, _ in rows], [a for _, _, a in rows], style, color=colours[base(name)],
                label=name, linewidth=1.4)
    ax.set_xscale("log")
    ax.set_xlabel("uploaded MB, all clients (log)")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0.3, 0.9)
    ax.set_title(title + "\nsolid: error feedback (dense: none; fetchsgd: the server's), dashed: no error feedback, "
                 "dotted: decayed error feedback", fontsize=9)
    ax.grid(alpha=0.3, which="both")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    fig.tight_layout()
    os.makedirs(os.path.dirname(image) or ".", exist_ok=True)
    fig.savefig(image, dpi=110)
    with open(os.path.join(results, "summary.md"), "w") as f:
        f.write("\n".join(table) + "\n")
    print("\n".join(table))


if __name__ == "__main__":
    main(*sys.argv[1:4])
