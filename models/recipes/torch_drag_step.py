"""Times the official DragGAN drag step in PyTorch on the CPU, for `draggan bench --torch` to print beside ours.

The step is the official renderer's (viz/renderer.py `_render_drag_impl`), re-expressed here: the whole generator
runs every step, the block-5 feature map is bilinearly up-sampled to the image size, tracking by L2 over a
search square, motion supervision by grid_sample and L1, autograd, Adam on the first 6 W+ rows. The network is our
own `stylegan2_torch.py`, or with --official DIR the official `training/networks_stylegan2.py` from a checkout
you have (not part of this repository). Prints one JSON line.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def load_generator(args):
    kwargs = dict(z_dim=512, c_dim=0, w_dim=512, img_resolution=args.resolution, img_channels=3,
                  mapping_kwargs=dict(num_layers=8),
                  synthesis_kwargs=dict(channel_base=32768, channel_max=512, conv_clamp=256, num_fp16_res=4))
    if args.official:
        sys.path.insert(0, args.official)
        from training.networks_stylegan2 import Generator
    else:
        sys.path.insert(0, HERE)
        from stylegan2_torch import Generator
    torch.manual_seed(0)
    return Generator(**kwargs).eval().requires_grad_(False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--resolution', type=int, default=512)
    ap.add_argument('--steps', type=int, default=5)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--official', help='path to an official DragGAN / stylegan3 checkout')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    G = load_generator(args)
    h = args.resolution
    with torch.no_grad():
        w0 = G.mapping(torch.from_numpy(np.random.RandomState(0).randn(1, 512)).float(), None, truncation_psi=0.7)
    w = w0.clone().requires_grad_(True)
    opt = torch.optim.Adam([w], lr=0.002)
    point, target = [round(0.4 * h), round(0.4 * h)], [round(0.46 * h), round(0.52 * h)]
    r1, r2 = round(3 / 512 * h), round(12 / 512 * h)
    xx, yy = torch.meshgrid(torch.linspace(0, h, h), torch.linspace(0, h, h), indexing='ij')
    feat_ref = None
    times = []
    for _ in range(args.steps + 1):
        t0 = time.perf_counter()
        ws = torch.cat([w[:, :6], w0[:, 6:]], dim=1)
        _img, feats = G.synthesis(ws, noise_mode='const', return_feature=True)
        feat = F.interpolate(feats[5], [h, h], mode='bilinear')
        if feat_ref is None:
            feat_ref = feat[:, :, point[0], point[1]].detach()
        with torch.no_grad():
            up, down = max(point[0] - r2, 0), min(point[0] + r2 + 1, h)
            left, right = max(point[1] - r2, 0), min(point[1] + r2 + 1, h)
            d2 = torch.linalg.norm(feat[:, :, up:down, left:right] - feat_ref.reshape(1, -1, 1, 1), dim=1)
            idx = int(torch.argmin(d2.view(-1)))
            point = [idx // (right - left) + up, idx % (right - left) + left]
        direction = torch.tensor([target[1] - point[1], target[0] - point[0]], dtype=torch.float32)
        direction = direction / (torch.linalg.norm(direction) + 1e-7)
        dist = ((xx - point[0]) ** 2 + (yy - point[1]) ** 2) ** 0.5
        ri, rj = torch.where(dist < r1)
        grid = torch.stack([(rj + direction[0]) / (h - 1) * 2 - 1, (ri + direction[1]) / (h - 1) * 2 - 1], dim=-1)[None, None]
        shifted = F.grid_sample(feat.float(), grid, align_corners=True).squeeze(2)
        loss = F.l1_loss(feat[:, :, ri, rj].detach(), shifted)
        opt.zero_grad()
        loss.backward()
        opt.step()
        times.append((time.perf_counter() - t0) * 1000)
    steady = times[1:]
    print(json.dumps(dict(implementation='official' if args.official else 'stylegan2_torch.py', resolution=h,
                          threads=args.threads, step_ms_median=statistics.median(steady), first_step_ms=times[0])))


if __name__ == '__main__':
    main()
