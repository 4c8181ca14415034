"""Exports a training checkpoint of models/faces/train.py as the bundled model package and its contact sheets.

    /usr/bin/python3 models/faces/export.py --ckpt /tmp/faces_ckpt/ckpt.pt --out models/bundled \
        --sheet docs/bundled-samples.png

Writes OUT/model.json (official init kwargs + name/description/license + DragGAN defaults) and
OUT/weights.safetensors (G_ema's state_dict under the official names, F16 by default), with mapping.w_avg set to
the mean of mapping(z) over 10,000 seeded z. The contact sheets (8x8, z of seeds 0..63 as
np.random.RandomState(seed).randn(1, z_dim), the official way) are rendered with the recipe's fused
forward pass from the re-read package, so they also check the export: SHEET at psi 0.7, SHEET-psi1 at psi 1.
"""

import argparse
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', 'recipes'))
import fastgen  # noqa: E402
import render  # noqa: E402
from safetensors_io import read_safetensors, write_safetensors  # noqa: E402

DESCRIPTION = ('Demo StyleGAN2 generator (official architecture, 128 px, narrow channels) trained on procedural '
               'cartoon faces rendered by models/faces/render.py; small enough for interactive drags on a laptop CPU. '
               'See MODEL_CARD.md.')


def seed_z(seed, z_dim):
    return np.random.RandomState(seed).randn(1, z_dim).astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ckpt', default='/tmp/faces_ckpt/ckpt.pt')
    ap.add_argument('--out', default='models/bundled')
    ap.add_argument('--sheet', default='docs/bundled-samples.png')
    ap.add_argument('--dtype', default='F16', choices=['F16', 'F32'],
                    help='storage type; the loaders widen F16 to F32, halving the package at no visible cost')
    args = ap.parse_args()
    torch.set_num_threads(2)
    ck = torch.load(args.ckpt)
    G = fastgen.make_generator()
    G.load_state_dict(ck['G_ema'])
    G.eval()
    with torch.no_grad():
        z = torch.from_numpy(np.random.RandomState(2024).randn(10000, G.z_dim).astype(np.float32))
        w = torch.cat([G.mapping(z[i:i + 1000], None)[:, 0] for i in range(0, 10000, 1000)])
        G.mapping.w_avg.copy_(w.mean(0))
    os.makedirs(args.out, exist_ok=True)
    cfg = dict(fastgen.G_KWARGS)
    cfg.update(name='DragGAN demo faces 128 (procedural)', description=DESCRIPTION, license='MIT',
               draggan=fastgen.DRAGGAN_DEFAULTS)
    with open(os.path.join(args.out, 'model.json'), 'w') as f:
        json.dump(cfg, f, indent=2)
        f.write('\n')
    meta = dict(format='pt', producer='models/faces/export.py', steps=str(ck['step']),
                trained_minutes=f"{ck['trained_s'] / 60:.1f}")
    wpath = os.path.join(args.out, 'weights.safetensors')
    write_safetensors(wpath, G.state_dict(), metadata=meta, dtype=args.dtype)
    print(f"wrote {args.out}: step {ck['step']}, {ck['trained_s'] / 60:.1f} min trained, "
          f"{os.path.getsize(wpath) / 1e6:.2f} MB")

    # Re-read the package into a fresh generator and render the sheets with the recipe's own forward pass.
    G2 = fastgen.make_generator()
    G2.load_state_dict(read_safetensors(wpath))
    G2.eval()
    from PIL import Image
    zs = torch.from_numpy(np.concatenate([seed_z(s, G2.z_dim) for s in range(64)]))
    base, ext = os.path.splitext(args.sheet)
    for psi, path in ((0.7, args.sheet), (1.0, base + '-psi1' + ext)):
        with torch.no_grad():
            img = torch.cat([G2(zs[i:i + 16], None, truncation_psi=psi) for i in range(0, 64, 16)])
        arr = ((img.clamp(-1, 1).permute(0, 2, 3, 1).numpy() + 1) * 127.5 + 0.5).astype(np.uint8)
        os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
        Image.fromarray(render.sheet(arr)).save(path)
        print(f'wrote {path} (psi {psi})')
    # The renderer's images for the same seeds, for comparison.
    imgs, _ = render.render_z(zs.numpy())
    Image.fromarray(render.sheet(imgs)).save(base + '-renderer' + ext)
    print(f'wrote {base}-renderer{ext}')


if __name__ == '__main__':
    main()
