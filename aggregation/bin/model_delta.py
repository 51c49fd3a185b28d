#!/usr/bin/env python3
"""Applies a Hansa model delta (docs/protocol.md, "Model deltas") with the standard library only, so that a client
in another language can check its own implementation against the Java one.

    model_delta.py BASE DELTA OUT    writes the target file that DELTA rebuilds from BASE, after checking both hashes
"""
import hashlib
import struct
import sys
import zlib

HEADER = 4 + 1 + 32 + 32 + 8 + 8


def apply(base: bytes, frame: bytes) -> bytes:
    if frame[:5] != b"HNSD\x01" or len(frame) < HEADER:
        raise ValueError("not a version-1 model delta")
    if frame[5:37] != hashlib.sha256(base).digest():
        raise ValueError("the delta is against another base")
    n, s = struct.unpack("<QQ", frame[69:85])
    if n != len(base) or s > n:
        raise ValueError("length %d or plane start %d does not fit a base of %d bytes" % (n, s, len(base)))
    inflater = zlib.decompressobj()
    planes = inflater.decompress(frame[HEADER:], n)
    if len(planes) != n or not inflater.eof or inflater.unused_data or inflater.unconsumed_tail:
        raise ValueError("the zlib stream does not inflate to exactly %d bytes" % n)
    g = (n - s) // 4
    x = bytearray(planes)
    for p in range(4):
        for i in range(g):
            x[s + 4 * i + p] = planes[s + p * g + i]
    target = bytes(a ^ b for a, b in zip(base, x))
    if hashlib.sha256(target).digest() != frame[37:69]:
        raise ValueError("the delta does not reproduce its target")
    return target


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    with open(sys.argv[1], "rb") as b, open(sys.argv[2], "rb") as d:
        out = apply(b.read(), d.read())
    with open(sys.argv[3], "wb") as o:
        o.write(out)
