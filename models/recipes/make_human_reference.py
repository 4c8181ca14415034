"""A rectangular (StyleGAN-Human layout) test generator and reference tensors from the OFFICIAL code (PyTorch).

    mkdir -p /tmp/draggan && git -C /work/.mirror/XingangPan+DragGAN/repo archive HEAD dnnlib torch_utils \
        training viz legacy.py stylegan_human/__init__.py stylegan_human/training_scripts | tar -x -C /tmp/draggan
    /usr/bin/python3 models/recipes/make_human_reference.py /tmp/draggan

The generator is built with the StyleGAN-Human networks the official DragGAN vendors
(stylegan_human/training_scripts/sg2/training/networks.py, `square=False`: every map is half as wide as tall, from a
[C, 4, 2] constant) at 128 x 64 with random weights, on CPU. The official DragGAN renderer (viz/renderer.py) builds
such a generator with `square=False, padding=True`, which pads the image (with 1) and every feature map (with 0) on
the left and right to a square; its drag steps are recorded in those padded coordinates.

Writes:
- test/fixtures/checkpoints/human128.pkl: G_ema in the official snapshot format through stand-in modules
  (persistence_format.py), init kwargs as the released pickles hold them: without `square`, which the renderer
  passes itself (so the importer reads the aspect from the constant's shape).
- test/fixtures/reference/human128.{safetensors,json}: two seeds' w and images (unpadded, 128 tall x 64 wide), the
  feature map, and 10 official renderer drag steps of one handle at lr 0.001 and 0.1.
"""

import argparse
import copy
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import persistence_format as pf  # noqa: E402
from make_reference import load_official, run_drag  # noqa: E402
from safetensors_io import write_safetensors  # noqa: E402

NAME = 'human128'
PSI = 0.7
SEEDS = (0, 1)
FEATURE_IDX = 5  # the 128 x 64 block: the renderer's resize to the image is then the identity
R1, R2 = 12, 24  # scaled to round(3) and round(6) px at 128 px (the default 3 would scale to 1)
FAST_LR = 0.1

KWARGS = dict(z_dim=32, c_dim=0, w_dim=32, img_resolution=128, img_channels=3,
              mapping_kwargs=dict(num_layers=2), synthesis_kwargs=dict(channel_base=2048, channel_max=32,
                                                                        conv_clamp=256, num_fp16_res=0))

# Stand-in module source: only the names matter to the importer (nothing in it is executed).
SG2_SRC = '''import torch
# Stand-in for the StyleGAN-Human generator module (training_scripts/sg2/training/networks.py).
def modulated_conv2d(*args, **kwargs): pass
class MappingNetwork(torch.nn.Module): pass
class SynthesisNetwork(torch.nn.Module): pass
class Generator(torch.nn.Module): pass
'''


def randomise(G, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in G.named_parameters():
            if name.endswith('noise_strength'):
                p.copy_(torch.randn([], generator=g) * 0.2)
            elif name.endswith('affine.bias'):
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
            elif name.endswith('bias'):
                p.copy_(0.2 * torch.randn(p.shape, generator=g))
        G.mapping.w_avg.copy_(0.5 * torch.randn(G.mapping.w_avg.shape, generator=g))


def stand_in_pickle(G_ema, path):
    saved = {k: sys.modules.get(k) for k in ['torch_utils', 'torch_utils.persistence', 'dnnlib', 'dnnlib.util']}
    for k in saved:
        sys.modules.pop(k, None)
    kwargs = G_ema._init_kwargs
    G_ema._init_kwargs = {k: v for k, v in kwargs.items() if k not in ('square', 'padding')}
    try:
        pf.install_standins()
        overrides = {id(m): (type(m).__name__, SG2_SRC) for m in G_ema.modules()}
        with open(path, 'wb') as f:
            pf.PersistentPickler(f, 4, {}, overrides).dump(
                dict(G=G_ema, D=None, G_ema=G_ema, augment_pipe=None, training_set_kwargs=dict()))
    finally:
        G_ema._init_kwargs = kwargs
        pf.uninstall_standins()
        for k, v in saved.items():
            if v is not None:
                sys.modules[k] = v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('official_repo', help='a checkout of XingangPan/DragGAN (outside this repository)')
    ap.add_argument('--fixtures', default=os.path.join(HERE, '..', '..', 'test', 'fixtures'))
    args = ap.parse_args()
    torch.set_grad_enabled(True)
    load_official(args.official_repo)
    from viz.renderer import Renderer
    from stylegan_human.training_scripts.sg2.training.networks import Generator

    torch.manual_seed(5)
    G = Generator(**copy.deepcopy(KWARGS), square=False, padding=True).eval().requires_grad_(False)
    randomise(G, 5)
    stand_in_pickle(G, os.path.join(args.fixtures, 'checkpoints', f'{NAME}.pkl'))

    H = G.img_resolution
    pad = H // 4  # the renderer's left/right padding of a W = H / 2 image
    label = torch.zeros([1, G.c_dim])
    tensors, info = {}, dict(seeds={})
    for seed in SEEDS:
        z = torch.from_numpy(np.random.RandomState(seed).randn(1, G.z_dim))
        with torch.no_grad():
            w = G.mapping(z, label, truncation_psi=PSI)
            img, feats = G.synthesis(w, noise_mode='const', return_feature=True)
        tensors[f'z{seed}'] = z.float()
        tensors[f'w{seed}'] = w
        tensors[f'img{seed}'] = img
        tensors[f'img_u8_{seed}'] = (img[0] * 127.5 + 128).clamp(0, 255).to(torch.uint8).permute(1, 2, 0).float()
        if seed == 0:
            tensors['feat'] = feats[FEATURE_IDX]
            info['feature_sizes'] = [list(f.shape) for f in feats]
            w0 = w

    # [row, col] in the renderer's padded square; col - pad in the 64 px wide image
    handles = [[60, 30 + pad]]
    targets = [[70, 38 + pad]]
    drag_args = argparse.Namespace(feature_idx=FEATURE_IDX, r1=R1, r2=R2, lambda_mask=20)
    plain_run = run_drag(G, Renderer, w0, handles, targets, None, drag_args)
    fast_run = run_drag(G, Renderer, w0, handles, targets, None, drag_args, lr=FAST_LR)
    tensors['drag_ws'] = torch.stack(plain_run['ws'])
    tensors['drag_fast_ws'] = torch.stack(fast_run['ws'])
    tensors['grad_ws'] = plain_run['grad'][0]
    ref_dir = os.path.join(args.fixtures, 'reference')
    write_safetensors(os.path.join(ref_dir, f'{NAME}.safetensors'), tensors,
                      metadata=dict(producer='models/recipes/make_human_reference.py', checkpoint=f'{NAME}.pkl'))
    unpad = lambda pts: [[[p[0], p[1] - pad] for p in step] for step in pts]  # noqa: E731
    info.update(
        checkpoint=f'test/fixtures/checkpoints/{NAME}.pkl',
        official_code='XingangPan/DragGAN: stylegan_human/training_scripts/sg2/training/networks.py '
                      '(square=False, padding=True as viz/renderer.py builds it), viz/renderer.py',
        init_kwargs=KWARGS, width=H // 2, height=H, renderer_padding=pad,
        seeds_z='np.random.RandomState(seed).randn(1, z_dim)', truncation_psi=PSI,
        img_u8='(img[0] * 127.5 + 128).clamp(0, 255).to(uint8), HWC (128 x 64), stored as float, unpadded',
        feature_idx=FEATURE_IDX, feat='seed 0: the output of block feature_idx, unpadded',
        r1=R1, r2=R2, r1_scaled=round(R1 / 512 * H), r2_scaled=round(R2 / 512 * H), lr=0.001,
        points_format='[row, col] in the unpadded image (row = y); the renderer ran at col + renderer_padding',
        handles=unpad([handles])[0], targets=unpad([targets])[0],
        drag=dict(description='10 official renderer steps from w0 (seed 0); drag_ws[k] is the ws used at step k, '
                  'tracked_points[k] the points after its tracking; grad_ws = d loss[0] / d ws',
                  tracked_points=unpad(plain_run['points']), loss=plain_run['loss'], stop=plain_run['stop']),
        drag_fast=dict(description=f'as drag with Adam lr {FAST_LR}, so the handle moves', lr=FAST_LR,
                       tracked_points=unpad(fast_run['points']), loss=fast_run['loss'], stop=fast_run['stop']),
        tensors={k: list(v.shape) for k, v in sorted(tensors.items())},
    )
    with open(os.path.join(ref_dir, f'{NAME}.json'), 'w') as f:
        json.dump(info, f, indent=1)
        f.write('\n')
    print(NAME, 'features', info['feature_sizes'], 'fast points', info['drag_fast']['tracked_points'],
          'loss', fast_run['loss'][0], '->', fast_run['loss'][-1])


if __name__ == '__main__':
    main()
