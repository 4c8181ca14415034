"""A from-scratch PyTorch StyleGAN2 generator ('skip' architecture, configs E/F of Karras et al. 2020).

It mirrors the official generator's *interface* -- module tree, parameter and buffer names, init kwargs --
so that its state_dict loads into the official code and vice versa, but the maths is written here from the
paper's description. It is used to build small test checkpoints; this file's source is what those
checkpoints embed as their `module_src`.
"""

import copy
import functools

import numpy as np
import torch
import torch.nn.functional as F

LRELU_SLOPE = 0.2
LRELU_GAIN = float(np.sqrt(2))


def records_init_args(cls):
    """Keep a deep copy of the constructor arguments, as the official persistence decorator does,
    so a pickled module can be rebuilt from (init_args, init_kwargs)."""
    orig_init = cls.__init__

    @functools.wraps(orig_init)
    def init(self, *args, **kwargs):
        orig_init(self, *args, **kwargs)
        self._init_args = copy.deepcopy(args)
        self._init_kwargs = copy.deepcopy(kwargs)

    cls.__init__ = init
    return cls


def fir_filter(taps):
    """Separable low-pass filter as a normalised 2-D kernel (sums to 1)."""
    f = torch.as_tensor(taps, dtype=torch.float32)
    f = torch.outer(f, f)
    return f / f.sum()


def activate(x, activation, gain=1.0, clamp=None):
    """bias is added by the caller; then nonlinearity, gain, and optional symmetric clamp."""
    if activation == 'lrelu':
        x = F.leaky_relu(x, LRELU_SLOPE) * (LRELU_GAIN * gain)
    elif activation == 'linear':
        x = x * gain
    else:
        raise ValueError(f'unsupported activation {activation}')
    if clamp is not None:
        x = x.clamp(-clamp, clamp)
    return x


def depthwise_fir(x, f, pad, gain):
    """Pad by (before, after) on both axes, then filter every channel with f * gain."""
    c = x.shape[1]
    x = F.pad(x, [pad[0], pad[1], pad[0], pad[1]])
    k = (f * gain).flip([0, 1])[None, None].repeat(c, 1, 1, 1).to(x.dtype)
    return F.conv2d(x, k, groups=c)


def upsample_2x(x, f):
    """Zero-insertion 2x upsampling followed by the FIR low-pass (gain 4 keeps the mean)."""
    n, c, h, w = x.shape
    y = x.new_zeros([n, c, h * 2, w * 2])
    y[:, :, ::2, ::2] = x
    return depthwise_fir(y, f, (2, 1), 4.0)


def modulated_conv2d(x, weight, styles, demodulate=True, up=False, f=None):
    """Scale the kernel's input channels by the per-sample style, optionally normalise every output
    channel to unit L2 norm (demodulation), then convolve; batched as a grouped convolution."""
    n = x.shape[0]
    cout, cin, kh, kw = weight.shape
    w = weight[None] * styles[:, None, :, None, None]  # [N, O, I, k, k]
    if demodulate:
        w = w * torch.rsqrt(w.square().sum(dim=[2, 3, 4], keepdim=True) + 1e-8)
    x = x.reshape(1, n * cin, *x.shape[2:])
    if up:
        # Transposed stride-2 convolution, then the FIR filter removes the checkerboard.
        wt = w.transpose(1, 2).reshape(n * cin, cout, kh, kw)
        x = F.conv_transpose2d(x, wt, stride=2, groups=n)
        x = depthwise_fir(x, f, (1, 1), 4.0)
    else:
        x = F.conv2d(x, w.reshape(n * cout, cin, kh, kw), padding=kh // 2, groups=n)
    return x.reshape(n, cout, *x.shape[2:])


@records_init_args
class FullyConnectedLayer(torch.nn.Module):
    def __init__(self, in_features, out_features, bias=True, activation='linear', lr_multiplier=1, bias_init=0):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.activation = activation
        # Equalised learning rate: weights stored at scale 1/lr_multiplier, rescaled at run time.
        self.weight = torch.nn.Parameter(torch.randn([out_features, in_features]) / lr_multiplier)
        self.bias = torch.nn.Parameter(torch.full([out_features], float(bias_init))) if bias else None
        self.weight_gain = lr_multiplier / np.sqrt(in_features)
        self.bias_gain = lr_multiplier

    def forward(self, x):
        x = x.matmul((self.weight * self.weight_gain).t())
        if self.bias is not None:
            x = x + self.bias * self.bias_gain
        return activate(x, self.activation)


@records_init_args
class MappingNetwork(torch.nn.Module):
    def __init__(self, z_dim, c_dim, w_dim, num_ws, num_layers=8, embed_features=None, layer_features=None,
                 activation='lrelu', lr_multiplier=0.01, w_avg_beta=0.998):
        super().__init__()
        if c_dim != 0:
            raise NotImplementedError('conditional mapping is not implemented in this recipe')
        self.z_dim = z_dim
        self.c_dim = c_dim
        self.w_dim = w_dim
        self.num_ws = num_ws
        self.num_layers = num_layers
        self.w_avg_beta = w_avg_beta
        hidden = w_dim if layer_features is None else layer_features
        sizes = [z_dim] + [hidden] * (num_layers - 1) + [w_dim]
        for i in range(num_layers):
            setattr(self, f'fc{i}', FullyConnectedLayer(sizes[i], sizes[i + 1], activation=activation,
                                                        lr_multiplier=lr_multiplier))
        if w_avg_beta is not None:
            self.register_buffer('w_avg', torch.zeros([w_dim]))

    def forward(self, z, c=None, truncation_psi=1, truncation_cutoff=None):
        # Project z onto the sphere of radius sqrt(z_dim).
        x = z.to(torch.float32)
        x = x * torch.rsqrt(x.square().mean(dim=1, keepdim=True) + 1e-8)
        for i in range(self.num_layers):
            x = getattr(self, f'fc{i}')(x)
        x = x[:, None, :].repeat(1, self.num_ws, 1)
        if truncation_psi != 1:
            cut = self.num_ws if truncation_cutoff is None else truncation_cutoff
            x = x.clone()
            x[:, :cut] = self.w_avg + (x[:, :cut] - self.w_avg) * truncation_psi
        return x


@records_init_args
class SynthesisLayer(torch.nn.Module):
    def __init__(self, in_channels, out_channels, w_dim, resolution, kernel_size=3, up=1, use_noise=True,
                 activation='lrelu', resample_filter=[1, 3, 3, 1], conv_clamp=None, channels_last=False):
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.w_dim = w_dim
        self.resolution = resolution
        self.up = up
        self.use_noise = use_noise
        self.activation = activation
        self.conv_clamp = conv_clamp
        self.register_buffer('resample_filter', fir_filter(resample_filter))
        self.padding = kernel_size // 2
        self.affine = FullyConnectedLayer(w_dim, in_channels, bias_init=1)
        self.weight = torch.nn.Parameter(torch.randn([out_channels, in_channels, kernel_size, kernel_size]))
        if use_noise:
            self.register_buffer('noise_const', torch.randn([resolution, resolution]))
            self.noise_strength = torch.nn.Parameter(torch.zeros([]))
        self.bias = torch.nn.Parameter(torch.zeros([out_channels]))

    def forward(self, x, w, noise_mode='const'):
        styles = self.affine(w)
        x = modulated_conv2d(x, self.weight, styles, up=(self.up == 2), f=self.resample_filter)
        if self.use_noise and noise_mode == 'const':
            x = x + self.noise_const * self.noise_strength
        elif self.use_noise and noise_mode == 'random':
            x = x + torch.randn([x.shape[0], 1, self.resolution, self.resolution]) * self.noise_strength
        x = x + self.bias[None, :, None, None]
        return activate(x, self.activation, clamp=self.conv_clamp)


@records_init_args
class ToRGBLayer(torch.nn.Module):
    def __init__(self, in_channels, out_channels, w_dim, kernel_size=1, conv_clamp=None, channels_last=False):
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.w_dim = w_dim
        self.conv_clamp = conv_clamp
        self.affine = FullyConnectedLayer(w_dim, in_channels, bias_init=1)
        self.weight = torch.nn.Parameter(torch.randn([out_channels, in_channels, kernel_size, kernel_size]))
        self.bias = torch.nn.Parameter(torch.zeros([out_channels]))
        self.weight_gain = 1 / np.sqrt(in_channels * kernel_size ** 2)

    def forward(self, x, w):
        styles = self.affine(w) * self.weight_gain
        x = modulated_conv2d(x, self.weight, styles, demodulate=False)
        x = x + self.bias[None, :, None, None]
        return activate(x, 'linear', clamp=self.conv_clamp)


@records_init_args
class SynthesisBlock(torch.nn.Module):
    def __init__(self, in_channels, out_channels, w_dim, resolution, img_channels, is_last, architecture='skip',
                 resample_filter=[1, 3, 3, 1], conv_clamp=256, use_fp16=False, fp16_channels_last=False,
                 fused_modconv_default=True, **layer_kwargs):
        super().__init__()
        if architecture != 'skip':
            raise NotImplementedError('only the skip architecture is implemented in this recipe')
        self.in_channels = in_channels
        self.w_dim = w_dim
        self.resolution = resolution
        self.img_channels = img_channels
        self.is_last = is_last
        self.architecture = architecture
        self.use_fp16 = use_fp16
        self.channels_last = False
        self.fused_modconv_default = fused_modconv_default
        self.register_buffer('resample_filter', fir_filter(resample_filter))
        self.num_conv = 0
        self.num_torgb = 0
        if in_channels == 0:
            self.const = torch.nn.Parameter(torch.randn([out_channels, resolution, resolution]))
        else:
            self.conv0 = SynthesisLayer(in_channels, out_channels, w_dim=w_dim, resolution=resolution, up=2,
                                        resample_filter=resample_filter, conv_clamp=conv_clamp, **layer_kwargs)
            self.num_conv += 1
        self.conv1 = SynthesisLayer(out_channels, out_channels, w_dim=w_dim, resolution=resolution,
                                    conv_clamp=conv_clamp, **layer_kwargs)
        self.num_conv += 1
        self.torgb = ToRGBLayer(out_channels, img_channels, w_dim=w_dim, conv_clamp=conv_clamp)
        self.num_torgb += 1

    def forward(self, x, img, ws, noise_mode='const'):
        ws = ws.unbind(dim=1)
        if self.in_channels == 0:
            x = self.const[None].repeat(ws[0].shape[0], 1, 1, 1)
            x = self.conv1(x, ws[0], noise_mode)
            rgb_w = ws[1]
        else:
            x = self.conv0(x, ws[0], noise_mode)
            x = self.conv1(x, ws[1], noise_mode)
            rgb_w = ws[2]
        y = self.torgb(x, rgb_w)
        img = y if img is None else upsample_2x(img, self.resample_filter) + y
        return x, img


@records_init_args
class SynthesisNetwork(torch.nn.Module):
    def __init__(self, w_dim, img_resolution, img_channels, channel_base=32768, channel_max=512, num_fp16_res=4,
                 **block_kwargs):
        super().__init__()
        log2 = int(np.log2(img_resolution))
        assert img_resolution == 2 ** log2 and img_resolution >= 4
        self.w_dim = w_dim
        self.img_resolution = img_resolution
        self.img_resolution_log2 = log2
        self.img_channels = img_channels
        self.num_fp16_res = num_fp16_res
        self.block_resolutions = [2 ** i for i in range(2, log2 + 1)]
        channels = {r: min(channel_base // r, channel_max) for r in self.block_resolutions}
        self.num_ws = 0
        for r in self.block_resolutions:
            block = SynthesisBlock(channels[r // 2] if r > 4 else 0, channels[r], w_dim=w_dim, resolution=r,
                                   img_channels=img_channels, is_last=(r == img_resolution), **block_kwargs)
            self.num_ws += block.num_conv
            setattr(self, f'b{r}', block)
        self.num_ws += 1  # the last block's ToRGB

    def forward(self, ws, noise_mode='const', return_feature=False):
        x = img = None
        features = []
        i = 0
        for r in self.block_resolutions:
            block = getattr(self, f'b{r}')
            # Consecutive blocks share a w: a block's ToRGB uses the next block's first w.
            x, img = block(x, img, ws[:, i:i + block.num_conv + block.num_torgb], noise_mode)
            i += block.num_conv
            features.append(x)
        return (img, features) if return_feature else img


@records_init_args
class Generator(torch.nn.Module):
    def __init__(self, z_dim, c_dim, w_dim, img_resolution, img_channels, mapping_kwargs={}, synthesis_kwargs={},
                 **synthesis_kwargs2):
        super().__init__()
        self.z_dim = z_dim
        self.c_dim = c_dim
        self.w_dim = w_dim
        self.img_resolution = img_resolution
        self.img_channels = img_channels
        # Newer training scripts pass the synthesis kwargs flat; older ones nest them.
        skw = dict(synthesis_kwargs) if len(synthesis_kwargs) else dict(synthesis_kwargs2)
        self.synthesis = SynthesisNetwork(w_dim=w_dim, img_resolution=img_resolution, img_channels=img_channels, **skw)
        self.num_ws = self.synthesis.num_ws
        self.mapping = MappingNetwork(z_dim=z_dim, c_dim=c_dim, w_dim=w_dim, num_ws=self.num_ws, **mapping_kwargs)

    def forward(self, z, c=None, truncation_psi=1, truncation_cutoff=None, noise_mode='const', return_feature=False):
        ws = self.mapping(z, c, truncation_psi=truncation_psi, truncation_cutoff=truncation_cutoff)
        return self.synthesis(ws, noise_mode=noise_mode, return_feature=return_feature)
