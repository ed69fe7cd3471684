"""Dense CRF (pydensecrf2) on CAM scores and on label maps.

Two unaries occur in the baselines (``crf_inference`` of jiwoon-ahn/psa and YudeWang/SEAM,
``crf_inference_label`` of jiwoon-ahn/irn, both in their ``imutils.py``):

* probability unary, "CRF-prob(alpha)" (psa / SEAM / MCTformer): scores
  ``[(1 - max_c cam_c)^alpha, cam_1, ..., cam_n]`` through ``unary_from_softmax``;
  a low alpha gives a large background score only where every CAM is near zero (confident
  foreground), a high alpha only where they are all near zero (confident background);
* label unary (IRN / SIPE / Spatial-BCE): a hard label map, each pixel's label given probability
  ``gt_prob`` and the others sharing the rest (``unary_from_labels``).

Both add a Gaussian (position) and a bilateral (position + colour) kernel; the defaults of
:class:`DenseCRF` are IRN's, :data:`SEAM_CRF` holds psa / SEAM's bilateral kernel.
"""
from typing import Dict, Optional, Sequence

import numpy as np

__all__ = ['DenseCRF', 'IRN_CRF', 'SEAM_CRF', 'crf_prob_scores']

#: IRN's ``crf_inference_label``: 10 iterations, Gaussian 3/3, bilateral 50/5/10, gt_prob 0.7.
IRN_CRF: Dict = dict(iters=10, gaussian=(3, 3), bilateral=(50, 5, 10), gt_prob=0.7)
#: psa / SEAM ``crf_inference``: 10 iterations, Gaussian 3/3, bilateral 80/13/10.
SEAM_CRF: Dict = dict(iters=10, gaussian=(3, 3), bilateral=(80, 13, 10))


def crf_prob_scores(cams: np.ndarray, alpha: float) -> np.ndarray:
    """psa's CRF-prob input ``[(1 - max_c cam_c)^alpha, cams]`` of (n, H, W) CAMs in [0, 1]."""
    cams = np.asarray(cams, dtype=np.float32)
    top = cams.max(axis=0) if len(cams) else np.zeros(cams.shape[1:], np.float32)
    return np.concatenate([np.power(1 - top, alpha)[None], cams])


class DenseCRF:
    """Fully connected CRF of Krähenbühl & Koltun on an RGB image.

    Args:
        iters (int): Mean-field iterations. Defaults to 10.
        gaussian (Sequence[float]): Gaussian kernel ``(sxy, compat)``. Defaults to (3, 3).
        bilateral (Sequence[float]): Bilateral kernel ``(sxy, srgb, compat)``.
            Defaults to (50, 5, 10) (IRN); psa / SEAM use (80, 13, 10).
        gt_prob (float): Label-unary confidence of :meth:`from_labels`. Defaults to 0.7.
        scale_factor (float): Divides the kernels' ``sxy`` (psa's option for downscaled
            images). Defaults to 1.

    Example:
        >>> crf = DenseCRF(**SEAM_CRF)
        >>> probs = crf.from_probs(img, crf_prob_scores(cams, alpha=4))   # (1 + n, H, W)
        >>> label = DenseCRF().from_labels(img, label, n_labels=3)       # (H, W)
    """

    def __init__(self, iters: int = 10, gaussian: Sequence[float] = (3, 3),
                 bilateral: Sequence[float] = (50, 5, 10), gt_prob: float = 0.7,
                 scale_factor: float = 1.) -> None:
        if len(gaussian) != 2 or len(bilateral) != 3:
            raise ValueError('gaussian is (sxy, compat) and bilateral (sxy, srgb, compat), got '
                             f'{gaussian} and {bilateral}')
        if not 0 < gt_prob < 1:
            raise ValueError(f'gt_prob must lie in (0, 1), got {gt_prob}')
        self.iters = int(iters)
        self.gaussian = tuple(float(v) for v in gaussian)
        self.bilateral = tuple(float(v) for v in bilateral)
        self.gt_prob = float(gt_prob)
        self.scale_factor = float(scale_factor)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(iters={self.iters}, gaussian={self.gaussian}, '
                f'bilateral={self.bilateral}, gt_prob={self.gt_prob})')

    def _infer(self, img: np.ndarray, unary: np.ndarray) -> np.ndarray:
        import pydensecrf.densecrf as dcrf
        img = np.ascontiguousarray(img, dtype=np.uint8)
        if img.ndim != 3 or img.shape[2] != 3:
            raise ValueError(f'the CRF needs an (H, W, 3) RGB image, got shape {img.shape}')
        height, width = img.shape[:2]
        n_labels = unary.shape[0]
        model = dcrf.DenseCRF2D(width, height, n_labels)
        model.setUnaryEnergy(np.ascontiguousarray(unary, dtype=np.float32))
        sxy, compat = self.gaussian
        model.addPairwiseGaussian(sxy=sxy / self.scale_factor, compat=compat)
        sxy, srgb, compat = self.bilateral
        model.addPairwiseBilateral(sxy=sxy / self.scale_factor, srgb=srgb, rgbim=img,
                                   compat=compat)
        return np.asarray(model.inference(self.iters), np.float32).reshape(
            n_labels, height, width)

    def from_probs(self, img: np.ndarray, probs: np.ndarray) -> np.ndarray:
        """Posterior (K, H, W) of scores ``probs`` (K, H, W) used as a softmax unary."""
        from pydensecrf.utils import unary_from_softmax
        return self._infer(img, unary_from_softmax(np.asarray(probs, np.float32)))

    def from_labels(self, img: np.ndarray, labels: np.ndarray,
                    n_labels: Optional[int] = None) -> np.ndarray:
        """CRF-smoothed label map (H, W) of a label map with values ``0 .. n_labels - 1``."""
        from pydensecrf.utils import unary_from_labels
        labels = np.asarray(labels)
        n_labels = int(labels.max()) + 1 if n_labels is None else int(n_labels)
        if n_labels < 2:  # a single label: nothing to decide (and the unary needs two)
            return np.zeros(labels.shape, np.int64)
        unary = unary_from_labels(labels, n_labels, gt_prob=self.gt_prob, zero_unsure=False)
        return self._infer(img, unary).argmax(axis=0)
