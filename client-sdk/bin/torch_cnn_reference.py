#!/usr/bin/env python3
"""PyTorch's reading of a Hansa CNN, for ConvNetworkTorchTest.

Usage: torch_cnn_reference.py DIR

DIR holds model.safetensors (written by Hansa), images.f32 (float32, one image after another, channels then rows then
columns) and labels.i32 (int32). The script builds ByzFL's cnn_mnist as an nn.Module, loads the file into it with
load_state_dict(strict=True) (so names and shapes must be the module's), converts it to float64, and writes the mean
cross-entropy loss of the batch (one line on stdout) and its gradient, flattened in the file's tensor order, to
DIR/gradient.f64. The file is parsed here (8-byte header length, JSON header, data), so only torch and numpy are needed.
"""
import json
import struct
import sys

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


class CnnMnist(nn.Module):
    """ByzFL's cnn_mnist: two conv blocks (ReLU, 2 x 2 max pooling), then two linear layers."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5, 1)
        self.conv2 = nn.Conv2d(20, 50, 5, 1)
        self.fc1 = nn.Linear(4 * 4 * 50, 500)
        self.fc2 = nn.Linear(500, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2, 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2, 2)
        x = torch.flatten(x, 1)
        return self.fc2(F.relu(self.fc1(x)))


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    header.pop("__metadata__", None)
    body = data[8 + length:]
    names = sorted(header, key=lambda n: header[n]["data_offsets"][0])
    tensors = {}
    for name in names:
        entry = header[name]
        assert entry["dtype"] == "F32", entry
        start, end = entry["data_offsets"]
        values = np.frombuffer(body[start:end], dtype="<f4").reshape(entry["shape"])
        tensors[name] = torch.from_numpy(values.copy())
    return names, tensors


def main(directory):
    names, tensors = read_safetensors(f"{directory}/model.safetensors")
    model = CnnMnist()
    model.load_state_dict(tensors, strict=True)
    model = model.double()
    images = np.fromfile(f"{directory}/images.f32", dtype="<f4").astype(np.float64)
    labels = np.fromfile(f"{directory}/labels.i32", dtype="<i4").astype(np.int64)
    x = torch.from_numpy(images.reshape(len(labels), 1, 28, 28))
    loss = F.cross_entropy(model(x), torch.from_numpy(labels))
    loss.backward()
    parameters = dict(model.named_parameters())
    gradient = np.concatenate([parameters[n].grad.numpy().ravel() for n in names])
    gradient.astype("<f8").tofile(f"{directory}/gradient.f64")
    print(repr(loss.item()))


if __name__ == "__main__":
    main(sys.argv[1])
