"""mmseg's EncoderDecoder with PMM's test: softmax averaged over image ratios and flips, then a
dense CRF on the original image (https://github.com/Eli-YiLi/WSSS_MMSeg
``mmseg/models/segmentors/encoder_decoder.py``: ``inference``, ``aug_test``, ``DenseCRF``;
``configs/_base_/datasets/pascal_voc12.py``: ratios 0.5-1.75, flip; its ``*_cp.py`` config
writes the training images' predictions, the "cyclic" pseudo-masks)."""
from typing import List, Optional, Sequence

import mmcv
import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import ConfigDict
from mmengine.structures import PixelData
from mmseg.models.segmentors import EncoderDecoder
from mmseg.registry import MODELS

from ..refinement.crf import DenseCRF

__all__ = ['CRFEncoderDecoder', 'PMM_SEG_CRF']

#: WSSS_MMSeg ``EncoderDecoder.DenseCRF`` defaults: 10 iterations, Gaussian sxy 1 / compat 3,
#: bilateral sxy 67 / srgb 3 / compat 4, softmax unary, RGB image.
PMM_SEG_CRF = dict(iters=10, gaussian=(1, 3), bilateral=(67, 3, 4))


@MODELS.register_module()
class CRFEncoderDecoder(EncoderDecoder):
    """:class:`EncoderDecoder` whose prediction is PMM's: for each ratio of ``test_cfg.ratios``
    (the batch rescaled bilinearly) and, with ``test_cfg.flip``, its mirror, the softmax of
    mmseg's (slide / whole) inference, flipped back and resized to the batch size, averaged;
    resized to each image's original size and, with ``test_cfg.crf`` (a :class:`DenseCRF`
    config, ``{}`` for PMM's), CRF-refined on the original RGB image (read from ``img_path``),
    argmax. ``seg_logits`` hold the (CRF) probabilities. Training is mmseg's.

    ``test_cfg`` keys besides mmseg's: ``ratios`` (default ``(1.0, )``), ``flip`` (False),
    ``crf`` (None: no CRF; ``{}``: :data:`PMM_SEG_CRF`).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.test_cfg = cfg = ConfigDict(self.test_cfg or {})
        ratios = tuple(cfg.get('ratios', (1.0, )))
        if not ratios or min(ratios) <= 0:
            raise ValueError(f'CRFEncoderDecoder: test_cfg.ratios must be positive, got {ratios}')
        self.ratios, self.flip = ratios, bool(cfg.get('flip', False))
        crf = cfg.get('crf')
        self.crf = None if crf is None else DenseCRF(**{**PMM_SEG_CRF, **crf})

    def predict(self, inputs: torch.Tensor, data_samples: Optional[List] = None) -> List:
        if data_samples is None:
            raise ValueError('CRFEncoderDecoder.predict needs the data samples (image paths)')
        metas = [s.metainfo for s in data_samples]
        size = inputs.shape[-2:]
        probs, passes = 0., 0
        for ratio in self.ratios:
            x = inputs if ratio == 1 else F.interpolate(
                inputs, scale_factor=ratio, mode='bilinear', align_corners=self.align_corners)
            for flip in ((False, True) if self.flip else (False, )):
                xi = x.flip(-1) if flip else x
                shape = tuple(xi.shape[-2:])
                p = self.inference(xi, [dict(m, img_shape=shape, pad_shape=shape)
                                        for m in metas]).softmax(dim=1)
                if flip:
                    p = p.flip(-1)
                probs = probs + F.interpolate(p, size=size, mode='bilinear',
                                              align_corners=self.align_corners)
                passes += 1
        samples = self.postprocess_result(probs / passes, data_samples)
        if self.crf is not None:
            for sample in samples:
                img = mmcv.imread(sample.img_path, channel_order='rgb')
                prob = sample.seg_logits.data.float().cpu().numpy()
                if img.shape[:2] != prob.shape[1:]:
                    raise ValueError(f'CRFEncoderDecoder: {sample.img_path} is '
                                     f'{img.shape[:2]}, the prediction {prob.shape[1:]}')
                post = torch.from_numpy(self.crf.from_probs(img, prob))
                sample.seg_logits = PixelData(data=post)
                sample.pred_sem_seg = PixelData(data=post.argmax(0, keepdim=True))
        return samples
