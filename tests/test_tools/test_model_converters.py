"""ResNet-38 converters: an MXNet .params file written here byte by byte, and SEAM checkpoints."""
import importlib.util
import struct
from pathlib import Path

import numpy as np
import pytest
import torch

from hfpl_mm.models.backbones import ResNet38d
from tests.conftest import ROOT, run_tool

TOOL = ROOT / 'tools' / 'model_converters' / 'resnet38_mxnet.py'
_spec = importlib.util.spec_from_file_location('resnet38_mxnet', TOOL)
conv = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(conv)

BN_MX = {'weight': 'gamma', 'bias': 'beta', 'running_mean': 'moving_mean',
         'running_var': 'moving_var'}
DTYPE_FLAGS = {np.dtype('<f4'): 0, np.dtype('<f8'): 1, np.dtype('<f2'): 2, np.dtype('<i8'): 6}


def _mxnet_name(key: str) -> str:
    """MXNet name of a ResNet38d key, the inverse of SEAM's convert_mxnet_to_torch naming."""
    module, param = key.rsplit('.', 1)
    if module == 'conv1a':
        return 'arg:conv1a_weight'
    if module == 'bn7':
        prefix = 'aux' if param.startswith('running') else 'arg'
        return f'{prefix}:bn7_{BN_MX[param]}'
    block, layer = module.split('.')
    stage, _, unit = block[1:].partition('_')
    unit = 'a' if not unit else f'b{unit}'
    kind, branch = layer.split('_branch')
    if kind == 'conv':
        return f'arg:res{stage}{unit}_branch{branch}_weight'
    prefix = 'aux' if param.startswith('running') else 'arg'
    return f'{prefix}:bn{stage}{unit}_branch{branch}_{BN_MX[param]}'


def _ndarray(array: np.ndarray, version: str) -> bytes:
    """One NDArray record (MXNet ndarray.cc Save / LegacyLoad layouts)."""
    if array is None:  # an empty (is_none) array, version 2
        return struct.pack('<Iii', 0xF993FAC9, 0, 0)
    body = struct.pack('<ii', 1, 0)  # context: cpu(0)
    body += struct.pack('<i', DTYPE_FLAGS[array.dtype]) + np.ascontiguousarray(array).tobytes()
    if version == 'legacy':
        return struct.pack(f'<I{array.ndim}I', array.ndim, *array.shape) + body
    shape = struct.pack(f'<i{array.ndim}q', array.ndim, *array.shape)
    if version == 'v1':
        return struct.pack('<I', 0xF993FAC8) + shape + body
    magic = 0xF993FACA if version == 'v3' else 0xF993FAC9
    return struct.pack('<Ii', magic, 0) + shape + body


def _write_params(path: Path, arrays: dict, versions=('v2', )) -> None:
    """``mx.nd.save`` layout: list magic, reserved, arrays, then the names."""
    data = struct.pack('<QQQ', 0x112, 0, len(arrays))
    for i, array in enumerate(arrays.values()):
        data += _ndarray(array, versions[i % len(versions)])
    data += struct.pack('<Q', len(arrays))
    for name in arrays:
        data += struct.pack('<Q', len(name)) + name.encode('ascii')
    path.write_bytes(data)


def _backbone_state(seed=0):
    torch.manual_seed(seed)
    net = ResNet38d(base_channels=4)
    for buf in net.buffers():
        if buf.is_floating_point():
            buf.uniform_(0.5, 1.5)
    return net, {k: v for k, v in net.state_dict().items() if 'num_batches' not in k}


def test_mxnet_file_converts_to_the_backbone(tmp_path):
    net, state = _backbone_state()
    arrays = {_mxnet_name(k): v.numpy() for k, v in state.items()}
    arrays['arg:linear1000_weight'] = np.ones((10, 256), np.float32)  # dropped
    arrays['arg:linear1000_bias'] = np.ones(10, np.float32)
    src = tmp_path / 'ilsvrc-cls_rna-a1_cls1000_ep-0001.params'
    _write_params(src, arrays, versions=('v2', 'v1', 'legacy'))
    dst = tmp_path / 'resnet38d.pth'
    proc = run_tool(str(TOOL), str(src), str(dst))
    assert f'wrote {len(state)} tensors (backbone)' in proc.stdout
    out = torch.load(dst, weights_only=True)['state_dict']
    assert set(out) == {'backbone.' + k for k in state}
    for key, value in state.items():
        torch.testing.assert_close(out['backbone.' + key], value, rtol=0, atol=0)
    # loadable as the backbone's Pretrained init with prefix='backbone.' (and then not
    # zero-initialised)
    fresh = ResNet38d(base_channels=4, zero_init_residual=True, init_cfg=dict(
        type='Pretrained', checkpoint=str(dst), prefix='backbone.'))
    fresh.init_weights()
    torch.testing.assert_close(fresh.b4_3.bn_branch2b1.running_var,
                               net.b4_3.bn_branch2b1.running_var)
    torch.testing.assert_close(fresh.b4_3.conv_branch2b1.weight, net.b4_3.conv_branch2b1.weight)


def test_reader_dtypes_and_versions(tmp_path):
    arrays = {'arg:a': np.arange(6, dtype='<f8').reshape(2, 3),
              'arg:b': np.array([1.5, -2], dtype='<f2'),
              'aux:c': np.arange(4, dtype='<i8'),
              'arg:empty': None}
    path = tmp_path / 'x.params'
    _write_params(path, arrays, versions=('legacy', 'v1', 'v2', 'v2'))
    read = conv.read_mxnet_params(str(path))
    assert list(read) == list(arrays) and read['arg:empty'] is None
    for name in ('arg:a', 'arg:b', 'aux:c'):
        assert read[name].dtype == arrays[name].dtype
        np.testing.assert_array_equal(read[name], arrays[name])
    scalar = tmp_path / 'scalar.params'
    _write_params(scalar, {'arg:s': np.array(3.0, dtype='<f4')}, versions=('v3', ))
    assert conv.read_mxnet_params(str(scalar))['arg:s'].shape == ()


def test_reader_rejects_bad_files(tmp_path):
    bad = tmp_path / 'bad.params'
    bad.write_bytes(struct.pack('<QQ', 0x113, 0))
    with pytest.raises(ValueError, match='not an MXNet NDArray file'):
        conv.read_mxnet_params(str(bad))
    good = tmp_path / 'good.params'
    _write_params(good, {'arg:conv1a_weight': np.zeros((4, 3, 3, 3), np.float32)})
    (tmp_path / 'cut.params').write_bytes(good.read_bytes()[:-40])
    with pytest.raises(ValueError, match='truncated'):
        conv.read_mxnet_params(str(tmp_path / 'cut.params'))
    with pytest.raises(KeyError, match='res9z_branch1_bias'):
        conv.convert_mxnet({'arg:res9z_branch1_bias': np.zeros(1, np.float32)})


def test_seam_checkpoint_converts_to_the_model(tmp_path):
    """SEAM's released state dict (module names of network/resnet38_SEAM.py, saved from
    ``model.module``, possibly with a DataParallel prefix) loads into our SEAM strictly."""
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import MODELS
    init_default_scope('mmpretrain')
    cfg = Config.fromfile('configs/seam/seam_r38d-slim_1xb16-12e_synthetic-96x96.py')
    model = MODELS.build(cfg.model)
    theirs = {}
    for key, value in model.state_dict().items():
        if 'num_batches' in key:
            continue
        key = key.replace('backbone.', '').replace('head.classifier', 'fc8').replace('pcm.', '')
        theirs['module.' + key] = value + 1
    src = tmp_path / 'resnet38_SEAM.pth'
    torch.save(theirs, src)
    dst = tmp_path / 'seam.pth'
    conv.convert_file(str(src), str(dst))
    state = torch.load(dst, weights_only=True)['state_dict']
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and all('num_batches' in k for k in missing)
    torch.testing.assert_close(model.head.classifier.weight, theirs['module.fc8.weight'])
    torch.testing.assert_close(model.pcm.f9.weight, theirs['module.f9.weight'])
    with pytest.raises(KeyError, match='f8_5'):
        conv.convert_seam({'f8_5.weight': torch.zeros(1)})  # an AffinityNet layer
