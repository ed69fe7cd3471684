"""Pixel pairs within a radius, IRN's paths between them, and pairwise affinity labels.

AffinityNet (psa) and IRN both learn affinities of pixel pairs ``(p, p + d)`` for the
displacements ``d`` of a half disc (:func:`radius_offsets`: each unordered pair once), on a
feature grid (stride 8 / 4). Every pairwise quantity here is a tensor ``(..., D, h, w)``: entry
``[k, i, j]`` belongs to the pair ``((i, j), (i, j) + offsets[k])``. Pairs leaving the grid get a
fill value (an ignored label, an affinity of 0), so no flat index lists are needed and every pair
inside the grid is present, wherever its source pixel lies.

Affinity labels come from confident labels (0 background, ``c + 1`` class ``c``, 255 unsure):
a pair of two confident pixels is *positive* when both have the same label (background or
foreground, counted apart) and *negative* otherwise; pairs touching an unsure pixel are ignored.
"""
from functools import lru_cache
from typing import NamedTuple, Sequence, Tuple

import torch
import torch.nn.functional as F

Offset = Tuple[int, int]

__all__ = [
    'Offset', 'AffinityLabels', 'radius_offsets', 'path_offsets', 'shift_pairs',
    'affinity_labels', 'downsample_labels'
]


class AffinityLabels(NamedTuple):
    """Boolean masks (..., D, h, w) of the three kinds of labelled pairs."""
    bg_pos: torch.Tensor
    fg_pos: torch.Tensor
    neg: torch.Tensor


@lru_cache(maxsize=None)
def radius_offsets(radius: int) -> Tuple[Offset, ...]:
    """Displacements ``(dy, dx)`` with ``0 < |d| < radius``, one per unordered pair.

    The half disc of psa / IRN: ``(0, dx)`` for ``dx = 1 .. radius - 1``, then every ``(dy, dx)``
    with ``dy >= 1`` and ``dy^2 + dx^2 < radius^2``. Radius 5 gives 34 offsets.

    Example:
        >>> radius_offsets(2)
        ((0, 1), (1, -1), (1, 0), (1, 1))
    """
    if radius < 2:
        raise ValueError(f'radius must be >= 2 (pairs at distance < radius), got {radius}')
    offsets = [(0, dx) for dx in range(1, radius)]
    offsets += [(dy, dx) for dy in range(1, radius) for dx in range(-radius + 1, radius)
                if dy * dy + dx * dx < radius * radius]
    return tuple(offsets)


@lru_cache(maxsize=None)
def path_offsets(offset: Offset) -> Tuple[Offset, ...]:
    """Grid cells whose centre lies within distance 1 of the segment ``(0, 0) -> offset``.

    IRN scores a pair by the strongest class boundary on this path (both ends included).

    Example:
        >>> path_offsets((0, 2))
        ((0, 0), (0, 1), (0, 2))
    """
    dy, dx = offset
    length_sq = dy * dy + dx * dx
    cells = [(y, x) for y in range(min(0, dy), max(0, dy) + 1)
             for x in range(min(0, dx), max(0, dx) + 1)
             if (dy * x - dx * y)**2 < length_sq]
    return tuple(sorted(cells, key=lambda c: (abs(c[0]) + abs(c[1]), c)))


def shift_pairs(x: torch.Tensor, offsets: Sequence[Offset], fill: float) -> torch.Tensor:
    """The pair partners of every pixel: ``out[..., k, i, j] = x[..., i + dy_k, j + dx_k]``.

    Args:
        x (Tensor): Map (..., h, w), any dtype.
        offsets (Sequence[tuple]): Displacements ``(dy, dx)``.
        fill (float): Value of partners outside the map.

    Returns:
        Tensor: (..., D, h, w).
    """
    h, w = x.shape[-2:]
    r = max(max(abs(dy), abs(dx)) for dy, dx in offsets)
    lead = x.shape[:-2]
    padded = F.pad(x.reshape(-1, h, w), (r, r, r, r), value=fill)
    out = torch.stack([padded[:, r + dy:r + dy + h, r + dx:r + dx + w] for dy, dx in offsets],
                      dim=1)
    return out.reshape(*lead, len(offsets), h, w)


def affinity_labels(labels: torch.Tensor, radius: int, ignore_index: int = 255) -> AffinityLabels:
    """Pairwise labels of confident label maps (psa ``ExtractAffinityLabelInRadius``, IRN
    ``GetAffinityLabelFromIndices``).

    Args:
        labels (Tensor): (..., h, w) integer maps: 0 background, ``c + 1`` class ``c``,
            ``ignore_index`` unsure.
        radius (int): Pairs at distance < radius (see :func:`radius_offsets`).
        ignore_index (int): Label of unsure pixels. Defaults to 255.

    Returns:
        AffinityLabels: ``bg_pos`` (both background), ``fg_pos`` (both the same foreground
        class) and ``neg`` (two different confident labels), each (..., D, h, w) bool.
    """
    labels = labels.long()
    offsets = radius_offsets(radius)
    src = labels.unsqueeze(-3)
    dst = shift_pairs(labels, offsets, fill=ignore_index)
    valid = (src != ignore_index) & (dst != ignore_index)
    same = (src == dst) & valid
    return AffinityLabels(bg_pos=same & (src == 0), fg_pos=same & (src != 0),
                          neg=valid & (src != dst))


def downsample_labels(labels: torch.Tensor, size: Tuple[int, int], mode: str = 'nearest',
                      ignore_index: int = 255) -> torch.Tensor:
    """Label maps (B, H, W) to the feature grid ``size``.

    Args:
        labels (Tensor): (B, H, W) integer label maps.
        size (tuple): Output (h, w).
        mode (str): ``'nearest'`` keeps the top-left pixel of each cell (IRN's cv2 nearest
            resize); ``'majority'`` takes the most frequent label of each cell, unsure pixels
            voting as one more label (close to psa, which average-pools the CRF scores and takes
            the argmax). Defaults to 'nearest'.
        ignore_index (int): Label of unsure pixels. Defaults to 255.

    Returns:
        Tensor: (B, h, w) long.
    """
    labels = labels.long()
    if tuple(labels.shape[-2:]) == tuple(size):
        return labels
    if mode == 'nearest':
        return F.interpolate(labels[:, None].float(), size=size, mode='nearest')[:, 0].long()
    if mode != 'majority':
        raise ValueError(f"mode must be 'nearest' or 'majority', got {mode!r}")
    values, index = torch.unique(labels, return_inverse=True)
    votes = F.one_hot(index, len(values)).permute(0, 3, 1, 2).float()
    votes = F.adaptive_avg_pool2d(votes, size)
    # ties go to the smaller label, which puts confident labels before the unsure one
    return values[votes.argmax(dim=1)]
