"""A synthetic classification set for pretraining the small synthetic backbones.

Every baseline in the hfpl paper starts from ImageNet weights, and what ISL / FSL correct depends on
that (pretrained CAMs are sharper, but still incomplete). The WSSS synthetic set has 400 training
images, too few to stand in for ImageNet, so the synthetic pipelines' backbones are first trained on
this separate, larger single-label set, and fine-tuned from there as the paper's are from ImageNet:

* **more classes**: every shape of :mod:`hfpl_mm.datasets.synthetic` in each of four appearance
  families (8 x 4 = 32 classes), so shape and colour must both be learned;
* **more textures**: the WSSS set's five plus ``grid`` and ``rings``;
* **one object per image** on the same kind of cluttered background, drawn from random streams
  keyed by a different tag than the WSSS images (no WSSS image, mask or label is used).

Layout (mmpretrain ``CustomDataset``: a folder per class)::

    <root>/{train,val}/<shape>-<family>/<split>_<index>.jpg
    <root>/meta.json   parameters and class names, written last (a set without it is rebuilt)
"""
import fcntl
import json
import os
import os.path as osp
from pathlib import Path
from typing import Any, Dict, Sequence, Tuple, Union

import cv2
import numpy as np

from hfpl_mm.utils.io import dump_json, save_jpeg
from .synthetic import (_CLASS_SPECS, ClassSpec, _background, _grid, _hsv, _linear_ramp,
                        _shape_mask, _texture, _two_tone)

__all__ = ['PRETRAIN_CLASSES', 'render_pretrain_sample', 'ensure_synthetic_pretrain']

PRETRAIN_VERSION = 1
#: random streams are keyed (seed, _TAG, split, index): never the WSSS set's (seed, split, index)
_TAG = 7919
_SHAPES = tuple(s.name for s in _CLASS_SPECS)
# (name, hue, hue std, textures: the first is characteristic)
_FAMILIES = (
    ('warm', 18, 14, ('spots', 'rings', 'flat')),
    ('green', 115, 20, ('noise', 'grid', 'stripes')),
    ('blue', 220, 16, ('checker', 'grid', 'flat')),
    ('violet', 290, 18, ('rings', 'stripes', 'spots')),
)
_SPECS: Tuple[ClassSpec, ...] = tuple(
    ClassSpec(f'{shape}-{family}', hue, std, (0.45, 0.95), (0.45, 0.95), textures, (0.2, 0.5))
    for shape in _SHAPES for family, hue, std, textures in _FAMILIES)
#: class names in label order (mmpretrain's CustomDataset sorts the folders the same way)
PRETRAIN_CLASSES: Tuple[str, ...] = tuple(sorted(s.name for s in _SPECS))
_DEFAULTS = dict(num_train_per_class=60, num_val_per_class=10, image_size=96, seed=0)


def _pattern(kind: str, hw: Tuple[int, int], scale: float,
             rng: np.random.Generator) -> np.ndarray:
    """Texture in [0, 1]: the WSSS set's kinds, plus ``grid`` (thin lines) and ``rings``."""
    if kind not in ('grid', 'rings'):
        return _texture(kind, hw, scale, rng)
    x, y = _grid(hw)
    period = scale * rng.uniform(0.08, 0.14)
    if kind == 'grid':
        theta = rng.uniform(0, np.pi / 2)
        u = x * np.cos(theta) + y * np.sin(theta)
        v = -x * np.sin(theta) + y * np.cos(theta)
        lines = (np.mod(u, period) < 0.25 * period) | (np.mod(v, period) < 0.25 * period)
        return lines.astype(np.float32)
    cx, cy = rng.uniform(0, hw[1]), rng.uniform(0, hw[0])
    radius = np.hypot(x - cx, y - cy)
    return (np.sin(2 * np.pi * radius / period) > 0).astype(np.float32)


def render_pretrain_sample(rng: np.random.Generator, label: int,
                           image_size: Sequence[int] = (96, 96)) -> np.ndarray:
    """One ``HxWx3`` uint8 image of class ``PRETRAIN_CLASSES[label]``: one object, clutter."""
    hw = (int(image_size[0]), int(image_size[1]))
    spec = {s.name: s for s in _SPECS}[PRETRAIN_CLASSES[label]]
    scale = float(min(hw))
    img = _background(hw, _SPECS, rng)
    c = rng.uniform(0.3, 0.7, 2) * np.array([hw[1], hw[0]])
    r = scale * rng.uniform(0.2, 0.34)
    mask = _shape_mask(spec.name.split('-')[0], hw, c, r, rng.uniform(0, 2 * np.pi), rng)
    hue = rng.normal(spec.hue, spec.hue_std)
    sat, val = rng.uniform(*spec.sat), rng.uniform(*spec.val)
    kind = rng.choice(spec.textures, p=[0.6, 0.2, 0.2])
    colour_b = _hsv(hue + rng.normal(0, 12), sat * rng.uniform(0.7, 1.1),
                    val * (1 - rng.uniform(*spec.contrast)))
    rgb = _two_tone(_hsv(hue, sat, val), colour_b, _pattern(str(kind), hw, scale, rng))
    rgb = rgb * _linear_ramp(hw, c, r, rng.uniform(0.1, 0.35), rng)[..., None]
    img[mask] = rgb[mask]
    img = cv2.GaussianBlur(img.astype(np.float32), (0, 0), 0.6)
    img = img + rng.normal(0, rng.uniform(0.01, 0.035), img.shape).astype(np.float32)
    return np.clip(np.round(img * 255), 0, 255).astype(np.uint8)


def _params(**kw: Any) -> Dict[str, Any]:
    unknown = set(kw) - set(_DEFAULTS)
    if unknown:
        raise TypeError(f'unknown synthetic pretraining parameter(s): {sorted(unknown)}')
    p = {**_DEFAULTS, **{k: v for k, v in kw.items() if v is not None}}
    size = p['image_size']
    size = [int(size)] * 2 if np.isscalar(size) else [int(s) for s in size]
    if len(size) != 2 or min(size) < 16:
        raise ValueError(f'image_size must be an int or (height, width), each >= 16; got {size}')
    for key in ('num_train_per_class', 'num_val_per_class'):
        if int(p[key]) < 1:
            raise ValueError(f'{key} must be >= 1, got {p[key]}')
    return dict(num_train_per_class=int(p['num_train_per_class']),
                num_val_per_class=int(p['num_val_per_class']), image_size=size,
                seed=int(p['seed']))


def _complete(out: Path, params: Dict[str, Any]) -> bool:
    try:
        meta = json.loads((out / 'meta.json').read_text())
    except (OSError, ValueError):
        return False
    return meta.get('version') == PRETRAIN_VERSION and meta.get('params') == params


def ensure_synthetic_pretrain(out_dir: Union[str, Path], **kwargs: Any) -> Dict[str, Any]:
    """Generate the pretraining set into ``out_dir`` unless an identical finished one is there
    (an exclusive lock on ``<out_dir>.lock`` lets concurrent processes wait for one writer).

    Args:
        out_dir: Output root.
        **kwargs: ``num_train_per_class`` (60), ``num_val_per_class`` (10), ``image_size`` (96),
            ``seed`` (0).

    Returns:
        dict: ``classes``, ``params``, ``generated`` (whether files were written).
    """
    params = _params(**kwargs)
    out = Path(out_dir)
    lock_path = osp.abspath(out).rstrip(os.sep) + '.lock'
    os.makedirs(osp.dirname(lock_path), exist_ok=True)
    with open(lock_path, 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _complete(out, params):
            return dict(classes=list(PRETRAIN_CLASSES), params=params, generated=False)
        out.mkdir(parents=True, exist_ok=True)
        (out / 'meta.json').unlink(missing_ok=True)
        for split_idx, split in enumerate(('train', 'val')):
            n = params[f'num_{split}_per_class']
            for label, name in enumerate(PRETRAIN_CLASSES):
                for i in range(n):
                    rng = np.random.default_rng([params['seed'], _TAG, split_idx, label, i])
                    image = render_pretrain_sample(rng, label, params['image_size'])
                    save_jpeg(out / split / name / f'{split}_{i:05d}.jpg', image)
                _prune(out / split / name, n)
        dump_json(out / 'meta.json', dict(version=PRETRAIN_VERSION, params=params,
                                          classes=list(PRETRAIN_CLASSES)))
    return dict(classes=list(PRETRAIN_CLASSES), params=params, generated=True)


def _prune(folder: Path, n: int) -> None:
    """Remove images of an earlier, larger set from a class folder."""
    for f in folder.glob('*.jpg'):
        if int(f.stem.rsplit('_', 1)[-1]) >= n:
            f.unlink()

