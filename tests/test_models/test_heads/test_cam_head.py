import pytest
import torch
from mmengine.registry import init_default_scope
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

import hfpl_mm  # noqa: F401

DEFAULT_ARGS = dict(type='CAMHead', num_classes=4, in_channels=8)


@pytest.fixture(autouse=True)
def _mmpretrain_scope():
    """Per test: another module's tests may have switched the default scope."""
    init_default_scope('mmpretrain')


def _samples(labels):
    return [DataSample().set_gt_label(lab) for lab in labels]


def test_forward_is_gap_of_cam():
    head = MODELS.build(DEFAULT_ARGS)
    feats = (torch.randn(2, 8, 5, 6), )
    cam = head.forward_cam(feats)
    assert cam.shape == (2, 4, 5, 6)
    torch.testing.assert_close(head(feats), cam.mean(dim=(2, 3)))


def test_plain_loss_is_multilabel_soft_margin():
    head = MODELS.build(DEFAULT_ARGS)
    feats = (torch.randn(3, 8, 4, 4), )
    samples = _samples([[0], [1, 3], [2]])
    losses = head.loss(feats, samples)
    assert set(losses) == {'loss_cls'}
    target = head.get_targets(samples)
    expected = torch.nn.functional.multilabel_soft_margin_loss(head(feats), target)
    torch.testing.assert_close(losses['loss_cls'], expected)


def test_isl_replaces_and_fsl_adds():
    head = MODELS.build(dict(DEFAULT_ARGS, isl=dict(type='BinomialISL', lam=0.0),
                             fsl=dict(type='MaskedFSL')))
    assert head.needs_images
    feats = (torch.randn(2, 8, 4, 4), )
    samples = _samples([[0], [2, 3]])
    with pytest.raises(ValueError, match='images'):
        head.loss(feats, samples)
    losses = head.loss(feats, samples, images=torch.rand(2, 3, 16, 16))
    assert set(losses) == {'loss_isl', 'loss_fsl'}
    # lam = 0: ISL is exactly the GAP cross-entropy
    plain = MODELS.build(DEFAULT_ARGS)
    plain.classifier = head.classifier
    torch.testing.assert_close(losses['loss_isl'], plain.loss(feats, samples)['loss_cls'])


def test_predict_attaches_cam():
    head = MODELS.build(DEFAULT_ARGS)
    out = head.predict((torch.randn(2, 8, 3, 3), ), _samples([[0], [1]]))
    assert out[0].cam.shape == (4, 3, 3) and out[0].pred_score.shape == (4, )


def test_bad_num_classes():
    with pytest.raises(ValueError, match='num_classes'):
        MODELS.build(dict(DEFAULT_ARGS, num_classes=0))


def test_bg_channel_is_left_out_of_targets_scores_and_predictions():
    head = MODELS.build(dict(DEFAULT_ARGS, num_classes=5, bg_channel=True))
    assert head.num_labels == 4
    samples = _samples([[0], [1, 3]])
    assert head.get_targets(samples).shape == (2, 4)
    feats = (torch.randn(2, 8, 3, 3), )
    cam = head.forward_cam(feats)
    torch.testing.assert_close(head(feats), cam[:, 1:].mean(dim=(2, 3)))
    out_cam = torch.rand(2, 5, 3, 3)
    out = head.predict_by_cam(cam, samples, out_cam=out_cam)
    torch.testing.assert_close(out[1].pred_score, torch.sigmoid(cam[1, 1:].mean(dim=(1, 2))))
    torch.testing.assert_close(out[1].cam, out_cam[1, 1:])
    with pytest.raises(ValueError, match='num_classes'):
        MODELS.build(dict(DEFAULT_ARGS, num_classes=1, bg_channel=True))


def _baseline_losses():
    return dict(loss_a=torch.tensor(1.), loss_b=torch.tensor(2.), loss_c=torch.tensor(3.))


def test_isl_replaces_the_named_loss_in_place_with_its_weight():
    """ISL takes the place (key position) of ``isl_replaces``, times ``isl_weight``; ISL and
    FSL see the class channels of the map ``loss_map``."""
    head = MODELS.build(dict(DEFAULT_ARGS, num_classes=5, bg_channel=True, loss_map='two',
                             isl=dict(type='BinomialISL', lam=0.0, loss_weight=3.0),
                             fsl=dict(type='MaskedFSL'), isl_replaces='loss_b', isl_weight=0.5))
    samples = _samples([[0], [2, 3]])
    cams = dict(one=torch.randn(2, 5, 4, 4), two=torch.randn(2, 5, 4, 4))
    images = torch.rand(2, 3, 16, 16)
    losses = head.loss_by_cam(cams, samples, _baseline_losses(), images)
    assert list(losses) == ['loss_a', 'loss_isl', 'loss_c', 'loss_fsl']
    y = head.get_targets(samples)
    gap_bce = torch.nn.functional.binary_cross_entropy_with_logits(
        cams['two'][:, 1:].mean(dim=(2, 3)), y)
    torch.testing.assert_close(losses['loss_isl'], 1.5 * gap_bce)
    torch.testing.assert_close(losses['loss_fsl'], head.fsl(cams['two'][:, 1:], images, y))
    assert losses['loss_a'] == 1 and losses['loss_c'] == 3


def test_isl_is_added_without_isl_replaces_and_maps_default_to_the_first():
    head = MODELS.build(dict(DEFAULT_ARGS, isl=dict(type='BinomialISL', lam=0.0),
                             isl_replaces=None))
    samples = _samples([[0], [2, 3]])
    cams = dict(one=torch.randn(2, 4, 4, 4), two=torch.randn(2, 4, 4, 4))
    losses = head.loss_by_cam(cams, samples, _baseline_losses())
    assert list(losses) == ['loss_a', 'loss_b', 'loss_c', 'loss_isl']
    gap_bce = torch.nn.functional.binary_cross_entropy_with_logits(
        cams['one'].mean(dim=(2, 3)), head.get_targets(samples))
    torch.testing.assert_close(losses['loss_isl'], gap_bce)


def test_misconfigured_attachment_is_refused():
    samples = _samples([[0], [2, 3]])
    cams = dict(one=torch.randn(2, 4, 4, 4))
    head = MODELS.build(dict(DEFAULT_ARGS, isl=dict(type='BinomialISL')))  # replaces loss_cls
    with pytest.raises(ValueError, match='isl_replaces'):
        head.loss_by_cam(cams, samples, _baseline_losses())
    head = MODELS.build(dict(DEFAULT_ARGS, fsl=dict(type='MaskedFSL'), loss_map='two'))
    with pytest.raises(ValueError, match='loss_map'):
        head.loss_by_cam(cams, samples, _baseline_losses(), torch.rand(2, 3, 8, 8))


def test_without_hfpl_the_baseline_losses_pass_through():
    head = MODELS.build(DEFAULT_ARGS)
    losses = _baseline_losses()
    assert head.loss_by_cam(torch.randn(2, 4, 3, 3), _samples([[0], [1]]), losses) == losses
