"""Synthetic PASCAL-VOC-style data set: the project's embedded default data.

Real WSSS benchmarks (VOC, COCO) cannot be shipped, so the pipeline's default data are generated.
They are built to exercise what WSSS methods rely on, and where they fail:

* classes differ in **shape** and in **colour/texture statistics** (each class has a characteristic
  hue distribution and texture type, with per-instance variation; some classes share hues or
  textures), so a classifier can learn them but its CAMs are blobby and incomplete;
* images hold **several objects and classes** (1-4 objects, 1-3 classes), drawn in order so later
  objects **occlude** earlier ones (the mask shows what is visible);
* **cluttered backgrounds** (gradients, smooth noise, blobs and stripes whose colours sometimes
  resemble an object class) and **shading** across objects and images;
* object borders mostly coincide with colour edges (what boundary-refinement methods exploit), but
  some objects have low-contrast borders.

The output is exactly the VOC layout (see :func:`generate_synthetic_voc`), with 255 marking a thin
void band at object borders as in VOC's masks. Everything is drawn from
``np.random.default_rng`` streams keyed by (seed, split, index), so the same seed gives
byte-identical files and changing the number of images does not change the others. Only numpy,
PIL and OpenCV are used (no OpenMMLab import).
"""
import colorsys
import fcntl
import json
import os
import os.path as osp
import re
import time
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

import cv2
import numpy as np

from hfpl_mm.utils.io import dump_json, save_jpeg, save_palette_png, write_id_list
from .class_names import IGNORE_INDEX, PALETTE_256
from .converters import labels_from_mask

__all__ = [
    'SYNTHETIC_CLASSES', 'SYNTHETIC_PALETTE', 'GENERATOR_VERSION', 'synthetic_classes',
    'render_sample', 'generate_synthetic_voc', 'ensure_synthetic_voc',
    'prepare_synthetic'
]

#: Bumped whenever the rendering changes, so :func:`ensure_synthetic_voc` regenerates old sets.
GENERATOR_VERSION = 1
GENERATOR_NAME = 'hfpl_mm.datasets.synthetic'

SizeLike = Union[int, Sequence[int]]


class ClassSpec(NamedTuple):
    """Appearance statistics of one synthetic class.

    ``hue``/``hue_std`` (degrees) give a wrapped normal hue distribution; ``sat``/``val`` uniform
    ranges; ``textures`` the class's texture types, the first being characteristic (drawn with
    probability 0.7); ``contrast`` the range of the darkening of the texture's second colour.
    """
    name: str
    hue: float
    hue_std: float
    sat: Tuple[float, float]
    val: Tuple[float, float]
    textures: Tuple[str, ...]
    contrast: Tuple[float, float]


# Overlaps on purpose: disc/star/triangle share warm hues, square/bar cool ones; square/bar/cross
# share checker textures, triangle/bar/crescent stripes.
_CLASS_SPECS: Tuple[ClassSpec, ...] = (
    ClassSpec('disc', 5, 12, (0.55, 0.95), (0.55, 0.95), ('flat', 'spots'), (0.15, 0.35)),
    ClassSpec('square', 215, 18, (0.45, 0.90), (0.45, 0.90), ('checker', 'flat'), (0.25, 0.50)),
    ClassSpec('triangle', 48, 12, (0.60, 1.00), (0.60, 1.00), ('stripes', 'flat'), (0.25, 0.50)),
    ClassSpec('star', 25, 15, (0.60, 1.00), (0.55, 0.95), ('spots', 'noise'), (0.30, 0.55)),
    ClassSpec('ring', 120, 25, (0.40, 0.85), (0.40, 0.85), ('noise', 'stripes'), (0.30, 0.55)),
    ClassSpec('bar', 250, 25, (0.40, 0.85), (0.40, 0.90), ('stripes', 'checker'), (0.25, 0.50)),
    ClassSpec('cross', 175, 15, (0.45, 0.90), (0.45, 0.90), ('checker', 'noise'), (0.25, 0.50)),
    ClassSpec('crescent', 320, 15, (0.45, 0.90), (0.50, 0.95), ('flat', 'stripes'), (0.15, 0.40)),
)
_TEXTURES = ('flat', 'stripes', 'checker', 'spots', 'noise')

#: Foreground class names of the default (6-class) set, in label order (label ``i + 1``).
SYNTHETIC_CLASSES: Tuple[str, ...] = tuple(s.name for s in _CLASS_SPECS[:6])

#: Background + :data:`SYNTHETIC_CLASSES` colours (VOC colour map; 255 is VOC's void colour).
SYNTHETIC_PALETTE: List[List[int]] = PALETTE_256[:len(SYNTHETIC_CLASSES) + 1]

_DEFAULTS: Dict[str, Any] = dict(
    num_train=400, num_val=100, image_size=96, seed=0, num_classes=6, void_width=1)
_SPLITS = ('train', 'val')
_ID_RE = re.compile(r'^(train|val)_\d{5}$')


def synthetic_classes(num_classes: int = 6) -> Tuple[str, ...]:
    """Names of the first ``num_classes`` synthetic classes (2 to 8)."""
    if not 2 <= num_classes <= len(_CLASS_SPECS):
        raise ValueError(f'num_classes must lie in 2..{len(_CLASS_SPECS)}, got {num_classes}')
    return tuple(s.name for s in _CLASS_SPECS[:num_classes])


# --------------------------------------------------------------------------------------------------
# Geometry: one boolean mask per shape, drawn without anti-aliasing
# --------------------------------------------------------------------------------------------------
def _fill(canvas: np.ndarray, pts: np.ndarray, value: int = 1) -> None:
    """Fill polygon ``pts`` (float xy) into ``canvas`` at 1/16-pixel precision, no anti-aliasing."""
    cv2.fillPoly(canvas, [np.round(pts * 16).astype(np.int32)], value, cv2.LINE_8, 4)


def _ellipse(c: np.ndarray, rx: float, ry: float, angle: float, n: int = 48) -> np.ndarray:
    """Polygon of a rotated ellipse centred at ``c``."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return _rotate(np.stack([rx * np.cos(t), ry * np.sin(t)], 1), angle) + c


def _rotate(pts: np.ndarray, angle: float) -> np.ndarray:
    """Rotate points about the origin by ``angle`` radians."""
    ca, sa = np.cos(angle), np.sin(angle)
    return pts @ np.array([[ca, sa], [-sa, ca]])


def _rect(c: np.ndarray, hx: float, hy: float, angle: float) -> np.ndarray:
    """Polygon of a rotated rectangle with half sizes ``hx``, ``hy``."""
    return _rotate(np.array([[-hx, -hy], [hx, -hy], [hx, hy], [-hx, hy]]), angle) + c


def _shape_mask(name: str, hw: Tuple[int, int], c: np.ndarray, r: float, angle: float,
                rng: np.random.Generator) -> np.ndarray:
    """Boolean mask of one instance of shape ``name`` with centre ``c`` and radius ``r``."""
    canvas = np.zeros(hw, np.uint8)
    aspect = rng.uniform(0.8, 1.25)
    if name == 'disc':
        _fill(canvas, _ellipse(c, r * aspect, r / aspect, angle))
    elif name == 'square':
        _fill(canvas, _rect(c, 0.85 * r * aspect, 0.85 * r / aspect, angle))
    elif name == 'triangle':
        t = angle + np.arange(3) * 2 * np.pi / 3 + rng.uniform(-0.25, 0.25, 3)
        rad = 1.15 * r * rng.uniform(0.9, 1.1, 3)
        _fill(canvas, np.stack([rad * np.cos(t), rad * np.sin(t)], 1) + c)
    elif name == 'star':
        k = int(rng.integers(5, 7))
        t = angle + np.arange(2 * k) * np.pi / k
        rad = np.where(np.arange(2 * k) % 2 == 0, 1.15 * r, 1.15 * r * rng.uniform(0.4, 0.55))
        _fill(canvas, np.stack([rad * np.cos(t), rad * np.sin(t)], 1) + c)
    elif name == 'ring':
        _fill(canvas, _ellipse(c, r * aspect, r / aspect, angle))
        inner = rng.uniform(0.45, 0.62)
        _fill(canvas, _ellipse(c, inner * r * aspect, inner * r / aspect, angle), 0)
    elif name == 'bar':
        _fill(canvas, _rect(c, 1.4 * r, r * rng.uniform(0.28, 0.38), angle))
    elif name == 'cross':
        half = r * rng.uniform(0.25, 0.32)
        _fill(canvas, _rect(c, r, half, angle))
        _fill(canvas, _rect(c, r, half, angle + np.pi / 2))
    elif name == 'crescent':
        _fill(canvas, _ellipse(c, r, r, 0))
        off = r * rng.uniform(0.4, 0.55) * np.array([np.cos(angle), np.sin(angle)])
        _fill(canvas, _ellipse(c + off, 0.85 * r, 0.85 * r, 0), 0)
    else:
        raise ValueError(f'unknown shape {name!r}')
    return canvas.astype(bool)


# --------------------------------------------------------------------------------------------------
# Appearance: textures, colours, shading
# --------------------------------------------------------------------------------------------------
def _grid(hw: Tuple[int, int]) -> Tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates ``(x, y)`` of an ``hw`` image."""
    y, x = np.mgrid[0:hw[0], 0:hw[1]].astype(np.float32)
    return x, y


def _smooth_noise(hw: Tuple[int, int], cell: float, rng: np.random.Generator) -> np.ndarray:
    """Band-limited noise in [0, 1]: bilinearly upsampled random values on a ``cell`` grid."""
    gh, gw = max(2, int(np.ceil(hw[0] / cell)) + 1), max(2, int(np.ceil(hw[1] / cell)) + 1)
    small = rng.random((gh, gw), dtype=np.float32)
    big = cv2.resize(small, (int(gw * cell), int(gh * cell)), interpolation=cv2.INTER_LINEAR)
    return big[:hw[0], :hw[1]]


def _texture(kind: str, hw: Tuple[int, int], scale: float, rng: np.random.Generator) -> np.ndarray:
    """Texture pattern in [0, 1] (weight of the second colour) over the whole image."""
    x, y = _grid(hw)
    theta = rng.uniform(0, np.pi)
    u = x * np.cos(theta) + y * np.sin(theta)
    v = -x * np.sin(theta) + y * np.cos(theta)
    period = scale * rng.uniform(0.08, 0.14)
    if kind == 'flat':
        return np.zeros(hw, np.float32)
    if kind == 'stripes':
        wave = np.sin(2 * np.pi * u / period + rng.uniform(0, 2 * np.pi))
        return np.clip(0.5 + 1.5 * wave, 0, 1).astype(np.float32)
    if kind == 'checker':
        return ((np.floor(u / period) + np.floor(v / period)) % 2).astype(np.float32)
    if kind == 'spots':
        canvas = np.zeros(hw, np.float32)
        n = int(hw[0] * hw[1] / (period * period) * 0.5)
        for cx, cy, rad in zip(rng.uniform(0, hw[1], n), rng.uniform(0, hw[0], n),
                               rng.uniform(0.12, 0.25, n) * period):
            cv2.circle(canvas, (int(cx), int(cy)), max(1, int(round(rad))), 1.0, -1, cv2.LINE_8)
        return canvas
    if kind == 'noise':
        return np.clip((_smooth_noise(hw, period * 0.4, rng) - 0.5) * 2.5 + 0.5, 0, 1)
    raise ValueError(f'unknown texture {kind!r}')


def _hsv(h: float, s: float, v: float) -> np.ndarray:
    """RGB in [0, 1] of a colour given as hue (degrees), saturation and value."""
    return np.array(colorsys.hsv_to_rgb((h % 360) / 360, np.clip(s, 0, 1), np.clip(v, 0, 1)),
                    np.float32)


def _linear_ramp(hw: Tuple[int, int], centre: np.ndarray, span: float, strength: float,
                 rng: np.random.Generator) -> np.ndarray:
    """Multiplicative lighting ``1 + strength * d / span`` along a random direction ``d``."""
    x, y = _grid(hw)
    phi = rng.uniform(0, 2 * np.pi)
    d = (x - centre[0]) * np.cos(phi) + (y - centre[1]) * np.sin(phi)
    return np.clip(1 + strength * d / span, 0.45, 1.5).astype(np.float32)


def _two_tone(colour_a: np.ndarray, colour_b: np.ndarray, pattern: np.ndarray) -> np.ndarray:
    """Blend two RGB colours through a [0, 1] pattern into an ``HxWx3`` image."""
    return colour_a * (1 - pattern[..., None]) + colour_b * pattern[..., None]


def _object_rgb(spec: ClassSpec, hw: Tuple[int, int], c: np.ndarray, r: float, scale: float,
                rng: np.random.Generator) -> np.ndarray:
    """Textured, shaded colour field of one instance of class ``spec`` (whole image extent)."""
    hue = rng.normal(spec.hue, spec.hue_std)
    sat, val = rng.uniform(*spec.sat), rng.uniform(*spec.val)
    p_other = 0.3 / (len(spec.textures) - 1)
    kind = rng.choice(spec.textures, p=[0.7] + [p_other] * (len(spec.textures) - 1))
    colour_a = _hsv(hue, sat, val)
    colour_b = _hsv(hue + rng.normal(0, 12), sat * rng.uniform(0.7, 1.1),
                    val * (1 - rng.uniform(*spec.contrast)))
    rgb = _two_tone(colour_a, colour_b, _texture(str(kind), hw, scale, rng))
    return rgb * _linear_ramp(hw, c, r, rng.uniform(0.1, 0.35), rng)[..., None]


def _background(hw: Tuple[int, int], specs: Sequence[ClassSpec],
                rng: np.random.Generator) -> np.ndarray:
    """Cluttered background: tinted gradient, smooth colour noise, optional texture, blobs and
    stripes, some of them in the colours of an object class (distractors)."""
    scale = float(min(hw))
    base = _hsv(rng.uniform(0, 360), rng.uniform(0.05, 0.45), rng.uniform(0.3, 0.85))
    img = np.broadcast_to(base, hw + (3,)).astype(np.float32)
    img = img * _linear_ramp(hw, np.array([hw[1] / 2, hw[0] / 2]), scale, rng.uniform(0.1, 0.4),
                             rng)[..., None]
    noise = np.stack([_smooth_noise(hw, scale / rng.uniform(3, 8), rng) for _ in range(3)], -1)
    img = img + (noise - 0.5) * rng.uniform(0.1, 0.3)
    if rng.random() < 0.3:
        kind = str(rng.choice(_TEXTURES[1:]))
        img = img * (1 - rng.uniform(0.05, 0.15) * _texture(kind, hw, scale, rng))[..., None]
    for _ in range(int(rng.integers(2, 7))):
        img = _add_clutter(img, specs, rng)
    return img


def _add_clutter(img: np.ndarray, specs: Sequence[ClassSpec],
                 rng: np.random.Generator) -> np.ndarray:
    """Paint one soft-edged blob or stripe on the background."""
    hw = img.shape[:2]
    scale = float(min(hw))
    if rng.random() < 0.35:  # a distractor in an object class's colours, not its shape
        spec = specs[int(rng.integers(len(specs)))]
        colour = _hsv(rng.normal(spec.hue, spec.hue_std), rng.uniform(*spec.sat),
                      rng.uniform(*spec.val))
    else:
        colour = _hsv(rng.uniform(0, 360), rng.uniform(0.05, 0.6), rng.uniform(0.2, 0.9))
    alpha = np.zeros(hw, np.float32)
    c = rng.uniform(0, 1, 2) * np.array([hw[1], hw[0]])
    if rng.random() < 0.55:  # irregular blob
        t = np.linspace(0, 2 * np.pi, 24, endpoint=False)
        rad = scale * rng.uniform(0.06, 0.2) * _smooth_radius(t, rng)
        _fill(alpha, np.stack([rad * np.cos(t), rad * np.sin(t)], 1) + c, 1)
    else:  # stripe across the image
        _fill(alpha, _rect(c, scale, scale * rng.uniform(0.015, 0.06), rng.uniform(0, np.pi)), 1)
    alpha = cv2.GaussianBlur(alpha, (0, 0), rng.uniform(0.5, 2.5)) * rng.uniform(0.5, 1.0)
    return img * (1 - alpha[..., None]) + colour * alpha[..., None]


def _smooth_radius(t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Radius modulation of a random blob: a few low harmonics around 1."""
    mod = np.ones_like(t)
    for k in (2, 3, 5):
        mod += rng.uniform(0, 0.25) * np.cos(k * t + rng.uniform(0, 2 * np.pi))
    return np.clip(mod, 0.4, None)


# --------------------------------------------------------------------------------------------------
# One sample
# --------------------------------------------------------------------------------------------------
def _sample_classes(num_classes: int, rng: np.random.Generator) -> List[int]:
    """Class index (0-based) of each object in drawing order: 1-3 classes, 1-4 objects."""
    n_cls = min(num_classes, int(rng.choice([1, 2, 3], p=[0.35, 0.4, 0.25])))
    n_obj = max(n_cls, int(rng.choice([1, 2, 3, 4], p=[0.2, 0.35, 0.3, 0.15])))
    classes = [int(c) for c in rng.choice(num_classes, n_cls, replace=False)]
    objects = classes + [int(c) for c in rng.choice(classes, n_obj - n_cls)]
    return [objects[i] for i in rng.permutation(n_obj)]


def _place(name: str, hw: Tuple[int, int], r_range: Tuple[float, float], inst: np.ndarray,
           rng: np.random.Generator, tries: int = 10) -> Tuple[np.ndarray, np.ndarray, float]:
    """Sample a placement of shape ``name`` that leaves every earlier object at least 40% visible.

    Returns ``(mask, centre, radius)``; after ``tries`` failures the last sample is kept, so heavy
    occlusion still happens occasionally.
    """
    scale = float(min(hw))
    for _ in range(tries):
        c = rng.uniform(0.12, 0.88, 2) * np.array([hw[1], hw[0]])
        r = scale * rng.uniform(*r_range)
        mask = _shape_mask(name, hw, c, r, rng.uniform(0, 2 * np.pi), rng)
        if not mask.any():
            continue
        ok = True
        for k in range(1, int(inst.max()) + 1):
            visible = inst == k
            if visible.any() and (visible & ~mask).sum() < 0.4 * visible.sum():
                ok = False
                break
        if ok:
            break
    return mask, c, r


def _void_band(inst: np.ndarray, width: int) -> np.ndarray:
    """Pixels within ``width`` of a border between two instances (or an instance and background)."""
    if width <= 0:
        return np.zeros(inst.shape, bool)
    kernel = np.ones((2 * width + 1, 2 * width + 1), np.uint8)
    return cv2.dilate(inst, kernel) != cv2.erode(inst, kernel)


def render_sample(rng: np.random.Generator,
                  image_size: Tuple[int, int] = (96, 96),
                  num_classes: int = 6,
                  void_width: int = 1) -> Tuple[np.ndarray, np.ndarray, Dict[str, Any]]:
    """Render one image and its mask.

    Args:
        rng: Random stream of this sample (all randomness comes from it).
        image_size: ``(height, width)``.
        num_classes: Number of foreground classes to draw from.
        void_width: Half-width of the void band at object borders (0: none).

    Returns:
        ``(image, mask, info)``: ``HxWx3`` uint8 RGB, ``HxW`` uint8 labels (0 background,
        1..C classes, 255 void), and per-sample statistics (objects drawn, objects occluded,
        objects with a low-contrast border).
    """
    hw = (int(image_size[0]), int(image_size[1]))
    specs = _CLASS_SPECS[:num_classes]
    scale = float(min(hw))
    img = _background(hw, specs, rng)
    objects = _sample_classes(num_classes, rng)
    r_range = (0.14, 0.27) if len(objects) <= 2 else (0.12, 0.23)
    inst = np.zeros(hw, np.uint8)
    label = np.zeros(hw, np.uint8)
    full_area, low_contrast = [], 0
    for k, cls in enumerate(objects, 1):
        mask, c, r = _place(specs[cls].name, hw, r_range, inst, rng)
        rgb = _object_rgb(specs[cls], hw, c, r, scale, rng)
        if rng.random() < 0.15:  # camouflage: pull the object's colour towards what it covers
            rgb = rgb + (img[mask].mean(0) - rgb[mask].mean(0)) * rng.uniform(0.6, 0.85)
            low_contrast += 1
        img[mask] = rgb[mask]
        inst[mask] = k
        label[mask] = cls + 1
        full_area.append(int(mask.sum()))
    img = img * _linear_ramp(hw, np.array([hw[1] / 2, hw[0] / 2]), scale, rng.uniform(0.05, 0.2),
                             rng)[..., None]
    img = cv2.GaussianBlur(img.astype(np.float32), (0, 0), 0.6)
    img = img + rng.normal(0, rng.uniform(0.01, 0.035), img.shape).astype(np.float32)
    image = np.clip(np.round(img * 255), 0, 255).astype(np.uint8)
    label[_void_band(inst, void_width)] = IGNORE_INDEX
    visible = np.bincount(inst.ravel(), minlength=len(objects) + 1)[1:]
    occluded = int(sum(v < a for v, a in zip(visible, full_area)))
    info = dict(objects=len(objects), occluded=occluded, low_contrast=low_contrast)
    return image, label, info


# --------------------------------------------------------------------------------------------------
# Data set
# --------------------------------------------------------------------------------------------------
def _normalise_params(**kw: Any) -> Dict[str, Any]:
    """Fill defaults and canonicalise parameters (as stored in ``meta.json``)."""
    unknown = set(kw) - set(_DEFAULTS)
    if unknown:
        raise TypeError(f'unknown synthetic data parameter(s): {sorted(unknown)}')
    p = {**_DEFAULTS, **{k: v for k, v in kw.items() if v is not None}}
    size = p['image_size']
    size = [int(size), int(size)] if np.isscalar(size) else [int(s) for s in size]
    if len(size) != 2 or min(size) < 16:
        raise ValueError(f'image_size must be an int or (height, width), each >= 16; got {size}')
    synthetic_classes(int(p['num_classes']))  # validates the range
    for key in ('num_train', 'num_val'):
        if int(p[key]) < 0:
            raise ValueError(f'{key} must be >= 0, got {p[key]}')
    return dict(num_train=int(p['num_train']), num_val=int(p['num_val']), image_size=size,
                seed=int(p['seed']), num_classes=int(p['num_classes']),
                void_width=int(p['void_width']))


def _split_ids(params: Dict[str, Any]) -> Dict[str, List[str]]:
    """Image ids per split: ``train_00000``, ..., ``val_00000``, ..."""
    return {s: [f'{s}_{i:05d}' for i in range(params[f'num_{s}'])] for s in _SPLITS}


def _prune_stale(out: Path, keep: set) -> int:
    """Delete images/masks of an earlier, larger synthetic set (only files named like ours)."""
    removed = 0
    for sub, ext in (('JPEGImages', '.jpg'), ('SegmentationClass', '.png')):
        for f in (out / sub).glob(f'*{ext}'):
            if _ID_RE.match(f.stem) and f.stem not in keep:
                f.unlink()
                removed += 1
    return removed


def generate_synthetic_voc(out_dir: Union[str, Path],
                           num_train: int = 400,
                           num_val: int = 100,
                           image_size: SizeLike = 96,
                           seed: int = 0,
                           num_classes: int = 6,
                           void_width: int = 1) -> Dict[str, Any]:
    """Write a synthetic data set in the PASCAL VOC layout.

    Layout under ``out_dir``: ``JPEGImages/<id>.jpg``, ``SegmentationClass/<id>.png`` (palette PNG,
    0 background, 1..C classes, 255 void band), ``ImageSets/Segmentation/{train,val,trainaug}.txt``
    (trainaug = train, the VOC-aug naming), ``cls_labels.json`` (``{id: [0-based classes]}``,
    read off the masks) and ``meta.json`` (parameters, classes, palette, statistics). ``meta.json``
    is removed first and written last, so an interrupted run never looks complete.

    Args:
        out_dir: Output root (created).
        num_train: Training images.
        num_val: Validation images.
        image_size: Side length, or ``(height, width)``.
        seed: Seed of every random stream; equal seeds give byte-identical files.
        num_classes: Foreground classes, 2..8 (the first ``num_classes`` of the built-in list).
        void_width: Half-width in pixels of the void band at object borders; 0 disables it.

    Returns:
        Summary statistics (also stored in ``meta.json``) plus ``seconds`` and ``out_dir``.
    """
    start = time.perf_counter()
    params = _normalise_params(num_train=num_train, num_val=num_val, image_size=image_size,
                               seed=seed, num_classes=num_classes, void_width=void_width)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / 'meta.json').unlink(missing_ok=True)
    ids = _split_ids(params)
    labels: Dict[str, List[int]] = {}
    totals = dict(objects=0, occluded=0, low_contrast=0)
    pixels = np.zeros(256, np.int64)
    for split_idx, split in enumerate(_SPLITS):
        for i, img_id in enumerate(ids[split]):
            rng = np.random.default_rng([params['seed'], split_idx, i])
            image, mask, info = render_sample(rng, tuple(params['image_size']),
                                              params['num_classes'], params['void_width'])
            save_jpeg(out / 'JPEGImages' / f'{img_id}.jpg', image)
            save_palette_png(out / 'SegmentationClass' / f'{img_id}.png', mask)
            labels[img_id] = labels_from_mask(mask, params['num_classes'])
            pixels += np.bincount(mask.ravel(), minlength=256)
            for key in totals:
                totals[key] += info[key]
    for split in _SPLITS:
        write_id_list(out / 'ImageSets' / 'Segmentation' / f'{split}.txt', ids[split])
    write_id_list(out / 'ImageSets' / 'Segmentation' / 'trainaug.txt', ids['train'])
    dump_json(out / 'cls_labels.json', labels)
    _prune_stale(out, set(labels))
    stats = _stats(params, labels, totals, pixels)
    classes = synthetic_classes(params['num_classes'])
    dump_json(out / 'meta.json', dict(
        generator=GENERATOR_NAME, version=GENERATOR_VERSION, params=params, classes=list(classes),
        palette=PALETTE_256[:len(classes) + 1], ignore_index=IGNORE_INDEX,
        splits={s: len(v) for s, v in ids.items()}, stats=stats))
    return dict(stats, out_dir=str(out), seconds=round(time.perf_counter() - start, 2))


def _stats(params: Dict[str, Any], labels: Dict[str, List[int]], totals: Dict[str, int],
           pixels: np.ndarray) -> Dict[str, Any]:
    """Deterministic summary of a generated set."""
    n = max(1, len(labels))
    classes = synthetic_classes(params['num_classes'])
    per_class = [sum(c in v for v in labels.values()) for c in range(len(classes))]
    total_px = max(1, int(pixels.sum()))
    return dict(
        num_images=len(labels),
        objects_per_image=round(totals['objects'] / n, 3),
        classes_per_image=round(sum(len(v) for v in labels.values()) / n, 3),
        multi_class_fraction=round(sum(len(v) > 1 for v in labels.values()) / n, 3),
        occluded_object_fraction=round(totals['occluded'] / max(1, totals['objects']), 3),
        low_contrast_object_fraction=round(totals['low_contrast'] / max(1, totals['objects']), 3),
        images_per_class=dict(zip(classes, per_class)),
        background_pixel_fraction=round(int(pixels[0]) / total_px, 3),
        void_pixel_fraction=round(int(pixels[IGNORE_INDEX]) / total_px, 3))


def _is_complete(out: Path, params: Dict[str, Any]) -> bool:
    """Whether ``out`` holds a finished set generated with ``params`` by this generator version."""
    try:
        meta = json.loads((out / 'meta.json').read_text())
    except (OSError, ValueError):
        return False
    if (meta.get('generator'), meta.get('version'), meta.get('params')) != \
            (GENERATOR_NAME, GENERATOR_VERSION, params):
        return False
    ids = [i for v in _split_ids(params).values() for i in v]
    return (out / 'cls_labels.json').is_file() and all(
        (out / 'JPEGImages' / f'{i}.jpg').is_file()
        and (out / 'SegmentationClass' / f'{i}.png').is_file() for i in ids)


def ensure_synthetic_voc(out_dir: Union[str, Path], **kwargs: Any) -> Dict[str, Any]:
    """Generate the synthetic set into ``out_dir`` unless an identical finished one is there.

    Accepts the keyword arguments of :func:`generate_synthetic_voc`. Returns the summary plus
    ``generated`` (whether files were written).
    """
    params = _normalise_params(**kwargs)
    out = Path(out_dir)
    if _is_complete(out, params):
        meta = json.loads((out / 'meta.json').read_text())
        return dict(meta['stats'], out_dir=str(out), generated=False)
    return dict(generate_synthetic_voc(out, **params), generated=True)


def prepare_synthetic(data_root: str, synthetic_cfg: Optional[dict] = None) -> Dict[str, Any]:
    """Generate the synthetic set into ``data_root`` unless an identical finished one is there.

    Several processes may build the same data set at once (one per rank of a distributed run, or
    the train and val data sets of one run). An exclusive ``fcntl`` lock on ``<data_root>.lock``
    lets the first one generate while the others wait and then find the set complete.

    Args:
        data_root (str): Output root of :func:`hfpl_mm.datasets.synthetic.ensure_synthetic_voc`.
        synthetic_cfg (dict, optional): Its keyword arguments (``num_train``, ``num_val``,
            ``image_size``, ``seed``, ``num_classes``, ``void_width``). Defaults to None, i.e. the
            generator's defaults.

    Returns:
        dict: The summary returned by ``ensure_synthetic_voc``.
    """
    lock_path = osp.abspath(data_root).rstrip(os.sep) + '.lock'
    os.makedirs(osp.dirname(lock_path), exist_ok=True)
    with open(lock_path, 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return ensure_synthetic_voc(data_root, **(synthetic_cfg or {}))
