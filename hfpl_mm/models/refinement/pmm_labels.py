"""PMM's two label maps from CAMs: the CRF regions that label stage B's crops, and the PPMG
pseudo-labels of the segmentor.

Paper: `Pipeline Multi-scale Multi-crop (PMM) <https://arxiv.org/abs/2106.11062>`_ (Li et al.),
"progressive patch learning" / "pseudo-mask generation". Reference semantics:
https://github.com/Eli-YiLi/PMM (``pipeline/infer_multi_scale.py::_crf_with_alpha`` with
``tool/imutils.py::crf_inference``; ``tool/data.py::update_label``; ``pipeline/refine_cam.py``:
``get_CoV``, ``ppmg``, ``crf_inference``; ``run.py`` defaults: alpha 24 for the regions, 11 for
PPMG, CAM threshold 0.05, CoV scale 0.3).
"""
from typing import List, Optional, Sequence

import numpy as np
import torch
from mmengine.model import BaseModel
from mmengine.structures import PixelData
from mmseg.registry import MODELS

from .crf import SEAM_CRF, DenseCRF, crf_prob_scores

__all__ = ['PMM_PPMG_CRF', 'coefficient_of_variation', 'crf_regions', 'ppmg', 'PMMLabeler']

#: ``refine_cam.py::crf_inference``: SEAM's CRF with Gaussian compat 10 instead of 3.
PMM_PPMG_CRF = dict(iters=10, gaussian=(3, 10), bilateral=(80, 13, 10))


def coefficient_of_variation(cam: np.ndarray, thr: float = 0.05, scale: float = 0.3) -> float:
    """``scale * std / mean`` of the scores above ``thr`` (0 when there are none), PMM's
    ``get_CoV`` (the mean carries its 1e-8)."""
    v = cam[cam > thr]
    if v.size == 0:
        return 0.
    return float(v.std() / (v + 1e-8).mean() * scale)


def crf_regions(img: np.ndarray, cams: np.ndarray, labels: Sequence[int], crf: DenseCRF,
                alpha: float = 24., thr: float = 0.9) -> np.ndarray:
    """Stage A's CRF regions (H, W) uint8: ``c + 1`` where the CRF-prob(``alpha``) posterior of
    class ``c`` exceeds ``thr``, 0 elsewhere. Posteriors sum to one, so for ``thr >= 0.5`` the
    regions are disjoint and one label map holds all of PMM's ``heat[c + 1] > 0.9`` masks.

    Args:
        img (np.ndarray): (H, W, 3) uint8 image as the CRF sees it (PMM: RGB).
        cams (np.ndarray): (n, H, W) normalised CAMs of the classes ``labels``.
        labels (Sequence[int]): 0-based foreground classes (n,).
        crf (DenseCRF): The CRF (PMM: psa / SEAM's, :data:`SEAM_CRF`).
        alpha (float): Background power. Defaults to 24.
        thr (float): Posterior threshold of a region. Defaults to 0.9.
    """
    out = np.zeros(img.shape[:2], np.uint8)
    if len(labels) == 0:
        return out
    probs = crf.from_probs(img, crf_prob_scores(cams, alpha))
    for i, c in enumerate(labels):
        out[probs[i + 1] > thr] = int(c) + 1
    return out


def ppmg(img: np.ndarray, cams: np.ndarray, labels: Sequence[int], crf: DenseCRF,
         alpha: float = 11., cam_thr: float = 0.05, cov_scale: float = 0.3) -> np.ndarray:
    """PPMG pseudo-label (H, W) uint8 (0 background, ``c + 1`` class ``c``).

    Per class ``c`` with CAM ``v``: ``v' = (v [v >= cam_thr])^(1 - CoV)`` (CoV of
    :func:`coefficient_of_variation`), a two-class CRF on ``[(1 - v')^alpha, v']`` gives the
    foreground ``fg_c`` (posterior > 0.5) and the importance ``v / (1 + sum(v fg_c))``; the
    label is the argmax over the background (pixels in no ``fg_c``, score 1) and
    ``fg_c * importance`` (ties to the lower index, background first).

    Args:
        img (np.ndarray): (H, W, 3) uint8 image as the CRF sees it (PMM reads it with cv2: BGR).
        cams (np.ndarray): (n, H, W) normalised CAMs of ``labels``.
        labels (Sequence[int]): 0-based foreground classes (n,).
        crf (DenseCRF): The CRF (PMM: :data:`PMM_PPMG_CRF`).
        alpha (float): Background power. Defaults to 11.
        cam_thr (float): Scores below it are zeroed. Defaults to 0.05.
        cov_scale (float): CoV scale. Defaults to 0.3.
    """
    height, width = img.shape[:2]
    background = np.ones((height, width), np.float32)
    fg_scores = []
    for v in np.asarray(cams, np.float32).reshape(len(labels), height, width):
        cov = coefficient_of_variation(v, cam_thr, cov_scale)
        sharpened = np.where(v < cam_thr, 0, v)**(1 - cov)
        fg = crf.from_probs(img, crf_prob_scores(sharpened[None], alpha))[1] > 0.5
        fg_scores.append(fg * v / (1 + (v * fg).sum()))
        background = background * ~fg
    keys = np.asarray([0] + [int(c) + 1 for c in labels], np.uint8)
    return keys[np.stack([background] + fg_scores).argmax(axis=0)]


@MODELS.register_module()
class PMMLabeler(BaseModel):
    """PMM's label maps of :func:`crf_regions` / :func:`ppmg` as a parameter-free model (the
    Runner's resumable test loop reads images and CAMs, :class:`RefinedLabelMetric` writes the
    labels and scores J / F), as :class:`ConfidentLabeler`.

    Each data sample needs ``cams`` and ``cam_labels`` (:class:`LoadCAMs`); the inputs must be
    RGB in [0, 255] (``SegDataPreProcessor(bgr_to_rgb=True)``).

    Args:
        method (str): 'ppmg' (the pseudo-labels) or 'crf_regions' (stage B's crop-label
            source). Defaults to 'ppmg'.
        alpha (float, optional): Background power. Defaults to None: 11 ('ppmg') / 24.
        crf (dict, optional): :class:`DenseCRF` arguments. Defaults to None: PMM's
            (:data:`PMM_PPMG_CRF` for 'ppmg', :data:`SEAM_CRF` for 'crf_regions').
        channel_order (str, optional): 'bgr' or 'rgb', the image the CRF's bilateral kernel
            sees. Defaults to None: PMM's ('bgr' for 'ppmg', read with cv2; 'rgb' otherwise).
        region_thr (float): Posterior threshold of 'crf_regions'. Defaults to 0.9.
        cam_thr (float): 'ppmg' CAM threshold. Defaults to 0.05.
        cov_scale (float): 'ppmg' CoV scale. Defaults to 0.3.
        data_preprocessor (dict, optional): Must give RGB in [0, 255].
        init_cfg (dict, optional): Unused.
    """

    def __init__(self, method: str = 'ppmg', alpha: Optional[float] = None,
                 crf: Optional[dict] = None, channel_order: Optional[str] = None,
                 region_thr: float = 0.9, cam_thr: float = 0.05, cov_scale: float = 0.3,
                 data_preprocessor: Optional[dict] = None, init_cfg: Optional[dict] = None):
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if method not in ('ppmg', 'crf_regions'):
            raise ValueError(f"PMMLabeler: method must be 'ppmg' or 'crf_regions', got {method!r}")
        ppmg_method = method == 'ppmg'
        channel_order = channel_order or ('bgr' if ppmg_method else 'rgb')
        if channel_order not in ('bgr', 'rgb'):
            raise ValueError(f"PMMLabeler: channel_order must be 'bgr' or 'rgb', got "
                             f'{channel_order!r}')
        self.method = method
        self.channel_order = channel_order
        self.alpha = float(alpha if alpha is not None else (11 if ppmg_method else 24))
        self.crf = DenseCRF(**(crf or (PMM_PPMG_CRF if ppmg_method else SEAM_CRF)))
        self.region_thr, self.cam_thr, self.cov_scale = region_thr, cam_thr, cov_scale

    def forward(self, inputs: torch.Tensor, data_samples: Optional[List] = None,
                mode: str = 'predict') -> List:
        if mode != 'predict':
            raise ValueError(f'{type(self).__name__} has no parameters and only predicts; '
                             f'got mode {mode!r}')
        for img, sample in zip(inputs, data_samples):
            height, width = sample.img_shape[:2]
            img = img[:, :height, :width].round().clamp(0, 255).byte().permute(1, 2, 0)
            img = img.cpu().numpy()
            if self.channel_order == 'bgr':
                img = np.ascontiguousarray(img[..., ::-1])
            if self.method == 'ppmg':
                label = ppmg(img, sample.cams, sample.cam_labels, self.crf, self.alpha,
                             self.cam_thr, self.cov_scale)
            else:
                label = crf_regions(img, sample.cams, sample.cam_labels, self.crf, self.alpha,
                                    self.region_thr)
            sample.pred_sem_seg = PixelData(data=torch.from_numpy(label)[None])
        return data_samples
