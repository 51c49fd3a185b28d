#!/usr/bin/python3
"""Hansa's shared random streams (docs/algorithms.md, "Shared randomness"), with numpy only.

An independent reference for Philox4x32-10 as Hansa uses it, written from Random123's definition, so a client in
another language can check its streams bit for bit. Stream (seed, stream): key (k0, k1) = (seed low, seed high);
block b has counter (b low, b high, stream low, stream high); word i of the stream is word i % 4 of block i // 4.

Usage (every number decimal or 0x-hex; output one value per line):
  philox_reference.py words SEED STREAM COUNT      u32 words, 8 hex digits
  philox_reference.py ints SEED STREAM N COUNT     integers in [0, N) (Lemire, rejection on u32 words)
  philox_reference.py floats SEED STREAM COUNT     float32 (w >> 8) * 2^-24, its bits in hex
  philox_reference.py doubles SEED STREAM COUNT    float64 from word pairs (26 + 27 bits), its bits in hex
  philox_reference.py signs SEED STREAM COUNT      +1 / -1 from each word's top bit
  philox_reference.py normals SEED STREAM COUNT    Box-Muller normals (log/cos/sin from libm), bits in hex
  philox_reference.py randk SEED D K              the rand-k indices of docs/protocol.md (SEED: the plan's), ascending
  philox_reference.py countsketch SEED ROWS COLUMNS D   per row, per coordinate: "column sign" of the count sketch
"""
import math
import sys

import numpy as np

M0, M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
W0, W1 = np.uint32(0x9E3779B9), np.uint32(0xBB67AE85)
MASK = np.uint64(0xFFFFFFFF)


def philox_blocks(k0, k1, c0, c1, c2, c3):
    """Philox4x32-10 of counter arrays (u32) under key (k0, k1): four u32 arrays."""
    c0, c1, c2, c3 = (np.asarray(c, dtype=np.uint32) for c in (c0, c1, c2, c3))
    k0, k1 = np.uint32(k0), np.uint32(k1)
    with np.errstate(over="ignore"):
        for r in range(10):
            if r > 0:
                k0, k1 = np.uint32(k0 + W0), np.uint32(k1 + W1)
            p0 = M0 * c0.astype(np.uint64)
            p1 = M1 * c2.astype(np.uint64)
            hi0, lo0 = (p0 >> np.uint64(32)).astype(np.uint32), (p0 & MASK).astype(np.uint32)
            hi1, lo1 = (p1 >> np.uint64(32)).astype(np.uint32), (p1 & MASK).astype(np.uint32)
            c0, c1, c2, c3 = hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
    return c0, c1, c2, c3


def words(seed, stream, count):
    """The first `count` u32 words of stream (seed, stream)."""
    blocks = np.arange((count + 3) // 4, dtype=np.uint64)
    out = philox_blocks(seed & 0xFFFFFFFF, seed >> 32, blocks & MASK, blocks >> np.uint64(32),
                        np.full(blocks.shape, stream & 0xFFFFFFFF, dtype=np.uint64),
                        np.full(blocks.shape, stream >> 32, dtype=np.uint64))
    return np.stack(out, axis=1).reshape(-1)[:count]


class Stream:
    """Words of one stream in order, generated a block at a time."""

    def __init__(self, seed, stream):
        self.seed, self.stream, self.block, self.buffer = seed, stream, 0, []

    def word(self):
        if not self.buffer:
            b = self.block
            out = philox_blocks(self.seed & 0xFFFFFFFF, self.seed >> 32, [b & 0xFFFFFFFF], [b >> 32],
                                [self.stream & 0xFFFFFFFF], [self.stream >> 32])
            self.buffer = [int(w[0]) for w in reversed(out)]
            self.block += 1
        return self.buffer.pop()

    def int_below(self, n):
        m = self.word() * n
        if (m & 0xFFFFFFFF) < n:
            threshold = (1 << 32) % n
            while (m & 0xFFFFFFFF) < threshold:
                m = self.word() * n
        return m >> 32


RANDK_STREAM = 0x72616E646B  # "randk" in ASCII


def randk_indices(seed, d, k):
    """Rand-k's indices under the plan's seed: the first k steps of a Fisher-Yates shuffle of 0..d-1
    (j = i + int_below(d - i)) on stream (seed, RANDK_STREAM), sorted."""
    s = Stream(seed, RANDK_STREAM)
    index = list(range(d))
    for i in range(k):
        j = i + s.int_below(d - i)
        index[i], index[j] = index[j], index[i]
    return sorted(index[:k])


SKETCH_STREAM = 0x736B65746368  # "sketch" in ASCII


def countsketch_hashes(seed, rows, columns, d):
    """Row j's (column, sign) of coordinates 0..d-1: int_below(columns) then the sign of the next word, in turn, on
    stream (seed, SKETCH_STREAM << 8 | j)."""
    out = []
    for j in range(rows):
        s = Stream(seed, SKETCH_STREAM << 8 | j)
        row = []
        for _ in range(d):
            column = s.int_below(columns)
            row.append((column, -1 if s.word() >> 31 else 1))
        out.append(row)
    return out


def main(argv):
    kind, args = argv[1], argv[2:]
    if kind == "randk":
        for i in randk_indices(int(args[0], 0), int(args[1], 0), int(args[2], 0)):
            print(i)
        return
    if kind == "countsketch":
        for row in countsketch_hashes(*(int(a, 0) for a in args[:4])):
            print("\n".join("%d %d" % h for h in row))
        return
    seed, stream = int(args[0], 0), int(args[1], 0)
    if kind == "words":
        print("\n".join("%08x" % w for w in words(seed, stream, int(args[2], 0))))
    elif kind == "ints":
        s = Stream(seed, stream)
        print("\n".join(str(s.int_below(int(args[2], 0))) for _ in range(int(args[3], 0))))
    elif kind == "floats":
        w = words(seed, stream, int(args[2], 0))
        values = ((w >> np.uint32(8)).astype(np.float64) * 2.0 ** -24).astype(np.float32)
        print("\n".join("%08x" % b for b in values.view(np.uint32).tolist()))
    elif kind == "doubles":
        w = words(seed, stream, 2 * int(args[2], 0)).tolist()
        values = np.array([((w[2 * j] >> 6) << 27 | (w[2 * j + 1] >> 5)) * 2.0 ** -53 for j in range(len(w) // 2)])
        print("\n".join("%016x" % b for b in values.view(np.uint64).tolist()))
    elif kind == "normals":
        count = int(args[2], 0)
        w = words(seed, stream, 4 * ((count + 1) // 2)).tolist()
        out = []
        for j in range(0, len(w), 4):
            m1 = (w[j] >> 6) << 27 | (w[j + 1] >> 5)
            m2 = (w[j + 2] >> 6) << 27 | (w[j + 3] >> 5)
            u1, u2 = (m1 + 0.5) * 2.0 ** -53, m2 * 2.0 ** -53
            r = math.sqrt(-2.0 * math.log(u1))
            out += [r * math.cos(2.0 * math.pi * u2), r * math.sin(2.0 * math.pi * u2)]
        print("\n".join("%016x" % b for b in np.array(out[:count]).view(np.uint64).tolist()))
    elif kind == "signs":
        print("\n".join("-1" if x >> 31 else "1" for x in words(seed, stream, int(args[2], 0)).tolist()))
    else:
        sys.exit("unknown kind " + kind)


if __name__ == "__main__":
    main(sys.argv)
