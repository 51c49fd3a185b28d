#!/usr/bin/env python3
"""Flower's aggregation functions (flwr/server/strategy/aggregate.py) read from a Flower checkout and run with numpy
alone, for aggregation/bin/flower_robust_vectors.py and robust-bench.

Importing the flwr package would need its gRPC and protobuf dependencies, so the file is compiled on its own with its
`from flwr...` imports left out: the names they bring (NDArray, NDArrays, FitRes, ClientProxy) appear only in type
annotations here, and `parameters_to_ndarrays` (Flower's deserialisation, used by aggregate_inplace alone) returns
its argument. Every function runs as it is written in the checkout.
"""
import ast
import os
import subprocess

import numpy as np

from flower_fold import CANDIDATES


def load(checkout):
    """The module namespace of the checkout's aggregate.py, and that file's path."""
    path = next((os.path.join(checkout, c) for c in CANDIDATES if os.path.exists(os.path.join(checkout, c))), None)
    if path is None:
        raise SystemExit(f"{checkout} holds none of {CANDIDATES}: pass the root of a Flower checkout")
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    tree.body = [node for node in tree.body
                 if not (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "flwr")]
    namespace = {"__name__": "flower_aggregate_py", "NDArray": np.ndarray, "NDArrays": list, "FitRes": object,
                 "ClientProxy": object, "parameters_to_ndarrays": lambda parameters: parameters}
    exec(compile(tree, path, "exec"), namespace)
    return namespace, path


def commit(checkout):
    """The checkout's git commit, or None when it is not a git checkout."""
    try:
        return subprocess.run(["git", "-C", checkout, "rev-parse", "HEAD"], check=True, capture_output=True,
                              text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
