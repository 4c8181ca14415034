"""StyleGAN3 (configs T and R) test generators and reference tensors from the OFFICIAL code (run locally; PyTorch).

    mkdir -p /tmp/draggan && git -C /work/.mirror/XingangPan+DragGAN/repo archive HEAD \
        dnnlib torch_utils training viz legacy.py | tar -x -C /tmp/draggan
    /usr/bin/python3 models/recipes/make_stylegan3_reference.py /tmp/draggan --official-out /tmp/sg3pkl

For each config a small random-weight generator is built with the official DragGAN training/networks_stylegan3.py
(whose SynthesisNetwork returns the per-layer outputs DragGAN uses as features) on CPU, where filtered_lrelu and
upfirdn2d fall back to their pure-PyTorch reference implementations. Every parameter and buffer is randomised
(the official initialisation leaves the input transform's affine at zero, biases at zero and magnitude_ema at one,
which would hide whole code paths from a parity test).

Writes, per config (sg3t64, sg3r64):
- <official-out>/<name>.pkl: pickled by the official torch_utils.persistence, as training_loop.py saves snapshots
  (embeds the official sources: never commit it).
- test/fixtures/checkpoints/<name>.pkl: the same G_ema state in the same format, written through stand-in modules
  (persistence_format.py), whose module source is a stub naming the classes the importer looks for.
- test/fixtures/reference/<name>.safetensors and .json: images for two seeds, the feature map, and 10 official
  DragGAN renderer steps of one handle (viz/renderer.py, driven as make_reference.py does).
"""

import argparse
import copy
import json
import os
import pickle
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import persistence_format as pf  # noqa: E402
from make_reference import load_official, run_drag  # noqa: E402
from safetensors_io import write_safetensors  # noqa: E402

PSI = 0.7
SEEDS = (0, 1)
FEATURE_IDX = 5
# At 64 px DragGAN's r1 = 3 scales to round(0.375) = 0 (an empty disc); the StyleGAN2 tiny64 fixture uses the same.
R1, R2 = 12, 24
FAST_LR = 0.1

# Stand-in module source: only the names matter to the importer (nothing in it is executed).
SG3_SRC = '''import torch
# Stand-in for the official StyleGAN3 generator module (networks_stylegan3.py); only names matter to the importer.
from torch_utils.ops import filtered_lrelu
class FullyConnectedLayer(torch.nn.Module): pass
class MappingNetwork(torch.nn.Module): pass
class SynthesisInput(torch.nn.Module): pass
class SynthesisLayer(torch.nn.Module): pass
class SynthesisNetwork(torch.nn.Module): pass
class Generator(torch.nn.Module): pass
'''

CONFIGS = {
    # as train.py builds G_kwargs (flat synthesis kwargs), at toy sizes
    'sg3t64': dict(z_dim=32, w_dim=32, mapping_kwargs=dict(num_layers=2), channel_base=256, channel_max=16,
                   magnitude_ema_beta=0.999, c_dim=0, img_resolution=64, img_channels=3),
    'sg3r64': dict(z_dim=32, w_dim=32, mapping_kwargs=dict(num_layers=2), channel_base=512, channel_max=32,
                   magnitude_ema_beta=0.999, conv_kernel=1, use_radial_filters=True, c_dim=0,
                   img_resolution=64, img_channels=3),
}


def randomise(G, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in G.named_parameters():
            if name.endswith('bias'):
                p.copy_(torch.randn(p.shape, generator=g) * 0.2 + (1 if '.affine.' in name else 0))
            elif name == 'synthesis.input.affine.weight':
                p.copy_(torch.randn(p.shape, generator=g) * 0.5)
            else:
                p.add_(torch.randn(p.shape, generator=g) * 0.05)
        for name, b in G.named_buffers():
            if name.endswith('magnitude_ema'):
                b.copy_(torch.rand([], generator=g) * 2 + 0.25)
            elif name == 'mapping.w_avg':
                b.copy_(torch.randn(b.shape, generator=g) * 0.3)


def stand_in_pickle(G_ema, path):
    """G_ema's module tree in the official snapshot format, through stand-in persistence modules."""
    saved = {k: sys.modules.get(k) for k in ['torch_utils', 'torch_utils.persistence', 'dnnlib', 'dnnlib.util']}
    for k in saved:
        sys.modules.pop(k, None)
    try:
        pf.install_standins()
        overrides = {id(m): (type(m).__name__, SG3_SRC) for m in G_ema.modules()}
        buf = open(path, 'wb')
        with buf:
            pf.PersistentPickler(buf, 4, {}, overrides).dump(
                dict(G=G_ema, D=None, G_ema=G_ema, augment_pipe=None, training_set_kwargs=dict()))
    finally:
        pf.uninstall_standins()
        for k, v in saved.items():
            if v is not None:
                sys.modules[k] = v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('official_repo', help='a checkout of XingangPan/DragGAN (outside this repository)')
    ap.add_argument('--official-out', required=True, help='folder for the official pickles (outside this repository)')
    ap.add_argument('--fixtures', default=os.path.join(HERE, '..', '..', 'test', 'fixtures'))
    ap.add_argument('--only', choices=sorted(CONFIGS))
    args = ap.parse_args()
    torch.set_grad_enabled(True)
    load_official(args.official_repo)  # puts the official repo on sys.path; the StyleGAN2 Generator is not used
    from training.networks_stylegan3 import Generator
    from viz.renderer import Renderer
    from torch_utils import persistence  # noqa: F401  (the official decorator pickles the official way)

    os.makedirs(args.official_out, exist_ok=True)
    ref_dir = os.path.join(args.fixtures, 'reference')
    for name, kw in CONFIGS.items():
        if args.only and name != args.only:
            continue
        torch.manual_seed(3)
        G = Generator(**copy.deepcopy(kw)).eval().requires_grad_(False)
        randomise(G, 7)
        with open(os.path.join(args.official_out, f'{name}.pkl'), 'wb') as f:
            pickle.dump(dict(G=G, D=None, G_ema=G, augment_pipe=None, training_set_kwargs=dict()), f)
        stand_in_pickle(G, os.path.join(args.fixtures, 'checkpoints', f'{name}.pkl'))

        R = G.img_resolution
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

        s = R / 64
        handles = [[round(30 * s), round(26 * s)]]
        targets = [[round(36 * s), round(38 * s)]]
        drag_args = argparse.Namespace(feature_idx=FEATURE_IDX, r1=R1, r2=R2, lambda_mask=20)
        plain_run = run_drag(G, Renderer, w0, handles, targets, None, drag_args)
        fast_run = run_drag(G, Renderer, w0, handles, targets, None, drag_args, lr=FAST_LR)
        tensors['drag_ws'] = torch.stack(plain_run['ws'])
        tensors['drag_fast_ws'] = torch.stack(fast_run['ws'])
        tensors['grad_ws'] = plain_run['grad'][0]
        write_safetensors(os.path.join(ref_dir, f'{name}.safetensors'), tensors,
                          metadata=dict(producer='models/recipes/make_stylegan3_reference.py', checkpoint=f'{name}.pkl'))
        info.update(
            checkpoint=f'test/fixtures/checkpoints/{name}.pkl',
            official_code='XingangPan/DragGAN: training/networks_stylegan3.py (CPU reference ops), viz/renderer.py',
            init_kwargs=kw, seeds_z='np.random.RandomState(seed).randn(1, z_dim)', truncation_psi=PSI,
            img_u8='(img[0] * 127.5 + 128).clamp(0, 255).to(uint8), HWC, stored as float',
            feature_idx=FEATURE_IDX, feat='seed 0: the output of synthesis layer feature_idx (margins included)',
            r1=R1, r2=R2, r1_scaled=round(R1 / 512 * R), r2_scaled=round(R2 / 512 * R), lr=0.001,
            points_format='[row, col] in image pixels, as the renderer (row = y)', handles=handles, targets=targets,
            drag=dict(description='10 official renderer steps from w0 (seed 0); drag_ws[k] is the ws used at step '
                      'k, tracked_points[k] the points after its tracking; grad_ws = d loss[0] / d ws',
                      tracked_points=plain_run['points'], loss=plain_run['loss'], stop=plain_run['stop']),
            drag_fast=dict(description=f'as drag with Adam lr {FAST_LR}, so the handle moves', lr=FAST_LR,
                           tracked_points=fast_run['points'], loss=fast_run['loss'], stop=fast_run['stop']),
            tensors={k: list(v.shape) for k, v in sorted(tensors.items())},
        )
        with open(os.path.join(ref_dir, f'{name}.json'), 'w') as f:
            json.dump(info, f, indent=1)
            f.write('\n')
        print(name, 'features', info['feature_sizes'][FEATURE_IDX], 'fast points', fast_run['points'],
              'loss', fast_run['loss'][0], '->', fast_run['loss'][-1])


if __name__ == '__main__':
    main()
