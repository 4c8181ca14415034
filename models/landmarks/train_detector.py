"""Trains the face landmark detector on the procedural faces of models/faces/render.py and exports it to ONNX.

    /usr/bin/python3 models/landmarks/train_detector.py --out /tmp/lm_ckpt --steps 3000 --minutes 40 [--resume] \
        --onnx models/landmarks/detector.onnx

The network: a small encoder (stride 16) with a two-level decoder to 32x32 heatmaps, one per landmark, and a
soft-argmax (spatial softmax, expected cell centre) that turns them into coordinates, so the output is
differentiable and sub-pixel. About 0.25 GFLOP and 0.2 M parameters per 128 px image.

ONNX contract (opset 13): input `image` float32 [N, 3, 128, 128], RGB in [-1, 1] (the generator's output range);
output `landmarks` float32 [N, 33, 2], (x, y) in pixels of the 128 px image, the centre of pixel (row i,
column j) at (j, i). The landmark order is render.LANDMARK_NAMES (written to detector.json beside the ONNX file).

Training data: fresh renderer images every step (seeded by the step, so resumable), augmented with
brightness/contrast/colour jitter, Gaussian blur (sigma up to 1.5 px, like a blurry generator) and noise.
Held-out evaluation: 1000 images from a disjoint seed, clean and blurred; the mean error in pixels is printed
and written to OUT/eval.json.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'faces'))
import render  # noqa: E402
from train import Prefetcher, batch_np  # noqa: E402

RES = 128
HM = 32  # heatmap resolution


def cbr(i, o, s=1):
    return [nn.Conv2d(i, o, 3, s, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True)]


class Detector(nn.Module):
    def __init__(self, num_landmarks=render.NUM_LANDMARKS):
        super().__init__()
        self.L = num_landmarks
        self.s1 = nn.Sequential(*cbr(3, 16, 2), *cbr(16, 16))                # 64
        self.s2 = nn.Sequential(*cbr(16, 32, 2), *cbr(32, 32))               # 32
        self.s3 = nn.Sequential(*cbr(32, 64, 2), *cbr(64, 64))               # 16
        self.s4 = nn.Sequential(*cbr(64, 96, 2), *cbr(96, 96), *cbr(96, 96))  # 8
        self.u3 = nn.Sequential(*cbr(96 + 64, 64))                           # 16
        self.u2 = nn.Sequential(*cbr(64 + 32, 48), nn.Conv2d(48, num_landmarks, 1))  # 32
        c = torch.arange(HM, dtype=torch.float32) * (RES / HM) + (RES / HM - 1) / 2
        self.register_buffer('coords', c)

    def forward(self, image):
        a = self.s1(image)
        b = self.s2(a)
        c = self.s3(b)
        d = self.s4(c)
        u = self.u3(torch.cat([F.interpolate(d, scale_factor=2.0, mode='nearest'), c], 1))
        h = self.u2(torch.cat([F.interpolate(u, scale_factor=2.0, mode='nearest'), b], 1))
        n = h.shape[0]
        p = torch.softmax(h.reshape(n, self.L, HM * HM), dim=-1).reshape(n, self.L, HM, HM)
        x = (p.sum(2) * self.coords).sum(-1)
        y = (p.sum(3) * self.coords).sum(-1)
        return torch.stack([x, y], -1)


def blur(x, sigma):
    if sigma <= 0:
        return x
    r = int(math.ceil(2.5 * sigma))
    t = torch.arange(-r, r + 1, dtype=torch.float32)
    k = torch.exp(-t * t / (2 * sigma * sigma))
    k = k / k.sum()
    c = x.shape[1]
    x = F.conv2d(F.pad(x, [r, r, 0, 0], mode='replicate'), k.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(F.pad(x, [0, 0, r, r], mode='replicate'), k.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)


def augment(x, g):
    """x [N, 3, H, W] in [-1, 1]; g a torch.Generator."""
    n = x.shape[0]
    sig = [0.0, 0.0, 0.5, 0.8, 1.1, 1.5]
    pick = torch.randint(len(sig), (n,), generator=g)
    out = torch.empty_like(x)
    for i, s in enumerate(sig):
        m = pick == i
        if m.any():
            out[m] = blur(x[m], s)
    x = out
    mean = x.mean(dim=[1, 2, 3], keepdim=True)
    contrast = 0.75 + 0.5 * torch.rand(n, 1, 1, 1, generator=g)
    bright = 0.2 * (torch.rand(n, 1, 1, 1, generator=g) - 0.5)
    colour = 0.12 * (torch.rand(n, 3, 1, 1, generator=g) - 0.5)
    x = (x - mean) * contrast + mean + bright + colour
    x = x + torch.randn(x.shape, generator=g) * (0.05 * torch.rand(n, 1, 1, 1, generator=g))
    return x.clamp(-1, 1)


def to_input(imgs):
    return torch.from_numpy(imgs).permute(0, 3, 1, 2).float() / 127.5 - 1


def evaluate(model, n=1000, seed=99991):
    model.eval()
    errs = {}
    z, imgs, lms = batch_np((seed, 0, n, 32))
    x = to_input(imgs)
    gt = torch.from_numpy(lms)
    with torch.no_grad():
        for name, xx in (('clean', x), ('blur1', blur(x, 1.0))):
            pred = torch.cat([model(xx[i:i + 100]) for i in range(0, n, 100)])
            d = (pred - gt).norm(dim=-1)
            errs[name] = dict(mean_px=d.mean().item(), median_px=d.median().item(), p95_px=d.quantile(0.95).item(),
                              max_px=d.max().item(),
                              per_landmark=dict(zip(render.LANDMARK_NAMES, [round(v, 3) for v in d.mean(0).tolist()])))
    model.train()
    return errs


def export_onnx(model, path):
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 3, RES, RES), path, input_names=['image'], output_names=['landmarks'],
                      opset_version=13, dynamic_axes={'image': {0: 'n'}, 'landmarks': {0: 'n'}})
    model.train()


def write_metadata(onnx_path, errs, step):
    """detector.json beside the ONNX file: the landmark order and the I/O contract the TypeScript side reads."""
    meta = dict(
        names=render.LANDMARK_NAMES, resolution=RES, input='image', output='landmarks',
        description=('landmark CNN trained on the procedural faces (models/landmarks/train_detector.py); input '
                     '[N,3,128,128] RGB in [-1,1], output [N,K,2] (x, y) pixels, pixel (row i, column j) centred at (j, i)'),
        five_points=render.FIVE_POINTS, steps=step)
    if errs:
        meta['heldout_mean_px'] = dict(clean=round(errs['clean']['mean_px'], 3), blur1=round(errs['blur1']['mean_px'], 3))
    with open(os.path.join(os.path.dirname(onnx_path), 'detector.json'), 'w') as f:
        json.dump(meta, f, indent=1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default='/tmp/lm_ckpt')
    ap.add_argument('--steps', type=int, default=3000, help='total steps (sets the learning-rate schedule)')
    ap.add_argument('--minutes', type=float, default=40, help='wall-time bound for this run')
    ap.add_argument('--resume', action='store_true')
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--ckpt-every', type=float, default=180)
    ap.add_argument('--onnx', default='models/landmarks/detector.onnx')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    ckpt = os.path.join(args.out, 'ckpt.pt')
    model = Detector()
    opt = torch.optim.Adam(model.parameters(), args.lr)
    step, trained_s = 0, 0.0
    if args.resume and os.path.exists(ckpt):
        ck = torch.load(ckpt)
        model.load_state_dict(ck['model'])
        opt.load_state_dict(ck['opt'])
        step, trained_s = ck['step'], ck['trained_s']
        print(f'resumed at step {step}', flush=True)
    print(f'{sum(p.numel() for p in model.parameters())} parameters', flush=True)

    def save():
        torch.save(dict(model=model.state_dict(), opt=opt.state_dict(), step=step, trained_s=trained_s), ckpt + '.tmp')
        os.replace(ckpt + '.tmp', ckpt)

    pre = Prefetcher(args.seed, step, args.batch, 32)
    t_start = t_ck = time.time()
    acc, acc_n = 0.0, 0
    while step < args.steps and time.time() - t_start < args.minutes * 60:
        t0 = time.time()
        _, x0, lms = pre.get()
        g = torch.Generator().manual_seed(args.seed * 1000003 + step)
        x = augment(x0, g)
        lr = args.lr * 0.5 * (1 + math.cos(math.pi * min(step / args.steps, 1.0)))
        for pg in opt.param_groups:
            pg['lr'] = lr
        pred = model(x)
        loss = (pred - lms).abs().mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        trained_s += time.time() - t0
        acc += loss.item()
        acc_n += 1
        if step % 25 == 0:
            print(f'step {step} L1 {acc / acc_n:.3f} px lr {lr:.2e} {trained_s / step:.2f} s/step', flush=True)
            acc, acc_n = 0.0, 0
        if time.time() - t_ck > args.ckpt_every:
            save()
            t_ck = time.time()
    save()
    pre.pool.terminate()
    errs = evaluate(model)
    errs['steps'] = step
    errs['trained_minutes'] = round(trained_s / 60, 1)
    print(json.dumps({k: ({kk: vv for kk, vv in v.items() if kk != 'per_landmark'} if isinstance(v, dict) else v)
                      for k, v in errs.items()}), flush=True)
    with open(os.path.join(args.out, 'eval.json'), 'w') as f:
        json.dump(errs, f, indent=1)
    if args.onnx:
        export_onnx(model, args.onnx)
        write_metadata(args.onnx, errs, step)
        print(f'wrote {args.onnx}', flush=True)


if __name__ == '__main__':
    main()
