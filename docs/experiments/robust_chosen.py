#!/usr/bin/python3
"""The later seeds' runs at the clipping bound validation chose, as `hansa robust-grid --runs` reads them.

    robust_chosen.py RESULTS CURVES SEEDS [CLIPS] > runs.csv

Picks c per cell (aggregator, f, heterogeneity) as robust_plot.py does, among the values CLIPS (default 0.2,1), and
prints a run of each attack at that c for each of SEEDS (comma separated), in the grid's order, leaving out the runs
already in RESULTS. A cell is listed only once every value of CLIPS has finished every attack on a common seed, so
its choice is final; the cells still undecided are counted on stderr. Validation on the first seeds, then every seed
at the chosen c, halves the later seeds' runs against sweeping c at every seed (robust_plot.py reads either).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from robust_plot import AGGREGATORS, ATTACK_LABEL, HETEROGENEITY, GAMMA, cells, read  # noqa: E402


def main(argv):
    if len(argv) not in (4, 5):
        sys.exit(__doc__)
    results, curves, seeds = argv[1], argv[2], argv[3].split(",")
    clips = [float(c) for c in (argv[4] if len(argv) == 5 else "0.2,1").split(",")]
    table, attacks = cells(read(results, curves))
    with open(results) as fh:
        done = {",".join(line.split(",")[:6]) for line in fh}
    order = {name: k for k, name in enumerate(AGGREGATORS + HETEROGENEITY + GAMMA + list(ATTACK_LABEL))}
    decided = sorted((cell for cell, row in table.items() if set(clips) <= set(row["clips"])),
                     key=lambda c: (order.get(c[2], 99), c[1], order.get(c[0], 99)))
    listed = 0
    for seed in seeds:
        for agg, f, het in decided:
            for attack in sorted(attacks, key=lambda a: order.get(a, 99)):
                key = "%s,%d,%s,%s,%s,%r" % (agg, f, het, attack, seed, table[(agg, f, het)]["clip"])
                if key not in done:
                    print(key)
                    listed += 1
    print("%d runs listed; %d cells decided, %d not yet (some c of %s unfinished)" % (
        listed, len(decided), len(table) - len(decided), "/".join("%g" % c for c in clips)), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
