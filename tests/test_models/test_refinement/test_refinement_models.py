"""IRN, AffinityNet and the confident labeller: losses, shapes and predictions on tiny inputs."""
import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import hfpl_mm  # noqa: F401
from hfpl_mm.models.refinement.irn import MeanShift


@pytest.fixture(autouse=True)
def _mmseg_scope():
    """Per test: another module's tests may have switched the default scope."""
    init_default_scope('mmseg')


BACKBONE = dict(type='mmpretrain.ResNet', depth=18, stem_channels=16, base_channels=8,
                strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4), out_indices=(0, 1, 2, 3),
                norm_eval=False)
PREPROCESSOR = dict(type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                    std=[58.395, 57.12, 57.375], bgr_to_rgb=True, size=(32, 32))
IRN_ARGS = dict(type='IRN', backbone=BACKBONE, in_channels=(8, 16, 32, 64), train_radius=3,
                walk=dict(beta=10, logt=4, radius=3, bg='threshold', bg_thr=0.25),
                size_divisor=8, data_preprocessor=PREPROCESSOR)
AFF_ARGS = dict(type='AffinityNet', backbone={**BACKBONE, 'out_indices': (1, 2, 3)},
                in_channels=(16, 32, 64), train_radius=3,
                walk=dict(beta=8, logt=3, radius=3, bg='power', bg_alpha=6),
                data_preprocessor=PREPROCESSOR)


def _samples(num=2, size=(32, 32), cams=True):
    """Samples with a confident label (class 1 left, background right, unsure band) and CAMs."""
    samples = []
    for _ in range(num):
        label = np.zeros(size, np.uint8)
        label[:, :size[1] // 2] = 2
        label[:, size[1] // 2 - 2:size[1] // 2 + 2] = 255
        sample = SegDataSample(gt_sem_seg=PixelData(data=torch.from_numpy(label)[None]))
        sample.set_metainfo(dict(img_shape=size, ori_shape=size))
        if cams:
            cam = np.zeros((1, ) + size, np.float32)
            cam[0, :, :size[1] // 3] = 1.
            sample.set_metainfo(dict(cams=cam, cam_labels=np.array([1])))
        samples.append(sample)
    return samples


@pytest.mark.parametrize('args', [IRN_ARGS, AFF_ARGS], ids=['IRN', 'AffinityNet'])
def test_loss_and_train_step(args):
    model = MODELS.build(args)
    model.train()
    losses = model(torch.rand(2, 3, 32, 32), _samples(), mode='loss')
    expected = {'loss_aff_bg', 'loss_aff_fg', 'loss_aff_neg'}
    if args['type'] == 'IRN':
        expected |= {'loss_dp_fg', 'loss_dp_bg'}
    assert set(losses) == expected
    assert all(torch.isfinite(v) and v >= 0 for v in losses.values())
    total = sum(losses.values())
    total.backward()
    branch = model.edge_branch if args['type'] == 'IRN' else model.fuse
    assert all(p.grad is not None for p in branch.parameters())


def test_irn_outputs_and_frozen_backbone():
    model = MODELS.build({**IRN_ARGS, 'backbone': {**BACKBONE, 'frozen_stages': 4,
                                                   'norm_eval': True}})
    edge, dp = model(torch.rand(2, 3, 32, 40), mode='tensor')
    assert edge.shape == (2, 1, 8, 10) and dp.shape == (2, 2, 8, 10)
    model.train()
    losses = model(torch.rand(2, 3, 32, 32), _samples(), mode='loss')
    sum(losses.values()).backward()
    assert all(p.grad is None for p in model.backbone.parameters())  # IRN: branches only


def test_mean_shift():
    # IRN centres the displacement field: identity in training (tracking the mean), the mean
    # subtracted at inference
    shift = MeanShift(2, momentum=1.).train()
    x = torch.randn(4, 2, 3, 3) + torch.tensor([1., -2.]).view(1, 2, 1, 1)
    assert torch.equal(shift(x), x)
    shift.eval()
    assert torch.allclose(shift.running_mean, x.mean((0, 2, 3)))
    assert torch.allclose(shift(x), x - x.mean((0, 2, 3), keepdim=True))


@pytest.mark.parametrize('args', [IRN_ARGS, AFF_ARGS], ids=['IRN', 'AffinityNet'])
def test_predict_gives_labels_at_image_size(args):
    model = MODELS.build(args).eval()
    samples = _samples(size=(30, 37))  # not a multiple of the stride: padded, then cropped
    data = model.data_preprocessor(
        dict(inputs=[torch.randint(0, 255, (3, 30, 37), dtype=torch.uint8)] * 2,
             data_samples=samples), False)
    out = model.predict(data['inputs'], data['data_samples'])
    for sample in out:
        label = sample.pred_sem_seg.data
        assert label.shape == (1, 30, 37) and label.dtype == torch.uint8
        assert set(label.unique().tolist()) <= {0, 2}  # background or class 1 (label 2)


def test_confident_labeler():
    model = MODELS.build(dict(type='ConfidentLabeler', method='irn',
                              data_preprocessor=dict(type='SegDataPreProcessor',
                                                     bgr_to_rgb=True)))
    img = torch.zeros(3, 32, 32, dtype=torch.uint8)
    img[2, :, :16] = 200  # red in BGR, left half
    data = model.data_preprocessor(dict(inputs=[img], data_samples=_samples(1)), False)
    label = model.test_step(dict(inputs=[img], data_samples=_samples(1)))[0].pred_sem_seg.data
    assert label.shape == (1, 32, 32)
    assert (label[0, :, :8] == 2).all() and (label[0, :, 24:] == 0).all()
    assert data['inputs'].max() == 200  # RGB in [0, 255], not normalised
    with pytest.raises(ValueError, match='predicts'):
        model(data['inputs'], data['data_samples'], mode='loss')
    with pytest.raises(ValueError):
        MODELS.build(dict(type='ConfidentLabeler', method='median'))


def test_refinement_modules_resolve_from_the_mmseg_scope():
    from mmseg.registry import LOOPS, METRICS, TRANSFORMS
    for name in ('IRN', 'AffinityNet', 'ConfidentLabeler', 'mmpretrain.ResNet'):
        assert MODELS.get(name) is not None, name
    assert TRANSFORMS.get('LoadCAMs') is not None
    assert METRICS.get('RefinedLabelMetric') is not None
    assert LOOPS.get('ResumableTestLoop') is not None
