"""Reading and writing the *format* of official StyleGAN2 checkpoints without the official code.

Official checkpoints are `pickle.dump`s whose networks reduce to
`torch_utils.persistence._reconstruct_persistent_obj(meta)`, meta = {type, version, module_src, class_name, state}.
Pickle records a function by its qualified name, so a stand-in module registered under that name is enough to
write such a pickle, and to read one back as plain records (nothing in module_src is ever executed).
"""

import collections
import inspect
import pickle
import sys
import types

import torch

PERSISTENCE_VERSION = 6  # the format version the official unpickler asserts


class PersistentRecord:
    """What an unpickled persistent object becomes here: its meta, not a live module."""

    def __init__(self, meta):
        self.meta = dict(meta)

    @property
    def state(self):
        return self.meta['state']

    @property
    def class_name(self):
        return self.meta['class_name']


def _reconstruct_persistent_obj(meta):
    return PersistentRecord(meta)


class EasyDict(dict):
    """Stand-in for dnnlib.util.EasyDict (a dict with attribute access); only its pickled name matters."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name)


def install_standins():
    """Register torch_utils.persistence and dnnlib.util stand-ins; must run before pickling or unpickling."""
    specs = {
        'torch_utils': {},
        'torch_utils.persistence': {'_reconstruct_persistent_obj': _reconstruct_persistent_obj},
        'dnnlib': {},
        'dnnlib.util': {'EasyDict': EasyDict},
    }
    for name, attrs in specs.items():
        mod = sys.modules.get(name)
        if mod is None or getattr(mod, '__standin__', False) is False:
            mod = types.ModuleType(name)
            mod.__standin__ = True
            sys.modules[name] = mod
        for k, v in attrs.items():
            v.__module__ = name
            v.__qualname__ = k
            setattr(mod, k, v)
    sys.modules['torch_utils'].persistence = sys.modules['torch_utils.persistence']
    sys.modules['dnnlib'].util = sys.modules['dnnlib.util']
    sys.modules['dnnlib'].EasyDict = EasyDict


def uninstall_standins():
    for name in ['torch_utils.persistence', 'torch_utils', 'dnnlib.util', 'dnnlib']:
        if getattr(sys.modules.get(name), '__standin__', False):
            del sys.modules[name]


class PersistentPickler(pickle.Pickler):
    """Pickles the registered torch modules the way the official persistence decorator does.

    persistent_classes: {class: module_src}; overrides: {id(obj): (class_name, module_src)} to pose an
    object as a different class (used for the hostile fixtures).
    """

    def __init__(self, file, protocol, persistent_classes, overrides=None):
        super().__init__(file, protocol=protocol)
        self.persistent_classes = persistent_classes
        self.overrides = overrides or {}

    def reducer_override(self, obj):
        if id(obj) in self.overrides:
            class_name, src = self.overrides[id(obj)]
        elif type(obj) in self.persistent_classes:
            class_name, src = type(obj).__name__, self.persistent_classes[type(obj)]
        else:
            return NotImplemented
        state = dict(obj.__dict__)
        meta = dict(type='class', version=PERSISTENCE_VERSION, module_src=src, class_name=class_name, state=state)
        return (_reconstruct_persistent_obj, (meta,))


def module_classes(module):
    """All torch.nn.Module classes defined in `module`, each mapped to the module's source."""
    src = inspect.getsource(module)
    return {
        v: src for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, torch.nn.Module) and v.__module__ == module.__name__
    }


def flatten_state(record, prefix='', out=None):
    """A persistent record's parameters and persistent buffers under state_dict names."""
    out = collections.OrderedDict() if out is None else out
    st = record.state
    skip = st.get('_non_persistent_buffers_set', set())
    for name, t in st['_parameters'].items():
        if t is not None:
            out[prefix + name] = t.detach()
    for name, t in st['_buffers'].items():
        if t is not None and name not in skip:
            out[prefix + name] = t.detach()
    for name, sub in st['_modules'].items():
        if sub is not None:
            flatten_state(sub, prefix + name + '.', out)
    return out


def load_checkpoint(path):
    """Unpickle an official-format checkpoint into records (safe only for files you trust)."""
    install_standins()
    with open(path, 'rb') as f:
        return pickle.load(f)
