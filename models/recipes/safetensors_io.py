"""Minimal safetensors writer (F32, names sorted) so the recipes need no extra Python package."""

import json
import struct

import torch


def write_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata:
        header['__metadata__'] = metadata
    for k in sorted(tensors):
        a = torch.as_tensor(tensors[k]).detach().cpu().to(torch.float32).contiguous().numpy().astype('<f4')
        b = a.tobytes()
        header[k] = dict(dtype='F32', shape=list(a.shape), data_offsets=[offset, offset + len(b)])
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * ((8 - (8 + len(h)) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))
