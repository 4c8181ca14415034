"""The bundled generator's configuration, and a fast training forward pass for models/recipes/stylegan2_torch.py.

`synthesis_fast` computes exactly what `Generator.synthesis` computes (same parameters, same maths), but with
the non-fused modulated convolution (scale the input channels by the style, convolve with the shared weight,
scale the output channels by the demodulation coefficients), which is several times faster on a CPU than the
per-sample grouped convolution. `check_fast_matches` asserts that both agree.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'recipes'))
import stylegan2_torch as sg  # noqa: E402

Z_DIM = 32
G_KWARGS = dict(
    z_dim=Z_DIM, c_dim=0, w_dim=128, img_resolution=128, img_channels=3,
    mapping_kwargs=dict(num_layers=4, lr_multiplier=0.01),
    synthesis_kwargs=dict(channel_base=2048, channel_max=128, conv_clamp=256, num_fp16_res=0,
                          architecture='skip'),
)
# Chosen on validation pairs (draggan eval landmarks --seed 1000, disjoint from the reported seeds; MODEL_CARD.md):
# the 16 px block (128 channels) tracks content where the 16-channel 128 px block slides over flat skin, and a
# motion-supervision disc of 16 px (r1 64 at 512) covers the features around a point on these small faces.
DRAGGAN_DEFAULTS = {'feature_idx': 2, 'lr': 0.005, 'r1': 64, 'r2': 32, 'lambda': 20}


def make_generator():
    return sg.Generator(**G_KWARGS)


def conv_transpose_3x3_s2(x, wt):
    """F.conv_transpose2d(x, wt.transpose(0, 1), stride=2) (output 2H+1) in polyphase form: the four output
    phases are 2x2 convolutions at the input resolution, interleaved by pixel_shuffle. Several times faster
    on a CPU than PyTorch's transposed convolution."""
    n, c, h, w_ = x.shape
    cout = wt.shape[0]
    # Along one axis, even outputs y[2m] = x[m] w0 + x[m-1] w2 and odd outputs y[2m+1] = x[m] w1; with x padded
    # by one, the 2-tap correlation window (x[m-1], x[m]) has taps (w2, w0) for even and (0, w1) for odd.

    def taps(a):
        return [(2, 0), (None, 1)][a]

    kernels = []
    for a in (0, 1):
        for b in (0, 1):
            rows = []
            for th in taps(a):
                row = []
                for tw in taps(b):
                    if th is None or tw is None:
                        row.append(wt.new_zeros(wt.shape[:2]))
                    else:
                        row.append(wt[:, :, th, tw])
                rows.append(torch.stack(row, -1))
            kernels.append(torch.stack(rows, -2))  # [Cout, Cin, 2, 2]
    k = torch.stack(kernels, 1).reshape(cout * 4, c, 2, 2)
    y = F.conv2d(F.pad(x, [1, 1, 1, 1]), k)              # [N, 4*Cout, H+1, W+1]
    y = F.pixel_shuffle(y, 2)                             # [N, Cout, 2H+2, 2W+2]
    return y[:, :, :2 * h + 1, :2 * w_ + 1]


def _layer(layer, x, w):
    styles = layer.affine(w)                                   # [N, Cin]
    wt = layer.weight                                          # [Cout, Cin, k, k]
    dco = torch.rsqrt(styles.square() @ wt.square().sum(dim=[2, 3]).t() + 1e-8)  # [N, Cout]
    x = x * styles[:, :, None, None]
    if layer.up == 2:
        x = conv_transpose_3x3_s2(x, wt)
        x = sg.depthwise_fir(x, layer.resample_filter, (1, 1), 4.0)
    else:
        x = F.conv2d(x, wt, padding=layer.padding)
    x = x * dco[:, :, None, None]
    if layer.use_noise:
        x = x + layer.noise_const * layer.noise_strength
    x = x + layer.bias[None, :, None, None]
    return sg.activate(x, layer.activation, clamp=layer.conv_clamp)


def _torgb(t, x, w):
    styles = t.affine(w) * t.weight_gain
    x = F.conv2d(x * styles[:, :, None, None], t.weight)
    x = x + t.bias[None, :, None, None]
    return sg.activate(x, 'linear', clamp=t.conv_clamp)


def synthesis_fast(syn, ws, return_feature=False):
    x = img = None
    feats = []
    i = 0
    for r in syn.block_resolutions:
        b = getattr(syn, f'b{r}')
        if b.in_channels == 0:
            x = b.const[None].repeat(ws.shape[0], 1, 1, 1)
            x = _layer(b.conv1, x, ws[:, i])
            rgb_w = ws[:, i + 1]
        else:
            x = _layer(b.conv0, x, ws[:, i])
            x = _layer(b.conv1, x, ws[:, i + 1])
            rgb_w = ws[:, i + 2]
        y = _torgb(b.torgb, x, rgb_w)
        img = y if img is None else sg.upsample_2x(img, b.resample_filter) + y
        i += b.num_conv
        feats.append(x)
    return (img, feats) if return_feature else img


def check_fast_matches(G, n=2, tol=2e-3):
    with torch.no_grad():
        z = torch.randn(n, G.z_dim, generator=torch.Generator().manual_seed(123))
        ws = G.mapping(z, None)
        a = G.synthesis(ws)
        b = synthesis_fast(G.synthesis, ws)
        err = (a - b).abs().max().item()
    assert err < tol * max(1.0, a.abs().max().item()), f'fast synthesis differs from the recipe: {err}'
    return err
