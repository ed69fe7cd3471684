"""Random-walk propagation of CAM seeds along learned affinities (AffinityNet, IRN).

With pairwise affinities ``a`` on an ``h x w`` grid (see :mod:`.affinity_labels`), the walk builds
the symmetric affinity matrix ``A`` (unit diagonal), the transition matrix
``T = colnorm(A^beta)`` (element-wise power, columns summing to 1) and moves the seeds ``s``
(C, h*w) to ``s T^t`` with ``t = 2^logt``. Each step replaces a node's scores by an
affinity-weighted average over its neighbours, so class scores spread within regions and stop at
boundaries.

Two equivalent evaluations:

* dense (small grids): ``T`` squared ``logt`` times, as psa / IRN do on the GPU;
* sparse (large grids, e.g. IRN's 128 x 128 stride-4 grid of a 512 image, whose dense ``T`` has
  2.7e8 entries): ``2^logt`` sparse products of the seeds with ``T``, only the pairs within
  the radius stored, which needs O(h w D) memory and time linear in ``2^logt``.
"""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn.functional as F

from .affinity_labels import Offset, radius_offsets, shift_pairs

__all__ = ['affinity_matrix', 'transition_matrix', 'propagate', 'RandomWalk', 'scores_to_label']


def _pair_indices(offsets: Sequence[Offset], size: Tuple[int, int], device) -> Tuple:
    """Flat (src, dst) node indices of the pairs inside the grid and their (D, h, w) mask."""
    h, w = size
    nodes = torch.arange(h * w, device=device).view(h, w)
    dst = shift_pairs(nodes, offsets, fill=-1)
    valid = dst >= 0
    return nodes.expand_as(dst)[valid], dst[valid], valid


def affinity_matrix(affinity: torch.Tensor, offsets: Sequence[Offset],
                    sparse: bool = False) -> torch.Tensor:
    """Symmetric (n, n) matrix of the pairwise affinities ``(D, h, w)``, with unit diagonal.

    Pairs leaving the grid are dropped; ``n = h * w`` nodes in row-major order.
    """
    h, w = affinity.shape[-2:]
    src, dst, valid = _pair_indices(offsets, (h, w), affinity.device)
    n = h * w
    diag = torch.arange(n, device=affinity.device)
    values = affinity[valid].float()
    rows = torch.cat([src, dst, diag])
    cols = torch.cat([dst, src, diag])
    values = torch.cat([values, values, values.new_ones(n)])
    if sparse:
        return torch.sparse_coo_tensor(torch.stack([rows, cols]), values, (n, n),
                                       check_invariants=False).coalesce()
    matrix = affinity.new_zeros((n, n), dtype=torch.float32)
    matrix[rows, cols] = values
    return matrix


def transition_matrix(matrix: torch.Tensor, beta: float) -> torch.Tensor:
    """``colnorm(A^beta)``: the element-wise power, each column divided by its sum."""
    if not matrix.is_sparse:
        powered = matrix.pow(beta)
        return powered / powered.sum(dim=0, keepdim=True)
    cols = matrix.indices()[1]
    powered = matrix.values().pow(beta)
    col_sum = torch.zeros(matrix.shape[1], dtype=powered.dtype,
                          device=powered.device).index_add_(0, cols, powered)
    return torch.sparse_coo_tensor(matrix.indices(), powered / col_sum[cols], matrix.shape,
                                   check_invariants=False)


def propagate(seeds: torch.Tensor, affinity: torch.Tensor, offsets: Sequence[Offset],
              beta: float, logt: int, dense_max_nodes: int = 4096) -> torch.Tensor:
    """Walk the seeds ``2^logt`` steps: ``seeds (C, h, w) -> seeds T^(2^logt)``.

    Args:
        seeds (Tensor): (C, h, w) scores on the affinity grid.
        affinity (Tensor): (D, h, w) pairwise affinities in [0, 1] for ``offsets``.
        offsets (Sequence[tuple]): The pairs' displacements.
        beta (float): Exponent sharpening the affinities.
        logt (int): log2 of the number of steps (psa's ``logt``, IRN's ``exp_times``).
        dense_max_nodes (int): Grids with at most this many nodes use the dense matrix
            (repeated squaring), larger ones the sparse one. Defaults to 4096 (a 64 x 64 grid).

    Returns:
        Tensor: (C, h, w) float32.
    """
    c, h, w = seeds.shape
    if affinity.shape != (len(offsets), h, w):
        raise ValueError(f'affinity {tuple(affinity.shape)} does not match {len(offsets)} '
                         f'offsets on the {h}x{w} seed grid')
    x = seeds.reshape(c, h * w).float()
    if h * w <= dense_max_nodes:
        trans = transition_matrix(affinity_matrix(affinity, offsets), beta)
        for _ in range(logt):
            trans = trans @ trans
        return (x @ trans).view(c, h, w)
    trans_t = transition_matrix(affinity_matrix(affinity, offsets, sparse=True), beta)
    trans_t = trans_t.t().coalesce()  # x T = (T^t x^t)^t
    x_t = x.t().contiguous()
    for _ in range(2**logt):
        x_t = torch.sparse.mm(trans_t, x_t)
    return x_t.t().reshape(c, h, w)


def scores_to_label(scores: torch.Tensor, labels: Sequence[int]) -> torch.Tensor:
    """Label map (H, W) of scores (1 + n, H, W) whose channel 0 is background and channel
    ``k + 1`` foreground class ``labels[k]``: 0 background, ``c + 1`` class ``c``."""
    keys = torch.as_tensor([0] + [int(c) + 1 for c in labels], device=scores.device)
    return keys[scores.argmax(dim=0)]


class RandomWalk:
    """Seeds from CAMs, the walk on an affinity grid, and the background decision.

    Background (``bg``), as the baselines handle it:

    * ``'power'`` (psa / SEAM): a seed channel ``(1 - max_c cam_c)^bg_alpha`` walks with the
      classes; the argmax decides.
    * ``'constant'`` (MCTformer): a constant seed channel ``bg_thr`` walks with the classes.
    * ``'threshold'`` (IRN): only the classes walk; the result is divided by its global maximum
      and a constant background score ``bg_thr`` (IRN's ``sem_seg_bg_thres``) is added.
    * ``'channel'`` (SIPE): the CAMs bring their own background as channel 0 (the IS-CAM's), which
      walks with the classes; the result is divided by its global maximum.

    Seeds on the grid: ``seed_resize='avg_pool'`` averages the (padded) full-size CAMs over each
    cell; ``'bilinear'`` resizes them to the grid (SIPE's ``make_seg_labels.py``). They are then
    raised to ``seed_power`` (SIPE: 1.5).

    Args:
        beta (float): Affinity exponent. Defaults to 8 (psa); IRN uses 10.
        logt (int): The walk takes ``2^logt`` steps. Defaults to 6 (psa); IRN uses 8.
        radius (int): Pairs at distance < radius on the grid. Defaults to 5.
        bg (str): 'power', 'constant', 'threshold' or 'channel'. Defaults to 'power'.
        bg_alpha (float): Exponent of the 'power' background. Defaults to 6.
        bg_thr (float): Background score of 'constant' / 'threshold'. Defaults to 0.25.
        dense_max_nodes (int): See :func:`propagate`. Defaults to 4096.
        seed_resize (str): 'avg_pool' or 'bilinear'. Defaults to 'avg_pool'.
        seed_power (float): Exponent of the seeds on the grid. Defaults to 1.
    """

    def __init__(self, beta: float = 8., logt: int = 6, radius: int = 5, bg: str = 'power',
                 bg_alpha: float = 6., bg_thr: float = 0.25, dense_max_nodes: int = 4096,
                 seed_resize: str = 'avg_pool', seed_power: float = 1.) -> None:
        if bg not in ('power', 'constant', 'threshold', 'channel'):
            raise ValueError(f"bg must be 'power', 'constant', 'threshold' or 'channel', "
                             f'got {bg!r}')
        if seed_resize not in ('avg_pool', 'bilinear'):
            raise ValueError(f"seed_resize must be 'avg_pool' or 'bilinear', got {seed_resize!r}")
        if not seed_power > 0:
            raise ValueError(f'seed_power must be positive, got {seed_power}')
        self.seed_resize, self.seed_power = seed_resize, float(seed_power)
        self.beta, self.logt, self.radius = beta, int(logt), int(radius)
        self.bg, self.bg_alpha, self.bg_thr = bg, bg_alpha, bg_thr
        self.dense_max_nodes = dense_max_nodes
        self.offsets = radius_offsets(self.radius)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(beta={self.beta}, logt={self.logt}, radius={self.radius}, '
                f'bg={self.bg!r}, bg_alpha={self.bg_alpha}, bg_thr={self.bg_thr}, '
                f'seed_resize={self.seed_resize!r}, seed_power={self.seed_power})')

    def __call__(self, cams: torch.Tensor, affinity: torch.Tensor, stride: int,
                 seed_weight: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Refined scores of one image.

        Args:
            cams (Tensor): (n, H, W) max-normalised CAMs of the image's classes, full size;
                with ``bg='channel'`` (1 + n, H, W), channel 0 the background.
            affinity (Tensor): (D, h, w) pairwise affinities of :func:`radius_offsets`
                ``(radius)`` on a grid of ``stride``-pixel cells covering the image
                (``h * stride >= H``).
            stride (int): Grid cell size in pixels.
            seed_weight (Tensor, optional): (h, w) factor of the seeds (IRN: ``1 - boundary``).

        Returns:
            Tensor: (1 + n, H, W) scores, channel 0 background; see :func:`scores_to_label`.
        """
        n, height, width = cams.shape
        h, w = affinity.shape[-2:]
        if h * stride < height or w * stride < width:
            raise ValueError(f'a {h}x{w} grid of stride {stride} does not cover the '
                             f'{height}x{width} CAMs')
        cams = cams.float()
        seeds = cams
        if self.bg == 'power':
            bg = (1 - cams.amax(dim=0, keepdim=True) if n else cams.new_ones(1, height, width))
            seeds = torch.cat([bg.pow(self.bg_alpha), cams])
        elif self.bg == 'constant':
            seeds = torch.cat([cams.new_full((1, height, width), self.bg_thr), cams])
        if seeds.shape[0] == 0:
            return cams.new_ones(1, height, width)
        if self.bg == 'channel' and seeds.shape[0] == 1:
            return cams.new_ones(1, height, width)  # only the background
        if self.seed_resize == 'bilinear':
            seeds = F.interpolate(seeds[None], size=(h, w), mode='bilinear',
                                  align_corners=False)[0]
        else:
            seeds = F.pad(seeds, (0, w * stride - width, 0, h * stride - height))
            seeds = F.avg_pool2d(seeds[None], stride)[0]
        if self.seed_power != 1:
            seeds = seeds.pow(self.seed_power)
        if seed_weight is not None:
            seeds = seeds * seed_weight
        walked = propagate(seeds, affinity, self.offsets, self.beta, self.logt,
                           self.dense_max_nodes)
        scores = F.interpolate(walked[None], size=(h * stride, w * stride), mode='bilinear',
                               align_corners=False)[0, :, :height, :width]
        if self.bg in ('threshold', 'channel'):
            scores = scores / scores.max().clamp_min(1e-5)
        if self.bg == 'threshold':
            scores = torch.cat([scores.new_full((1, height, width), self.bg_thr), scores])
        return scores
