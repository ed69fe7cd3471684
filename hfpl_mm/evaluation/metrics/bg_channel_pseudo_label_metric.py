"""Write pseudo-labels of CAMs that carry their own background channel (SIPE's IS-CAM)."""
import io
from typing import Dict, List

import numpy as np
import torch
from mmengine.registry import METRICS

from hfpl_mm.utils import normalize_cams
from hfpl_mm.utils.io import atomic_write_bytes, save_palette_png
from .pseudo_label_metric import PseudoLabelMetric, _default_palette


@METRICS.register_module()
class BgChannelPseudoLabelMetric(PseudoLabelMetric):
    """:class:`PseudoLabelMetric` for CAMs with a predicted background: the label is the argmax
    over the background ``cam_bg`` and the image's classes, each max-normalised, without a
    background threshold (SIPE's ``make_cam.py`` / ``eval_cam.py``; ties go to background).

    Each sample needs ``cam`` (C, h, w) and ``cam_bg`` (h, w) (:class:`~hfpl_mm.models.SIPE`).
    Files as :class:`PseudoLabelMetric`, the CAM file with the max-normalised background too::

        cams/<id>.npz     ``cams`` (n, H, W), ``labels`` (n,) and ``bg`` (H, W), float16

    which :class:`~hfpl_mm.datasets.transforms.LoadCAMs` reads as ``cam_bg``. The background
    sweep (``sweep_*``) still scores the class channels with constant background scores, the
    common CAM protocol, for comparison.

    Args:
        **kwargs: :class:`PseudoLabelMetric` arguments but ``bg_thr`` (``out_dir``,
            ``save_cams``, ``bg_thresholds``...).
    """

    def __init__(self, **kwargs) -> None:
        if 'bg_thr' in kwargs:
            raise TypeError('BgChannelPseudoLabelMetric takes no bg_thr: the background is the '
                            "CAMs' own channel")
        super().__init__(bg_thr=None, **kwargs)

    def _write(self, sample: dict, paths: Dict[str, str]):
        if 'cam_bg' not in sample:
            raise KeyError(f'{type(self).__name__} needs the model to predict `cam_bg` (the '
                           f'background channel, e.g. SIPE), none for {sample.get("img_path")}')
        labels = sample['gt_label'].tolist()
        size = sample['ori_shape']
        # float16, as saved: a resumed run, which reads them back, scores exactly the same
        cams = normalize_cams(sample['cam'], labels, size).half().float()
        bg = normalize_cams(sample['cam_bg'][None], None, size)[0].half().float()
        keys = torch.as_tensor([0] + [int(c) + 1 for c in labels], device=cams.device)
        label = keys[torch.cat([bg[None], cams[labels]]).argmax(dim=0)]
        label = label.cpu().numpy().astype(np.uint8)
        if self.save_cams:
            buf = io.BytesIO()
            np.savez_compressed(buf, cams=cams[labels].cpu().numpy().astype(np.float16),
                                labels=np.asarray(labels, dtype=np.int64),
                                bg=bg.cpu().numpy().astype(np.float16))
            atomic_write_bytes(paths['cams'], buf.getvalue())
        save_palette_png(paths['labels'], label, self.dataset_meta.get('palette') or
                         _default_palette())
        return label, cams

    def compute_metrics(self, results: List) -> Dict[str, float]:
        metrics = super().compute_metrics(results)
        metrics.pop('bg_thr', None)  # no threshold: the labels use the background channel
        return metrics
