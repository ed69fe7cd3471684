"""Loading of the CAMs that the pseudo-label stage wrote, for the refinement stages.

Refinement reuses the segmentation data sets (:class:`~hfpl_mm.datasets.WSSSSegDataset` and its
VOC / COCO / synthetic subclasses) in the ``mmseg`` scope; its inference pipelines (label
generation, random walk) add :class:`LoadCAMs` to read each image's CAM array.
"""
import os.path as osp
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS

__all__ = ['LoadCAMs', 'CAM_META_KEYS']

#: ``PackSegInputs`` meta keys of the inference pipelines: mmseg's defaults + the CAMs.
CAM_META_KEYS = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape', 'pad_shape',
                 'scale_factor', 'flip', 'flip_direction', 'reduce_zero_label', 'cams',
                 'cam_labels', 'cam_bg')


@TRANSFORMS.register_module()
class LoadCAMs(BaseTransform):
    """Load an image's CAMs written by :class:`~hfpl_mm.evaluation.PseudoLabelMetric`.

    Reads ``<cam_dir>/<image stem>.npz`` (``cams`` (n, H, W) max-normalised CAMs of the
    image's classes ``labels`` (n,), at the original image size).

    Added keys: ``cams`` (n, H, W) float32 and ``cam_labels`` (n,) int64 (0-based foreground
    classes), and ``cam_bg`` (H, W) float32 when the file holds the CAMs' own max-normalised
    background ``bg`` (SIPE's IS-CAM, :class:`~hfpl_mm.evaluation.BgChannelPseudoLabelMetric`);
    pack them with ``PackSegInputs(meta_keys=CAM_META_KEYS)``.

    Args:
        cam_dir (str, optional): Folder of the CAM files (the pseudo-label stage's
            ``pseudo_labels/cams``). Must be set before the first image is loaded; the pipeline
            tool sets it. Defaults to None.
        suffix (str): File suffix. Defaults to '.npz'.
        power (float): CAMs are raised to this power: a monotone recalibration that keeps
            them max-normalised, so that background scores and CRF powers tuned for one CAM
            calibration (VOC) apply to flatter CAMs (``power > 1``) as well. Background
            threshold ``t`` on the loaded CAMs equals ``t ** (1 / power)`` on the saved ones.
            Defaults to 1 (as saved).
    """

    def __init__(self, cam_dir: Optional[str] = None, suffix: str = '.npz',
                 power: float = 1.) -> None:
        if not power > 0:
            raise ValueError(f'LoadCAMs: power must be positive, got {power}')
        self.cam_dir = cam_dir
        self.suffix = suffix
        self.power = float(power)

    def transform(self, results: dict) -> dict:
        if not self.cam_dir:
            raise ValueError('LoadCAMs: cam_dir is not set (the pseudo-label stage\'s '
                             '<work_dir>/pseudo_labels/cams)')
        stem = osp.splitext(osp.basename(results['img_path']))[0]
        path = osp.join(self.cam_dir, stem + self.suffix)
        if not osp.isfile(path):
            raise FileNotFoundError(f'LoadCAMs: CAM file not found: {path} (image '
                                    f'{results["img_path"]}); run the pseudo-label stage first')
        try:
            with np.load(path) as data:
                cams = data['cams'].astype(np.float32)
                labels = data['labels'].astype(np.int64)
                bg = data['bg'].astype(np.float32) if 'bg' in data.files else None
        except Exception as err:  # zip, pickle and key errors of damaged files
            raise ValueError(f'LoadCAMs: cannot read CAM file {path}: {type(err).__name__}: '
                             f'{err}') from err
        size = tuple(results.get('ori_shape') or results['img'].shape[:2])
        if cams.ndim != 3 or cams.shape[0] != len(labels) or cams.shape[1:] != size:
            raise ValueError(f'LoadCAMs: {path} holds cams {cams.shape} for labels '
                             f'{labels.tolist()}; expected (n, {size[0]}, {size[1]}) for the '
                             f'image {results["img_path"]}')
        if bg is not None and bg.shape != size:
            raise ValueError(f'LoadCAMs: {path} holds a background {bg.shape}; expected '
                             f'{size} for the image {results["img_path"]}')
        results['cams'] = cams if self.power == 1 else cams**self.power
        results['cam_labels'] = labels
        if bg is not None:
            results['cam_bg'] = bg if self.power == 1 else bg**self.power
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(cam_dir={self.cam_dir!r}, suffix={self.suffix!r}, '
                f'power={self.power})')
