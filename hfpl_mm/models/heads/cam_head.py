"""Class activation map (CAM) head for weakly-supervised segmentation classifiers."""
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmpretrain.models.heads import MultiLabelClsHead
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample, label_to_onehot


@MODELS.register_module()
class CAMHead(MultiLabelClsHead):
    """A 1x1 conv to class scores ``s`` (eq. 2) pooled by global average pooling (eq. 3, a mean).

    Without ``isl`` / ``fsl`` this is the plain CAM baseline: ``loss_cls`` is the BCE of the
    pooled scores averaged over images and classes (multilabel soft margin, eq. 17). With
    ``isl`` (a :class:`BinomialISL` config) the classification loss is replaced by ISL, which
    mixes the same GAP term with importance sampling (eq. 16); ``fsl`` (a :class:`MaskedFSL`
    config) adds the feature similarity loss, which needs the RGB images (the classifier hands
    them over, see :class:`CAMClassifier`).

    Args:
        num_classes (int): Foreground classes (no background channel).
        in_channels (int): Channels of the last backbone feature map.
        bias (bool): Bias of the 1x1 conv. CAM baselines use none. Defaults to False.
        dropout (float): Dropout2d before the conv (SEAM uses 0.5). Defaults to 0.
        loss (dict): Image-level loss on the pooled scores.
        isl (dict, optional): ISL config; replaces ``loss`` when given.
        fsl (dict, optional): FSL config, added to the classification loss.
        thr (float, optional): Score threshold of ``pred_label``. Defaults to 0.5.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 bias: bool = False,
                 dropout: float = 0.,
                 loss: dict = dict(type='CrossEntropyLoss', use_sigmoid=True),
                 isl: Optional[dict] = None,
                 fsl: Optional[dict] = None,
                 thr: Optional[float] = None,
                 topk: Optional[int] = None,
                 init_cfg: Optional[dict] = dict(type='Xavier', layer='Conv2d')):
        super().__init__(loss=loss, thr=thr, topk=topk, init_cfg=init_cfg)
        if num_classes <= 0:
            raise ValueError(f'num_classes must be positive, got {num_classes}')
        self.num_classes = num_classes
        self.dropout = nn.Dropout2d(dropout) if dropout > 0 else nn.Identity()
        self.classifier = nn.Conv2d(in_channels, num_classes, 1, bias=bias)
        self.isl = MODELS.build(isl) if isl is not None else None
        self.fsl = MODELS.build(fsl) if fsl is not None else None

    @property
    def needs_images(self) -> bool:
        """Whether :meth:`loss` needs the RGB images (FSL is on)."""
        return self.fsl is not None

    def forward_cam(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        """Class score map ``s`` (B, C, h, w) of the last feature map."""
        return self.classifier(self.dropout(self.pre_logits(feats)))

    def forward(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        """Image-level scores (B, C): the spatial mean of :meth:`forward_cam`."""
        return self.forward_cam(feats).mean(dim=(2, 3))

    def get_targets(self, data_samples: Sequence[DataSample]) -> torch.Tensor:
        """Multi-hot float targets (B, C) of the samples."""
        if 'gt_score' in data_samples[0]:
            return torch.stack([s.gt_score.float() for s in data_samples])
        return torch.stack([label_to_onehot(s.gt_label, self.num_classes)
                            for s in data_samples]).float()

    def loss_by_cam(self, cam: torch.Tensor, targets: torch.Tensor,
                    images: Optional[torch.Tensor] = None) -> dict:
        """Losses of a score map; SEAM-like models call it once per branch."""
        losses = dict()
        if self.isl is None:
            score = cam.mean(dim=(2, 3))
            # avg_factor = B * C: the mean over images and classes, as eq. 17
            losses['loss_cls'] = self.loss_module(score, targets, avg_factor=score.numel())
        else:
            losses[self.isl.loss_name] = self.isl(cam, targets)
        if self.fsl is not None:
            if images is None:
                raise ValueError('CAMHead: FSL is configured but no images were given; use '
                                 'CAMClassifier (type="CAMClassifier") as the model')
            losses[self.fsl.loss_name] = self.fsl(cam, images, targets)
        return losses

    def loss(self, feats: Tuple[torch.Tensor], data_samples: List[DataSample],
             images: Optional[torch.Tensor] = None) -> dict:
        """Classification loss (``loss_cls`` or ``loss_isl``) and optional ``loss_fsl``."""
        return self.loss_by_cam(self.forward_cam(feats), self.get_targets(data_samples), images)

    def predict(self, feats: Tuple[torch.Tensor],
                data_samples: Optional[List[DataSample]] = None) -> List[DataSample]:
        """Scores and labels as mmpretrain's multi-label head, plus the raw score map ``cam``."""
        cam = self.forward_cam(feats)
        samples = self._get_predictions(cam.mean(dim=(2, 3)), data_samples)
        for sample, cam_i in zip(samples, cam):
            sample.set_field(cam_i.detach(), 'cam', field_type='data')
        return samples
