"""MultiCropSEAM's multi-crop CAM against a transcription of the merge in Eli-YiLi/PMM
pipeline/infer_multi_crop.py, and its training step."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from hfpl_mm.utils.crop_grid import multi_crop_grid


def build(**crop_cfg):
    return MODELS.build(dict(
        type='MultiCropSEAM',
        backbone=dict(type='ScaleNet', depth=50, base_channels=8),
        head=dict(type='CAMHead', num_classes=4, bg_channel=True, in_channels=256, bias=False,
                  dropout=0.5, loss_map='branch1', isl_replaces='loss_cls1', isl_weight=0.5),
        pcm=dict(type='PixelCorrelationModule', in_channels=(64, 128)),
        crop_cfg=crop_cfg))


def ref_merge(cam_list, num_cls, shape):
    """infer_multi_crop.py after the network: cam_list = [[cam (C, h, w), [x, y, w, h]]]."""
    sum_cam = np.zeros((num_cls - 1, shape[0], shape[1]))
    sum_counter = np.zeros_like(sum_cam)
    for i in range(len(cam_list)):
        x, y, w, h = cam_list[i][1]
        crop = cam_list[i][0]
        sum_cam[:, y:y + h, x:x + w] += crop
        sum_counter[:, y:y + h, x:x + w] += 1
    sum_counter[sum_counter < 1] = 1
    sum_cam = sum_cam / sum_counter
    cam_max = np.max(sum_cam, (1, 2), keepdims=True)
    cam_min = np.min(sum_cam, (1, 2), keepdims=True)
    sum_cam[sum_cam < cam_min + 1e-5] = 0
    norm_cam = (sum_cam - cam_min) / (cam_max - cam_min + 1e-5)
    return norm_cam


def test_multi_crop_cam_matches_public_merge():
    torch.manual_seed(0)
    model = build(scales=(0.75, 1.5), crop_size=32, stride=20).eval()
    x = torch.randn(1, 3, 40, 56)
    with torch.no_grad():
        ours = model.multi_scale_cam(x)[0].numpy()
        cam_list = []
        for boxes in multi_crop_grid(56, 40, (0.75, 1.5), 32, 20):
            for x1, y1, x2, y2 in boxes:
                crop = F.interpolate(x[..., y1:y2, x1:x2], (32, 32), mode='bilinear',
                                     align_corners=False)
                for flip in (False, True):
                    img = crop.flip(-1) if flip else crop
                    _, cam_rv = model.forward_seam(img)
                    cam_rv = F.interpolate(cam_rv, (32, 32), mode='bilinear',
                                           align_corners=True)
                    cam = F.interpolate(cam_rv[:, 1:], (y2 - y1, x2 - x1), mode='bilinear',
                                        align_corners=False)[0].numpy()
                    if flip:
                        cam = np.flip(cam, axis=-1)
                    cam_list.append([cam, [x1, y1, x2 - x1, y2 - y1]])
    ref = ref_merge(cam_list, 4, (40, 56))
    np.testing.assert_allclose(ours, ref, rtol=1e-4, atol=1e-5)
    assert ours.max() > 0.99


def test_training_step_and_errors():
    model = build(scales=(1.0, ), crop_size=32, stride=20)
    samples = [DataSample(metainfo=dict(img_shape=(32, 32))).set_gt_label([0, 2])
               for _ in range(2)]
    losses = model.loss(torch.randn(2, 3, 32, 32), samples)
    assert {'loss_cls1', 'loss_cls2', 'loss_er', 'loss_ecr', 'loss_min'} <= set(losses)
    with pytest.raises(ValueError, match='crop_cfg'):
        build(window=3)
