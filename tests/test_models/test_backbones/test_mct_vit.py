"""MCTViT: class tokens, shapes, attention maps, and loading a single-token ViT checkpoint
(replicated to every class as MCTformer's main.py --finetune, xulianuwa/MCTformer@9606597)."""
import pytest
import torch
import torch.nn.functional as F

from hfpl_mm.models.backbones import MCTViT

TINY = dict(arch=dict(embed_dims=32, num_layers=3, num_heads=2, feedforward_channels=64),
            img_size=64, patch_size=8)


def _vit(**kwargs):
    torch.manual_seed(0)
    model = MCTViT(**{**TINY, 'num_class_tokens': 5, **kwargs})
    model.init_weights()
    model.eval()
    return model


def test_shapes_and_attention():
    model = _vit()
    assert model.cls_token.shape == (1, 5, 32) and model.pos_embed.shape == (1, 5 + 64, 32)
    assert not model.final_norm and not hasattr(model, 'ln1')
    x = torch.randn(2, 3, 64, 64)
    tokens, patch = model(x)
    assert tokens.shape == (2, 5, 32) and patch.shape == (2, 32, 8, 8)
    tokens2, patch2, attns = model(x, with_attn=True)
    # the explicit attention path computes the same blocks as mmpretrain's fused attention
    torch.testing.assert_close(tokens2, tokens, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(patch2, patch, rtol=1e-5, atol=1e-5)
    assert len(attns) == 3 and attns[0].shape == (2, 2, 69, 69)
    torch.testing.assert_close(attns[1].sum(-1), torch.ones(2, 2, 69))
    # any input size: no padding (the remainder is dropped, as a stride-8 conv), the position
    # embeddings resized to the token grid
    tokens, patch, attns = model(torch.randn(1, 3, 70, 45), with_attn=True)
    assert patch.shape == (1, 32, 8, 5) and attns[0].shape == (1, 2, 5 + 40, 5 + 40)


def test_patch_map_is_token_order():
    model = _vit()
    x = torch.randn(1, 3, 64, 64)
    tokens, patch = model(x)
    # patch token i (row-major, after the class tokens) is the feature at (i // 8, i % 8):
    # a patch-sized change of the image at row 2, column 3 changes token 2 * 8 + 3 most
    x2 = x.clone()
    x2[:, :, 16:24, 24:32] += 5
    patch2 = model(x2)[1]
    change = (patch2 - patch).norm(dim=1)[0]
    assert change.argmax().item() == 2 * 8 + 3


def test_single_token_checkpoint_is_replicated(tmp_path):
    """A 1-token ViT state dict (14x14 grid in DeiT, 8x8 here, saved by this test) loads into 5
    class tokens, each a copy of the token and of its position embedding; patch position
    embeddings are resized bicubically to another grid."""
    src = _vit(num_class_tokens=1)
    state = {k: v.clone() for k, v in src.state_dict().items()}
    assert state['cls_token'].shape == (1, 1, 32) and state['pos_embed'].shape == (1, 65, 32)
    path = tmp_path / 'vit.pth'
    torch.save({'state_dict': {'backbone.' + k: v for k, v in state.items()}}, path)

    dst = MCTViT(**{**TINY, 'num_class_tokens': 5},
                 init_cfg=dict(type='Pretrained', checkpoint=str(path), prefix='backbone.'))
    dst.init_weights()
    torch.testing.assert_close(dst.cls_token, state['cls_token'].expand(1, 5, 32))
    torch.testing.assert_close(dst.pos_embed[:, :5], state['pos_embed'][:, :1].expand(1, 5, 32))
    torch.testing.assert_close(dst.pos_embed[:, 5:], state['pos_embed'][:, 1:])
    torch.testing.assert_close(dst.layers[2].attn.qkv.weight, state['layers.2.attn.qkv.weight'])

    bigger = MCTViT(**{**TINY, 'img_size': 96, 'num_class_tokens': 5},
                    init_cfg=dict(type='Pretrained', checkpoint=str(path), prefix='backbone.'))
    bigger.init_weights()
    grid = state['pos_embed'][:, 1:].reshape(1, 8, 8, 32).permute(0, 3, 1, 2)
    expected = F.interpolate(grid, size=(12, 12), mode='bicubic', align_corners=False)
    torch.testing.assert_close(bigger.pos_embed[:, 5:],
                               expected.flatten(2).transpose(1, 2), rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(bigger.cls_token, state['cls_token'].expand(1, 5, 32))


def test_drop_path_and_bad_arguments():
    model = MCTViT(**TINY, num_class_tokens=20, drop_path_rate=0.1)
    assert model.layers[-1].attn.out_drop.drop_prob == pytest.approx(0.1)
    for bad in (dict(out_type='featmap'), dict(with_cls_token=False), dict(out_indices=(1, ))):
        with pytest.raises(ValueError, match='fixed'):
            MCTViT(**TINY, **bad)
    with pytest.raises(ValueError, match='num_class_tokens'):
        MCTViT(**TINY, num_class_tokens=0)
