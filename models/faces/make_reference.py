"""Reference values for test/faces: what PyTorch (the recipe's official-layout generator, and the landmark
detector) computes on the bundled model, so the TypeScript graphs and runtime can be checked against it.

    /usr/bin/python3 models/faces/make_reference.py --model models/bundled \
        --detector /tmp/lm_ckpt/ckpt.pt --out test/faces/bundled_reference.json

For seeds 0 and 1 at psi 0.7: w (mapping output, one row), the image box-filtered to 16x16, and -- when a
detector checkpoint is given -- the detector's landmarks on the full PyTorch image.
"""

import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', 'landmarks'))
import fastgen  # noqa: E402
from export import seed_z  # noqa: E402
from safetensors_io import read_safetensors  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', default='models/bundled')
    ap.add_argument('--detector', default='')
    ap.add_argument('--out', default='test/faces/bundled_reference.json')
    args = ap.parse_args()
    torch.set_num_threads(1)
    with open(os.path.join(args.model, 'model.json')) as f:
        cfg = json.load(f)
    kw = {k: cfg[k] for k in ('z_dim', 'c_dim', 'w_dim', 'img_resolution', 'img_channels', 'mapping_kwargs',
                              'synthesis_kwargs')}
    import stylegan2_torch as sg
    G = sg.Generator(**kw)
    G.load_state_dict(read_safetensors(os.path.join(args.model, 'weights.safetensors')))
    G.eval()
    det = None
    if args.detector:
        from train_detector import Detector
        det = Detector()
        det.load_state_dict(torch.load(args.detector)['model'])
        det.eval()
    out = dict(psi=0.7, samples=[])
    for seed in (0, 1):
        z = torch.from_numpy(seed_z(seed, G.z_dim))
        with torch.no_grad():
            w = G.mapping(z, None, truncation_psi=0.7)
            img = G.synthesis(w)
            s = dict(seed=seed, w=[round(v, 6) for v in w[0, 0].tolist()],
                     image16=[round(v, 5) for v in F.avg_pool2d(img, 8).flatten().tolist()],
                     image_min=img.min().item(), image_max=img.max().item())
            if det is not None:
                s['landmarks'] = [[round(a, 4), round(b, 4)] for a, b in det(img)[0].tolist()]
        out['samples'].append(s)
    with open(args.out, 'w') as f:
        json.dump(out, f)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
