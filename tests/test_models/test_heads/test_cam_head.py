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
