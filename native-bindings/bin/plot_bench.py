#!/usr/bin/env python3
"""Plots a bin/bench results.json: SGEMM GFLOP/s against OpenBLAS and the peak, axpy against array copy in GB/s,
and MLP training-step samples/s. Usage: plot_bench.py results.json OUTPUT_DIR (writes cpu-benchmarks.png)."""
import json
import os
import statistics
import sys

try:
    import matplotlib
except ImportError:
    sys.exit("plot_bench.py needs matplotlib: apt-get install python3-matplotlib (Debian's, for /usr/bin/python3)")

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def spread(values):
    m = statistics.median(values)
    return m, m - min(values), max(values) - m


def bars(ax, groups, series, values, colors):
    width = 0.8 / len(series)
    for i, (name, color) in enumerate(zip(series, colors)):
        stats = [spread(values[g][name]) if values[g].get(name) else (0, 0, 0) for g in groups]
        xs = [x + (i - (len(series) - 1) / 2) * width for x in range(len(groups))]
        ax.bar(xs, [s[0] for s in stats], width, yerr=[[s[1] for s in stats], [s[2] for s in stats]],
               capsize=3, label=name, color=color)
        for x, s in zip(xs, stats):
            if s[0]:
                ax.annotate(f"{s[0]:.0f}", (x, s[0] + s[2]), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(groups, fontsize=8)


def main():
    results = json.load(open(sys.argv[1]))
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    env = results["environment"]
    panels = [k for k in ("sgemm", "sgemm1", "level1", "mlp") if results.get(k)]
    columns = 2 if len(panels) > 2 else len(panels)
    rows = (len(panels) + columns - 1) // columns
    fig, axes = plt.subplots(rows, columns, figsize=(7.5 * columns, 4.8 * rows), squeeze=False)
    for ax in axes.flat[len(panels):]:
        ax.axis("off")
    for ax, panel in zip(axes.flat, panels):
        if panel in ("sgemm", "sgemm1"):
            threads = 2 if panel == "sgemm" else 1
            shapes, values, best = [], {}, {}
            for r in results[panel]:
                if r["shape"] not in values:
                    shapes.append(r["shape"])
                    values[r["shape"]] = {"CpuBackend": [], "numpy / OpenBLAS": []}
                    best[r["shape"]] = [0, 0]
                values[r["shape"]]["CpuBackend"].append(r["cpu_gflops"])
                values[r["shape"]]["numpy / OpenBLAS"].append(r["numpy_gflops"])
                best[r["shape"]][0] = max(best[r["shape"]][0], r["cpu_best_gflops"])
                best[r["shape"]][1] = max(best[r["shape"]][1], r["numpy_best_gflops"])
            bars(ax, shapes, ["CpuBackend", "numpy / OpenBLAS"], values, ["tab:blue", "tab:gray"])
            for x, shape in enumerate(shapes):
                ax.plot([x - 0.2, x + 0.2], best[shape], "k_", markersize=14,
                        label="fastest 1-s window" if x == 0 else None)
            clock = max(r["clock_ghz"] for r in results.get("sgemm", []) + results.get("sgemm1", []))
            for ghz, style, label in ((env["cpuinfo_mhz"] / 1000, ":", "nominal"), (clock, "--", "measured max")):
                peak = 32 * ghz * threads
                ax.axhline(peak, color="tab:red", linestyle=style, linewidth=1)
                ax.text(0.98, peak, f"peak {peak:.0f} ({label} {ghz:.2f} GHz)", ha="right", va="bottom",
                        fontsize=7, color="tab:red", transform=ax.get_yaxis_transform())
            ax.set_ylabel("GFLOP/s (median; bars: min-max over repetitions)")
            ax.set_title(f"SGEMM, {threads} thread{'s' if threads > 1 else ''} each"
                         + (": square n, then the MLP step's shapes" if panel == "sgemm" else ""), fontsize=10)
            ax.tick_params(axis="x", labelrotation=20)
        elif panel == "level1":
            names = {"axpyCpu": "axpy CpuBackend", "axpyCpuOneThread": "axpy 1 thread", "axpyJava": "axpy JavaBackend",
                     "arrayCopy": "System.arraycopy"}
            sizes, values = [], {}
            for r in results["level1"]:
                label = f"{r['n']:.0e} floats"
                if label not in values:
                    sizes.append(label)
                    values[label] = {v: [] for v in names.values()}
                values[label][names[r["benchmark"]]].append(r["gbytes_per_s"])
            bars(ax, sizes, list(names.values()), values, ["tab:blue", "tab:cyan", "tab:orange", "tab:gray"])
            ax.set_ylabel("GB/s (axpy 12 B/element, copy 8 B/element)")
            ax.set_title("Level 1: y += a x against a plain copy", fontsize=10)
        else:
            rows = results["mlp"]
            backends = [b for b in ("java", "cpu", "cuda") if any(r["backend"] == b for r in rows)]
            meds = [statistics.median(r["samples_per_s"] for r in rows if r["backend"] == b) for b in backends]
            colors = {"java": "tab:orange", "cpu": "tab:blue", "cuda": "tab:green"}
            ax.bar(backends, meds, color=[colors[b] for b in backends])
            for x, m in enumerate(meds):
                ax.annotate(f"{m:.0f}", (x, m), ha="center", va="bottom", fontsize=8)
            ax.set_yscale("log")
            ax.set_ylabel("samples/s (median, log scale)")
            ax.set_title("MLP 784-1024-1024-10 training step, batch 256", fontsize=10)
        if panel != "mlp":
            ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16 if panel != "level1" else -0.08),
                      ncol=4, frameon=False)
        ax.grid(axis="y", alpha=0.3)
    java = env["java"].split('"')[1] if '"' in env["java"] else env["java"]
    fig.suptitle(f"{env['cpu']}, {env['cpus']} cores, Java {java}; numpy {env['numpy']} ({env['blas']}); "
                 f"{env['date']}", fontsize=9)
    fig.tight_layout()
    path = os.path.join(out, "cpu-benchmarks.png")
    fig.savefig(path, dpi=110)
    print(path)


if __name__ == "__main__":
    main()
