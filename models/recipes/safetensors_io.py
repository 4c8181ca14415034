"""Minimal safetensors reader (F32/F16) and writer (F32 or F16, names sorted) so the recipes need no extra Python package.

torch is imported only by the functions that deal in torch tensors, so numpy-only recipes can read packages.
"""

import json
import struct

import numpy as np


def write_safetensors(path, tensors, metadata=None, dtype='F32'):
    import torch
    np_dtype = {'F32': '<f4', 'F16': '<f2'}[dtype]
    header, blobs, offset = {}, [], 0
    if metadata:
        header['__metadata__'] = metadata
    for k in sorted(tensors):
        a = torch.as_tensor(tensors[k]).detach().cpu().to(torch.float32).contiguous().numpy().astype(np_dtype)
        b = a.tobytes()
        header[k] = dict(dtype=dtype, shape=list(a.shape), data_offsets=[offset, offset + len(b)])
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * ((8 - (8 + len(h)) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


def read_safetensors_numpy(path, with_metadata=False):
    """{name: float32 numpy array}, and the header's string metadata too when with_metadata."""
    with open(path, 'rb') as f:
        raw = f.read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for k, e in header.items():
        if k == '__metadata__':
            continue
        a, b = e['data_offsets']
        dt = {'F32': '<f4', 'F16': '<f2'}[e['dtype']]
        out[k] = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=dt).astype(np.float32).reshape(e['shape'])
    return (out, header.get('__metadata__', {})) if with_metadata else out


def read_safetensors(path, with_metadata=False):
    """{name: F32 tensor}, and the header's string metadata too when with_metadata."""
    import torch
    arrays, metadata = read_safetensors_numpy(path, with_metadata=True)
    out = {k: torch.from_numpy(a) for k, a in arrays.items()}
    return (out, metadata) if with_metadata else out
