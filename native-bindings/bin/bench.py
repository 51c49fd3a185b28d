#!/usr/bin/env python3
"""Driver behind bin/bench: runs the JMH benchmarks and the numpy yardstick, interleaved, several repetitions, and
writes results.json (every raw number) and summary.md (median and min/max over repetitions, ratios per repetition,
and the fastest 1-second window of each side).

The Java side runs in a fresh JVM per JMH run (one fork); numpy runs bin/sgemm_numpy.py in its own process with
OPENBLAS_NUM_THREADS set to the same thread count. Each SGEMM repetition times the same shapes on both sides back to
back, alternating which side goes first, so slow phases of a shared machine hit both. Ratios are taken within a
repetition, then summarised.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile

import numpy as np

SQUARE = ["512", "1024", "2048"]
# The MLP step's products (batch 256, 784-1024-1024-10): forward fc1, forward fc2, dW of fc2, dX of fc2.
MLP_SHAPES = ["256x1024x784NT", "256x1024x1024NT", "1024x1024x256TN", "256x1024x1024NN"]
LEVEL1_SIZES = ["10000000", "30000000", "100000000"]


def parse_shape(shape):
    if shape.isdigit():
        n = int(shape)
        return n, n, n, False, False
    dims, trans = shape[:-2], shape[-2:]
    m, n, k = (int(v) for v in dims.split("x"))
    return m, n, k, trans[0] == "T", trans[1] == "T"


def flops(shape):
    m, n, k, _, _ = parse_shape(shape)
    return 2.0 * m * n * k


class Runner:
    def __init__(self, repo, out, quick):
        self.repo = repo
        self.out = out
        self.quick = quick
        self.java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")

    def classpath(self, module):
        base = os.path.join(self.repo, module, "target")
        with open(os.path.join(base, "bench.classpath")) as f:
            deps = f.read().strip()
        return ":".join([os.path.join(base, "classes"), os.path.join(base, "test-classes"), deps])

    def jmh(self, module, benchmark, params, warmups=3, iterations=5, seconds=1, mode=None, report=None):
        """Runs one JMH benchmark class in one fork; returns JMH's JSON result list. With `report`, the forked JVM
        gets -Dhansa.bench.report=<that file> (SgemmBenchmark appends which threads did the work)."""
        fd, result = tempfile.mkstemp(suffix=".json", dir=self.out)
        os.close(fd)
        jvm_args = "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED " \
                   "--sun-misc-unsafe-memory-access=allow" + (f" -Dhansa.bench.report={report}" if report else "")
        cmd = [self.java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
               "-cp", self.classpath(module), "org.openjdk.jmh.Main", benchmark, "-f", "1",
               "-wi", str(warmups), "-i", str(iterations), "-rf", "json", "-rff", result, "-jvmArgs", jvm_args]
        if mode == "ss":
            cmd += ["-bm", "ss"]
        else:
            cmd += ["-w", f"{seconds}s", "-r", f"{seconds}s"]
        for key, values in params.items():
            cmd += ["-p", f"{key}={','.join(values)}"]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(result) as f:
            data = json.load(f)
        os.remove(result)
        return data

    def clock(self):
        exe = os.path.join(self.repo, "native-bindings", "target", "bench", "clock")
        return float(subprocess.run([exe], check=True, capture_output=True, text=True).stdout)


def numpy_gemm(repo, shapes, threads):
    """ms per product for each shape, one value per 1-second window, from bin/sgemm_numpy.py in its own process."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    script = os.path.join(repo, "native-bindings", "bin", "sgemm_numpy.py")
    done = subprocess.run([sys.executable, script] + shapes, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def threads_used(report, threads):
    """Threads that did the work per shape, from SgemmBenchmark's report; stops the run if they differ from the
    threads asked for (a figure labelled "1 thread" must come from one)."""
    used = {}
    with open(report) as f:
        for line in f:
            entry = json.loads(line)
            if entry["used"] != threads:
                raise SystemExit(f"SgemmBenchmark {entry['shape']}: asked for {threads} thread(s) but {entry['used']} did "
                                 f"the work (CPU seconds per thread: {entry['cpu_seconds']})")
            used[entry["shape"]] = entry["used"]
    return used


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def environment(runner):
    def first(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout + \
                subprocess.run(cmd, capture_output=True, text=True, check=True).stderr
        except (OSError, subprocess.CalledProcessError):
            return ""
    cpuinfo = open("/proc/cpuinfo").read()
    model = next((l.split(":", 1)[1].strip() for l in cpuinfo.splitlines() if l.startswith("model name")), "?")
    mhz = next((float(l.split(":", 1)[1]) for l in cpuinfo.splitlines() if l.startswith("cpu MHz")), 0.0)
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    return {"cpu": model, "cpus": os.cpu_count(), "cpuinfo_mhz": mhz,
            "avx512": "avx512f" in cpuinfo, "java": first([runner.java, "-version"]).strip().splitlines()[0],
            "numpy": np.__version__, "blas": f"{blas.get('name')} {blas.get('version')}",
            "python": platform.python_version(), "date": datetime.datetime.now().isoformat(timespec="seconds")}


def run_sgemm(runner, reps, shapes, threads, log):
    """threads: 2 (CpuBackend default, OpenBLAS default on this machine) or 1 (both pinned to one thread)."""
    rows = []
    for rep in range(reps):
        clock = runner.clock()
        load = os.getloadavg()[0]
        java, numpy_ms = None, None
        for side in (["java", "numpy"] if rep % 2 == 0 else ["numpy", "java"]):
            if side == "java":
                report = os.path.join(runner.out, f"threads-{threads}-rep{rep}.jsonl")
                java = runner.jmh("native-bindings", "SgemmBenchmark",
                                  {"shape": shapes, "backend": ["cpu"], "threads": [str(threads)]}, report=report)
                used = threads_used(report, threads)
            else:
                numpy_ms = numpy_gemm(runner.repo, shapes, threads)
        for entry in java:
            shape = entry["params"]["shape"]
            cpu_windows = entry["primaryMetric"]["rawData"][0]
            np_windows = numpy_ms[shape]
            cpu_ms, np_ms = entry["primaryMetric"]["score"], statistics.median(np_windows)
            rows.append({"rep": rep, "threads": threads, "threads_used": used[shape], "shape": shape,
                         "clock_ghz": clock, "load1": load,
                         "cpu_ms": cpu_ms, "numpy_ms": np_ms,
                         "cpu_gflops": flops(shape) / cpu_ms / 1e6, "numpy_gflops": flops(shape) / np_ms / 1e6,
                         "ratio": np_ms / cpu_ms,
                         "cpu_best_gflops": flops(shape) / min(cpu_windows) / 1e6,
                         "numpy_best_gflops": flops(shape) / min(np_windows) / 1e6,
                         "cpu_windows_ms": cpu_windows, "numpy_windows_ms": np_windows})
        log(f"sgemm ({threads} thread{'s' if threads > 1 else ''}) rep {rep + 1}/{reps} done "
            f"(clock {clock:.2f} GHz, load average {load:.1f})")
    return rows


def run_kernel(runner, reps, log):
    """The micro-kernel alone (6 x 32 tile, 256 steps, in L1), one thread: 2 * 6 * 32 * 256 FLOP per call."""
    rows = []
    for rep in range(reps):
        clock = runner.clock()
        for entry in runner.jmh("native-bindings", "MicroKernelBenchmark", {}):
            ns = entry["primaryMetric"]["score"]
            best = min(entry["primaryMetric"]["rawData"][0])
            rows.append({"rep": rep, "clock_ghz": clock, "ns": ns, "gflops": 2 * 6 * 32 * 256 / ns,
                         "best_gflops": 2 * 6 * 32 * 256 / best})
        log(f"kernel rep {rep + 1}/{reps} done")
    return rows


def run_level1(runner, reps, sizes, log):
    rows = []
    for rep in range(reps):
        for entry in runner.jmh("native-bindings", "Level1Benchmark", {"n": sizes}, warmups=2, iterations=4):
            name = entry["benchmark"].rsplit(".", 1)[1]
            n = int(entry["params"]["n"])
            ms = entry["primaryMetric"]["score"]
            moved = (8 if name == "arrayCopy" else 12) * n
            rows.append({"rep": rep, "benchmark": name, "n": n, "ms": ms, "gbytes_per_s": moved / ms / 1e6})
        log(f"level1 rep {rep + 1}/{reps} done")
    return rows


def run_mlp(runner, reps, log, with_java):
    rows = []
    for rep in range(reps):
        for entry in runner.jmh("client-sdk", "TrainingStepBenchmark", {"backend": ["cpu"]}, seconds=2):
            ms = entry["primaryMetric"]["score"]
            rows.append({"rep": rep, "backend": "cpu", "ms": ms, "samples_per_s": 256 / ms * 1e3})
        log(f"mlp cpu rep {rep + 1}/{reps} done")
    if with_java:
        for entry in runner.jmh("client-sdk", "TrainingStepBenchmark", {"backend": ["java"]}, warmups=1, iterations=3,
                                mode="ss"):
            for ms in entry["primaryMetric"]["rawData"][0]:
                rows.append({"rep": 0, "backend": "java", "ms": ms, "samples_per_s": 256 / ms * 1e3})
        log("mlp java done")
    return rows


def markdown(results):
    env = results["environment"]
    lines = [f"Machine: {env['cpu']}, {env['cpus']} CPUs, /proc/cpuinfo {env['cpuinfo_mhz']:.0f} MHz; "
             f"{env['java']}; numpy {env['numpy']} with {env['blas']}; {env['date']}", ""]
    sgemm = results.get("sgemm", []) + results.get("sgemm1", [])
    if sgemm:
        c = summary([r["clock_ghz"] for r in sgemm])
        loads = summary([r["load1"] for r in sgemm])
        peak = lambda ghz, cores: 32 * ghz * cores
        lines += [f"1-minute load average at the start of each SGEMM repetition: median {loads['median']:.1f} "
                  f"(min {loads['min']:.1f}, max {loads['max']:.1f}) on {env['cpus']} CPUs.", "",
                  f"Clock measured before each SGEMM repetition: median {c['median']:.2f} GHz (min {c['min']:.2f}, "
                  f"max {c['max']:.2f}). FP32 peak at 32 FLOP/cycle/core: {peak(env['cpuinfo_mhz'] / 1000, 2):.0f} "
                  f"GFLOP/s for 2 cores at the nominal clock, {peak(c['max'], 2):.0f} GFLOP/s at the highest "
                  f"measured clock.", ""]
        for key, threads in (("sgemm", 2), ("sgemm1", 1)):
            if not results.get(key):
                continue
            measured = sorted({r["threads_used"] for r in results[key]})
            lines += [f"{threads} thread{'s' if threads > 1 else ''} each (CpuBackend threads that did the work, "
                      f"measured from per-thread CPU time: {', '.join(map(str, measured))}). Median over repetitions "
                      "(min-max); 'best' is the fastest 1-second window of the whole run.", "",
                      "| shape | CpuBackend GFLOP/s | OpenBLAS GFLOP/s | ratio | best CpuBackend | best OpenBLAS | "
                      f"best ratio | best CpuBackend % of {threads}-core peak at {c['max']:.2f} GHz |",
                      "|---|---|---|---|---|---|---|---|"]
            by_shape = {}
            for r in results[key]:
                by_shape.setdefault(r["shape"], []).append(r)
            for shape, rs in by_shape.items():
                cpu, npy, ratio = (summary([r[k] for r in rs]) for k in ("cpu_gflops", "numpy_gflops", "ratio"))
                best_cpu = max(r["cpu_best_gflops"] for r in rs)
                best_np = max(r["numpy_best_gflops"] for r in rs)
                lines.append(f"| {shape} | {cpu['median']:.1f} ({cpu['min']:.1f}-{cpu['max']:.1f}) | "
                             f"{npy['median']:.1f} ({npy['min']:.1f}-{npy['max']:.1f}) | "
                             f"{ratio['median']:.2f} ({ratio['min']:.2f}-{ratio['max']:.2f}) | {best_cpu:.1f} | "
                             f"{best_np:.1f} | {best_cpu / best_np:.2f} | "
                             f"{100 * best_cpu / peak(c['max'], threads):.0f}% |")
            lines.append("")
    if results.get("kernel"):
        k = summary([r["gflops"] for r in results["kernel"]])
        best = max(r["best_gflops"] for r in results["kernel"])
        clock = max(r["clock_ghz"] for r in results["kernel"])
        lines += [f"Micro-kernel alone (6 x 32 tile, 256 steps, in L1, 1 thread): median {k['median']:.1f} GFLOP/s "
                  f"({k['min']:.1f}-{k['max']:.1f}), fastest window {best:.1f} GFLOP/s = "
                  f"{100 * best / (32 * clock):.0f}% of one core's peak at the highest clock measured with it "
                  f"({clock:.2f} GHz).", ""]
    if results.get("level1"):
        lines += ["| n | axpy CpuBackend GB/s | axpy 1 thread GB/s | axpy JavaBackend GB/s | array copy GB/s | "
                  "ratio axpy/copy |", "|---|---|---|---|---|---|"]
        by_n = {}
        for r in results["level1"]:
            by_n.setdefault(r["n"], {}).setdefault(r["benchmark"], []).append(r)
        for n, bench in sorted(by_n.items()):
            g = {k: summary([r["gbytes_per_s"] for r in v]) for k, v in bench.items()}
            ratios = summary([a["gbytes_per_s"] / c["gbytes_per_s"]
                              for a, c in zip(bench["axpyCpu"], bench["arrayCopy"])])
            cell = lambda s: f"{s['median']:.1f} ({s['min']:.1f}-{s['max']:.1f})"
            lines.append(f"| {n:.0e} | {cell(g['axpyCpu'])} | {cell(g['axpyCpuOneThread'])} | {cell(g['axpyJava'])} | "
                         f"{cell(g['arrayCopy'])} | {ratios['median']:.2f} ({ratios['min']:.2f}-{ratios['max']:.2f}) |")
        lines.append("")
    if results.get("mlp"):
        lines += ["| backend | ms per step | samples/s |", "|---|---|---|"]
        for backend in ("java", "cpu"):
            rs = [r for r in results["mlp"] if r["backend"] == backend]
            if rs:
                ms, sps = summary([r["ms"] for r in rs]), summary([r["samples_per_s"] for r in rs])
                lines.append(f"| {backend} | {ms['median']:.1f} ({ms['min']:.1f}-{ms['max']:.1f}) | "
                             f"{sps['median']:.0f} ({sps['min']:.0f}-{sps['max']:.0f}) |")
        lines.append("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--sections", default="kernel,sgemm,sgemm1,level1,mlp",
                    help="kernel (micro-kernel alone), sgemm (2 threads), sgemm1 (1 thread each), level1, mlp")
    ap.add_argument("--quick", action="store_true", help="fewer shapes and sizes, no JavaBackend MLP run")
    ap.add_argument("--shapes", help="SGEMM shapes for both SGEMM sections instead of the defaults, comma-separated "
                                     "(n, or MxNxK plus transposes, e.g. 32x200x784NT)")
    ap.add_argument("--plots", help="directory for the PNG plots (runs bin/plot_bench.py with /usr/bin/python3)")
    args = ap.parse_args()
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = os.path.join(args.repo, "native-bindings", "target", "bench", stamp)
    os.makedirs(out, exist_ok=True)
    runner = Runner(args.repo, out, args.quick)
    log = lambda msg: print(f"[{datetime.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)
    sections = args.sections.split(",")
    results = {"environment": environment(runner), "command": " ".join(sys.argv)}
    custom = args.shapes.split(",") if args.shapes else None
    if "sgemm" in sections:
        shapes = custom or (SQUARE[:2] if args.quick else SQUARE + MLP_SHAPES)
        results["sgemm"] = run_sgemm(runner, args.reps, shapes, 2, log)
    if "sgemm1" in sections:
        shapes = custom or (SQUARE[:2] if args.quick else SQUARE)
        results["sgemm1"] = run_sgemm(runner, max(1, min(args.reps, 3)), shapes, 1, log)
    if "kernel" in sections:
        results["kernel"] = run_kernel(runner, max(1, min(args.reps, 3)), log)
    if "level1" in sections:
        results["level1"] = run_level1(runner, max(1, min(args.reps, 3)), LEVEL1_SIZES[:1] if args.quick
                                       else LEVEL1_SIZES, log)
    if "mlp" in sections:
        results["mlp"] = run_mlp(runner, max(1, min(args.reps, 3)), log, with_java=not args.quick)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    text = markdown(results)
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(text + "\n")
    print(text)
    print(f"\nraw results: {os.path.join(out, 'results.json')}", file=sys.stderr)
    if args.plots:
        subprocess.run(["/usr/bin/python3", os.path.join(args.repo, "native-bindings", "bin", "plot_bench.py"),
                        os.path.join(out, "results.json"), args.plots], check=True)


if __name__ == "__main__":
    main()
