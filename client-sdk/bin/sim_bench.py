#!/usr/bin/env python3
"""Driver behind client-sdk/bin/sim-bench: `server/bin/hansa simulate` against client-sdk/bin/torch_fedavg.py on the
same protocol, side by side, rotating which goes first (with --baseline, an older Hansa checkout as a third side).

First it writes the protocol once (dev.hansa.client.bench.SimulationProtocol: the partition simulate draws and each
round's participants), so that the PyTorch loop trains the same clients on the same samples in the same rounds.
Then, for every repetition and configuration:
- "1 core": both pinned with taskset to one CPU; simulate --threads 1 (the JVM then sees one processor, so the CPU
  backend has one thread too), torch.set_num_threads(1);
- "2 cores": no pinning; simulate --threads 2 (a worker per core, one backend thread each), torch.set_num_threads(2).
Both run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from the environment (this machine sets them, and they
slow a current OpenBLAS down). PyTorch also gets OMP_WAIT_POLICY=PASSIVE unless --torch-omp-wait-policy says
otherwise: with two threads, Debian's torch (OpenMP) and its OpenBLAS (own pthreads) each keep two threads busy-waiting
on two cores, and the default policy ran the loop about four times slower than one thread (2026-11-27: 107-134 s
against 30 s); passive waiting was the fastest two-thread setting found (28 s), so it is the fair yardstick.

Figures per run: wall seconds of the whole process (JVM or interpreter start and data loading included), CPU seconds
(user + system of the process and its children), and the seconds spent in the rounds (simulate's CSV, the loop's
own clock). Ratios are PyTorch / Hansa within a pair (above 1: Hansa is faster); the summary gives the median and
the min-max over repetitions.
"""
import argparse
import csv
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import time

CONFIGS = {"1": "1 core", "2": "2 cores"}


def environment():
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    return env


def timed(cmd, env, timeout):
    """Runs cmd; returns (wall seconds, CPU seconds of the process and its children, stdout). Raises
    subprocess.TimeoutExpired after `timeout` seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def write_protocol(args, path):
    target = os.path.join(args.repo, "client-sdk", "target")
    with open(os.path.join(target, "bench.classpath")) as f:
        classpath = ":".join([os.path.join(target, "test-classes"), os.path.join(target, "classes"), f.read().strip()])
    subprocess.run([os.path.join(os.environ["JAVA_HOME"], "bin", "java"), "-cp", classpath,
                    "dev.hansa.client.bench.SimulationProtocol", path, str(args.clients), str(args.per_round),
                    str(args.rounds), args.partition, str(args.seed)], check=True)


def run_hansa(args, config, out, repo):
    csv_path = os.path.join(out, "hansa-rounds.csv")
    cmd = ([] if config == "2" else ["taskset", "-c", args.cpu]) + [
        os.path.join(repo, "server", "bin", "hansa"), "simulate", "--dataset", "fashion-mnist",
        "--partition", args.partition, "--clients", str(args.clients), "--per-round", str(args.per_round),
        "--rounds", str(args.rounds), "--steps", str(args.steps), "--batch", str(args.batch), "--lr", str(args.lr),
        "--hidden", str(args.hidden), "--seed", str(args.seed), "--eval-every", "1", "--backend", "cpu",
        "--threads", config, "--csv", csv_path]
    wall, cpu, stdout = timed(cmd, environment(), args.timeout)
    with open(csv_path) as f:
        rounds = list(csv.DictReader(f))
    return {"wall": wall, "cpu": cpu, "rounds_seconds": sum(float(r["seconds"]) for r in rounds),
            "final_accuracy": float(rounds[-1]["test_accuracy"]), "output": stdout.strip()}


def torch_environment(args):
    env = environment()
    if args.torch_omp_wait_policy != "default":
        env["OMP_WAIT_POLICY"] = args.torch_omp_wait_policy.upper()
    return env


def run_torch(args, config, protocol):
    cmd = ([] if config == "2" else ["taskset", "-c", args.cpu]) + [
        "/usr/bin/python3", os.path.join(args.repo, "client-sdk", "bin", "torch_fedavg.py"), "--protocol", protocol,
        "--steps", str(args.steps), "--batch", str(args.batch), "--lr", str(args.lr), "--hidden", str(args.hidden),
        "--eval-every", "1", "--threads", config, "--seed", str(args.seed)]
    wall, cpu, stdout = timed(cmd, torch_environment(args), args.timeout)
    result = json.loads(stdout.strip().splitlines()[-1])
    return {"wall": wall, "cpu": cpu, "rounds_seconds": result["seconds"], "final_accuracy": result["final_accuracy"],
            "torch": result["torch"], "threads": result["threads"]}


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def cell(s, digits=1):
    return f"{s['median']:.{digits}f} ({s['min']:.{digits}f}-{s['max']:.{digits}f})"


def markdown(rows, args, timeouts):
    loads = summary([r["load1"] for r in rows])
    sides = ["hansa", "torch"] + (["baseline"] if args.baseline else [])
    lines = [f"{args.rounds} rounds, {args.per_round} of {args.clients} clients per round, {args.steps} local steps of "
             f"batch {args.batch}, MLP 784-{args.hidden}-10, test evaluation every round; {len(rows)} pairs, "
             f"{os.cpu_count()} CPUs, 1-minute load average at the start of each pair {cell(loads)}; PyTorch with "
             f"OMP_WAIT_POLICY {args.torch_omp_wait_policy}.", "",
             "| configuration | figure | Hansa | PyTorch | PyTorch / Hansa |"
             + (" Hansa before | before / now |" if args.baseline else ""),
             "|---|---|---|---|---|" + ("---|---|" if args.baseline else "")]
    if timeouts:
        lines[0:0] = [f"Left out: {', '.join(timeouts)} (over --timeout {args.timeout} s).", ""]
    for config in args.configs.split(","):
        rs = [r for r in rows if r["config"] == config]
        if not rs:
            continue
        for key, label in (("wall", "whole process, s"), ("rounds_seconds", "rounds only, s"), ("cpu", "CPU time, s")):
            hansa = summary([r["hansa"][key] for r in rs])
            torch = summary([r["torch"][key] for r in rs])
            ratio = summary([r["torch"][key] / r["hansa"][key] for r in rs])
            row = f"| {CONFIGS[config]} | {label} | {cell(hansa)} | {cell(torch)} | {cell(ratio, 2)} |"
            if args.baseline:
                base = summary([r["baseline"][key] for r in rs])
                speedup = summary([r["baseline"][key] / r["hansa"][key] for r in rs])
                row += f" {cell(base)} | {cell(speedup, 2)} |"
            lines.append(row)
        accuracy = {side: cell(summary([r[side]["final_accuracy"] for r in rs]), 4) for side in sides}
        lines.append(f"| {CONFIGS[config]} | final test accuracy | {accuracy['hansa']} | {accuracy['torch']} | |"
                     + (f" {accuracy['baseline']} | |" if args.baseline else ""))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--configs", default="1,2", help="1 (one core each), 2 (two cores each), comma-separated")
    ap.add_argument("--cpu", default="0", help="the CPU both sides are pinned to in the one-core configuration")
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--per-round", type=int, default=10)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--hidden", type=int, default=200)
    ap.add_argument("--partition", default="dirichlet:0.5")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--torch-omp-wait-policy", default="passive", choices=["passive", "active", "default"],
                    help="OMP_WAIT_POLICY for the PyTorch side (default: passive; 'default' leaves it unset)")
    ap.add_argument("--timeout", type=int, default=900, help="seconds one run may take before its pair is left out")
    ap.add_argument("--baseline", help="root of another Hansa checkout, built (e.g. a git worktree of an older "
                                       "commit): its server/bin/hansa simulate runs as a third side, for before/after")
    args = ap.parse_args()
    for config in args.configs.split(","):
        if config not in CONFIGS:
            raise SystemExit(f"--configs: unknown configuration {config!r}; use 1 and/or 2")

    out = os.path.join(args.repo, "client-sdk", "target", "sim-bench", datetime.datetime.now().strftime("%Y%m%d-%H%M%S"))
    os.makedirs(out, exist_ok=True)
    log = lambda msg: print(f"[{datetime.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)
    protocol = os.path.join(out, "protocol.json")
    write_protocol(args, protocol)

    rows, timeouts = [], []
    for rep in range(args.reps):
        for config in args.configs.split(","):
            load = os.getloadavg()[0]
            row = {"rep": rep, "config": config, "load1": load}
            side = None
            order = ["hansa", "torch"] + (["baseline"] if args.baseline else [])
            order = order[rep % len(order):] + order[:rep % len(order)]
            try:
                for side in order:
                    if side == "torch":
                        row[side] = run_torch(args, config, protocol)
                    else:
                        row[side] = run_hansa(args, config, out, args.repo if side == "hansa" else args.baseline)
            except subprocess.TimeoutExpired:
                timeouts.append(f"rep {rep + 1}, {CONFIGS[config]} ({side})")
                log(f"rep {rep + 1}/{args.reps}, {CONFIGS[config]}: a run took over {args.timeout} s; pair left out")
                continue
            rows.append(row)
            log(f"rep {rep + 1}/{args.reps}, {CONFIGS[config]} (load average {load:.1f}): " + ", ".join(
                f"{side} {row[side]['wall']:.1f} s (rounds {row[side]['rounds_seconds']:.1f} s)" for side in order)
                + f"; PyTorch / Hansa {row['torch']['wall'] / row['hansa']['wall']:.2f}")
    if not rows:
        raise SystemExit("no pair completed")
    text = markdown(rows, args, timeouts)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"command": " ".join(sys.argv), "rows": rows, "timeouts": timeouts}, f, indent=1)
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(text + "\n")
    print(text)
    print(f"\nraw results: {os.path.join(out, 'results.json')}", file=sys.stderr)


if __name__ == "__main__":
    main()
