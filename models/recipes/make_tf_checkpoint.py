"""Writes a TensorFlow-era StyleGAN2 pickle (the format of NVIDIA's stylegan2-*-config-f.pkl) from one of our model
packages, so the TF importer is tested without any downloaded file. numpy only (Debian's python3-numpy):

    /usr/bin/python3 models/recipes/make_tf_checkpoint.py test/fixtures/packages/tiny128 \
        test/fixtures/checkpoints/tiny128_tf.pkl

The file is what `pickle.dump((G, D, Gs), f, protocol=pickle.HIGHEST_PROTOCOL)` of dnnlib.tflib.network.Network
objects writes (NVlabs/stylegan2 training/misc.py save_pkl; the highest protocol was 4 on the Python 3.6/3.7 that
TensorFlow 1.x ran on): each Network pickles as NEWOBJ of the class `dnnlib.tflib.network
Network` plus its __getstate__ dict {version, name, static_kwargs, components, build_module_src, build_func_name,
variables}, variables a list of (scope-relative name, value) with values as TF's session.run returns them: numpy
arrays, and numpy scalars for 0-d variables. The weights are the package's, written under the TF names and layouts by
the inverse of the conversion rules in stylegan2-ada-pytorch's legacy.py (convert_tf_generator): dense weights
[in, out], conv weights [kh, kw, in, out] (the up-sampling conv flipped in both spatial axes), modulation biases
minus 1 (TF adds the 1 at run time), the 4x4 const and the noise maps with leading unit axes, per-layer noise
inputs numbered noise0, noise1, ... from the 4x4 layer up. Gs holds the package's weights; G (the training copy)
holds them perturbed, so a reader that takes the wrong network renders a different image; D is a small stand-in.
"""

import json
import os
import pickle
import sys
import types

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import read_safetensors_numpy  # noqa: E402


class Network:
    """Stand-in for dnnlib.tflib.network.Network: pickles under that name with the same state dict."""

    def __init__(self, name, build_func_name, static_kwargs, components, variables):
        self._state = dict(version=4, name=name, static_kwargs=dict(static_kwargs), components=dict(components),
                           build_module_src=f'# source of the module defining {build_func_name} (never read by the importer)\n',
                           build_func_name=build_func_name, variables=list(variables))

    def __getstate__(self):
        return self._state


def install_network_class():
    """Pickle records a class by module and qualified name; register the stand-in under the TF one."""
    for name in ['dnnlib', 'dnnlib.tflib', 'dnnlib.tflib.network']:
        sys.modules.setdefault(name, types.ModuleType(name))
    Network.__module__, Network.__qualname__ = 'dnnlib.tflib.network', 'Network'
    sys.modules['dnnlib.tflib.network'].Network = Network


def f32(a):
    return np.ascontiguousarray(np.asarray(a, dtype=np.float32))


def tf_variables(cfg, w):
    """(G_main vars, G_mapping vars, G_synthesis vars) from PyTorch-named weights, by legacy.py's rules inverted."""
    dense_t = lambda a: f32(a.T)                                       # [out, in] -> [in, out]
    conv_t = lambda a: f32(a.transpose(2, 3, 1, 0))                    # [out, in, kh, kw] -> [kh, kw, in, out]
    conv_up_t = lambda a: f32(a.transpose(2, 3, 1, 0)[::-1, ::-1])     # ... and flipped, as legacy flips it back
    scalar = lambda a: np.float32(np.asarray(a).reshape(()))           # session.run of a 0-d variable
    mapping = []
    for i in range(cfg['mapping_kwargs']['num_layers']):
        mapping += [(f'Dense{i}/weight', dense_t(w[f'mapping.fc{i}.weight'])), (f'Dense{i}/bias', f32(w[f'mapping.fc{i}.bias']))]
    synthesis = [('lod', np.float32(0))]  # a variable of G_synthesis_stylegan2 that legacy.py does not use

    def layer(scope, p, weight_t):
        return [(f'{scope}/weight', weight_t(w[f'{p}.weight'])), (f'{scope}/bias', f32(w[f'{p}.bias'])),
                (f'{scope}/noise_strength', scalar(w[f'{p}.noise_strength'])),
                (f'{scope}/mod_weight', dense_t(w[f'{p}.affine.weight'])),
                (f'{scope}/mod_bias', f32(w[f'{p}.affine.bias']) - np.float32(1))]

    res = cfg['img_resolution']
    noise = []
    r = 4
    while r <= res:
        b = f'synthesis.b{r}'
        if r == 4:
            synthesis.append(('4x4/Const/const', f32(w[f'{b}.const'])[None]))
            synthesis += layer('4x4/Conv', f'{b}.conv1', conv_t)
            noise.append(w[f'{b}.conv1.noise_const'])
        else:
            synthesis += layer(f'{r}x{r}/Conv0_up', f'{b}.conv0', conv_up_t)
            synthesis += layer(f'{r}x{r}/Conv1', f'{b}.conv1', conv_t)
            noise += [w[f'{b}.conv0.noise_const'], w[f'{b}.conv1.noise_const']]
        synthesis += [(f'{r}x{r}/ToRGB/weight', conv_t(w[f'{b}.torgb.weight'])), (f'{r}x{r}/ToRGB/bias', f32(w[f'{b}.torgb.bias'])),
                      (f'{r}x{r}/ToRGB/mod_weight', dense_t(w[f'{b}.torgb.affine.weight'])),
                      (f'{r}x{r}/ToRGB/mod_bias', f32(w[f'{b}.torgb.affine.bias']) - np.float32(1))]
        r *= 2
    synthesis += [(f'noise{i}', f32(n)[None, None]) for i, n in enumerate(noise)]
    main = [('dlatent_avg', f32(w['mapping.w_avg']))]
    return main, mapping, synthesis


def static_kwargs(cfg):
    """G_main's kwargs in the TF names legacy.py maps (fmap_base is half of channel_base there)."""
    s, m = cfg['synthesis_kwargs'], cfg['mapping_kwargs']
    return dict(num_channels=cfg['img_channels'], resolution=cfg['img_resolution'], label_size=cfg['c_dim'],
                latent_size=cfg['z_dim'], dlatent_size=cfg['w_dim'], mapping_layers=m['num_layers'],
                mapping_lrmul=m['lr_multiplier'], fmap_base=s['channel_base'] // 2, fmap_max=s['channel_max'],
                conv_clamp=s['conv_clamp'], num_fp16_res=s['num_fp16_res'], architecture='skip',
                w_avg_beta=m['w_avg_beta'], truncation_psi=0.5)  # truncation_psi: known to legacy.py, ignored by it and us


def generator(name, kwargs, main, mapping, synthesis):
    comps = dict(mapping=Network(f'{name}_mapping', 'G_mapping', kwargs, {}, mapping),
                 synthesis=Network(f'{name}_synthesis', 'G_synthesis_stylegan2', kwargs, {}, synthesis))
    return Network(name, 'G_main', kwargs, comps, main)


def perturbed(variables, rng):
    return [(k, v + np.float32(0.5) * rng.standard_normal(np.shape(v)).astype(np.float32) if isinstance(v, np.ndarray) else v) for k, v in variables]


def main():
    package, out = sys.argv[1], sys.argv[2]
    with open(os.path.join(package, 'model.json')) as f:
        cfg = json.load(f)
    w = read_safetensors_numpy(os.path.join(package, 'weights.safetensors'))
    kwargs = static_kwargs(cfg)
    main_vars, mapping, synthesis = tf_variables(cfg, w)
    rng = np.random.default_rng(20)
    Gs = generator('Gs', kwargs, main_vars, mapping, synthesis)
    G = generator('G', kwargs, *(perturbed(v, rng) for v in (main_vars, mapping, synthesis)))
    D = Network('D', 'D_stylegan2', dict(resolution=cfg['img_resolution'], num_channels=3), {},
                [('Output/weight', rng.standard_normal((32, 1)).astype(np.float32)), ('Output/bias', np.zeros(1, np.float32))])
    install_network_class()
    with open(out, 'wb') as f:
        pickle.dump((G, D, Gs), f, protocol=4)


if __name__ == '__main__':
    main()
