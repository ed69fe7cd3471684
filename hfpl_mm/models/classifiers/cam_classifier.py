"""Image classifier whose training is a template for every CAM baseline: the baseline's score
maps and own losses (:meth:`CAMClassifier.forward_train`), ISL / FSL attached by the head."""
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn.functional as F
from mmpretrain.models.classifiers import ImageClassifier
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample


@MODELS.register_module()
class CAMClassifier(ImageClassifier):
    """:class:`ImageClassifier` whose :meth:`loss` is the training template of CAM baselines.

    A baseline overrides :meth:`forward_train` only: it returns the score maps it trains on, by
    name, and its own losses. :meth:`loss` hands both to the head's ``loss_by_cam``
    (:class:`CAMHead`), which attaches ISL / FSL to the map its config names, with the RGB
    images in [0, 1] (B, 3, H, W) when the head needs them (``head.needs_images``, FSL). The
    images are recovered from the normalised inputs with the data preprocessor's own mean, std
    and channel order, so no config states them twice. This class is itself the plain CAM
    baseline: one map, ``cam``, and the GAP loss ``loss_cls``.

    Args:
        cam_cfg (dict, optional): CAM inference of :meth:`test_step` (pseudo-labels).
            ``scales`` (input rescaling factors) and ``flip``: each pass's ``ReLU(s)``
            (mirrored passes flipped back) is resized to the input size and summed, as IRN /
            SEAM infer CAMs. Validation (:meth:`val_step`) always uses one pass and the ``cam``
            at feature resolution. Defaults to None: one pass in testing too.
        **kwargs: :class:`ImageClassifier` arguments.
    """

    def __init__(self, *args, cam_cfg: Optional[dict] = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cam_cfg = dict(cam_cfg or {})
        unknown = set(self.cam_cfg) - {'scales', 'flip'}
        if unknown:
            raise ValueError(f'cam_cfg: unknown keys {sorted(unknown)}; use scales, flip')

    def images_01(self, inputs: torch.Tensor) -> torch.Tensor:
        """Undo the data preprocessor: normalised inputs -> RGB images in [0, 1]."""
        pre = self.data_preprocessor
        images = inputs
        if getattr(pre, '_enable_normalize', False):
            images = images * pre.std + pre.mean
        if not getattr(pre, 'to_rgb', False):
            images = images.flip(1)  # mmcv loads BGR and the preprocessor kept it
        return images / 255.

    def test_step(self, data) -> List[DataSample]:
        """Predictions whose ``cam`` is the multi-scale CAM of ``cam_cfg`` (if set)."""
        data = self.data_preprocessor(data, False)
        samples = self.predict(data['inputs'], data.get('data_samples'))
        if self.cam_cfg:
            for sample, cam in zip(samples, self.multi_scale_cam(data['inputs'])):
                sample.set_field(cam, 'cam', field_type='data')
        return samples

    def multi_scale_cam(self, inputs: torch.Tensor) -> torch.Tensor:
        """Sum over ``cam_cfg`` scales (and flips) of :meth:`single_scale_cam` at the input
        size (B, C, H, W)."""
        size = inputs.shape[-2:]
        flip = self.cam_cfg.get('flip', False)
        total = 0.
        for scale in self.cam_cfg.get('scales', (1.0, )):
            x = inputs if scale == 1 else F.interpolate(
                inputs, scale_factor=scale, mode='bilinear', align_corners=False)
            if flip:
                x = torch.cat([x, x.flip(-1)])
            cam = self.single_scale_cam(x)
            if flip:
                cam = cam[:len(inputs)] + cam[len(inputs):].flip(-1)
            total = total + F.interpolate(cam, size=size, mode='bilinear', align_corners=False)
        return total

    def single_scale_cam(self, inputs: torch.Tensor) -> torch.Tensor:
        """Non-negative CAM of one pass (B, C, h, w): ``ReLU(s)``. Baselines that read their
        CAMs elsewhere (SEAM: the PCM output) override this."""
        return F.relu(self.head.class_maps(self.head.forward_cam(self.extract_feat(inputs))))

    def forward_train(self, inputs: torch.Tensor, data_samples: List[DataSample]
                      ) -> Tuple[Dict[str, torch.Tensor], Dict[str, torch.Tensor]]:
        """The score maps (B, num_classes, h, w) the baseline trains on, by name, and its own
        losses. The plain CAM: ``cam`` = ``s`` and ``loss_cls``, the BCE of its GAP (eq. 17)."""
        cam = self.head.forward_cam(self.extract_feat(inputs))
        targets = self.head.get_targets(data_samples).to(cam.device)
        return dict(cam=cam), dict(loss_cls=self.head.gap_loss(cam, targets))

    def loss(self, inputs: torch.Tensor, data_samples: List[DataSample]) -> dict:
        """The losses of a batch: :meth:`forward_train`'s, with the head's ISL / FSL attached
        (``head.loss_by_cam``)."""
        cams, losses = self.forward_train(inputs, data_samples)
        images = self.images_01(inputs) if self.head.needs_images else None
        return self.head.loss_by_cam(cams, data_samples, losses, images)
