#!/usr/bin/env python3
"""PyTorch-CPU yardstick for `hansa simulate`: FedAvg on Fashion-MNIST with the protocol simulate runs, written as a
researcher writes it in plain PyTorch (nn.Sequential, F.cross_entropy, torch.optim.SGD, one process).

Protocol (what SimulationRunner, LocalSgd and FedAvg do):
- each client's training samples and each round's participants come from the JSON that the Java helper
  dev.hansa.client.bench.SimulationProtocol writes (the same Dirichlet partition and uniform sampler as simulate);
- each participant starts from the global model and runs `steps` SGD steps (learning rate `lr`, no momentum) on
  minibatches of `batch` samples, its samples reshuffled at the start of every pass over its data, recording the
  mean minibatch loss;
- the server adds the sample-weighted mean of the updates (w_local - w_global), summed in float64, to the model;
- the global model is evaluated on the 10,000 test images in chunks of 1,000 every `eval_every` rounds and after
  the last.

Prints one JSON line: seconds spent in the rounds (loading excluded), final test accuracy and loss, threads.
Run it with Debian's python3-torch (/usr/bin/python3) and libopenblas0-pthread installed.
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(directory, prefix):
    def path(name):
        plain = os.path.join(directory, f"{prefix}-{name}")
        return plain if os.path.exists(plain) else plain + ".gz"
    images = read_idx(path("images-idx3-ubyte")).reshape(-1, 28 * 28).astype(np.float32) / np.float32(255)
    labels = read_idx(path("labels-idx1-ubyte")).astype(np.int64)
    return torch.from_numpy(images), torch.from_numpy(labels)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--protocol", required=True, help="JSON from SimulationProtocol: client indices, participants")
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--hidden", type=int, default=200)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--eval-every", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train_x, train_y = load(args.data, "train")
    test_x, test_y = load(args.data, "t10k")
    with open(args.protocol) as f:
        protocol = json.load(f)
    clients = [(train_x[idx], train_y[idx]) for idx in (torch.tensor(c, dtype=torch.long) for c in protocol["clients"])]
    rounds = protocol["rounds"]

    model = torch.nn.Sequential(torch.nn.Linear(784, args.hidden), torch.nn.ReLU(), torch.nn.Linear(args.hidden, 10))
    params = list(model.parameters())
    global_params = [p.detach().clone() for p in params]
    optimizer = torch.optim.SGD(params, lr=args.lr)
    order = torch.Generator().manual_seed(args.seed)
    accuracy = loss = float("nan")

    start = time.perf_counter()
    for r, participants in enumerate(rounds, start=1):
        sums = [torch.zeros_like(g, dtype=torch.float64) for g in global_params]
        total = 0
        for c in participants:
            x, y = clients[c]
            n = len(y)
            with torch.no_grad():
                for p, g in zip(params, global_params):
                    p.copy_(g)
            batch = min(args.batch, n)
            perm, cursor, train_loss = None, n, 0.0
            for _ in range(args.steps):
                if cursor == n:
                    perm, cursor = torch.randperm(n, generator=order), 0
                rows = perm[cursor:cursor + batch]
                cursor += len(rows)
                optimizer.zero_grad()
                step_loss = F.cross_entropy(model(x[rows]), y[rows])
                step_loss.backward()
                optimizer.step()
                train_loss += step_loss.item()
            with torch.no_grad():
                for s, p, g in zip(sums, params, global_params):
                    s.add_((p - g).double(), alpha=n)
            total += n
        with torch.no_grad():
            for s, g in zip(sums, global_params):
                g.add_((s / total).float())
        if r % args.eval_every == 0 or r == len(rounds):
            with torch.no_grad():
                for p, g in zip(params, global_params):
                    p.copy_(g)
                correct, loss_sum = 0, 0.0
                for at in range(0, len(test_y), 1000):
                    logits = model(test_x[at:at + 1000])
                    loss_sum += F.cross_entropy(logits, test_y[at:at + 1000], reduction="sum").item()
                    correct += int((logits.argmax(1) == test_y[at:at + 1000]).sum())
                accuracy, loss = correct / len(test_y), loss_sum / len(test_y)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "final_accuracy": accuracy, "final_loss": loss,
                      "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
