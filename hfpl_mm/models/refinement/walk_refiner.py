"""The common test step of AffinityNet and IRN: a random walk of each image's CAM seeds.

Neither mmseg nor mmpretrain has a model whose prediction propagates given per-image seeds, so
the shared part lives here: padding to the size divisor, cropping each image's grid, the walk of
:class:`RandomWalk` and the argmax label map. Subclasses give the grid maps and their affinities.
"""
from typing import List, Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel
from mmengine.structures import PixelData

from .random_walk import RandomWalk, scores_to_label

__all__ = ['WalkRefiner']


class WalkRefiner(BaseModel):
    """Base of the refinement nets whose test step walks CAM seeds along learned affinities.

    Subclasses set ``walk`` (:class:`RandomWalk`) and ``size_divisor``, and implement
    ``_forward`` (mode 'tensor'), ``loss``, :meth:`grid_maps` and :meth:`walk_affinity`.
    """
    walk: RandomWalk
    size_divisor: int

    def forward(self, inputs: torch.Tensor, data_samples: Optional[List] = None,
                mode: str = 'tensor'):
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self._forward(inputs)
        raise ValueError(f'Invalid mode {mode!r}: use loss, predict or tensor')

    def grid_maps(self, inputs: torch.Tensor) -> torch.Tensor:
        """(B, ..., h, w) maps on the stride grid of padded inputs, from which
        :meth:`walk_affinity` derives each image's affinities."""
        raise NotImplementedError

    def walk_affinity(self, grid: torch.Tensor) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """Affinities (D, h, w) of the walk's offsets and the seed weight (h, w) or None, from
        one image's grid map cropped to the image. Pairs within a crop depend only on the crop,
        so cropping first gives the affinities of the whole padded grid."""
        raise NotImplementedError

    @torch.no_grad()
    def predict(self, inputs: torch.Tensor, data_samples: List) -> List:
        """Refined label maps (``pred_sem_seg``) from the samples' ``cams`` / ``cam_labels``
        (and ``cam_bg`` for a walk with ``bg='channel'``)."""
        height, width = inputs.shape[-2:]
        div = self.size_divisor
        padded = F.pad(inputs, (0, -width % div, 0, -height % div))
        maps = self.grid_maps(padded)
        stride = padded.shape[-1] // maps.shape[-1]
        for grid, sample in zip(maps, data_samples):
            img_h, img_w = sample.img_shape[:2]
            grid = grid[..., :(img_h + stride - 1) // stride, :(img_w + stride - 1) // stride]
            affinity, seed_weight = self.walk_affinity(grid)
            cams = torch.as_tensor(sample.cams, device=inputs.device)
            if self.walk.bg == 'channel':  # the CAMs' own background walks as channel 0
                if 'cam_bg' not in sample:
                    raise KeyError(f"{type(self).__name__}: the walk's bg='channel' needs the "
                                   f'CAM background (cam_bg) of {sample.img_path}; the CAM '
                                   "files must hold 'bg' (BgChannelPseudoLabelMetric)")
                bg = torch.as_tensor(sample.cam_bg, device=inputs.device)
                cams = torch.cat([bg[None].to(cams.dtype), cams])
            scores = self.walk(cams, affinity, stride, seed_weight)
            label = scores_to_label(scores, sample.cam_labels).to(torch.uint8)
            sample.pred_sem_seg = PixelData(data=label[None].cpu())
        return data_samples
