"""SIPE: self-supervised image-specific prototype exploration (Chen et al., CVPR 2022).

Paper: `Self-supervised Image-specific Prototype Exploration for Weakly Supervised Semantic
Segmentation <https://arxiv.org/abs/2203.02909>`_. Reference semantics: the public code,
https://github.com/chenqi1126/SIPE (``network/resnet50_SIPE.py``, ``train_resnet50_SIPE.py``,
``make_cam.py``).
"""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from .cam_classifier import CAMClassifier

__all__ = ['SIPE', 'sipe_seeds', 'sipe_prototypes', 'sipe_is_cam', 'sipe_norm_cam']


def _l2_normalise(x: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    return x / (x.norm(dim=1, keepdim=True) + eps)


def sipe_norm_cam(cam: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    """SIPE's general CAM (B, 1 + C, h, w): ``MN(s) = ReLU(s) / (max ReLU(s) + eps)`` per image
    and class, with a background channel ``1 - max_c MN(s)_c`` prepended."""
    norm = F.relu(cam)
    norm = norm / (norm.amax(dim=(2, 3), keepdim=True) + eps)
    return torch.cat([1 - norm.amax(dim=1, keepdim=True), norm], dim=1)


@torch.no_grad()
def sipe_seeds(norm_cam: torch.Tensor, feature: torch.Tensor, valid: torch.Tensor,
               bg_factor: float = 0.5, eps: float = 1e-5) -> torch.Tensor:
    """One-hot seeds (B, K, h, w) of SIPE's ``get_seed``.

    With the cosine affinity ``C = ReLU(f^T f)`` of the per-pixel L2-normalised ``feature``
    (B, D, h, w), each channel ``r_k`` of ``norm_cam`` (B, K, h, w) scores pixel ``i`` by the
    IoU-like ``inter / union``, ``inter_i = sum_j C_ij r_kj``,
    ``union_i = sum_j C_ij + sum_j r_kj - inter_i``; channel 0 (background) is scaled by
    ``bg_factor``; each pixel is seeded with its argmax channel and the seeds are multiplied
    by ``valid`` (B, K, h, w) or (B, K, 1, 1). No gradient (the public code's seeds come from
    an argmax).
    """
    B, K, h, w = norm_cam.shape
    f = feature.flatten(2)
    f = f / (f.norm(dim=1, keepdim=True) + eps)
    corr = F.relu(torch.bmm(f.transpose(1, 2), f))  # (B, hw, hw), symmetric
    r = norm_cam.flatten(2)
    inter = torch.bmm(r, corr)  # sum_j r_kj C_ji = sum_j C_ij r_kj
    union = corr.sum(dim=2)[:, None] + r.sum(dim=2, keepdim=True) - inter
    score = (inter / union).view(B, K, h, w)
    score[:, 0] = score[:, 0] * bg_factor
    seeds = F.one_hot(score.argmax(dim=1), K).permute(0, 3, 1, 2).to(norm_cam.dtype)
    return seeds * valid


def sipe_prototypes(seeds: torch.Tensor, feature: torch.Tensor) -> torch.Tensor:
    """Prototypes (B, K, D) of SIPE's ``get_prototype``: the mean over *all* pixels of the
    seed-masked ``feature`` (B, D, h, w) (seeds resized to its grid by nearest neighbour)."""
    seeds = F.interpolate(seeds, feature.shape[-2:], mode='nearest')
    return torch.einsum('bkhw,bdhw->bkd', seeds, feature) / feature[0, 0].numel()


def sipe_is_cam(prototypes: torch.Tensor, feature: torch.Tensor) -> torch.Tensor:
    """Image-specific CAM (B, K, h, w) of SIPE's ``reactivate``: ``ReLU(cos(feature, proto_k))``
    (``torch.cosine_similarity``, so an all-zero prototype gives 0)."""
    return F.relu(torch.cosine_similarity(feature[:, None], prototypes[..., None, None], dim=2))


@MODELS.register_module()
class SIPE(CAMClassifier):
    """SIPE on the :class:`CAMClassifier` template, optionally with ISL / FSL.

    A backbone returning four levels (SIPE: ResNet-50 with strides (2, 2, 2, 1), output stride
    16; the stem frozen and layer2's output detached, i.e. ``frozen_stages=2`` with
    ``norm_eval=True``: stem, layer1 and layer2 get no gradient) and a :class:`CAMHead` (1x1
    conv 2048 -> C without bias) on the last level. Side 1x1 convs without bias on the
    *detached* levels (SIPE: 256 / 512 / 1024 / 2048 -> 128 / 128 / 256 / 256), each
    L2-normalised per pixel and bilinearly resized to the grid of level 3, concatenated: the
    hierarchical feature ``h``. With ``ȳ = [1, y]``:

    * general CAM ``r = bg1(MN(s)) ȳ`` (:func:`sipe_norm_cam`, on the grid of ``h``);
    * seeds from the affinity of the last backbone level (:func:`sipe_seeds`), prototypes of
      ``h`` (:func:`sipe_prototypes`) and the image-specific CAM ``z`` (IS-CAM,
      :func:`sipe_is_cam`), 1 + C channels, channel 0 background;
    * ``loss_cls``: BCE of ``GAP(s)`` (SIPE's ``multilabel_soft_margin_loss``, the head's
      ``gap_loss``); ``loss_gsc``: ``mean |r - z / (max z + 1e-5)|`` over all channels and
      pixels (general-specific consistency). Gradient reaches the backbone and the head
      through ``r``, the side convs through ``z``.

    :meth:`forward_train` returns the map ``cam`` = ``s`` (B, C, h, w), where the HFPL head
    fields attach ISL / FSL (``loss_map='cam'``, ``isl_replaces='loss_cls'``).

    Deviation: SIPE multiplies the background channel of ``r`` by the crop's valid mask (zero
    on the padding of crops larger than the image); mmpretrain's ``RandomCrop`` does not record
    the padding, so ``r``'s background is kept everywhere.

    Inference (:meth:`test_step`, SIPE's ``CAM`` class and ``make_cam.py``): per scale of
    ``cam_cfg`` the image and its mirror pass together and their ``s`` and ``h`` are summed
    (mirror flipped back) *before* the seeds, which at inference come from the affinity of
    ``h``; the IS-CAMs of the scales are resized to the input and summed. Each sample keeps
    ``cam`` (C, H, W), the IS-CAM's class channels, and ``cam_bg`` (H, W), its background;
    the pseudo-label is the argmax over the max-normalised background and present classes
    (:class:`~hfpl_mm.evaluation.BgChannelPseudoLabelMetric`). :meth:`predict` (validation)
    does the same at one scale without the mirror and at feature resolution.

    Args:
        backbone (dict): Backbone config returning four levels (``out_indices=(0, 1, 2, 3)``).
        head (dict): :class:`CAMHead` config (``num_classes`` = classes, no background channel).
        side_channels (Sequence[int]): Output channels of the four side convs.
            Defaults to (128, 128, 256, 256).
        in_channels (Sequence[int]): Channels of the four backbone levels.
            Defaults to (256, 512, 1024, 2048).
        bg_factor (float): Factor of the background channel's seed score. Defaults to 0.5.
        **kwargs: :class:`CAMClassifier` arguments (``data_preprocessor``, ``cam_cfg``...).
    """

    def __init__(self,
                 backbone: dict,
                 head: dict,
                 side_channels: Sequence[int] = (128, 128, 256, 256),
                 in_channels: Sequence[int] = (256, 512, 1024, 2048),
                 bg_factor: float = 0.5,
                 **kwargs) -> None:
        super().__init__(backbone=backbone, head=head, **kwargs)
        if getattr(self.head, 'bg_channel', False):
            raise ValueError('SIPE: the head has no background channel (bg_channel=False); '
                             'the background of the IS-CAM is derived')
        if len(side_channels) != 4 or len(in_channels) != 4:
            raise ValueError(f'SIPE: four side convs (one per backbone level), got '
                             f'side_channels={side_channels}, in_channels={in_channels}')
        self.sides = nn.ModuleList(
            nn.Conv2d(c_in, c_out, 1, bias=False) for c_in, c_out in zip(in_channels,
                                                                          side_channels))
        self.bg_factor = bg_factor

    def _levels(self, inputs: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        feats = self.extract_feat(inputs)
        if len(feats) != 4:
            raise ValueError(f'SIPE: the backbone must return four levels '
                             f'(out_indices=(0, 1, 2, 3)), got {len(feats)}')
        return feats

    def hierarchical_feature(self, feats: Sequence[torch.Tensor]) -> torch.Tensor:
        """``h`` (B, sum(side_channels), h3, w3): the L2-normalised side convs of the detached
        levels, bilinearly resized to level 3 and concatenated."""
        size = feats[2].shape[-2:]
        return torch.cat([
            F.interpolate(_l2_normalise(side(feat.detach())), size, mode='bilinear',
                          align_corners=False) for side, feat in zip(self.sides, feats)
        ], dim=1)

    def is_cam(self, cam: torch.Tensor, hie: torch.Tensor, seed_feature: torch.Tensor,
               valid: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """General CAM ``r`` (masked by ``valid``) and IS-CAM ``z``, both (B, 1 + C, h, w), from
        the scores ``cam``, the hierarchical feature and the seeds' affinity feature."""
        norm_cam = F.interpolate(sipe_norm_cam(cam), hie.shape[-2:], mode='bilinear',
                                 align_corners=True)
        return norm_cam * valid, self._reactivate(norm_cam * valid, hie, seed_feature, valid)

    def _reactivate(self, seed_cam: torch.Tensor, hie: torch.Tensor, seed_feature: torch.Tensor,
                    valid: torch.Tensor) -> torch.Tensor:
        seeds = sipe_seeds(seed_cam, seed_feature, valid, self.bg_factor)
        return sipe_is_cam(sipe_prototypes(seeds, hie), hie)

    def valid_mask(self, data_samples: List[DataSample], device) -> torch.Tensor:
        """``ȳ = [1, y]`` (B, 1 + C, 1, 1) of the samples' image-level labels."""
        if not data_samples:
            raise ValueError('SIPE needs the image-level labels (data_samples with gt_label) '
                             'for its seeds, also at inference')
        y = self.head.get_targets(data_samples).to(device)
        return F.pad(y, (1, 0), value=1.)[..., None, None]

    def forward_train(self, inputs: torch.Tensor, data_samples: List[DataSample]
                      ) -> Tuple[Dict[str, torch.Tensor], Dict[str, torch.Tensor]]:
        """The scores ``cam`` and SIPE's ``loss_cls`` / ``loss_gsc``; see the class docstring."""
        feats = self._levels(inputs)
        cam = self.head.forward_cam(feats)
        valid = self.valid_mask(data_samples, cam.device)
        targets = valid[:, 1:, 0, 0]
        norm_cam, is_cam = self.is_cam(cam, self.hierarchical_feature(feats), feats[-1], valid)
        is_cam = is_cam / (is_cam.amax(dim=(2, 3), keepdim=True) + 1e-5)
        losses = dict(loss_cls=self.head.gap_loss(cam, targets),
                      loss_gsc=(norm_cam - is_cam).abs().mean())
        return dict(cam=cam), losses

    def inference_is_cam(self, inputs: torch.Tensor, valid: torch.Tensor,
                         flip: bool = False) -> Tuple[torch.Tensor, torch.Tensor]:
        """Scores ``s`` (B, C, h, w) and IS-CAM (B, 1 + C, h, w) of one pass (SIPE's
        ``CAM.forward``): with ``flip`` the image and its mirror together, ``s`` and ``h``
        summed before the seeds; seeds from the affinity of ``h`` and from the unmasked
        general CAM."""
        num = len(inputs)
        x = torch.cat([inputs, inputs.flip(-1)]) if flip else inputs
        feats = self._levels(x)
        cam = self.head.forward_cam(feats)
        hie = self.hierarchical_feature(feats)
        if flip:
            cam = cam[:num] + cam[num:].flip(-1)
            hie = hie[:num] + hie[num:].flip(-1)
        norm_cam = F.interpolate(sipe_norm_cam(cam), hie.shape[-2:], mode='bilinear',
                                 align_corners=True)
        return cam, self._reactivate(norm_cam, hie, hie, valid)

    def multi_scale_is_cam(self, inputs: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
        """Sum over ``cam_cfg`` scales of :meth:`inference_is_cam` resized to the input
        (bilinear), as ``make_cam.py`` fuses them (B, 1 + C, H, W)."""
        size = inputs.shape[-2:]
        total = 0.
        for scale in self.cam_cfg.get('scales', (1.0, )):
            x = inputs if scale == 1 else F.interpolate(
                inputs, scale_factor=scale, mode='bilinear', align_corners=False)
            z = self.inference_is_cam(x, valid, self.cam_cfg.get('flip', False))[1]
            total = total + F.interpolate(z, size=size, mode='bilinear', align_corners=False)
        return total

    @staticmethod
    def _set_cams(samples: List[DataSample], is_cam: torch.Tensor) -> None:
        for sample, z in zip(samples, is_cam):
            sample.set_field(z[1:].detach(), 'cam', field_type='data')
            sample.set_field(z[0].detach(), 'cam_bg', field_type='data')

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[List[DataSample]] = None) -> List[DataSample]:
        """Scores (GAP of ``s``) and labels; ``cam`` / ``cam_bg`` the one-pass IS-CAM's class
        and background channels at feature resolution."""
        cam, is_cam = self.inference_is_cam(inputs, self.valid_mask(data_samples, inputs.device))
        samples = self.head.predict_by_cam(cam, data_samples)
        self._set_cams(samples, is_cam)
        return samples

    def test_step(self, data) -> List[DataSample]:
        """Predictions whose ``cam`` / ``cam_bg`` come from the multi-scale IS-CAM of
        ``cam_cfg`` (if set)."""
        data = self.data_preprocessor(data, False)
        samples = self.predict(data['inputs'], data.get('data_samples'))
        if self.cam_cfg:
            valid = self.valid_mask(samples, data['inputs'].device)
            self._set_cams(samples, self.multi_scale_is_cam(data['inputs'], valid))
        return samples

    def single_scale_cam(self, inputs: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError('SIPE CAMs need the image-level labels: use '
                                  'multi_scale_is_cam(inputs, valid_mask)')
