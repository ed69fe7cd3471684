"""Spatial-BCE (Wu et al., ECCV 2022): spatial BCE with learned thresholds and a foreground
prior, trained in phases whose foreground ratios come from the previous phase's CRF labels.

Paper: T. Wu et al., *Adaptive Spatial-BCE Loss for Weakly Supervised Semantic Segmentation*,
ECCV 2022. Reference semantics: https://github.com/allenwu97/Spatial-BCE (``train.py``,
``loss_functions.py``, ``make_cam.py``) and, with ISL / FSL, https://github.com/arvijj/hfpl.
"""
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine.logging import MessageHub
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from .cam_classifier import CAMClassifier

__all__ = ['SpatialBCE']

_CAM_MODES = ('optimal', 'adaptive')


@MODELS.register_module()
class SpatialBCE(CAMClassifier):
    """Spatial-BCE on the :class:`CAMClassifier` template, optionally with ISL / FSL.

    The head is a :class:`~hfpl_mm.models.heads.SpatialBCEHead`. :meth:`forward_train`
    returns the map ``cam`` = ``s`` (temperature-scaled logits) and

    * ``loss_sbce``: :class:`~hfpl_mm.models.losses.SpatialBCELoss` of ``s``, the threshold
      map, the labels, the images' foreground ratios ``rho`` (each sample's ``fg_ratio``, from
      :class:`~hfpl_mm.datasets.transforms.LoadForegroundRatios`) and the training iteration
      (mmengine's message hub: 80 of every 100 iterations of a run train the scores);
    * ``loss_prior``: :class:`~hfpl_mm.models.losses.ForegroundPriorLoss` (KL prior).

    With ``spatial_loss=None`` and ``prior_loss=None`` the same network trains with the head's
    GAP-BCE (``loss_cls``) and needs no ``rho``: the initial phase that gives the first ``rho``
    and weights (the public release ships them without saying how they were made).

    HFPL attaches through the head: ISL on ``s`` (47x47 on VOC), added (the head's
    ``isl_replaces=None``); FSL on ``s``. See ``configs/spatial_bce/README.md`` for the mixed
    variant (eq. 16 with the spatial BCE as ``L_ce``).

    Inference (:meth:`test_step` with ``cam_cfg``; :meth:`predict` for validation, one pass):
    the mean over ``cam_cfg`` scales and flips of the temperature-free maps at the input size,
    sigmoid, times the labels, only each pixel's winning class kept, divided by the class
    maximum (``make_cam.py``). ``cam_mode='adaptive'`` then subtracts the learned threshold,
    mapped back through the temperature (``t' = sigmoid(logit(t) / e^theta)``, ``t`` the
    sigmoid of the threshold map's mean), keeping ``cam - t'`` where positive: its labels are
    those of a background score 0 (the public code's ``-1`` elsewhere). ``'optimal'`` uses a
    constant background score instead (swept 0.20-0.38 in the public code): ``cam_bg`` is
    subtracted the same way, so that both modes' CAMs have their background at 0 (the CRF
    labels between phases then need no threshold); ``cam_bg=0`` leaves the CAMs as they are
    and the background score to the writer.

    Args:
        spatial_loss (dict, optional): Spatial BCE config. Defaults to ``SpatialBCELoss``.
        prior_loss (dict, optional): KL prior config. Defaults to ``ForegroundPriorLoss``.
        cam_mode (str): 'optimal' or 'adaptive'. Defaults to 'optimal'.
        cam_bg (float): Constant background score of the 'optimal' mode, subtracted from the
            CAMs. Defaults to 0 (none).
        **kwargs: :class:`CAMClassifier` arguments (``backbone``, ``head``, ``cam_cfg``...).
    """

    def __init__(self, *args, spatial_loss: Optional[dict] = dict(type='SpatialBCELoss'),
                 prior_loss: Optional[dict] = dict(type='ForegroundPriorLoss'),
                 cam_mode: str = 'optimal', cam_bg: float = 0., **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not hasattr(self.head, 'forward_threshold'):
            raise ValueError(f'SpatialBCE: the head must be a SpatialBCEHead, got '
                             f'{type(self.head).__name__}')
        if cam_mode not in _CAM_MODES:
            raise ValueError(f'SpatialBCE: cam_mode must be one of {_CAM_MODES}, got {cam_mode!r}')
        self.spatial_loss = MODELS.build(spatial_loss) if spatial_loss is not None else None
        self.prior_loss = MODELS.build(prior_loss) if prior_loss is not None else None
        if not 0 <= cam_bg < 1:
            raise ValueError(f'SpatialBCE: cam_bg must be in [0, 1), got {cam_bg}')
        self.cam_mode = cam_mode
        self.cam_bg = float(cam_bg)

    @staticmethod
    def current_iteration() -> int:
        """The training iteration of the running Runner (0 outside one)."""
        return int(MessageHub.get_current_instance().get_info('iter', 0) or 0)

    def fg_ratios(self, data_samples: List[DataSample], device) -> torch.Tensor:
        """Foreground ratios (B, num_classes) of the samples."""
        if any('fg_ratio' not in s for s in data_samples):
            raise ValueError('SpatialBCE: a training sample has no fg_ratio; add '
                             'LoadForegroundRatios (label_dir = the previous phase\'s CRF '
                             'labels) and PackInputs(algorithm_keys=("fg_ratio", )) to the '
                             'train pipeline, or train the initial phase with '
                             'spatial_loss=None, prior_loss=None')
        return torch.stack([torch.as_tensor(s.fg_ratio, dtype=torch.float32)
                            for s in data_samples]).to(device)

    def forward_train(self, inputs: torch.Tensor, data_samples: List[DataSample]
                      ) -> Tuple[Dict[str, torch.Tensor], Dict[str, torch.Tensor]]:
        """``cam`` = ``s`` and Spatial-BCE's losses (or the GAP-BCE of the initial phase)."""
        feats = self.extract_feat(inputs)
        cam = self.head.forward_cam(feats)
        y = self.head.get_targets(data_samples).to(cam.device)
        losses = {}
        if self.spatial_loss is None and self.prior_loss is None:
            losses['loss_cls'] = self.head.gap_loss(cam, y)
            return dict(cam=cam), losses
        rho = self.fg_ratios(data_samples, cam.device)
        if rho.shape != y.shape:
            raise ValueError(f'SpatialBCE: fg_ratio has {rho.shape[1]} classes, the labels '
                             f'{y.shape[1]}; set LoadForegroundRatios.num_classes')
        if self.spatial_loss is not None:
            losses[self.spatial_loss.loss_name] = self.spatial_loss(
                cam, self.head.forward_threshold(feats), y, rho, self.current_iteration())
        if self.prior_loss is not None:
            losses[self.prior_loss.loss_name] = self.prior_loss(cam, y, rho)
        return dict(cam=cam), losses

    def score_maps(self, inputs: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Mean over ``cam_cfg`` scales / flips of the temperature-free maps at the input size
        (B, C, H, W), and of the threshold maps' spatial means (B, C)."""
        size = inputs.shape[-2:]
        flip = self.cam_cfg.get('flip', False)
        maps, thresholds = [], []
        for scale in self.cam_cfg.get('scales', (1.0, )):
            x = inputs if scale == 1 else F.interpolate(
                inputs, scale_factor=scale, mode='bilinear', align_corners=False)
            if flip:
                x = torch.cat([x, x.flip(-1)])
            feats = self.extract_feat(x)
            score = F.interpolate(self.head.score_map(feats), size=size, mode='bilinear',
                                  align_corners=False)
            thr = self.head.forward_threshold(feats).mean(dim=(2, 3))
            if flip:
                num = len(inputs)
                maps += [score[:num], score[num:].flip(-1)]
                thresholds += [thr[:num], thr[num:]]
            else:
                maps.append(score)
                thresholds.append(thr)
        return torch.stack(maps).mean(0), torch.stack(thresholds).mean(0)

    def spatial_bce_cams(self, score: torch.Tensor, threshold: torch.Tensor,
                         targets: torch.Tensor) -> torch.Tensor:
        """CAMs (B, C, H, W) in [0, 1] from the mean temperature-free maps ``score``, the mean
        threshold logits ``threshold`` (B, C) and the multi-hot ``targets`` (B, C)."""
        cam = score.float().sigmoid() * targets[..., None, None]
        cam = torch.where(cam >= cam.amax(dim=1, keepdim=True), cam, torch.zeros_like(cam))
        cam = cam / (cam.amax(dim=(2, 3), keepdim=True) + 1e-8)
        if self.cam_mode == 'adaptive':
            t = threshold.float().sigmoid().clamp(1e-6, 1 - 1e-6)
            t = (torch.logit(t) / self.head.temperature.detach().exp()).sigmoid()
            cam = F.relu(cam - t[..., None, None]) * targets[..., None, None]
        elif self.cam_bg > 0:
            cam = F.relu(cam - self.cam_bg)
        return cam

    def _targets(self, data_samples: Optional[List[DataSample]], inputs: torch.Tensor):
        if not data_samples or any('gt_label' not in s and 'gt_score' not in s
                                   for s in data_samples):
            raise ValueError('SpatialBCE: CAM inference needs the image labels (gt_label) of '
                             'every sample')
        return self.head.get_targets(data_samples).to(inputs.device)

    def test_step(self, data) -> List[DataSample]:
        """Predictions whose ``cam`` is the multi-scale Spatial-BCE CAM (with ``cam_cfg``)."""
        data = self.data_preprocessor(data, False)
        inputs, samples = data['inputs'], data.get('data_samples')
        if not self.cam_cfg:
            return self.predict(inputs, samples)
        samples = self.head.predict_by_cam(self.head.forward_cam(self.extract_feat(inputs)),
                                           samples)
        cams = self.spatial_bce_cams(*self.score_maps(inputs), self._targets(samples, inputs))
        for sample, cam in zip(samples, cams):
            sample.set_field(cam, 'cam', field_type='data')
        return samples

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None) -> List[DataSample]:
        """Scores and labels of the head, and ``cam`` the one-pass Spatial-BCE CAM at feature
        resolution (the image labels are needed)."""
        feats = self.extract_feat(inputs)
        cam = self.head.forward_cam(feats)
        targets = self._targets(data_samples, inputs)
        out = self.spatial_bce_cams(self.head.score_map(feats),
                                    self.head.forward_threshold(feats).mean(dim=(2, 3)), targets)
        return self.head.predict_by_cam(cam, data_samples, out_cam=out)
