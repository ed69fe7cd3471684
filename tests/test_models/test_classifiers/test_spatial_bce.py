"""Spatial-BCE: the head (allenwu97/Spatial-BCE models/resnet38.py), the losses through the
classifier, the initial phase, CAM inference against a transcription of make_cam.py (both
modes), HFPL attachment and the optimiser's parameter groups."""
import math

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

import hfpl_mm  # noqa: F401
from hfpl_mm.models.losses import ForegroundPriorLoss, SpatialBCELoss

BASE = 'configs/spatial_bce/spatial-bce_r38d-slim_1xb16-2e_synthetic-96x96.py'
HFPL = 'configs/spatial_bce/hfpl-spatial-bce_r38d-slim_1xb16-2e_synthetic-96x96.py'
VOC = 'configs/spatial_bce/spatial-bce_r38d_1xb12-20e_voc12aug-369x369.py'
TINY = dict(backbone=dict(base_channels=4), head=dict(in_channels=256))


def _model(path=BASE, **overrides):
    init_default_scope('mmpretrain')
    cfg = Config(dict(model=Config.fromfile(path).model))
    cfg.merge_from_dict(dict(model=dict(TINY, **overrides)))
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model


def _samples(rho=True):
    samples = [DataSample().set_gt_label([0, 2]), DataSample().set_gt_label([5])]
    if rho:
        for s, r in zip(samples, ([0.2, 0, 0.1, 0, 0, 0], [0, 0, 0, 0, 0, 0.4])):
            s.set_field(np.asarray(r, np.float32), 'fg_ratio')
    return samples


def test_voc_head_is_the_public_architecture():
    init_default_scope('mmpretrain')
    head = MODELS.build(Config.fromfile(VOC).model.head)
    head.init_weights()
    assert head.reduce.weight.shape == (128, 4096, 1, 1)
    assert head.classifier.weight.shape == (20, 128, 1, 1) and head.classifier.bias is None
    assert head.threshold.weight.shape == (20, 4096, 1, 1) and head.threshold.bias is None
    torch.testing.assert_close(head.temperature.data, torch.full((20, ), math.log(10.)))
    # each class conv initialised as a 128 -> 1 conv of its own (Xavier bound sqrt(6 / 129))
    assert head.classifier.weight.abs().max() <= math.sqrt(6 / 129)
    feats = (torch.rand(1, 4096, 47, 47), )
    s = head.forward_cam(feats)
    assert s.shape == (1, 20, 47, 47) and head.forward_threshold(feats).shape == s.shape
    torch.testing.assert_close(s, head.score_map(feats) * 10.)


def test_losses_through_the_classifier():
    model = _model().eval()  # no dropout: two forward passes give the same maps
    assert model.spatial_loss.is_score_iteration(3)
    assert not model.spatial_loss.is_score_iteration(18)
    x = torch.randn(2, 3, 48, 48)
    hub = MessageHub.get_current_instance()
    for iteration in (3, 18):
        hub.update_info('iter', iteration)
        losses = model.loss(x, _samples())
        assert list(losses) == ['loss_sbce', 'loss_prior']
        feats = model.extract_feat(x)
        s, thr = model.head.forward_cam(feats), model.head.forward_threshold(feats)
        y = torch.tensor([[1., 0, 1, 0, 0, 0], [0, 0, 0, 0, 0, 1]])
        rho = torch.tensor([[0.2, 0, 0.1, 0, 0, 0], [0, 0, 0, 0, 0, 0.4]])
        ref = SpatialBCELoss(period=20, score_iters=16)(s, thr, y, rho, iteration)
        torch.testing.assert_close(losses['loss_sbce'], ref)
        torch.testing.assert_close(losses['loss_prior'], ForegroundPriorLoss()(s, y, rho))
    hub.update_info('iter', 0)
    with pytest.raises(ValueError, match='LoadForegroundRatios'):
        model.loss(x, _samples(rho=False))


def test_initial_phase_is_the_gap_bce():
    model = _model(spatial_loss=None, prior_loss=None)
    losses = model.loss(torch.randn(2, 3, 48, 48), _samples(rho=False))
    assert list(losses) == ['loss_cls']


def reference_cams(logit_passes, label, temperature=None, threshold_passes=None):
    """make_cam.py's post-processing, transcribed: mean of the passes, sigmoid, times the labels,
    per-pixel winner, divided by the class max; adaptive: threshold solved through the
    temperature (closed form of its fsolve) and subtracted where above (-1 elsewhere)."""
    cam = torch.sigmoid(torch.from_numpy(np.mean(logit_passes, axis=0)))
    cam = cam * label.view(-1, 1, 1)
    cam.masked_fill_(~(cam >= cam.max(0)[0]), 0)
    norm = cam.numpy() / (cam.numpy().max((1, 2), keepdims=True) + 1e-8)
    if threshold_passes is None:
        return norm
    a = torch.sigmoid(torch.from_numpy(np.mean(threshold_passes, axis=0))).numpy()
    out = np.full_like(norm, -1)
    for k in np.flatnonzero(label.numpy()):
        root = math.log(a[k] / (1 - a[k])) / math.exp(temperature[k])  # sigmoid(e^t x) = a
        t = 1 / (1 + math.exp(-root))
        out[k] = np.where(norm[k] > t, norm[k] - t, -1)
    return out


@pytest.mark.parametrize('mode', ['optimal', 'adaptive'])
def test_cam_inference_matches_make_cam(mode):
    model = _model(cam_mode=mode).eval()
    model.head.temperature.data = torch.tensor([0.1, 0.5, 1.0, 2.0, 0.0, 1.5])
    passes = np.random.randn(8, 6, 5, 7).astype(np.float32)
    thr = np.random.randn(8, 6).astype(np.float32)
    label = torch.tensor([1., 0, 1, 0, 1, 0])
    ours = model.spatial_bce_cams(torch.from_numpy(passes).mean(0)[None],
                                  torch.from_numpy(thr).mean(0)[None], label[None])[0].numpy()
    if mode == 'optimal':
        np.testing.assert_allclose(ours, reference_cams(passes, label), atol=1e-6)
    else:
        ref = reference_cams(passes, label, model.head.temperature.data.tolist(), thr)
        np.testing.assert_allclose(ours, np.maximum(ref, 0), atol=1e-6)
        # same labels at background 0 as the public code's CRF argmax over [0, cams]
        np.testing.assert_array_equal(ours.max(0) > 0, ref.max(0) > 0)


def test_test_step_is_flip_equivariant_and_uses_the_labels():
    model = _model(cam_cfg=dict(scales=(1.0, 0.5), flip=True)).eval()
    img = torch.randint(0, 256, (3, 40, 48), dtype=torch.uint8)
    with torch.no_grad():
        a = model.test_step(dict(inputs=[img], data_samples=[DataSample().set_gt_label([0, 2])]))
        b = model.test_step(dict(inputs=[img.flip(-1)],
                                 data_samples=[DataSample().set_gt_label([0, 2])]))
    assert a[0].cam.shape == (6, 40, 48)
    torch.testing.assert_close(a[0].cam, b[0].cam.flip(-1))
    assert a[0].cam[[1, 3, 4, 5]].abs().max() == 0  # absent classes
    assert ((a[0].cam > 0).sum(0) <= 1).all()  # one class per pixel


def test_hfpl_attaches_isl_and_fsl_to_s():
    model = _model(HFPL)
    assert model.head.isl.lam == 1.0 and model.head.isl.loss_weight == 0.2
    assert model.head.isl_replaces is None
    data = model.data_preprocessor(
        dict(inputs=[torch.randint(0, 256, (3, 48, 48), dtype=torch.uint8) for _ in range(2)],
             data_samples=_samples()), True)
    losses = model.loss(data['inputs'], data['data_samples'])
    assert list(losses) == ['loss_sbce', 'loss_prior', 'loss_isl', 'loss_fsl']
    assert all(torch.isfinite(v) for v in losses.values())


def test_bad_arguments():
    with pytest.raises(ValueError, match='cam_mode'):
        _model(cam_mode='fixed')
    with pytest.raises(ValueError, match='SpatialBCEHead'):
        _model(head=dict(_delete_=True, type='CAMHead', num_classes=6, in_channels=256))
    with pytest.raises(ValueError, match='image labels'):
        _model().eval().predict(torch.randn(1, 3, 32, 32), [DataSample()])


def test_optimizer_groups():
    """lr x10 for the head (reduce, class convs, threshold, temperature), no weight decay on the
    temperature, real momentum 0.9 (VOC: lr 1e-3, wd 5e-4)."""
    cfg = Config.fromfile(VOC)
    model = _model(VOC, backbone=dict(base_channels=4, init_cfg=None))
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    groups = {id(p): g for g in wrapper.optimizer.param_groups for p in g['params']}
    head, temp = groups[id(model.head.reduce.weight)], groups[id(model.head.temperature)]
    back = groups[id(model.backbone.b4.conv_branch2a.weight)]
    assert wrapper.optimizer.defaults['momentum'] == 0.9
    assert back['lr'] == pytest.approx(1e-3) and back['weight_decay'] == pytest.approx(5e-4)
    assert head['lr'] == pytest.approx(1e-2) and head['weight_decay'] == pytest.approx(5e-4)
    assert groups[id(model.head.threshold.weight)]['lr'] == pytest.approx(1e-2)
    assert temp['lr'] == pytest.approx(1e-2) and temp['weight_decay'] == 0
    assert not model.backbone.conv1a.weight.requires_grad  # conv1a, b2* frozen
