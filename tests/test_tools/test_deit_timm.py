"""DeiT / timm ViT converter: a timm-named single-token ViT file written here loads into MCTViT
with every weight in place and the class token replicated (MCTformer's --finetune)."""
import importlib.util

import pytest
import torch

from hfpl_mm.models.backbones import MCTViT
from tests.conftest import ROOT, run_tool

TOOL = ROOT / 'tools' / 'model_converters' / 'deit_timm.py'
_spec = importlib.util.spec_from_file_location('deit_timm', TOOL)
conv = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(conv)

TINY = dict(arch=dict(embed_dims=16, num_layers=2, num_heads=2, feedforward_channels=32),
            img_size=32, patch_size=8)
# timm's VisionTransformer names (timm/models/vision_transformer.py), written out by hand
TIMM = {'patch_embed.projection': 'patch_embed.proj', 'ln1': 'norm1', 'ln2': 'norm2',
        'ffn.layers.0.0': 'mlp.fc1', 'ffn.layers.1': 'mlp.fc2'}


def _timm_state():
    torch.manual_seed(0)
    ref = MCTViT(**TINY, num_class_tokens=1)
    for p in ref.parameters():
        torch.nn.init.normal_(p)
    state = {}
    for key, value in ref.state_dict().items():
        name = key.replace('layers.', 'blocks.', 1)
        for ours, theirs in TIMM.items():
            name = name.replace(ours, theirs)
        state[name] = value
    # DeiT's extras that MCTformer does not use
    state.update({'norm.weight': torch.ones(16), 'norm.bias': torch.zeros(16),
                  'head.weight': torch.zeros(1000, 16), 'head.bias': torch.zeros(1000)})
    return ref, state


def test_converted_file_loads_into_mctvit(tmp_path):
    ref, state = _timm_state()
    assert 'blocks.1.mlp.fc2.weight' in state and 'patch_embed.proj.weight' in state
    src, dst = tmp_path / 'deit.pth', tmp_path / 'deit_mm.pth'
    torch.save({'model': state}, src)
    run_tool(str(TOOL), str(src), str(dst))
    saved = torch.load(dst, weights_only=True)['state_dict']
    assert all(k.startswith('backbone.') for k in saved)
    assert not any('head' in k or k.startswith('backbone.norm') for k in saved)

    model = MCTViT(**TINY, num_class_tokens=20,
                   init_cfg=dict(type='Pretrained', checkpoint=str(dst), prefix='backbone.'))
    model.init_weights()
    expected = ref.state_dict()
    for key, value in model.state_dict().items():
        if key == 'cls_token':
            torch.testing.assert_close(value, expected[key].expand(1, 20, 16))
        elif key == 'pos_embed':
            torch.testing.assert_close(value[:, :20], expected[key][:, :1].expand(1, 20, 16))
            torch.testing.assert_close(value[:, 20:], expected[key][:, 1:])
        else:
            torch.testing.assert_close(value, expected[key], msg=key)


def test_unknown_keys_are_named():
    _, state = _timm_state()
    state['blocks.0.attn.rel_pos'] = torch.zeros(3)
    with pytest.raises(KeyError, match="'blocks.0.attn.rel_pos'"):
        conv.convert_deit(state)
    del state['blocks.0.attn.rel_pos'], state['cls_token']
    with pytest.raises(KeyError, match='cls_token'):
        conv.convert_deit(state)
