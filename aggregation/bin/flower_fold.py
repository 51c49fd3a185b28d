#!/usr/bin/env python3
"""Times Flower's `aggregate_inplace` (flwr/server/strategy/aggregate.py) on the inputs aggregation/bin/fold-bench
writes, for the side-by-side comparison with Hansa's fold.

The function is read from a Flower checkout given by --flower and run as it is written there, with numpy alone:
importing the flwr package would need its gRPC and protobuf dependencies, so only that function's definition is
compiled, with `parameters_to_ndarrays` standing for Flower's deserialisation and returning the update's arrays as
they are (Flower's timing then excludes decoding, as Hansa's does). `aggregate_inplace` scales each update in place,
so every fold starts from a fresh copy of the inputs, copied outside the timed region.

Prints one JSON line: the seconds of each timed fold, the sum of the resulting mean, numpy's version and the
Flower source file it ran.
"""
import argparse
import ast
import functools
import json
import os
import time
import types

import numpy as np

CANDIDATES = ["framework/py/flwr/server/strategy/aggregate.py", "src/py/flwr/server/strategy/aggregate.py"]


def load_aggregate_inplace(checkout):
    """The `aggregate_inplace` function defined in the checkout's aggregate.py, compiled on its own."""
    path = next((os.path.join(checkout, c) for c in CANDIDATES if os.path.exists(os.path.join(checkout, c))), None)
    if path is None:
        raise SystemExit(f"{checkout} holds none of {CANDIDATES}: pass the root of a Flower checkout")
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    definition = next((node for node in tree.body
                       if isinstance(node, ast.FunctionDef) and node.name == "aggregate_inplace"), None)
    if definition is None:
        raise SystemExit(f"{path} defines no aggregate_inplace")
    namespace = {
        "np": np, "partial": functools.partial, "reduce": functools.reduce,
        # Names its annotations use, and the deserialisation it calls.
        "NDArray": np.ndarray, "NDArrays": list, "ClientProxy": object, "FitRes": object,
        "parameters_to_ndarrays": lambda parameters: parameters,
    }
    exec(compile(ast.Module(body=[definition], type_ignores=[]), path, "exec"), namespace)
    return namespace["aggregate_inplace"], path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--flower", required=True, help="root of a Flower checkout (github.com/adap/flower)")
    ap.add_argument("--updates", required=True, help="little-endian float32 updates, one after another")
    ap.add_argument("--samples", required=True, help="one sample count per line")
    ap.add_argument("--size", type=int, required=True, help="floats per update")
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()

    aggregate_inplace, source = load_aggregate_inplace(args.flower)
    with open(args.samples) as f:
        samples = [int(line) for line in f if line.strip()]
    pristine = np.fromfile(args.updates, dtype="<f4").reshape(len(samples), args.size)
    work = np.empty_like(pristine)
    seconds, checksum = [], 0.0
    for fold in range(args.warmup + args.folds):
        np.copyto(work, pristine)
        results = [(None, types.SimpleNamespace(num_examples=n, parameters=[work[i]])) for i, n in enumerate(samples)]
        start = time.perf_counter()
        mean = aggregate_inplace(results)
        elapsed = time.perf_counter() - start
        if fold >= args.warmup:
            seconds.append(elapsed)
        checksum = float(np.sum(mean[0], dtype=np.float64))
    print(json.dumps({"seconds": seconds, "checksum": checksum, "numpy": np.__version__, "source": source}))


if __name__ == "__main__":
    main()
