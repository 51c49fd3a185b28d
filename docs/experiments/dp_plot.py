#!/usr/bin/python3
"""Plot of docs/privacy.md's experiment from the CSVs docs/experiments/dp-fmnist.sh writes.

    dp_plot.py RESULTS IMAGE [TITLE]   RESULTS/{baseline,z*,adaptive-z1}.csv -> IMAGE (png) and a table on stdout

Left: test accuracy against the epsilon spent (delta 1e-5) for each noise multiplier; right: test accuracy against
rounds, with the non-private baseline. Needs matplotlib (Debian: apt-get install python3-matplotlib).
"""
import csv
import glob
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read(path):
    with open(path) as f:
        rows = [r for r in csv.DictReader(f) if r["test_accuracy"]]
    return [(int(r["round"]), float(r["test_accuracy"]), float(r["epsilon"]) if r["epsilon"] else None) for r in rows]


DEFAULT_TITLE = "DP-FedAvg, Fashion-MNIST, 1000 clients (Dirichlet 0.5), softmax, q = 0.1, clip 1"


def main(results, image, title=DEFAULT_TITLE):
    runs = {os.path.basename(p)[:-4]: read(p) for p in sorted(glob.glob(os.path.join(results, "*.csv")))}
    fig, (by_eps, by_round) = plt.subplots(1, 2, figsize=(11, 4.2))
    print("| run | final test accuracy | epsilon after 100 rounds (delta 1e-5) |")
    print("|---|---|---|")
    for index, (name, rows) in enumerate(runs.items()):
        color = f"C{index}"
        label = "no DP" if name == "baseline" else name.replace("z", "z = ", 1).replace("adaptive-z = ", "adaptive, z = ")
        rounds = [r for r, _, _ in rows]
        accuracy = [a for _, a, _ in rows]
        by_round.plot(rounds, accuracy, marker="o", markersize=3, label=label, color=color)
        if name != "baseline":
            by_eps.plot([e for _, _, e in rows], accuracy, marker="o", markersize=3, label=label, color=color)
        final_eps = rows[-1][2]
        print(f"| {label} | {rows[-1][1]:.4f} | {'-' if final_eps is None else f'{final_eps:.2f}'} |")
    base = runs.get("baseline")
    if base:
        by_eps.axhline(base[-1][1], color="gray", linestyle="--", label="no DP (final)")
    by_eps.set_xscale("log")
    by_eps.set_xlabel("epsilon spent (delta = 1e-5, RDP)")
    by_round.set_xlabel("round")
    for ax in (by_eps, by_round):
        ax.set_ylabel("test accuracy")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(image, dpi=110)


if __name__ == "__main__":
    main(*sys.argv[1:4])
