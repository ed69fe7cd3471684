"""Class activation map (CAM) head for weakly-supervised segmentation classifiers."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmpretrain.models.heads import MultiLabelClsHead
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample, label_to_onehot


@MODELS.register_module()
class CAMHead(MultiLabelClsHead):
    """A conv (1x1 by default) to class scores ``s`` (eq. 2) pooled by global average pooling (eq. 3, a mean),
    and the place where ISL / FSL attach to a baseline's training.

    Without ``isl`` / ``fsl`` this is the plain CAM baseline: ``loss_cls`` is the BCE of the
    pooled scores averaged over images and classes (multilabel soft margin, eq. 17).

    Every baseline trains through :meth:`loss_by_cam`: the classifier
    (:meth:`CAMClassifier.forward_train`) returns its named score maps and its own losses, and
    the head attaches HFPL to the map ``loss_map``, on its class channels (after the background
    channel if ``bg_channel``):

    * ``isl`` (a :class:`BinomialISL` config) replaces the baseline loss ``isl_replaces``, whose
      GAP-BCE is ISL's ``L_ce`` term (eq. 16), and is weighted by ``isl_weight`` times the
      loss's own ``loss_weight``.
    * ``fsl`` (a :class:`MaskedFSL` config) is added; it needs the RGB images. Its weight is its
      ``loss_weight``, the upsampling of the map its ``upsample`` and the background its
      ``background`` option.

    Both losses compute in float32 with autocast disabled, so a baseline trained under AMP
    (MCTformer) needs no casting here.

    Args:
        num_classes (int): Output channels of the conv: the classes, plus one if
            ``bg_channel``.
        in_channels (int): Channels of the last backbone feature map.
        bias (bool): Bias of the conv. CAM baselines use none. Defaults to False.
        kernel_size (int): Odd kernel size of the conv, zero-padded to keep the map size
            (MCTformer-V2's patch head: 3). Defaults to 1.
        dropout (float): Dropout2d before the conv (SEAM uses 0.5). Defaults to 0.
        bg_channel (bool): Whether channel 0 of the score map is a background channel that no
            label supervises (SEAM's). Targets, predictions, the GAP loss, ISL and FSL then use
            channels 1.. only. Defaults to False.
        loss (dict): Image-level loss on the pooled scores. Defaults to the sigmoid
            ``CrossEntropyLoss``.
        isl (dict, optional): ISL config. Defaults to None.
        fsl (dict, optional): FSL config. Defaults to None.
        loss_map (str, optional): Name of the score map, among those of the classifier's
            ``forward_train``, that ISL and FSL attach to. Defaults to None: the first.
        isl_replaces (str, optional): The baseline loss that ISL replaces (SEAM:
            ``'loss_cls1'``, branch 1's GAP-BCE). None adds ISL to the baseline's losses.
            Defaults to ``'loss_cls'``, the plain CAM's.
        isl_weight (float): Weight of ISL in the baseline's total, i.e. that of the loss it
            replaces (SEAM: 0.5, the mean of two branches); it multiplies ISL's
            ``loss_weight``, which scales it for HFPL (SIPE, MCTformer: 0.1). Defaults to 1.0.
        thr (float, optional): Score threshold of ``pred_label``. Defaults to None: 0.5 unless
            ``topk`` is set.
        topk (int, optional): Predict the ``topk`` highest scores instead. Defaults to None.
        init_cfg (dict, optional): Initialisation config. Defaults to Xavier on the conv.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 bias: bool = False,
                 kernel_size: int = 1,
                 dropout: float = 0.,
                 bg_channel: bool = False,
                 loss: dict = dict(type='CrossEntropyLoss', use_sigmoid=True),
                 isl: Optional[dict] = None,
                 fsl: Optional[dict] = None,
                 loss_map: Optional[str] = None,
                 isl_replaces: Optional[str] = 'loss_cls',
                 isl_weight: float = 1.0,
                 thr: Optional[float] = None,
                 topk: Optional[int] = None,
                 init_cfg: Optional[dict] = dict(type='Xavier', layer='Conv2d')):
        super().__init__(loss=loss, thr=thr, topk=topk, init_cfg=init_cfg)
        if num_classes <= int(bg_channel):
            raise ValueError(f'num_classes must be positive (more than 1 with a background '
                             f'channel), got {num_classes}')
        self.num_classes = num_classes
        self.bg_channel = bool(bg_channel)
        self.dropout = nn.Dropout2d(dropout) if dropout > 0 else nn.Identity()
        if not isinstance(kernel_size, int) or kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError(f'kernel_size must be a positive odd int, got {kernel_size!r}')
        self.classifier = nn.Conv2d(in_channels, num_classes, kernel_size,
                                    padding=kernel_size // 2, bias=bias)
        self.isl = MODELS.build(isl) if isl is not None else None
        self.fsl = MODELS.build(fsl) if fsl is not None else None
        self.loss_map = loss_map
        self.isl_replaces = isl_replaces
        self.isl_weight = float(isl_weight)

    @property
    def num_labels(self) -> int:
        """Classes of the image-level labels: ``num_classes`` without the background channel."""
        return self.num_classes - int(self.bg_channel)

    @property
    def needs_images(self) -> bool:
        """Whether :meth:`loss_by_cam` needs the RGB images (FSL is on)."""
        return self.fsl is not None

    def class_maps(self, cam: torch.Tensor) -> torch.Tensor:
        """The class channels (B, num_labels, h, w) of a score map: ``cam`` without its
        background channel."""
        return cam[:, int(self.bg_channel):]

    def forward_cam(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        """Class score map ``s`` (B, num_classes, h, w) of the last feature map."""
        return self.classifier(self.dropout(self.pre_logits(feats)))

    def forward(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        """Image-level scores (B, num_labels): the spatial mean of the class channels of
        :meth:`forward_cam`."""
        return self.class_maps(self.forward_cam(feats)).mean(dim=(2, 3))

    def get_targets(self, data_samples: Sequence[DataSample]) -> torch.Tensor:
        """Multi-hot float targets (B, num_labels) of the samples."""
        if 'gt_score' in data_samples[0]:
            return torch.stack([s.gt_score.float() for s in data_samples])
        return torch.stack([label_to_onehot(s.gt_label, self.num_labels)
                            for s in data_samples]).float()

    def gap_loss(self, cam: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """``loss`` on the GAP of the class channels of ``cam`` (B, num_classes, H, W) against
        ``targets`` (B, num_labels), averaged over images and classes: eq. 17 with the default
        BCE. The plain CAM's ``loss_cls``; SEAM's per-branch classification loss."""
        score = self.class_maps(cam).mean(dim=(2, 3))
        return self.loss_module(score, targets, avg_factor=score.numel())

    def loss_by_cam(self,
                    cams: Union[torch.Tensor, Dict[str, torch.Tensor]],
                    data_samples: List[DataSample],
                    losses: Dict[str, torch.Tensor],
                    images: Optional[torch.Tensor] = None) -> Dict[str, torch.Tensor]:
        """A baseline's losses with ISL / FSL attached; :meth:`CAMClassifier.loss` calls it for
        every baseline, :meth:`loss` for the plain CAM.

        Args:
            cams (Tensor | dict[str, Tensor]): The score maps (B, num_classes, h, w) the
                baseline trains on, by name (a tensor is the only map); ISL and FSL use the
                class channels of ``cams[loss_map]``.
            data_samples (list[DataSample]): The batch's samples (image-level labels).
            losses (dict[str, Tensor]): The baseline's own losses, ``isl_replaces`` among them
                when ISL replaces it.
            images (Tensor, optional): RGB images in [0, 1] (B, 3, H, W); required with FSL.
                Defaults to None.

        Returns:
            dict[str, Tensor]: ``losses`` in their order, ``isl_replaces`` replaced by ISL
            (``isl.loss_name``) or ISL appended, then FSL (``fsl.loss_name``) appended.
        """
        if self.isl is None and self.fsl is None:
            return dict(losses)
        cam = self.class_maps(self._select_map(cams))
        targets = self.get_targets(data_samples).to(cam.device)
        losses = dict(losses)
        if self.isl is not None:
            loss_isl = self.isl_weight * self.isl(cam, targets)
            if self.isl_replaces is None:
                losses[self.isl.loss_name] = loss_isl
            elif self.isl_replaces not in losses:
                raise ValueError(f'CAMHead: isl_replaces={self.isl_replaces!r} is not a loss of '
                                 f'the baseline ({sorted(losses)}); set isl_replaces to one of '
                                 'them, or None to add ISL')
            else:  # in place, so the logged losses keep their order
                losses = {(self.isl.loss_name if k == self.isl_replaces else k):
                          (loss_isl if k == self.isl_replaces else v)
                          for k, v in losses.items()}
        if self.fsl is not None:
            if images is None:
                raise ValueError('CAMHead: FSL is configured but no images were given; use '
                                 'CAMClassifier (type="CAMClassifier") as the model')
            losses[self.fsl.loss_name] = self.fsl(cam, images, targets)
        return losses

    def _select_map(self, cams: Union[torch.Tensor, Dict[str, torch.Tensor]]) -> torch.Tensor:
        """``cams[loss_map]`` (the first map if ``loss_map`` is None; a tensor is the map)."""
        if isinstance(cams, torch.Tensor):
            return cams
        if self.loss_map is None:
            return next(iter(cams.values()))
        if self.loss_map not in cams:
            raise ValueError(f'CAMHead: loss_map={self.loss_map!r} is not a score map of the '
                             f'baseline ({list(cams)})')
        return cams[self.loss_map]

    def loss(self, feats: Tuple[torch.Tensor], data_samples: List[DataSample],
             images: Optional[torch.Tensor] = None) -> dict:
        """The plain CAM's losses: ``loss_cls`` (:meth:`gap_loss`) or ISL in its place, and
        FSL when configured."""
        cam = self.forward_cam(feats)
        targets = self.get_targets(data_samples).to(cam.device)
        return self.loss_by_cam(cam, data_samples, dict(loss_cls=self.gap_loss(cam, targets)),
                                images)

    def predict_by_cam(self,
                       cam: torch.Tensor,
                       data_samples: Optional[List[DataSample]] = None,
                       out_cam: Optional[torch.Tensor] = None) -> List[DataSample]:
        """Multi-label predictions from a score map.

        Args:
            cam (Tensor): Score map (B, num_classes, h, w); ``pred_score`` / ``pred_label`` as
                mmpretrain's multi-label head from the GAP of its class channels.
            data_samples (list[DataSample], optional): Samples to fill. Defaults to None: new.
            out_cam (Tensor, optional): The map each sample keeps as its ``cam`` (class
                channels, detached), same layout as ``cam`` (SEAM: the PCM output). Defaults
                to None: ``cam``.

        Returns:
            list[DataSample]: The samples with ``pred_score``, ``pred_label`` and ``cam``.
        """
        samples = self._get_predictions(self.class_maps(cam).mean(dim=(2, 3)), data_samples)
        out_cam = self.class_maps(cam if out_cam is None else out_cam)
        for sample, cam_i in zip(samples, out_cam):
            sample.set_field(cam_i.detach(), 'cam', field_type='data')
        return samples

    def predict(self, feats: Tuple[torch.Tensor],
                data_samples: Optional[List[DataSample]] = None) -> List[DataSample]:
        """Scores and labels as mmpretrain's multi-label head, plus the raw score map ``cam``."""
        return self.predict_by_cam(self.forward_cam(feats), data_samples)
