"""Reference tensors from the OFFICIAL DragGAN code for a fixture checkpoint (run locally; needs PyTorch).

    mkdir -p /tmp/draggan && git -C /work/.mirror/XingangPan+DragGAN/repo archive HEAD \
        dnnlib torch_utils training viz legacy.py | tar -x -C /tmp/draggan
    /usr/bin/python3 models/recipes/make_reference.py /tmp/draggan test/fixtures/checkpoints/tiny128.pkl \
        --name tiny128 --feature-idx 5 --r1 3 --r2 12
    /usr/bin/python3 models/recipes/make_reference.py /tmp/draggan test/fixtures/checkpoints/tiny64.pkl \
        --name tiny64 --feature-idx 4 --r1 12 --r2 24

The checkpoint is read with our stand-in persistence module (records, nothing executed); its G_ema state is
loaded into the official Generator, and the drag loop is driven through the official viz/renderer.py
Renderer._render_drag_impl. The loss and the gradient w.r.t. the full ws are recomputed by `drag_loss` below
(following the renderer's formula) and checked against the renderer's own gradient on the optimised rows.
Writes test/fixtures/reference/<name>.safetensors and <name>.json.
"""

import argparse
import json
import os
import sys
import types

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import persistence_format as pf  # noqa: E402
from safetensors_io import write_safetensors  # noqa: E402

STEPS = 10
LR = 0.001
FAST_LR = 0.1
PSI = 0.7
NUM_OPTIMISED_WS = 6  # the renderer optimises ws[:, :6] and keeps the rest at w0


def plain(v):
    """EasyDicts (stand-ins) to dicts, so the official constructor sees ordinary kwargs."""
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v


def load_official(repo):
    pf.uninstall_standins()
    sys.path.insert(0, repo)
    # The renderer imports matplotlib only for colour maps we never use.
    mpl = types.ModuleType('matplotlib')
    mpl.cm = types.ModuleType('matplotlib.cm')
    sys.modules.setdefault('matplotlib', mpl)
    sys.modules.setdefault('matplotlib.cm', mpl.cm)
    from training.networks_stylegan2 import Generator
    from viz.renderer import Renderer
    return Generator, Renderer


def drag_loss(G, ws, points, targets, feat0_resize, mask, lambda_mask, feature_idx, r1, r2):
    """Motion supervision (+ optional fixed-region term) at already-tracked points, as the renderer does it."""
    _img, feat = G(ws, torch.zeros([1, G.c_dim]), noise_mode='const', input_is_w=True, return_feature=True)
    h = w = G.img_resolution
    # The renderer's grid is linspace(0, h, h), i.e. row i sits at i * h / (h - 1), not at i.
    xx, yy = torch.meshgrid(torch.linspace(0, h, h), torch.linspace(0, w, w), indexing='ij')
    feat_resize = F.interpolate(feat[feature_idx], [h, w], mode='bilinear', align_corners=False)
    loss = torch.zeros([])
    r1s = round(r1 / 512 * h)
    for p, t in zip(points, targets):
        d = torch.tensor([t[1] - p[1], t[0] - p[0]], dtype=torch.float32)
        if torch.linalg.norm(d) > 1:
            dist = ((xx - p[0]) ** 2 + (yy - p[1]) ** 2) ** 0.5
            ri, rj = torch.where(dist < r1s)
            d = d / (torch.linalg.norm(d) + 1e-7)
            gh = (ri + d[1]) / (h - 1) * 2 - 1
            gw = (rj + d[0]) / (w - 1) * 2 - 1
            grid = torch.stack([gw, gh], dim=-1)[None, None]
            shifted = F.grid_sample(feat_resize.float(), grid, align_corners=True).squeeze(2)
            loss = loss + F.l1_loss(feat_resize[:, :, ri, rj].detach(), shifted)
    if mask is not None:
        m = mask[None, None]
        loss = loss + lambda_mask * F.l1_loss(feat_resize * m, feat0_resize * m)
    return loss


def run_drag(G, Renderer, w0, handles, targets, mask, args, lr=LR):
    """Ten official renderer steps; per step: the ws used, tracked points, our loss and full-ws gradient."""
    rnd = Renderer(disable_timing=True)
    rnd.G = G
    rnd.w0 = w0.detach().clone()
    rnd.w = w0.detach().clone().requires_grad_(True)
    rnd.w_plus = True
    rnd.w_optim = torch.optim.Adam([rnd.w], lr=lr)
    rnd.feat_refs = None
    rnd.points0_pt = None
    points = [list(p) for p in handles]
    out = dict(ws=[], points=[], loss=[], grad=[], stop=[])
    for _step in range(STEPS):
        ws = torch.cat([rnd.w[:, :NUM_OPTIMISED_WS], rnd.w0[:, NUM_OPTIMISED_WS:]], dim=1).detach().clone()
        res = _Res()
        rnd._render_drag_impl(res, points=points, targets=targets, mask=mask, lambda_mask=args.lambda_mask,
                              feature_idx=args.feature_idx, r1=args.r1, r2=args.r2, is_drag=True,
                              noise_mode='const', trunc_psi=PSI)
        if 'error' in res:
            raise RuntimeError(res['error'])
        tracked = [[int(p[0]), int(p[1])] for p in res.points]
        wsg = ws.clone().requires_grad_(True)
        loss = drag_loss(G, wsg, tracked, targets, rnd.feat0_resize, mask, args.lambda_mask, args.feature_idx,
                         args.r1, args.r2)
        loss.backward()
        if not res.stop:
            diff = (wsg.grad[:, :NUM_OPTIMISED_WS] - rnd.w.grad[:, :NUM_OPTIMISED_WS]).abs().max().item()
            assert diff <= 1e-6 * max(1.0, wsg.grad.abs().max().item()), f'gradient mismatch {diff}'
        out['ws'].append(ws[0])
        out['points'].append(tracked)
        out['loss'].append(float(loss))
        out['grad'].append(wsg.grad.detach().clone())
        out['stop'].append(bool(res.stop))
    return out


class _Res(dict):
    """The renderer writes results as attributes of a dnnlib.EasyDict."""

    def __getattr__(self, k):
        try:
            return self[k]
        except KeyError:
            raise AttributeError(k)

    def __setattr__(self, k, v):
        self[k] = v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('official_repo')
    ap.add_argument('checkpoint')
    ap.add_argument('--name', required=True)
    ap.add_argument('--feature-idx', type=int, default=5)
    ap.add_argument('--r1', type=float, default=3)
    ap.add_argument('--r2', type=float, default=12)
    ap.add_argument('--lambda-mask', type=float, default=20)
    ap.add_argument('--out', default=os.path.join(HERE, '..', '..', 'test', 'fixtures', 'reference'))
    args = ap.parse_args()
    torch.set_grad_enabled(True)

    records = pf.load_checkpoint(args.checkpoint)
    g_rec = records['G_ema']
    init_args, init_kwargs = g_rec.state['_init_args'], plain(g_rec.state['_init_kwargs'])
    state = pf.flatten_state(g_rec)

    Generator, Renderer = load_official(args.official_repo)
    G = Generator(*init_args, **init_kwargs).eval().requires_grad_(False)
    G.load_state_dict(state, strict=True)

    # Our own implementation must agree with the official one on the same weights.
    import stylegan2_torch
    mine = stylegan2_torch.Generator(*init_args, **init_kwargs).eval()
    mine.load_state_dict(state, strict=True)

    R = G.img_resolution
    z = torch.from_numpy(np.random.RandomState(0).randn(1, G.z_dim))
    label = torch.zeros([1, G.c_dim])
    with torch.no_grad():
        w = G.mapping(z, label, truncation_psi=PSI)
        w_psi1 = G.mapping(z, label, truncation_psi=1)
        img, feats = G.synthesis(w, noise_mode='const', return_feature=True)
        img_mine = mine(z, truncation_psi=PSI)
    recipe_diff = (img - img_mine).abs().max().item()
    assert recipe_diff < 1e-4, f'stylegan2_torch.py differs from the official generator by {recipe_diff}'
    img_u8 = (img[0] * 127.5 + 128).clamp(0, 255).to(torch.uint8).permute(1, 2, 0)

    s = R / 128  # points chosen on a 128 px canvas, scaled to the model
    handles = [[round(40 * s), round(50 * s)], [round(90 * s), round(80 * s)]]
    targets = [[round(52 * s), round(64 * s)], [round(78 * s), round(96 * s)]]
    rect = dict(row0=round(20 * s), row1=round(108 * s), col0=round(28 * s), col1=round(112 * s))
    mask = torch.ones([R, R])
    mask[rect['row0']:rect['row1'], rect['col0']:rect['col1']] = 0

    plain_run = run_drag(G, Renderer, w, handles, targets, None, args)
    mask_run = run_drag(G, Renderer, w, handles, targets, mask, args)
    # At lr 0.001 a tiny random model barely moves in 10 steps; a larger lr makes the tracking move too.
    fast_run = run_drag(G, Renderer, w, handles, targets, None, args, lr=FAST_LR)

    tensors = dict(z=z.float(), w=w, w_psi1=w_psi1, ws=w, img=img, img_u8=img_u8.float(), mask=mask,
                   drag_ws=torch.stack(plain_run['ws']), drag_mask_ws=torch.stack(mask_run['ws']),
                   drag_fast_ws=torch.stack(fast_run['ws']),
                   drag_loss=torch.tensor(plain_run['loss']), drag_mask_loss=torch.tensor(mask_run['loss']),
                   drag_fast_loss=torch.tensor(fast_run['loss']),
                   grad_ws=plain_run['grad'][0], grad_ws_mask=mask_run['grad'][1])
    for i, f in enumerate(feats):
        tensors[f'feat_{i}'] = f

    # Image VJP (inversion) and a weight gradient (pivotal tuning): d<img, r>/d ws and /d one conv weight.
    r = torch.from_numpy(np.random.RandomState(1).randn(*img.shape)).float()
    ws_var = w.detach().clone().requires_grad_(True)
    weight_name = f'synthesis.b{R // 2}.conv1.weight'
    weight = dict(G.named_parameters())[weight_name]
    weight.requires_grad_(True)
    (G.synthesis(ws_var, noise_mode='const') * r).sum().backward()
    weight.requires_grad_(False)
    tensors.update(img_cotangent=r, grad_ws_img=ws_var.grad, grad_weight_img=weight.grad)
    os.makedirs(args.out, exist_ok=True)
    write_safetensors(os.path.join(args.out, f'{args.name}.safetensors'), tensors,
                      metadata=dict(producer='models/recipes/make_reference.py', checkpoint=os.path.basename(args.checkpoint)))
    info = dict(
        checkpoint=f'test/fixtures/checkpoints/{os.path.basename(args.checkpoint)}',
        official_code='XingangPan/DragGAN: training/networks_stylegan2.py (CPU reference ops), viz/renderer.py',
        recipe_max_abs_diff_vs_official=recipe_diff,
        seed=0, z='np.random.RandomState(seed).randn(1, z_dim)', truncation_psi=PSI, noise_mode='const',
        grad_weight_img=f'd<img, img_cotangent>/d {weight_name}',
        img_u8='(img[0] * 127.5 + 128).clamp(0, 255).to(uint8), HWC, stored as float',
        feature_idx=args.feature_idx, r1=args.r1, r2=args.r2,
        r1_scaled=round(args.r1 / 512 * R), r2_scaled=round(args.r2 / 512 * R),
        rounding='Python round() (half to even), as the renderer',
        lambda_mask=args.lambda_mask, lr=LR, steps=STEPS, num_optimised_ws=NUM_OPTIMISED_WS,
        points_format='[row, col] in image pixels, as the renderer (row = y)',
        handles=handles, targets=targets,
        mask=dict(flexible_rect=rect, semantics='mask tensor: 1 = fixed region, 0 = flexible rectangle '
                  '[row0, row1) x [col0, col1); the GUI passes it this way and the loss is '
                  'lambda_mask * l1(feat_resize * mask, feat0_resize * mask)'),
        drag=dict(description='10 official renderer steps without mask; drag_ws[k] is the ws [num_ws, w_dim] '
                  'used at step k (rows >= 6 stay w0), tracked_points[k] are the points after step k\'s '
                  'tracking (the ones its loss uses), loss[k] its motion loss; grad_ws = d loss[0] / d ws at '
                  'drag_ws[0] over all num_ws rows', tracked_points=plain_run['points'],
                  loss=plain_run['loss'], stop=plain_run['stop']),
        drag_mask=dict(description='the same with the mask term; grad_ws_mask = d loss[1] / d ws at drag_mask_ws[1] '
                       '(step 0 has zero mask gradient: feat == feat0); feat0 is step 0\'s feature map',
                       tracked_points=mask_run['points'], loss=mask_run['loss'], stop=mask_run['stop']),
        drag_fast=dict(description=f'as drag but Adam lr {FAST_LR} so the tracked points move; drag_fast_ws[k] '
                       'is the ws at step k. Tracking is an argmin over a patch: near-ties can flip between '
                       'implementations, so compare points step by step starting from the reference ws',
                       lr=FAST_LR, tracked_points=fast_run['points'], loss=fast_run['loss'], stop=fast_run['stop']),
        tensors={k: list(v.shape) for k, v in sorted(tensors.items())},
    )
    with open(os.path.join(args.out, f'{args.name}.json'), 'w') as f:
        json.dump(info, f, indent=1)
        f.write('\n')
    print(f'{args.name}: recipe vs official max |diff| {recipe_diff:.2e}; points {plain_run["points"][-1]}; '
          f'loss {plain_run["loss"][0]:.5f} -> {plain_run["loss"][-1]:.5f}')


if __name__ == '__main__':
    main()
