"""Confident foreground / background labels from CAMs: the training labels of AffinityNet / IRN.

Every method turns an image's max-normalised CAMs into a label map (0 background, ``c + 1``
class ``c``, 255 unsure) from two CRF-smoothed label maps: a *foreground-confident* one, with a
high background score, so that only strongly activated pixels become foreground, and a
*background-confident* one, with a low background score, so that background remains only where
every CAM is almost zero:

* ``'irn'`` (IRN, SIPE, Spatial-BCE): constant background scores ``conf_fg`` / ``conf_bg``,
  argmax, label-unary CRF; foreground where the fg map says so, background where *both* maps say
  background, unsure elsewhere;
* ``'psa'`` (AffinityNet of SEAM / MCTformer): background scores ``(1 - max cam)^alpha`` with
  ``alpha_fg`` (low, e.g. 4: a high score) / ``alpha_bg`` (high, e.g. 24: a low score),
  probability-unary CRF, argmax;
  foreground where the low-alpha map says so, background wherever the high-alpha map says
  background, unsure elsewhere;
* ``'crf'``: only IRN's foreground map with threshold ``conf_fg``, i.e. a dense-CRF refined
  CAM pseudo-label without unsure pixels.

With ``background='channel'`` ('irn' / 'crf') the CAMs carry their own background map (SIPE's
IS-CAM, ``cam_bg``) and ``conf_fg`` / ``conf_bg`` multiply it instead of being constant scores:
SIPE's ``cam2ir.py`` uses the map as is (1.0) for the foreground-confident labels and halved
(0.5) for the background-confident ones.
"""
from typing import List, Optional, Sequence

import numpy as np
import torch
from mmengine.model import BaseModel
from mmengine.structures import PixelData
from mmseg.registry import MODELS

from .crf import IRN_CRF, DenseCRF, crf_prob_scores

__all__ = ['combine_irn', 'combine_psa', 'confident_labels', 'ConfidentLabeler']

IGNORE = 255


def combine_irn(fg: np.ndarray, bg: np.ndarray) -> np.ndarray:
    """IRN's rule: the fg map's foreground, background where both maps say 0, else 255."""
    out = np.where(fg == 0, IGNORE, fg)
    out[(fg == 0) & (bg == 0)] = 0
    return out.astype(np.uint8)


def combine_psa(fg: np.ndarray, bg: np.ndarray) -> np.ndarray:
    """psa's rule: the fg map's foreground, background wherever the bg map says 0, else 255."""
    out = np.where(fg == 0, IGNORE, fg)
    out[bg == 0] = 0
    return out.astype(np.uint8)


def confident_labels(img: np.ndarray, cams: np.ndarray, labels: Sequence[int], method: str,
                     crf: DenseCRF, conf_fg: float = 0.30, conf_bg: float = 0.05,
                     alpha_fg: float = 4., alpha_bg: float = 24.,
                     bg: Optional[np.ndarray] = None) -> np.ndarray:
    """Confident label map (H, W) uint8 of one image.

    Args:
        img (np.ndarray): (H, W, 3) uint8 RGB image.
        cams (np.ndarray): (n, H, W) max-normalised CAMs of the classes ``labels``.
        labels (Sequence[int]): The image's 0-based foreground classes (n,).
        method (str): 'irn', 'psa' or 'crf' (see the module docstring).
        crf (DenseCRF): The CRF.
        conf_fg, conf_bg (float): Background scores of 'irn' / 'crf'. Defaults to 0.30 / 0.05.
        alpha_fg, alpha_bg (float): Background powers of 'psa'. Defaults to 4 / 24.
        bg (np.ndarray, optional): (H, W) background map of the CAMs ('irn' / 'crf'): the
            background scores are ``conf_fg * bg`` / ``conf_bg * bg``. Defaults to None:
            constant scores.

    Returns:
        np.ndarray: 0 background, ``c + 1`` class ``c``, 255 unsure.
    """
    keys = np.asarray([0] + [int(c) + 1 for c in labels], dtype=np.int64)
    cams = np.asarray(cams, dtype=np.float32).reshape(len(keys) - 1, *img.shape[:2])

    if bg is not None:
        bg = np.asarray(bg, dtype=np.float32).reshape(1, *img.shape[:2])

    def thresholded(bg_score: float) -> np.ndarray:
        bg_map = (np.full((1, ) + cams.shape[1:], bg_score, np.float32) if bg is None else
                  bg_score * bg)
        scores = np.concatenate([bg_map, cams])
        return keys[crf.from_labels(img, scores.argmax(axis=0), n_labels=len(keys))]

    def powered(alpha: float) -> np.ndarray:
        return keys[crf.from_probs(img, crf_prob_scores(cams, alpha)).argmax(axis=0)]

    if bg is not None and method == 'psa':
        raise ValueError("a background map is for methods 'irn' / 'crf', not 'psa'")
    if method == 'irn':
        return combine_irn(thresholded(conf_fg), thresholded(conf_bg))
    if method == 'psa':
        return combine_psa(powered(alpha_fg), powered(alpha_bg))
    if method == 'crf':
        return thresholded(conf_fg).astype(np.uint8)
    raise ValueError(f"method must be 'irn', 'psa' or 'crf', got {method!r}")


@MODELS.register_module()
class ConfidentLabeler(BaseModel):
    """Confident labels of :func:`confident_labels` as a parameter-free model, so that the
    Runner's (resumable) test loop, the data sets and the label writer do the rest.

    Each data sample needs ``cams`` and ``cam_labels`` (see
    :class:`~hfpl_mm.datasets.transforms.LoadCAMs`); the inputs must be RGB in [0, 255]
    (a data preprocessor with ``bgr_to_rgb=True`` and no normalisation). Predictions are
    ``pred_sem_seg`` label maps, written by :class:`RefinedLabelMetric`.

    Args:
        method (str): 'irn', 'psa' or 'crf'. Defaults to 'irn'.
        conf_fg, conf_bg (float): See :func:`confident_labels`. Defaults to 0.30 / 0.05.
        alpha_fg, alpha_bg (float): See :func:`confident_labels`. Defaults to 4 / 24.
        background (str): 'constant' (``conf_fg`` / ``conf_bg`` are background scores) or
            'channel' (they multiply each sample's ``cam_bg``, the CAMs' own background, see
            :class:`~hfpl_mm.datasets.transforms.LoadCAMs`; SIPE: 1.0 / 0.5). Defaults to
            'constant'.
        crf (dict, optional): :class:`DenseCRF` arguments. Defaults to IRN's CRF.
        data_preprocessor (dict, optional): Must give RGB in [0, 255], e.g.
            ``dict(type='SegDataPreProcessor', bgr_to_rgb=True)``. Defaults to None.
        init_cfg (dict, optional): Unused (no parameters). Defaults to None.
    """

    def __init__(self, method: str = 'irn', conf_fg: float = 0.30, conf_bg: float = 0.05,
                 alpha_fg: float = 4., alpha_bg: float = 24., background: str = 'constant',
                 crf: Optional[dict] = None, data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None):
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if method not in ('irn', 'psa', 'crf'):
            raise ValueError(f"method must be 'irn', 'psa' or 'crf', got {method!r}")
        if background not in ('constant', 'channel') or (background == 'channel' and
                                                          method == 'psa'):
            raise ValueError(f"background must be 'constant' or, for 'irn' / 'crf', 'channel'; "
                             f'got {background!r} with {method!r}')
        self.method = method
        self.background = background
        self.params = dict(conf_fg=conf_fg, conf_bg=conf_bg, alpha_fg=alpha_fg,
                           alpha_bg=alpha_bg)
        self.crf = DenseCRF(**(IRN_CRF if crf is None else crf))

    def forward(self, inputs: torch.Tensor, data_samples: Optional[List] = None,
                mode: str = 'predict') -> List:
        if mode != 'predict':
            raise ValueError(f'{type(self).__name__} has no parameters and only predicts; '
                             f'got mode {mode!r}')
        for img, sample in zip(inputs, data_samples):
            height, width = sample.img_shape[:2]
            rgb = img[:, :height, :width].round().clamp(0, 255).byte().permute(1, 2, 0)
            bg = None
            if self.background == 'channel':
                if 'cam_bg' not in sample:
                    raise KeyError(f'ConfidentLabeler(background=\'channel\'): no background '
                                   f'map (cam_bg) for {sample.img_path}; the CAM files must '
                                   "hold 'bg' (BgChannelPseudoLabelMetric)")
                bg = sample.cam_bg
            label = confident_labels(rgb.cpu().numpy(), sample.cams, sample.cam_labels,
                                     self.method, self.crf, bg=bg, **self.params)
            sample.pred_sem_seg = PixelData(data=torch.from_numpy(label)[None])
        return data_samples
