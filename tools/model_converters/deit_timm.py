"""Convert DeiT / timm ViT ImageNet weights to :class:`MCTViT` (mmpretrain ``VisionTransformer``)
names, for MCTformer's backbone.

The input is the public DeiT checkpoint MCTformer fine-tunes
(``deit_small_patch16_224-cd65a155.pth``, facebookresearch/deit: ``{'model': state_dict}``) or
any timm ``VisionTransformer`` state dict. Renamed as mmpretrain's ViT: ``patch_embed.proj`` ->
``patch_embed.projection``, ``blocks.i`` -> ``layers.i``, ``norm1`` / ``norm2`` -> ``ln1`` /
``ln2``, ``mlp.fc1`` / ``mlp.fc2`` -> ``ffn.layers.0.0`` / ``ffn.layers.1``; the final ``norm``
(MCTformer uses none), the 1000-way ``head`` and DeiT's distillation token / head are dropped.
The single class token and its position embedding are kept as they are: :class:`MCTViT`
replicates them to every class when it loads them (as MCTformer's ``main.py --finetune``).

The output is a weights-only ``{'state_dict': ...}`` file with ``backbone.`` keys::

    python tools/model_converters/deit_timm.py deit_small_patch16_224-cd65a155.pth \
        checkpoints/deit-small_imagenet.pth
    # model.backbone.init_cfg=dict(type='Pretrained', checkpoint=..., prefix='backbone.')
"""
import argparse
import re
from collections import OrderedDict
from typing import Dict

import torch

_RENAMES = (
    (re.compile(r'^patch_embed\.proj\.'), 'patch_embed.projection.'),
    (re.compile(r'^blocks\.(\d+)\.norm1\.'), r'layers.\1.ln1.'),
    (re.compile(r'^blocks\.(\d+)\.norm2\.'), r'layers.\1.ln2.'),
    (re.compile(r'^blocks\.(\d+)\.attn\.(qkv|proj)\.'), r'layers.\1.attn.\2.'),
    (re.compile(r'^blocks\.(\d+)\.mlp\.fc1\.'), r'layers.\1.ffn.layers.0.0.'),
    (re.compile(r'^blocks\.(\d+)\.mlp\.fc2\.'), r'layers.\1.ffn.layers.1.'),
)
_KEEP = {'cls_token', 'pos_embed'}
_DROP = re.compile(r'^(norm|head|head_dist|fc_norm)\.|^dist_token$')


def convert_deit(state_dict: Dict[str, torch.Tensor]) -> 'OrderedDict[str, torch.Tensor]':
    """timm / DeiT ViT keys -> mmpretrain ``VisionTransformer`` keys (without prefix).

    Raises:
        KeyError: A key that is neither converted nor dropped (not a timm ViT).
    """
    out = OrderedDict()
    for key, value in state_dict.items():
        if key in _KEEP:
            out[key] = value
            continue
        if _DROP.search(key):
            continue
        for pattern, repl in _RENAMES:
            if pattern.search(key):
                out[pattern.sub(repl, key)] = value
                break
        else:
            raise KeyError(f'deit_timm: unexpected key {key!r} (not a timm / DeiT ViT)')
    if 'cls_token' not in out or 'pos_embed' not in out:
        raise KeyError('deit_timm: no cls_token / pos_embed: not a ViT with a class token')
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('src', help='DeiT / timm checkpoint (.pth)')
    parser.add_argument('dst', help='output .pth ({"state_dict": backbone.* keys})')
    args = parser.parse_args()
    ckpt = torch.load(args.src, map_location='cpu', weights_only=True)
    if isinstance(ckpt, dict) and isinstance(ckpt.get('model'), dict):
        ckpt = ckpt['model']
    elif isinstance(ckpt, dict) and isinstance(ckpt.get('state_dict'), dict):
        ckpt = ckpt['state_dict']
    try:
        weights = convert_deit(ckpt)
    except KeyError as err:
        raise SystemExit(f'{args.src}: {err.args[0]}')
    torch.save({'state_dict': OrderedDict(('backbone.' + k, v) for k, v in weights.items())},
               args.dst)
    print(f'{args.src} -> {args.dst}: {len(weights)} tensors')


if __name__ == '__main__':
    main()
