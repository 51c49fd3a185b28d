"""What Python's safetensors (the reference implementation) makes of the examples in docs/protocol.md's
"Tensor format" table: one line per example, ACCEPT with the tensors it read, or refuse with its error."""
import struct

import safetensors

ONE = '"dtype":"F32","shape":[1],"data_offsets":[0,4]'
DATA = b"\0" * 4


def file(header, data=DATA):
    raw = header.encode() if isinstance(header, str) else header
    return struct.pack("<Q", len(raw)) + raw + data


EXAMPLES = {
    "valid": file('{"a":{%s}}' % ONE),
    "body shorter than 8 bytes": b"\0\0\0",
    "header length 2^64-1": b"\xff" * 8 + b"{}",
    "invalid UTF-8 (ff)": file(b'{"__metadata__":{"k":"\xff"},"a":{' + ONE.encode() + b"}}"),
    "overlong UTF-8 (c0 af)": file(b'{"__metadata__":{"k":"\xc0\xaf"},"a":{' + ONE.encode() + b"}}"),
    "encoded surrogate (ed a0 80)": file(b'{"__metadata__":{"k":"\xed\xa0\x80"},"a":{' + ONE.encode() + b"}}"),
    "leading space": file(' {"a":{%s}}' % ONE),
    "leading newline": file('\n{"a":{%s}}' % ONE),
    "byte order mark": file(b"\xef\xbb\xbf" + ('{"a":{%s}}' % ONE).encode()),
    "trailing newline": file('{"a":{%s}}\n' % ONE),
    "trailing NUL": file('{"a":{%s}}\0' % ONE),
    "trailing second object": file('{"a":{%s}}{}' % ONE),
    "NaN": file('{"a":{"dtype":"F32","shape":[NaN],"data_offsets":[0,4]}}'),
    "leading zero": file('{"a":{"dtype":"F32","shape":[01],"data_offsets":[0,4]}}'),
    "trailing comma": file('{"a":{%s},}' % ONE),
    "comment": file('{/*c*/"a":{%s}}' % ONE),
    "unescaped control character": file('{"__metadata__":{"k":"a\x01b"},"a":{%s}}' % ONE),
    "hex digit not ASCII (\\u00e + U+0463)": file('{"__metadata__":{"k":"\\u00e\u0463"},"a":{%s}}' % ONE),
    "tensor twice (second one zero-sized)": file(
        '{"a":{%s},"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}' % ONE),
    "__metadata__ twice": file('{"__metadata__":{},"__metadata__":{},"a":{%s}}' % ONE),
    "metadata key twice": file('{"__metadata__":{"k":"1","k":"2"},"a":{%s}}' % ONE),
    "entry field twice": file('{"a":{"dtype":"F32",%s}}' % ONE),
    "unknown entry field": file('{"a":{%s,"byte_order":"big"}}' % ONE),
    "dtype F16": file('{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}'),
    "shape 1.0": file('{"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}}'),
    "shape 1e0": file('{"a":{"dtype":"F32","shape":[1e0],"data_offsets":[0,4]}}'),
    'shape "1"': file('{"a":{"dtype":"F32","shape":["1"],"data_offsets":[0,4]}}'),
    "shape -0": file('{"a":{"dtype":"F32","shape":[1,-0],"data_offsets":[0,0]}}', b""),
    "offset -1": file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[-1,4]}}'),
    "offset 2^64": file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,18446744073709551616]}}'),
    "zero-sized with dimension 2^40": file('{"a":{"dtype":"F32","shape":[0,1099511627776],"data_offsets":[0,0]}}', b""),
    "element count overflows": file(
        '{"a":{"dtype":"F32","shape":[2147483647,2147483647,2147483647,2147483647,2],"data_offsets":[0,4]}}'),
    "offsets disagree with shape": file('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', b"\0" * 8),
    "gap between regions": file('{"a":{%s},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}' % ONE, b"\0" * 12),
    "zero-sized inside a region": file(
        '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"z":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}',
        b"\0" * 8),
    "byte after the last tensor": file('{"a":{%s}}' % ONE, b"\0" * 5),
    "__metadata__ null": file('{"__metadata__":null,"a":{%s}}' % ONE),
    "__metadata__ value a number": file('{"__metadata__":{"k":1},"a":{%s}}' % ONE),
    "unpaired surrogate escape": file('{"__metadata__":{"k":"\\ud800"},"a":{%s}}' % ONE),
    'tensor name ""': file('{"":{%s}}' % ONE),
    'tensor name "é"': file('{"é":{%s}}' % ONE),
    "no tensor": file("{}", b""),
    "zero-sized and scalar tensors": file(
        '{"z":{"dtype":"F32","shape":[2,0],"data_offsets":[0,0]},"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}'),
}

if __name__ == "__main__":
    print("safetensors", safetensors.__version__)
    for name, data in EXAMPLES.items():
        try:
            tensors = safetensors.deserialize(data)
            print(f"{name:40s} ACCEPT {[(n, t['shape']) for n, t in tensors]}")
        except Exception as e:  # SafetensorError for every refusal
            print(f"{name:40s} refuse: {str(e).replace('Error while deserializing: ', '')[:80]}")
