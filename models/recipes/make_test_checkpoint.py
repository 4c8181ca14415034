"""Builds small random StyleGAN2 checkpoints in the official pickle format, plus hostile/broken pickles,
for the importer's tests.

    /usr/bin/python3 models/recipes/make_test_checkpoint.py test/fixtures

writes checkpoints/{tiny128,tiny64}.pkl, the same generators as model packages under packages/<name>/
(model.json + weights.safetensors, written directly from PyTorch for cross-checking), and
checkpoints/bad_*.pkl and npy/*.npy latents. Output is deterministic for a given PyTorch version.
"""

import io
import json
import os
import pickle
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import persistence_format as pf  # noqa: E402
import stylegan2_torch  # noqa: E402
from safetensors_io import write_safetensors  # noqa: E402

CONFIGS = {
    # Nested kwargs as EasyDicts, as stylegan2-ada-pytorch's train.py writes them; pickle protocol 4.
    'tiny128': dict(
        seed=128, protocol=4, nested=True,
        kwargs=dict(z_dim=64, c_dim=0, w_dim=64, img_resolution=128, img_channels=3,
                    mapping_kwargs=dict(num_layers=8, lr_multiplier=0.01),
                    synthesis_kwargs=dict(channel_base=1024, channel_max=32, conv_clamp=256, num_fp16_res=2,
                                          architecture='skip')),
        draggan=dict(feature_idx=5, lr=0.001, r1=3, r2=12, **{'lambda': 20}),
    ),
    # Flat synthesis kwargs, as the stylegan3 repo's train.py writes them; pickle protocol 2.
    'tiny64': dict(
        seed=64, protocol=2, nested=False,
        kwargs=dict(z_dim=32, c_dim=0, w_dim=32, img_resolution=64, img_channels=3,
                    mapping_kwargs=dict(num_layers=2, lr_multiplier=0.01),
                    channel_base=512, channel_max=32, conv_clamp=None, num_fp16_res=0,
                    fused_modconv_default='inference_only'),
        draggan=dict(feature_idx=4, lr=0.001, r1=3, r2=12, **{'lambda': 20}),
    ),
}


class Discriminator(torch.nn.Module):
    """Placeholder for the checkpoint's D: the importer must skip it."""

    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones([4]))


def randomize(G, seed):
    """Non-trivial values everywhere, so biases, noise strengths and w_avg are all exercised."""
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for name, p in G.named_parameters():
            if name.endswith('noise_strength'):
                p.copy_(torch.randn([], generator=g) * 0.2)
            elif name.endswith('affine.bias'):
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
            elif name.endswith('bias'):
                p.copy_(0.2 * torch.randn(p.shape, generator=g) / (0.01 if name.startswith('mapping') else 1))
        G.mapping.w_avg.copy_(0.5 * torch.randn(G.mapping.w_avg.shape, generator=g))


def build(name):
    spec = CONFIGS[name]
    torch.manual_seed(spec['seed'])
    G = stylegan2_torch.Generator(**spec['kwargs']).eval()
    randomize(G, spec['seed'])
    if spec['nested']:
        # Record the kwargs the way train.py passes them (nested EasyDicts).
        kw = dict(spec['kwargs'])
        kw['mapping_kwargs'] = pf.EasyDict(kw['mapping_kwargs'])
        kw['synthesis_kwargs'] = pf.EasyDict(kw['synthesis_kwargs'])
        G._init_kwargs = kw
    return G


def dump(obj, protocol, classes, overrides=None):
    buf = io.BytesIO()
    pf.PersistentPickler(buf, protocol, classes, overrides).dump(obj)
    return buf.getvalue()


def model_config(name):
    """The model.json the importer is expected to produce (defaults spelled out)."""
    spec = CONFIGS[name]
    kw = spec['kwargs']
    synth = kw['synthesis_kwargs'] if 'synthesis_kwargs' in kw else {
        k: kw[k] for k in ['channel_base', 'channel_max', 'conv_clamp', 'num_fp16_res']}
    return dict(
        z_dim=kw['z_dim'], c_dim=0, w_dim=kw['w_dim'], img_resolution=kw['img_resolution'], img_channels=3,
        mapping_kwargs=dict(num_layers=kw['mapping_kwargs']['num_layers'],
                            lr_multiplier=kw['mapping_kwargs']['lr_multiplier'], w_avg_beta=0.998,
                            layer_features=None, embed_features=None, activation='lrelu'),
        synthesis_kwargs=dict(channel_base=synth['channel_base'], channel_max=synth['channel_max'],
                              conv_clamp=synth['conv_clamp'], architecture='skip',
                              num_fp16_res=synth['num_fp16_res'], resample_filter=[1, 3, 3, 1], use_noise=True),
        name=name, description=f'random-weight test generator {name}', license='MIT (test fixture)',
        draggan=spec['draggan'],
    )


class Evil:
    def __init__(self, fn, arg):
        self.fn, self.arg = fn, arg

    def __reduce__(self):
        return (self.fn, (self.arg,))


class TFNetwork:
    """Shaped like dnnlib.tflib.network.Network, whose pickles carry TensorFlow variables."""

    def __getstate__(self):
        return dict(version=4, name='G', static_kwargs={}, components={}, build_module_src='# tf',
                    build_func_name='G_main', variables=[('G/dense/weight', np.zeros(2, np.float32))])


SG3_SRC = '''import torch
# Looks like the official StyleGAN3 generator module (only names matter to the importer).
from torch_utils.ops import filtered_lrelu
class SynthesisInput(torch.nn.Module): pass
class SynthesisLayer(torch.nn.Module): pass
class SynthesisNetwork(torch.nn.Module): pass
class MappingNetwork(torch.nn.Module): pass
class Generator(torch.nn.Module): pass
'''


def hostile(out_dir, tiny128_bytes):
    ck = os.path.join(out_dir, 'checkpoints')
    with open(os.path.join(ck, 'bad_truncated.pkl'), 'wb') as f:
        f.write(tiny128_bytes[: len(tiny128_bytes) // 2])
    # os.system pickles as posix.system; rewrite the GLOBAL line to the portable spelling.
    data = pickle.dumps({'G_ema': Evil(os.system, 'echo pwned')}, protocol=2)
    data = data.replace(b'cposix\nsystem\n', b'cos\nsystem\n')
    assert b'cos\nsystem\n' in data
    with open(os.path.join(ck, 'bad_os_system.pkl'), 'wb') as f:
        f.write(data)
    with open(os.path.join(ck, 'bad_eval.pkl'), 'wb') as f:
        f.write(pickle.dumps({'G_ema': Evil(eval, "__import__('os').system('echo pwned')")}, protocol=4))
    # TF-era pickles are a tuple (G, D, Gs) of dnnlib.tflib.network.Network objects.
    mod = type(sys)('dnnlib.tflib.network')
    TFNetwork.__module__, TFNetwork.__qualname__ = 'dnnlib.tflib.network', 'Network'
    mod.Network = TFNetwork
    sys.modules['dnnlib.tflib.network'] = mod
    with open(os.path.join(ck, 'bad_tf.pkl'), 'wb') as f:
        f.write(pickle.dumps((TFNetwork(), TFNetwork(), TFNetwork()), protocol=4))
    # A StyleGAN3-looking G_ema: a persistent object whose module source is StyleGAN3's.
    fake = Discriminator()
    fake._init_kwargs = dict(z_dim=64, c_dim=0, w_dim=64, img_resolution=128, img_channels=3,
                             mapping_kwargs={}, channel_base=1024, channel_max=32, magnitude_ema_beta=0.999)
    fake._init_args = ()
    data = dump(dict(G=fake, D=fake, G_ema=fake, training_set_kwargs={}, augment_pipe=None), 4, {},
                {id(fake): ('Generator', SG3_SRC)})
    with open(os.path.join(ck, 'bad_stylegan3.pkl'), 'wb') as f:
        f.write(data)


def npy_fixtures(out_dir):
    """Latents as the official GUI and numpy write them (float32, float64, and a Fortran-order reject)."""
    d = os.path.join(out_dir, 'npy')
    os.makedirs(d, exist_ok=True)
    w = np.random.RandomState(1).randn(1, 12, 64)
    np.save(os.path.join(d, 'w_f4.npy'), w.astype(np.float32))
    np.save(os.path.join(d, 'w_f8.npy'), w)
    np.save(os.path.join(d, 'w_fortran.npy'), np.asfortranarray(w[0].astype(np.float32)))


def main(out_dir):
    pf.install_standins()
    npy_fixtures(out_dir)
    os.makedirs(os.path.join(out_dir, 'checkpoints'), exist_ok=True)
    classes = pf.module_classes(stylegan2_torch)
    disc_src = 'import torch\n\nclass Discriminator(torch.nn.Module):\n    """test placeholder"""\n'
    classes[Discriminator] = disc_src
    tiny128_bytes = None
    for name, spec in CONFIGS.items():
        G = build(name)
        D = Discriminator()
        D._init_args, D._init_kwargs = (), {}
        res = spec['kwargs']['img_resolution']
        ckpt = dict(G=G, D=D, G_ema=G, augment_pipe=None,
                    training_set_kwargs=dict(class_name='training.dataset.ImageFolderDataset', path=f'{name}.zip',
                                             use_labels=False, max_size=None, xflip=False, resolution=res))
        data = dump(ckpt, spec['protocol'], classes)
        with open(os.path.join(out_dir, 'checkpoints', f'{name}.pkl'), 'wb') as f:
            f.write(data)
        if name == 'tiny128':
            tiny128_bytes = data
        pkg = os.path.join(out_dir, 'packages', name)
        os.makedirs(pkg, exist_ok=True)
        with open(os.path.join(pkg, 'model.json'), 'w') as f:
            json.dump(model_config(name), f, indent=2)
            f.write('\n')
        write_safetensors(os.path.join(pkg, 'weights.safetensors'), G.state_dict())
        print(f'{name}: {len(data)} bytes, {len(G.state_dict())} tensors, num_ws {G.num_ws}')
    hostile(out_dir, tiny128_bytes)


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures')
