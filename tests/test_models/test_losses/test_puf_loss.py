"""PUFCrossEntropyLoss against a transcription of WSSS_MMSeg's ``cross_entropy`` (pus_type)."""
import pytest
import torch
import torch.nn.functional as F

from hfpl_mm.models.losses import PUFCrossEntropyLoss, puf_cross_entropy


def reference_cross_entropy(pred, label, pus_type='', pus_beta=0.5, pus_k=0.5,
                            ignore_index=-100):
    """Eli-YiLi/WSSS_MMSeg mmseg/models/losses/cross_entropy_loss.py::cross_entropy, line by
    line (weight None, class_weight None, reduction 'mean', avg_factor None)."""
    loss = F.cross_entropy(pred, label, weight=None, reduction='none', ignore_index=ignore_index)
    if pus_type != "" and loss.mean() < pus_beta:
        if pus_type == 'pow':
            loss = torch.pow(loss + 0.000000001, pus_k)
        elif pus_type == 'clamp':
            loss = torch.clamp(loss, 0, pus_k)
        elif pus_type == 'ignore':
            loss = loss * (loss <= pus_k).float()
    return loss.mean()  # weight_reduce_loss(loss, None, 'mean', None)


def batch(scale, seed=0):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(2, 5, 6, 7, generator=g) * scale
    label = torch.randint(0, 5, (2, 6, 7), generator=g)
    label[0, :2] = 255
    # sharpen towards the label so that the batch mean falls below 0.5 for a large scale
    logits = logits + 3 * scale * F.one_hot(label.clamp(max=4), 5).permute(0, 3, 1, 2)
    return logits, label


@pytest.mark.parametrize('mode', ['clamp', 'pow', 'ignore'])
@pytest.mark.parametrize('scale', [0.3, 4.0])
def test_matches_public_code(mode, scale):
    logits, label = batch(scale)
    loss = PUFCrossEntropyLoss(mode=mode)
    ours = loss(logits.clone().requires_grad_(), label, ignore_index=255)
    ref = reference_cross_entropy(logits, label, pus_type=mode, ignore_index=255)
    torch.testing.assert_close(ours, ref)
    plain = reference_cross_entropy(logits, label, ignore_index=255)
    if scale > 1:  # fitted batch: the rule is active and changes the loss
        assert F.cross_entropy(logits, label, ignore_index=255, reduction='none').mean() < 0.5
        if mode != 'clamp':
            assert not torch.isclose(ours, plain)
    else:  # under-fitted batch: plain cross-entropy
        torch.testing.assert_close(ours, plain)


def test_clamp_caps_each_pixel_and_stops_its_gradient():
    logits, label = batch(4.0)
    logits[1, :, 3, 3] = torch.tensor([9., 0., 0., 0., 0.])  # a confidently wrong pixel
    label[1, 3, 3] = 2
    per_pixel = puf_cross_entropy(logits, label, ignore_index=255)
    assert per_pixel.max() <= 0.5 and per_pixel[1, 3, 3] == 0.5
    x = logits.clone().requires_grad_()
    PUFCrossEntropyLoss()(x, label).backward()
    assert torch.all(x.grad[1, :, 3, 3] == 0)


def test_options_and_errors():
    logits, label = batch(4.0)
    loss = PUFCrossEntropyLoss(mode='none', avg_non_ignore=True, loss_weight=0.4)
    expected = 0.4 * F.cross_entropy(logits, label, ignore_index=255)
    torch.testing.assert_close(loss(logits, label), expected)
    assert loss.loss_name == 'loss_ce'
    with pytest.raises(ValueError, match='mode'):
        PUFCrossEntropyLoss(mode='soft')
    with pytest.raises(ValueError, match='labels'):
        loss(logits, label[0])


def test_in_an_mmseg_decode_head():
    from mmseg.models.decode_heads import FCNHead
    head = FCNHead(in_channels=4, channels=4, num_convs=1, num_classes=3,
                   loss_decode=dict(type='PUFCrossEntropyLoss'))
    from mmseg.structures import SegDataSample
    from mmengine.structures import PixelData
    sample = SegDataSample(gt_sem_seg=PixelData(data=torch.zeros(1, 8, 8, dtype=torch.long)),
                           metainfo=dict(img_shape=(8, 8)))
    losses = head.loss([torch.randn(1, 4, 8, 8)], [sample], train_cfg=None)
    assert 'loss_ce' in losses and torch.isfinite(losses['loss_ce'])
