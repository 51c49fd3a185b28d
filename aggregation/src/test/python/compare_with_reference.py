"""Compares Hansa's safetensors verdicts (SafetensorsVerdicts, one JSON line per file on stdin) with Python's
safetensors, the reference implementation.

Hansa must never accept a file the reference refuses, and where both accept they must agree on every tensor name,
shape and data byte and on the metadata. Files only Hansa refuses are counted by the first words of Hansa's message,
which name the rule (docs/protocol.md, "Tensor format"). Exits 1 on any disagreement.
"""
import collections
import hashlib
import json
import re
import sys

import safetensors


def reference(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        tensors = safetensors.deserialize(data)
    except Exception as e:  # the reference raises SafetensorError (and others) for refused files
        return None, str(e)
    metadata = {}
    n = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + n])
    metadata = header.get("__metadata__") or {}
    return ({name: (t["dtype"], list(t["shape"]), hashlib.sha256(bytes(t["data"])).hexdigest())
             for name, t in tensors}, metadata), None


def rule(message):
    """The rule a refusal names, without the file-specific names and numbers."""
    text = re.sub(r"'[^']*'", "'…'", message)
    text = re.sub(r"\d+", "N", text)
    return " ".join(text.split()[:8])


def main():
    counts = collections.Counter()
    only_hansa_refuses = collections.Counter()
    bad = 0
    for line in sys.stdin:
        verdict = json.loads(line)
        ref, ref_error = reference(verdict["file"])
        if verdict["accepted"]:
            if ref is None:
                print("ACCEPTED ONLY BY HANSA:", verdict["file"], ref_error)
                bad += 1
                continue
            mine = {name: ("F32", shape, sha) for name, shape, sha in verdict["tensors"]}
            if mine != ref[0] or verdict["metadata"] != ref[1]:
                print("CONTENTS DIFFER:", verdict["file"])
                bad += 1
                continue
            counts["accepted by both, same contents"] += 1
        elif ref is None:
            counts["refused by both"] += 1
        else:
            counts["refused by Hansa only"] += 1
            only_hansa_refuses[rule(verdict["message"])] += 1
    for k, v in counts.items():
        print(f"{v:8d}  {k}")
    for k, v in only_hansa_refuses.most_common():
        print(f"{v:8d}    Hansa only: {k}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
