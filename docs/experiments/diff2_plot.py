#!/usr/bin/python3
"""Plot and table of docs/privacy.md's DIFF2 comparison from the CSVs docs/experiments/diff2-fmnist.sh writes.

    diff2_plot.py RESULTS IMAGE   RESULTS/{fedavg,dpgd,diff2}-s*.csv and times.txt -> IMAGE (png), table on stdout

Left: test accuracy against rounds, the mean over seeds with the range of the seeds shaded; right: the mean train
loss the participants reported each round. Needs matplotlib (Debian: apt-get install python3-matplotlib).
"""
import csv
import glob
import os
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

METHODS = [("fedavg", "DP-FedAvg"), ("dpgd", "DP-GD (diff2, T = 1)"), ("diff2", "DIFF2")]


def read(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def seconds(results):
    times = {}
    with open(os.path.join(results, "times.txt")) as f:
        for line in f:
            name, value, _ = line.split()
            times[name] = int(value)
    return times


def main(results, image):
    times = seconds(results)
    fig, (acc_ax, loss_ax) = plt.subplots(1, 2, figsize=(11, 4.2))
    print("| method | test accuracy after 100 rounds, seeds 1 / 2 / 3 | mean | epsilon RDP (PLD) | wall time per run |")
    print("|---|---|---|---|---|")
    for index, (method, label) in enumerate(METHODS):
        paths = sorted(glob.glob(os.path.join(results, f"{method}-s*.csv")))
        if not paths:
            continue
        runs = [read(p) for p in paths]
        color = f"C{index}"
        evaluated = [[r for r in run if r["test_accuracy"]] for run in runs]
        rounds = [int(r["round"]) for r in evaluated[0]]
        accuracy = [[float(r["test_accuracy"]) for r in run] for run in evaluated]
        mean = [statistics.mean(a) for a in zip(*accuracy)]
        acc_ax.plot(rounds, mean, marker="o", markersize=3, color=color, label=label)
        acc_ax.fill_between(rounds, [min(a) for a in zip(*accuracy)], [max(a) for a in zip(*accuracy)],
                            color=color, alpha=0.2)
        losses = [[float(r["train_loss"]) for r in run] for run in runs]
        loss_ax.plot(range(1, len(losses[0]) + 1), [statistics.mean(x) for x in zip(*losses)], color=color,
                     label=label)
        finals = [a[-1] for a in accuracy]
        last = evaluated[0][-1]
        names = [os.path.basename(p)[:-4] for p in paths]
        wall = statistics.mean(times[n] for n in names)
        print(f"| {label} | {' / '.join(f'{x:.4f}' for x in finals)} | {statistics.mean(finals):.4f} | "
              f"{float(last['epsilon']):.2f} ({float(last['epsilon_pld']):.2f}) | {wall:.0f} s |")
    acc_ax.set_xlabel("round")
    acc_ax.set_ylabel("test accuracy")
    loss_ax.set_xlabel("round")
    loss_ax.set_ylabel("train loss (participants' mean)")
    loss_ax.set_yscale("log")
    for ax in (acc_ax, loss_ax):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle("Same epsilon (7.90 at delta 1e-5, z = 1, q = 0.1, 100 rounds): Fashion-MNIST, 1000 clients, softmax")
    fig.tight_layout()
    fig.savefig(image, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
