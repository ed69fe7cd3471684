"""Convert a public ScaleNet ImageNet checkpoint (https://github.com/Eli-YiLi/ScaleNet, the
weights PMM's stage B starts from) for :class:`hfpl_mm.models.backbones.ScaleNet`.

Writes the state dict under ``backbone.`` (the ImageNet ``fc`` dropped; a DataParallel
``module.`` prefix stripped) and, next to it or at ``--structure``, the network's branch
allocation read from the weights' shapes (``[c_1, c_2, c_4, c_7, side]`` per block), which the
backbone's ``structure`` argument takes::

    python tools/model_converters/scalenet.py scalenet101.pth checkpoints/scalenet101_imagenet.pth
    # -> checkpoints/scalenet101_imagenet.pth and checkpoints/scalenet101_imagenet.json
"""
import argparse
import json
import os.path as osp
import re
import sys
from collections import OrderedDict

import torch

ARCH = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}
IMAGENET_SIDES = (56, 28, 14, 7)


def convert(state: dict):
    """(state dict for ``ScaleNet`` under ``backbone.``, structure, depth) of a public one."""
    if 'state_dict' in state:
        state = state['state_dict']
    state = OrderedDict((k[len('module.'):] if k.startswith('module.') else k, v)
                        for k, v in state.items())
    blocks = sorted({(int(m[1]), int(m[2])) for k in state
                     for m in [re.match(r'layer(\d)\.(\d+)\.', k)] if m})
    per_stage = tuple(sum(1 for s, _ in blocks if s == i) for i in range(1, 5))
    depth = next((d for d, a in ARCH.items() if a == per_stage), None)
    if depth is None:
        raise ValueError(f'not a ScaleNet checkpoint: blocks per stage {per_stage}, expected '
                         f'one of {ARCH}')
    structure = []
    for stage, index in blocks:
        entry = []
        for i in range(4):
            weight = state.get(f'layer{stage}.{index}.conv2.{i}.weight')
            entry.append(0 if weight is None else int(weight.shape[0]))
            side = IMAGENET_SIDES[stage - 1]
            if weight is not None and (weight.shape[-1] == 3) != (side / 2**i > 1):
                raise ValueError(f'layer{stage}.{index}.conv2.{i}: kernel {weight.shape[-1]} '
                                 f'does not match the ImageNet feature side {side}')
        structure.append(entry + [IMAGENET_SIDES[stage - 1]])
    out = OrderedDict(('backbone.' + k, v) for k, v in state.items() if not k.startswith('fc.'))
    return out, structure, depth


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('src', help='public ScaleNet checkpoint (.pth state dict)')
    parser.add_argument('dst', help='output checkpoint')
    parser.add_argument('--structure', help='output structure JSON (default: dst with .json)')
    args = parser.parse_args(argv)
    if not osp.isfile(args.src):
        print(f'checkpoint not found: {args.src}', file=sys.stderr)
        return 1
    try:
        state, structure, depth = convert(torch.load(args.src, map_location='cpu',
                                                     weights_only=True))
    except (ValueError, RuntimeError) as err:
        print(f'{args.src}: {err}', file=sys.stderr)
        return 1
    torch.save(dict(state_dict=state, meta=dict(depth=depth)), args.dst)
    path = args.structure or osp.splitext(args.dst)[0] + '.json'
    with open(path, 'w') as f:
        json.dump(structure, f)
    print(f'ScaleNet-{depth}: {len(state)} tensors -> {args.dst}, structure -> {path}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
