"""Trains the bundled demo generator: official StyleGAN2 architecture, 128 px, narrow channels, by regression
from the latent z to the procedural face rendered from z ("reconstruction warm start"), with a generator EMA.

    /usr/bin/python3 models/faces/train.py --out /tmp/faces_ckpt --minutes 60 [--resume]

Seeded: the batch at step k is rendered from z drawn with seed (seed, k), so a resumed run sees the same data
as an uninterrupted one. Resumable: a checkpoint (G, G_ema, optimiser, step) is written atomically to
OUT/ckpt.pt every --ckpt-every seconds and at the end; --resume continues from it. --minutes bounds this run's
wall time (not the total). A preview sheet (top: G_ema, bottom: renderer) is written to OUT/preview.png.

Loss: L1 weighted up around the landmarks (eyes, brows, nose, mouth, jaw) + L1 on 2x and 4x box-downsampled
images + L1 on the horizontal and vertical image gradients. Adam (0.9, 0.99), lr 3e-3 (mapping x100), batch 8; ToRGB weights start at 0.05x the official init.
One torch thread for the optimisation and one worker process rendering the coming batches.

Adversarial phase (--adv W > 0): the official StyleGAN2 losses on top of the regression, pix2pix-style: the
generator adds W * softplus(-D(G(z))) (non-saturating logistic), the discriminator (discriminator.py) minimises
softplus(D(fake)) + softplus(-D(real)) with lazy R1 (gamma/2 |grad D(real)|^2 every --r1-every steps, scaled by
that interval), Adam (0, 0.99). The real images are the renderer's batch. --init starts G and G_ema from an
exported package (weights.safetensors) instead of a checkpoint.
"""

import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import fastgen  # noqa: E402
import render  # noqa: E402
from discriminator import Discriminator  # noqa: E402
from safetensors_io import read_safetensors  # noqa: E402


def batch_np(args):
    seed, step, n, z_dim = args
    rng = np.random.RandomState([seed, step])
    z = rng.randn(n, z_dim).astype(np.float32)
    imgs, lms = render.render(render.params_from_z(z))
    return z, imgs, lms


def to_torch(b):
    z, imgs, lms = b
    t = torch.from_numpy(imgs).permute(0, 3, 1, 2).float() / 127.5 - 1
    return torch.from_numpy(z), t, torch.from_numpy(lms)


def batch(seed, step, n, z_dim):
    return to_torch(batch_np((seed, step, n, z_dim)))


class Prefetcher:
    """Renders the batches of the coming steps in a worker process (bounded look-ahead, same order)."""

    def __init__(self, seed, step, n, z_dim, depth=3):
        import multiprocessing as mp
        self.pool = mp.get_context('fork').Pool(1)
        self.args = (seed, n, z_dim)
        self.next_step = step
        self.pending = []
        for _ in range(depth):
            self._submit()

    def _submit(self):
        seed, n, z_dim = self.args
        self.pending.append(self.pool.apply_async(batch_np, ((seed, self.next_step, n, z_dim),)))
        self.next_step += 1

    def get(self):
        r = self.pending.pop(0).get()
        self._submit()
        return to_torch(r)


GRID = torch.arange(128, dtype=torch.float32)


NOSE = [render.LANDMARK_NAMES.index(n) for n in ('nose_tip', 'nostril_l', 'nostril_r')]


def landmark_peaks(peak, nose_factor):
    """The extra L1 weight at each landmark: `peak`, times `nose_factor` at the nose (its tip is the 1-point handle)."""
    p = torch.full((render.NUM_LANDMARKS,), float(peak))
    p[NOSE] *= nose_factor
    return p


def weight_map(lms, sigma, peaks):
    """1 + max over landmarks of peak_l * (a Gaussian bump at landmark l; peaks from landmark_peaks), [B, 1, 128, 128]."""
    dx = (GRID[None, None, :] - lms[:, :, 0:1]) ** 2   # [B, L, W]
    dy = (GRID[None, None, :] - lms[:, :, 1:2]) ** 2   # [B, L, H]
    gx = torch.exp(-dx / (2 * sigma ** 2))
    gy = torch.exp(-dy / (2 * sigma ** 2))
    m = (torch.einsum('blh,blw->blhw', gy, gx) * peaks[None, :, None, None]).amax(dim=1, keepdim=True)
    return 1 + m


def recon_loss(img, tgt, wmap, l2=0.0):
    l = (wmap * (img - tgt).abs()).mean()
    if l2:
        # L1 predicts the per-pixel median, which stays skin-coloured wherever an eye or a mouth is present in
        # fewer than half of the plausible images; a squared term rewards partial (blurred) features, which
        # then sharpen as the network learns where they are.
        l = l + l2 * (wmap * (img - tgt).square()).mean()
    a, b = img, tgt
    for _ in range(2):
        a, b = F.avg_pool2d(a, 2), F.avg_pool2d(b, 2)
        l = l + (a - b).abs().mean()
    gx = lambda x: x[:, :, :, 1:] - x[:, :, :, :-1]  # noqa: E731
    gy = lambda x: x[:, :, 1:, :] - x[:, :, :-1, :]  # noqa: E731
    l = l + (gx(img) - gx(tgt)).abs().mean() + (gy(img) - gy(tgt)).abs().mean()
    return l


def discriminator_step(D, opt_d, fake, real, step, args):
    """One discriminator update (logistic loss, lazy R1 on the reals); returns the mean logits (real, fake)."""
    D.requires_grad_(True)
    r1_now = step % args.r1_every == 0
    real = real.detach().requires_grad_(r1_now)
    d_real, d_fake = D(real), D(fake)
    loss = F.softplus(d_fake).mean() + F.softplus(-d_real).mean()
    if r1_now:
        (g,) = torch.autograd.grad(d_real.sum(), real, create_graph=True)
        loss = loss + (args.r1_gamma / 2) * g.square().sum(dim=[1, 2, 3]).mean() * args.r1_every
    opt_d.zero_grad(set_to_none=True)
    loss.backward()
    opt_d.step()
    return d_real.mean().item(), d_fake.mean().item()


def save_preview(G_ema, path, seed=7):
    from PIL import Image
    z, t, _ = batch(seed, 999999, 8, fastgen.Z_DIM)
    with torch.no_grad():
        img = fastgen.synthesis_fast(G_ema.synthesis, G_ema.mapping(z, None))
    both = torch.cat([img, t]).clamp(-1, 1)
    arr = ((both.permute(0, 2, 3, 1).numpy() + 1) * 127.5 + 0.5).astype(np.uint8)
    Image.fromarray(render.sheet(arr, cols=8)).save(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default='/tmp/faces_ckpt')
    ap.add_argument('--minutes', type=float, default=60)
    ap.add_argument('--resume', action='store_true')
    ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--torgb-init', type=float, default=0.05, help='scale of the initial ToRGB weights')
    ap.add_argument('--mapping-lr-mult', type=float, default=100.0,
                    help='mapping lr factor; 100 cancels its lr_multiplier 0.01 (regression needs a mapping that learns)')
    ap.add_argument('--ema', type=float, default=0.998)
    ap.add_argument('--l2', type=float, default=0.0, help='weight of the (landmark-weighted) squared error term')
    ap.add_argument('--lm-peak', type=float, default=3.0, help='extra L1 weight at the landmarks')
    ap.add_argument('--lm-sigma', type=float, default=3.0, help='radius (px) of the landmark weighting')
    ap.add_argument('--nose-factor', type=float, default=1.0, help='the landmark weight at the nose, times --lm-peak')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--threads', type=int, default=1,
                    help='torch threads; 1 is fastest on a shared 2-core machine (rendering runs in a 2nd process)')
    ap.add_argument('--ckpt-every', type=float, default=180, help='seconds')
    ap.add_argument('--max-steps', type=int, default=10 ** 9)
    ap.add_argument('--init', help='start G and G_ema from this weights.safetensors (export.py output; its metadata '
                    'gives the step and minutes to continue from)')
    ap.add_argument('--adv', type=float, default=0.0, help='weight of the adversarial generator loss (0: regression only)')
    ap.add_argument('--d-lr', type=float, default=2e-3)
    ap.add_argument('--r1-gamma', type=float, default=0.1)
    ap.add_argument('--r1-every', type=int, default=16)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    ckpt_path = os.path.join(args.out, 'ckpt.pt')

    torch.manual_seed(args.seed)
    G = fastgen.make_generator()
    with torch.no_grad():
        # Start from a near-grey image: the official ToRGB init (unit-variance weights) sums six random colour
        # patterns, which regression then spends hundreds of steps unlearning.
        for r in G.synthesis.block_resolutions:
            getattr(G.synthesis, f'b{r}').torgb.weight.mul_(args.torgb_init)
    init_meta = {}
    if args.init:
        state, init_meta = read_safetensors(args.init, with_metadata=True)
        G.load_state_dict(state)
    G_ema = fastgen.make_generator()
    G_ema.load_state_dict(G.state_dict())
    G_ema.requires_grad_(False)
    err = fastgen.check_fast_matches(G)
    print(f'fast synthesis matches the recipe (max abs diff {err:.2e})', flush=True)
    opt = torch.optim.Adam([
        dict(params=G.mapping.parameters(), lr=args.lr * args.mapping_lr_mult),
        dict(params=G.synthesis.parameters(), lr=args.lr),
    ], betas=(0.9, 0.99), eps=1e-8)
    D = Discriminator() if args.adv > 0 else None
    opt_d = torch.optim.Adam(D.parameters(), lr=args.d_lr, betas=(0.0, 0.99), eps=1e-8) if D else None
    step, trained_s = int(init_meta.get('steps', 0)), 60 * float(init_meta.get('trained_minutes', 0))
    if args.resume and os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        G.load_state_dict(ck['G'])
        G_ema.load_state_dict(ck['G_ema'])
        opt.load_state_dict(ck['opt'])
        step, trained_s = ck['step'], ck['trained_s']
        if D is not None and 'D' in ck:
            D.load_state_dict(ck['D'])
            opt_d.load_state_dict(ck['opt_d'])
        # The learning rates come from this run's arguments, not from the checkpoint.
        opt.param_groups[0]['lr'] = args.lr * args.mapping_lr_mult
        opt.param_groups[1]['lr'] = args.lr
        print(f'resumed at step {step} ({trained_s / 60:.1f} min trained)', flush=True)

    def save():
        tmp = ckpt_path + '.tmp'
        extra = dict(D=D.state_dict(), opt_d=opt_d.state_dict()) if D is not None else {}
        torch.save(dict(G=G.state_dict(), G_ema=G_ema.state_dict(), opt=opt.state_dict(), step=step,
                        trained_s=trained_s, kwargs=fastgen.G_KWARGS, args=vars(args), **extra), tmp)
        os.replace(tmp, ckpt_path)
        save_preview(G_ema, os.path.join(args.out, 'preview.png'))

    t_start = time.time()
    t_last_ckpt = t_start
    run_s = args.minutes * 60
    acc, acc_n, t_log = 0.0, 0, time.time()
    pre = Prefetcher(args.seed, step, args.batch, fastgen.Z_DIM)
    peaks = landmark_peaks(args.lm_peak, args.nose_factor)
    while time.time() - t_start < run_s and step < args.max_steps:
        t0 = time.time()
        z, tgt, lms = pre.get()
        ws = G.mapping(z, None)
        img = fastgen.synthesis_fast(G.synthesis, ws)
        loss = recon_loss(img, tgt, weight_map(lms, sigma=args.lm_sigma, peaks=peaks), l2=args.l2)
        if D is not None:
            D.requires_grad_(False)
            loss = loss + args.adv * F.softplus(-D(img)).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if D is not None:
            d_stats = discriminator_step(D, opt_d, img.detach(), tgt, step, args)
        beta = min(args.ema, (step + 1) / (step + 10))
        with torch.no_grad():
            for pe, p in zip(G_ema.parameters(), G.parameters()):
                pe.lerp_(p, 1 - beta)
            for be, b in zip(G_ema.buffers(), G.buffers()):
                be.copy_(b)
        step += 1
        trained_s += time.time() - t0
        acc += loss.item()
        acc_n += 1
        if step % 20 == 0:
            d_text = f' D(real) {d_stats[0]:+.2f} D(fake) {d_stats[1]:+.2f}' if D is not None else ''
            print(f'step {step} loss {acc / acc_n:.4f}{d_text} {(time.time() - t_log) / acc_n:.2f} s/step '
                  f'trained {trained_s / 60:.1f} min', flush=True)
            acc, acc_n, t_log = 0.0, 0, time.time()
        if time.time() - t_last_ckpt > args.ckpt_every:
            save()
            t_last_ckpt = time.time()
    save()
    pre.pool.terminate()
    print(f'done: step {step}, {trained_s / 60:.1f} min trained in total', flush=True)


if __name__ == '__main__':
    main()
