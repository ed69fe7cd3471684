"""File I/O of the VOC layout: atomic writes, palette-PNG labels, JPEGs and split lists.

Every writer goes through :func:`atomic_write_bytes` (a temporary sibling file and
:func:`os.replace`), so an interrupted run never leaves a truncated file and a resumed one can
trust any file it finds. Only numpy and PIL are used. Not re-exported by :mod:`hfpl_mm.utils`:
this module reads the palettes of :mod:`hfpl_mm.datasets.class_names`, and the data sets import
it, so ``import hfpl_mm.utils`` must not load it.
"""
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable, List, Optional, Sequence, Union

import numpy as np
from PIL import Image

from hfpl_mm.datasets.class_names import IGNORE_INDEX, PALETTE_256, VOID_COLOR

__all__ = [
    'PathLike', 'atomic_write_bytes', 'dump_json', 'encode_palette_png', 'save_palette_png',
    'save_jpeg', 'require_path', 'read_label_png', 'read_id_list', 'write_id_list'
]

PathLike = Union[str, os.PathLike]


def atomic_write_bytes(path: PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary sibling file and :func:`os.replace`.

    Readers (and resumed runs) therefore see either the old file or the complete new one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f'.{path.name}.', suffix='.tmp', dir=path.parent)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600 would hide shared data from others
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def dump_json(path: PathLike, obj: Any) -> None:
    """Atomically write ``obj`` as JSON with sorted keys, so equal content gives equal bytes."""
    text = json.dumps(obj, indent=1, sort_keys=True) + '\n'
    atomic_write_bytes(path, text.encode('utf-8'))


def encode_palette_png(mask: np.ndarray, palette: Sequence[Sequence[int]] = PALETTE_256) -> bytes:
    """Encode a 2-D label array as an 8-bit palette ('P') PNG, the format of VOC's masks."""
    mask = np.asarray(mask)
    if mask.ndim != 2:
        raise ValueError(f'a label mask must be 2-D, got shape {mask.shape}')
    if mask.size and (mask.min() < 0 or mask.max() > 255):
        raise ValueError(f'label values must lie in 0..255, got {mask.min()}..{mask.max()}')
    img = Image.frombytes('P', mask.shape[::-1], np.ascontiguousarray(mask, np.uint8).tobytes())
    flat = [int(v) for rgb in palette for v in rgb]
    img.putpalette(flat + [0] * (768 - len(flat)))
    buf = io.BytesIO()
    img.save(buf, format='PNG', optimize=False)
    return buf.getvalue()


def save_palette_png(path: PathLike,
                     mask: np.ndarray,
                     palette: Sequence[Sequence[int]] = PALETTE_256) -> None:
    """Atomically save ``mask`` as a palette PNG (see :func:`encode_palette_png`)."""
    atomic_write_bytes(path, encode_palette_png(mask, palette))


def save_jpeg(path: PathLike, rgb: np.ndarray, quality: int = 90) -> None:
    """Atomically save an ``HxWx3`` uint8 RGB array as a baseline JPEG."""
    buf = io.BytesIO()
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f'an RGB image must be HxWx3, got shape {rgb.shape}')
    Image.fromarray(rgb).save(buf, format='JPEG', quality=quality)
    atomic_write_bytes(path, buf.getvalue())


def require_path(path: PathLike, what: str) -> Path:
    """Return ``path`` as a :class:`Path`, or raise :class:`FileNotFoundError` naming it."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f'{what} not found: {path}')
    return path


def read_label_png(path: PathLike,
                   palette: Optional[Sequence[Sequence[int]]] = None) -> np.ndarray:
    """Read a label PNG into a ``uint8`` index array.

    Palette ('P') and grey ('L') PNGs hold the indices themselves. Colour PNGs (some copies of VOC
    were re-saved as RGB) are mapped back through ``palette`` plus the void colour; a colour outside
    it is an error naming the file.
    """
    path = require_path(path, 'label PNG')
    try:
        with Image.open(path) as img:
            img.load()
            mode = img.mode
            arr = np.array(img)
    except Exception as err:  # PIL raises several types for damaged files
        raise ValueError(f'cannot read label PNG {path}: {err}') from err
    if mode in ('P', 'L'):
        return arr.astype(np.uint8)
    if mode in ('RGB', 'RGBA') and palette is not None:
        return _rgb_to_index(arr[..., :3], palette, path)
    raise ValueError(f'label PNG {path} has mode {mode!r}; expected a palette or grey PNG')


def _rgb_to_index(rgb: np.ndarray, palette: Sequence[Sequence[int]], path: Path) -> np.ndarray:
    """Map colour-coded labels back to indices through ``palette`` (+ the void colour)."""
    lut = {(r << 16) | (g << 8) | b: i for i, (r, g, b) in enumerate(palette)}
    lut[(VOID_COLOR[0] << 16) | (VOID_COLOR[1] << 8) | VOID_COLOR[2]] = IGNORE_INDEX
    codes = (rgb[..., 0].astype(np.int64) << 16) | (rgb[..., 1].astype(np.int64) << 8) | rgb[..., 2]
    uniq, inverse = np.unique(codes, return_inverse=True)
    unknown = [int(c) for c in uniq if int(c) not in lut]
    if unknown:
        raise ValueError(f'label PNG {path} has colours outside the palette, e.g. '
                         f'#{unknown[0]:06x}')
    values = np.array([lut[int(c)] for c in uniq], dtype=np.uint8)
    return values[inverse].reshape(codes.shape)


def read_id_list(path: PathLike) -> List[str]:
    """Read an ``ImageSets`` split file: one image id per line, blank lines ignored."""
    path = require_path(path, 'split list')
    return [ln.split()[0] for ln in path.read_text().splitlines() if ln.strip()]


def write_id_list(path: PathLike, ids: Iterable[str]) -> None:
    """Write a split file, leaving an identical existing one untouched (e.g. VOC's own lists)."""
    data = ''.join(f'{i}\n' for i in ids).encode()
    path = Path(path)
    if path.exists() and path.read_bytes() == data:
        return
    atomic_write_bytes(path, data)
