"""Convert ResNet-38 weights to ``hfpl_mm``'s :class:`ResNet38d` / :class:`SEAM` names.

Two sources:

* the ImageNet MXNet file the SEAM family starts from
  (``ilsvrc-cls_rna-a1_cls1000_ep-0001.params``), read without MXNet by
  :func:`read_mxnet_params`; renamed as SEAM's ``convert_mxnet_to_torch`` does
  (``res4b3_branch2a_weight`` -> ``b4_3.conv_branch2a.weight``,
  ``bn4b3_branch2a_moving_mean`` -> ``b4_3.bn_branch2a.running_mean``, ``bn7_gamma`` ->
  ``bn7.weight``; the 1000-way ``linear1000`` is dropped);
* a PyTorch state dict with SEAM's module names (SEAM's released ``resnet38_SEAM.pth`` or a
  PyTorch copy of the ImageNet weights): the backbone keys are kept, ``fc8`` becomes the
  head's ``head.classifier`` and ``f8_3`` / ``f8_4`` / ``f9`` the ``pcm``.

The output is a weights-only ``{'state_dict': ...}`` file with full-model keys
(``backbone.*``, ``head.*``, ``pcm.*``), loadable under ``torch.load(weights_only=True)``::

    python tools/model_converters/resnet38_mxnet.py ilsvrc-cls_rna-a1_cls1000_ep-0001.params \
        checkpoints/resnet38d_ilsvrc-mxnet.pth
    # backbone only (the SEAM configs' default):
    #   model.backbone.init_cfg=dict(type='Pretrained', checkpoint=..., prefix='backbone.')
    # a whole SEAM model: load_from=... (or model.init_cfg=dict(type='Pretrained', ...))
"""
import argparse
import re
import struct
from collections import OrderedDict
from typing import BinaryIO, Dict, Optional

import numpy as np
import torch

LIST_MAGIC = 0x112  # kMXAPINDArrayListMagic
NDARRAY_V1_MAGIC = 0xF993FAC8  # int64 shape
NDARRAY_V2_MAGIC = 0xF993FAC9  # + storage type
NDARRAY_V3_MAGIC = 0xF993FACA  # + numpy shape semantics (ndim -1 = unknown, 0 = scalar)
DTYPES = {0: '<f4', 1: '<f8', 2: '<f2', 3: 'u1', 4: '<i4', 5: 'i1', 6: '<i8', 7: '?'}
BN_PARAMS = {'gamma': 'weight', 'beta': 'bias', 'moving_mean': 'running_mean',
             'moving_var': 'running_var'}
SEAM_NEW_LAYERS = {'fc8': 'head.classifier', 'f8_3': 'pcm.f8_3', 'f8_4': 'pcm.f8_4',
                   'f9': 'pcm.f9'}
_BLOCK = re.compile(r'^(res|bn)(\d)(a|b\d+)_branch(\w+?)_(weight|gamma|beta|moving_mean|'
                    r'moving_var)$')
_BACKBONE = re.compile(r'^(conv1a|bn7|b\d(_\d+)?)\.')


class _Reader:
    """Little-endian reads from a binary stream, with a clear error at a truncated file."""

    def __init__(self, stream: BinaryIO, name: str) -> None:
        self.stream, self.name = stream, name

    def read(self, n: int) -> bytes:
        data = self.stream.read(n)
        if len(data) != n:
            raise ValueError(f'{self.name}: truncated MXNet file (wanted {n} bytes at offset '
                             f'{self.stream.tell() - len(data)}, got {len(data)})')
        return data

    def unpack(self, fmt: str):
        values = struct.unpack('<' + fmt, self.read(struct.calcsize('<' + fmt)))
        return values[0] if len(values) == 1 else values


def _read_ndarray(r: _Reader) -> Optional[np.ndarray]:
    """One ``NDArray::Load`` record; None for an empty (``is_none``) array."""
    magic = r.unpack('I')
    np_shape = magic == NDARRAY_V3_MAGIC
    if magic in (NDARRAY_V2_MAGIC, NDARRAY_V3_MAGIC):
        stype = r.unpack('i')
        if stype != 0:
            raise NotImplementedError(f'{r.name}: sparse NDArray (storage type {stype})')
    if magic in (NDARRAY_V1_MAGIC, NDARRAY_V2_MAGIC, NDARRAY_V3_MAGIC):
        ndim = r.unpack('i')
        shape = r.unpack(f'{ndim}q') if ndim > 0 else ()
        if ndim < 0 or (ndim == 0 and not np_shape):
            return None
    else:  # legacy: no magic, the first word is ndim and the dims are uint32
        shape = r.unpack(f'{magic}I') if magic else ()
        if magic == 0:
            return None
    shape = (shape, ) if isinstance(shape, int) else tuple(shape)
    r.unpack('ii')  # context: dev_type, dev_id (the data are always stored from the CPU)
    flag = r.unpack('i')
    if flag not in DTYPES:
        raise ValueError(f'{r.name}: unknown MXNet dtype flag {flag}')
    dtype = np.dtype(DTYPES[flag])
    count = int(np.prod(shape, dtype=np.int64))
    return np.frombuffer(r.read(count * dtype.itemsize), dtype=dtype).reshape(shape).copy()


def read_mxnet_params(path: str) -> Dict[str, Optional[np.ndarray]]:
    """Read an MXNet ``.params`` / ``mx.nd.save`` file without MXNet.

    Byte layout (little endian; ``NDArray::Save`` / ``NDArray::Load`` in MXNet's
    ``src/ndarray/ndarray.cc``, ``dmlc::Stream`` vectors and strings)::

        uint64 magic = 0x112          uint64 reserved = 0
        uint64 n                      n x NDArray
        uint64 m (0 or n)             m x (uint64 length, length bytes of ASCII name)

        NDArray, version 2 / 3 (magic 0xF993FAC9 / 0xF993FACA):
            uint32 magic  int32 storage type (0 = dense; sparse is not supported here)
            shape: int32 ndim, ndim x int64   (v2: ndim 0 = empty array, no more fields;
                                               v3: ndim -1 = empty, 0 = scalar)
            int32 dev_type  int32 dev_id      (context)
            int32 dtype flag  (0 f32, 1 f64, 2 f16, 3 u8, 4 i32, 5 i8, 6 i64, 7 bool)
            prod(shape) x itemsize bytes of C-ordered data
        version 1 (magic 0xF993FAC8): as version 2 without the storage type
        legacy (no magic): uint32 ndim, ndim x uint32 dims, then context, dtype, data

    Names of a saved model are ``arg:<name>`` (parameters) or ``aux:<name>`` (batch-norm
    statistics); the prefix is kept.

    Returns:
        dict: name -> array (None for empty arrays), in file order.
    """
    with open(path, 'rb') as f:
        r = _Reader(f, path)
        magic, _reserved = r.unpack('QQ')
        if magic != LIST_MAGIC:
            raise ValueError(f'{path}: not an MXNet NDArray file (magic {magic:#x}, expected '
                             f'{LIST_MAGIC:#x})')
        arrays = [_read_ndarray(r) for _ in range(r.unpack('Q'))]
        names = [r.read(r.unpack('Q')).decode('ascii') for _ in range(r.unpack('Q'))]
    if len(names) != len(arrays):
        raise ValueError(f'{path}: {len(arrays)} arrays but {len(names)} names')
    return OrderedDict(zip(names, arrays))


def mxnet_name_to_resnet38d(name: str) -> Optional[str]:
    """SEAM's renaming of one MXNet name (``arg:`` / ``aux:`` stripped); None = dropped."""
    name = name.split(':', 1)[-1]
    if name == 'conv1a_weight':
        return 'conv1a.weight'
    if name.startswith('linear1000'):
        return None
    if name.startswith('bn7_') and name[4:] in BN_PARAMS:
        return 'bn7.' + BN_PARAMS[name[4:]]
    match = _BLOCK.match(name)
    if match is None:
        raise KeyError(f'unexpected ResNet-38 MXNet parameter "{name}"')
    kind, stage, unit, branch, param = match.groups()
    block = f'b{stage}' if unit == 'a' else f'b{stage}_{unit[1:]}'
    if kind == 'res':
        if param != 'weight':
            raise KeyError(f'unexpected ResNet-38 MXNet parameter "{name}"')
        return f'{block}.conv_branch{branch}.weight'
    if param not in BN_PARAMS:
        raise KeyError(f'unexpected ResNet-38 MXNet parameter "{name}"')
    return f'{block}.bn_branch{branch}.{BN_PARAMS[param]}'


def convert_mxnet(params: Dict[str, Optional[np.ndarray]]) -> 'OrderedDict[str, torch.Tensor]':
    """ImageNet MXNet arrays -> float32 ``backbone.*`` state dict."""
    state = OrderedDict()
    for name, array in params.items():
        key = mxnet_name_to_resnet38d(name)
        if key is None:
            continue
        if array is None:
            raise ValueError(f'MXNet parameter "{name}" is empty')
        state['backbone.' + key] = torch.from_numpy(np.asarray(array, dtype=np.float32))
    return state


def convert_seam(state: Dict[str, torch.Tensor]) -> 'OrderedDict[str, torch.Tensor]':
    """A state dict with SEAM's module names -> ``backbone.*`` / ``head.*`` / ``pcm.*``."""
    out, unknown = OrderedDict(), []
    for name, value in state.items():
        name = name[len('module.'):] if name.startswith('module.') else name
        layer, _, param = name.partition('.')
        if _BACKBONE.match(name):
            out['backbone.' + name] = value
        elif layer in SEAM_NEW_LAYERS:
            out[f'{SEAM_NEW_LAYERS[layer]}.{param}'] = value
        elif not layer.startswith('linear1000'):
            unknown.append(name)
    if unknown:
        raise KeyError(f'not SEAM / ResNet-38 parameters: {unknown}')
    return out


def convert_file(src: str, dst: str) -> 'OrderedDict[str, torch.Tensor]':
    """Convert ``src`` (MXNet file, detected by its magic, or a torch file) into ``dst``."""
    with open(src, 'rb') as f:
        head = f.read(8)
    if len(head) == 8 and struct.unpack('<Q', head)[0] == LIST_MAGIC:
        state = convert_mxnet(read_mxnet_params(src))
    else:
        ckpt = torch.load(src, map_location='cpu', weights_only=True)
        state = convert_seam(ckpt.get('state_dict', ckpt))
    torch.save({'state_dict': state}, dst)
    return state


def main() -> None:
    parser = argparse.ArgumentParser(
        description='Convert ResNet-38 ImageNet (MXNet .params) or SEAM (PyTorch) weights')
    parser.add_argument('src', help='MXNet .params file or SEAM PyTorch checkpoint')
    parser.add_argument('dst', help='output .pth ({"state_dict": ...}, full-model keys)')
    args = parser.parse_args()
    state = convert_file(args.src, args.dst)
    prefixes = sorted({k.split('.', 1)[0] for k in state})
    print(f'wrote {len(state)} tensors ({", ".join(prefixes)}) to {args.dst}')


if __name__ == '__main__':
    main()
