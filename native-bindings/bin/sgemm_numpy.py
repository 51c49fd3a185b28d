#!/usr/bin/env python3
"""numpy.matmul on float32 for SgemmBenchmark's shapes (n, or MxNxK plus transpose letters), timed like a JMH run:
two seconds of warm-up, then ITERATIONS timed windows of SECONDS each. Prints one JSON object: shape -> list of ms
per product, one per window. Threads: set OPENBLAS_NUM_THREADS before starting it (bin/bench does).

Usage: sgemm_numpy.py [--iterations 5] [--seconds 1] SHAPE...
"""
import argparse
import json
import time

import numpy as np


def parse_shape(shape):
    if shape.isdigit():
        n = int(shape)
        return n, n, n, False, False
    m, n, k = (int(v) for v in shape[:-2].split("x"))
    return m, n, k, shape[-2] == "T", shape[-1] == "T"


def time_shape(shape, iterations, seconds):
    m, n, k, ta, tb = parse_shape(shape)
    rng = np.random.default_rng(1)
    a = rng.random((k, m) if ta else (m, k), dtype=np.float32) - 0.5
    b = rng.random((n, k) if tb else (k, n), dtype=np.float32) - 0.5
    a_op, b_op = (a.T if ta else a), (b.T if tb else b)  # views: BLAS gets transpose flags, nothing is copied
    c = np.empty((m, n), dtype=np.float32)
    deadline = time.perf_counter() + 2 * seconds
    while time.perf_counter() < deadline:
        np.matmul(a_op, b_op, out=c)
    windows = []
    for _ in range(iterations):
        count, t0 = 0, time.perf_counter()
        while True:
            np.matmul(a_op, b_op, out=c)
            count += 1
            elapsed = time.perf_counter() - t0
            if elapsed >= seconds:
                break
        windows.append(elapsed / count * 1e3)
    return windows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("shapes", nargs="+")
    args = ap.parse_args()
    print(json.dumps({s: time_shape(s, args.iterations, args.seconds) for s in args.shapes}))


if __name__ == "__main__":
    main()
