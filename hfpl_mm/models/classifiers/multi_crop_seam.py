"""PMM's stage-B ("multi-crop") network: SEAM trained on crops, whose CAMs are inferred over the
same crop grid (https://github.com/Eli-YiLi/PMM ``pipeline/infer_multi_crop.py``,
``network/scalenet_SEAM.py``)."""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from hfpl_mm.utils.crop_grid import PMM_CROP_SCALES, multi_crop_grid
from .seam import SEAM

__all__ = ['MultiCropSEAM']


@MODELS.register_module()
class MultiCropSEAM(SEAM):
    """:class:`SEAM` (training unchanged: SEAM's losses on each crop; HFPL through the head as
    SEAM) whose test-time CAM is PMM's multi-crop inference.

    For every box of :func:`~hfpl_mm.utils.crop_grid.multi_crop_grid` the crop is resized to
    ``crop_size`` (bilinear), it and its mirror give the PCM output (foreground channels, at the
    crop size as SEAM's net returns it, ``align_corners=True``), resized to the box's extent
    (``align_corners=False``), the mirror flipped back; every pass is added where its box lies
    and divided by how many passes cover a pixel. Each class is then min-max normalised as the
    public code (values within 1e-5 of the minimum zeroed first). The public code also
    multiplies by the image labels; the writers keep only the image's classes, which is the
    same for every class they keep.

    Args:
        crop_cfg (dict, optional): ``scales``, ``crop_size``, ``stride``, ``flip`` of the grid.
            Defaults to PMM's (0.75 ... 3.0, 448, 300, True).
        **kwargs: :class:`SEAM` arguments (``cam_cfg`` is not used: the grid replaces it).
    """

    def __init__(self, *args, crop_cfg: Optional[dict] = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        crop_cfg = {**dict(scales=PMM_CROP_SCALES, crop_size=448, stride=300, flip=True),
                    **(crop_cfg or {})}
        unknown = set(crop_cfg) - {'scales', 'crop_size', 'stride', 'flip'}
        if unknown:
            raise ValueError(f'crop_cfg: unknown keys {sorted(unknown)}; use scales, crop_size, '
                             'stride, flip')
        multi_crop_grid(1, 1, crop_cfg['scales'], crop_cfg['crop_size'], crop_cfg['stride'])
        self.crop_cfg = crop_cfg
        self.cam_cfg = dict(scales=(1.0, ))  # test_step runs multi_scale_cam

    def multi_scale_cam(self, inputs: torch.Tensor) -> torch.Tensor:
        """The overlap-averaged, min-max normalised multi-crop CAM (B, K, H, W)."""
        cfg = self.crop_cfg
        batch, _, height, width = inputs.shape
        size = (cfg['crop_size'], cfg['crop_size'])
        total = inputs.new_zeros((batch, self.num_classes, height, width))
        count = inputs.new_zeros((1, 1, height, width))
        for boxes in multi_crop_grid(width, height, cfg['scales'], cfg['crop_size'],
                                     cfg['stride']):
            for x1, y1, x2, y2 in boxes:
                crop = F.interpolate(inputs[..., y1:y2, x1:x2], size=size, mode='bilinear',
                                     align_corners=False)
                passes = torch.cat([crop, crop.flip(-1)]) if cfg['flip'] else crop
                cam = self.single_scale_cam(passes)
                cam = F.interpolate(cam, size=(y2 - y1, x2 - x1), mode='bilinear',
                                    align_corners=False)
                if cfg['flip']:
                    cam = torch.cat([cam[:batch], cam[batch:].flip(-1)])
                for part in cam.split(batch):
                    total[..., y1:y2, x1:x2] += part
                    count[..., y1:y2, x1:x2] += 1
        cam = total / count.clamp_min(1)
        low = cam.amin(dim=(2, 3), keepdim=True)
        high = cam.amax(dim=(2, 3), keepdim=True)
        cam = torch.where(cam < low + 1e-5, torch.zeros_like(cam), cam)
        return (cam - low) / (high - low + 1e-5)
