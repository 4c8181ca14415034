"""A small residual discriminator for the bundled generator's adversarial phase (128 px in, one logit out).

The layout follows the StyleGAN2 'resnet' discriminator (per resolution two 3x3 convolutions with a
down-sampled residual branch scaled by 1/sqrt(2), minibatch standard deviation, a 4x4 epilogue), with
equalised learning rate, but its FromRGB is a 4x4 stride-2 convolution (it sees every 128 px detail, the
blocks start at 64 px), down-sampling is plain average pooling and the channels are narrow, so that a step costs
less than the generator's on a CPU. Only training uses it; it is never exported.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class EqConv(nn.Module):
    """Conv2d with equalised learning rate: weights ~ N(0, 1) scaled by 1/sqrt(fan_in) at run time."""

    def __init__(self, cin, cout, k, bias=True, stride=1):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin, k, k))
        self.bias = nn.Parameter(torch.zeros(cout)) if bias else None
        self.gain = 1 / math.sqrt(cin * k * k)
        self.stride = stride
        self.pad = (k - 1) // 2 if stride == 1 else (k - stride) // 2

    def forward(self, x):
        return F.conv2d(x, self.weight * self.gain, self.bias, stride=self.stride, padding=self.pad)


class EqLinear(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin))
        self.bias = nn.Parameter(torch.zeros(cout))
        self.gain = 1 / math.sqrt(cin)

    def forward(self, x):
        return F.linear(x, self.weight * self.gain, self.bias)


def lrelu(x):
    return F.leaky_relu(x, 0.2) * math.sqrt(2)


class DownBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv0 = EqConv(cin, cin, 3)
        self.conv1 = EqConv(cin, cout, 3)
        self.skip = EqConv(cin, cout, 1, bias=False)

    def forward(self, x):
        y = F.avg_pool2d(self.skip(x), 2)
        x = lrelu(self.conv0(x))
        x = F.avg_pool2d(lrelu(self.conv1(x)), 2)
        return (x + y) / math.sqrt(2)


class Discriminator(nn.Module):
    # Channels at 64, 32, 16, 8 px; the epilogue works at 4 px.
    CHANNELS = (16, 32, 64, 128, 128)

    def __init__(self, mbstd_group=4):
        super().__init__()
        c = self.CHANNELS
        self.from_rgb = EqConv(3, c[0], 4, stride=2)
        self.blocks = nn.ModuleList(DownBlock(c[i], c[i + 1]) for i in range(4))
        self.mbstd_group = mbstd_group
        self.conv = EqConv(c[-1] + 1, c[-1], 3)
        self.fc = EqLinear(c[-1] * 16, c[-1])
        self.out = EqLinear(c[-1], 1)

    def minibatch_std(self, x):
        n, ch, h, w = x.shape
        g = min(self.mbstd_group, n)
        while n % g:
            g -= 1
        y = x.reshape(g, -1, ch, h, w)
        y = (y - y.mean(0)).square().mean(0).add(1e-8).sqrt().mean(dim=[1, 2, 3])  # [n/g]
        y = y.reshape(-1, 1, 1, 1).repeat(g, 1, h, w)
        return torch.cat([x, y], 1)

    def forward(self, img):
        x = lrelu(self.from_rgb(img))
        for b in self.blocks:
            x = b(x)
        x = lrelu(self.conv(self.minibatch_std(x)))
        x = lrelu(self.fc(x.flatten(1)))
        return self.out(x).squeeze(1)
