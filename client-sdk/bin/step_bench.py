#!/usr/bin/env python3
"""The side-by-side loop of client-sdk/bin/step-bench (run that: it builds the classes and the class path first)."""
import argparse
import json
import os
import statistics
import subprocess
import tempfile


def hansa(repo, model, hidden, batch):
    """ms per step from one JMH fork of TrainingStepBenchmark on CPU 0 (the JVM then sees one processor)."""
    base = os.path.join(repo, "client-sdk", "target")
    with open(os.path.join(base, "bench.classpath")) as f:
        classpath = ":".join([os.path.join(base, "classes"), os.path.join(base, "test-classes"), f.read().strip()])
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
    flags = "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
    with tempfile.NamedTemporaryFile(suffix=".json") as result:
        subprocess.run(["taskset", "-c", "0", java, *flags.split(), "-cp", classpath, "org.openjdk.jmh.Main",
                        "TrainingStepBenchmark", "-f", "1", "-wi", "3", "-i", "5", "-w", "2s", "-r", "2s",
                        "-jvmArgs", flags, "-p", "backend=cpu", "-p", f"model={model}", "-p", f"hidden={hidden}",
                        "-p", f"batch={batch}", "-rf", "json", "-rff", result.name],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return json.load(open(result.name))[0]["primaryMetric"]["score"]


def torch(repo, model, batch):
    """ms per step (median of 5 x 100 steps) of the staged variant on CPU 0, one thread."""
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    script = os.path.join(repo, "native-bindings", "bin", "torch_yardstick.py")
    out = subprocess.run(["taskset", "-c", "0", "/usr/bin/python3", script, "--device", "cpu", "--sections", "mlp",
                          "--model", model, "--batch", str(batch), "--steps", "100", "--reps", "5"],
                         env=env, check=True, capture_output=True, text=True).stdout
    staged = [json.loads(line) for line in out.splitlines() if '"staged"' in line]
    return staged[0]["ms_per_step_median"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--model", default="cnn", choices=["mlp", "cnn"])
    ap.add_argument("--hidden", default="500", help="hidden widths, x-separated (the cnn's dense head)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    if args.model == "mlp" and args.hidden != "1024x1024":
        raise SystemExit("torch_yardstick.py's mlp is 784-1024-1024-10; compare --model mlp with --hidden 1024x1024")
    ours, theirs = [], []
    for rep in range(args.reps):
        first, second = (hansa, torch) if rep % 2 == 0 else (torch, hansa)
        for side in (first, second):
            if side is hansa:
                ours.append(hansa(args.repo, args.model, args.hidden, args.batch))
            else:
                theirs.append(torch(args.repo, args.model, args.batch))
    ratios = [t / h for h, t in zip(ours, theirs)]
    def cell(values):
        return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"
    print(f"| step ({args.model}, batch {args.batch}, 1 thread) | Hansa ms | PyTorch ms | PyTorch / Hansa |")
    print("|---|---|---|---|")
    print(f"| median (min-max) of {args.reps} | {cell(ours)} | {cell(theirs)} | {cell(ratios)} |")


if __name__ == "__main__":
    main()
