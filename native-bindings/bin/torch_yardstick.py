#!/usr/bin/env python3
"""PyTorch eager yardsticks for the GPU benchmarks (bin/gpu-check runs it), one JSON line per measurement:

- mlp: TrainingStepBenchmark's step in PyTorch: the same MLP (784-1024-1024-10, nn.Linear init, ReLU), batch 256, softmax
  cross-entropy, plain SGD, loss.item() every step (one host sync, as Hansa's step has), in two variants:
  staged (the batch is copied from host memory every step, as Hansa's step does) and resident (already on the GPU).
  With --model cnn, the step of ByzFL's cnn_mnist (TrainingStepBenchmark -p model=cnn -p hidden=500) instead.
- sgemm: torch.matmul on float32 for SgemmBenchmark's shapes, in GFLOP/s.
Matmuls are FP32 (TF32 off), like CudaBackend's default.

Usage: torch_yardstick.py [--device cuda|cpu] [--steps 200] [--reps 5] [--sections mlp,sgemm] [--model mlp|cnn]
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--sections", default="mlp,sgemm")
    ap.add_argument("--model", default="mlp", choices=["mlp", "cnn"])
    args = ap.parse_args()
    dev = torch.device(args.device)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    if "sgemm" in args.sections:
        sgemm(dev, args.reps)
    if "mlp" in args.sections:
        mlp(dev, args)


SHAPES = ["512", "1024", "2048", "4096", "256x1024x784NT", "256x1024x1024NT", "1024x1024x256TN", "256x1024x1024NN"]


def sync(dev):
    if dev.type == "cuda":
        torch.cuda.synchronize()


def sgemm(dev, reps):
    for shape in SHAPES:
        if shape.isdigit():
            m = n = k = int(shape)
            ta = tb = False
        else:
            m, n, k = (int(v) for v in shape[:-2].split("x"))
            ta, tb = shape[-2] == "T", shape[-1] == "T"
        a = torch.rand((k, m) if ta else (m, k), device=dev) - 0.5
        b = torch.rand((n, k) if tb else (k, n), device=dev) - 0.5
        a_op, b_op = (a.t() if ta else a), (b.t() if tb else b)
        out = torch.empty((m, n), device=dev)
        for _ in range(10):
            torch.matmul(a_op, b_op, out=out)
        iters = max(5, int(2e11 / (2 * m * n * k)))
        times = []
        for _ in range(reps):
            sync(dev)
            t0 = time.perf_counter()
            for _ in range(iters):
                torch.matmul(a_op, b_op, out=out)
            sync(dev)
            times.append((time.perf_counter() - t0) / iters * 1e3)
        ms = statistics.median(times)
        print(json.dumps({"section": "sgemm", "shape": shape, "device": str(dev), "torch": torch.__version__,
                          "ms_median": ms, "ms_min": min(times), "ms_max": max(times),
                          "gflops_median": 2 * m * n * k / ms / 1e6}), flush=True)


def mlp(dev, args):
    torch.manual_seed(7)
    if args.model == "cnn":
        # ByzFL's cnn_mnist; the images are the same 784 values per sample, seen as 1 x 28 x 28.
        model = torch.nn.Sequential(torch.nn.Unflatten(1, (1, 28, 28)), torch.nn.Conv2d(1, 20, 5), torch.nn.ReLU(),
                                    torch.nn.MaxPool2d(2), torch.nn.Conv2d(20, 50, 5), torch.nn.ReLU(),
                                    torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(800, 500),
                                    torch.nn.ReLU(), torch.nn.Linear(500, 10)).to(dev)
    else:
        model = torch.nn.Sequential(torch.nn.Linear(784, 1024), torch.nn.ReLU(), torch.nn.Linear(1024, 1024),
                                    torch.nn.ReLU(), torch.nn.Linear(1024, 10)).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    samples = 4096
    x_host = torch.rand(samples, 784).pin_memory() if dev.type == "cuda" else torch.rand(samples, 784)
    y_host = torch.randint(0, 10, (samples,))
    x_dev, y_dev = x_host.to(dev), y_host.to(dev)
    batches = [torch.randint(0, samples, (args.batch,)) for _ in range(16)]

    def step(i, staged):
        idx = batches[i % 16]
        if staged:
            x = x_host[idx].to(dev, non_blocking=True)
            y = y_host[idx].to(dev, non_blocking=True)
        else:
            idx_dev = idx.to(dev)
            x, y = x_dev[idx_dev], y_dev[idx_dev]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for staged in (True, False):
        for i in range(30):
            step(i, staged)
        times = []
        for _ in range(args.reps):
            sync(dev)
            t0 = time.perf_counter()
            for i in range(args.steps):
                step(i, staged)
            sync(dev)
            times.append((time.perf_counter() - t0) / args.steps * 1e3)
        print(json.dumps({
            "section": "mlp", "model": args.model, "variant": "staged" if staged else "resident", "device": str(dev),
            "name": torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu",
            "torch": torch.__version__, "batch": args.batch, "ms_per_step_median": statistics.median(times),
            "ms_per_step_min": min(times), "ms_per_step_max": max(times),
            "samples_per_s_median": args.batch / statistics.median(times) * 1e3}), flush=True)


if __name__ == "__main__":
    main()
