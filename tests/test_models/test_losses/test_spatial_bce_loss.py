"""SpatialBCELoss and ForegroundPriorLoss against a line-by-line transcription of the public
code (allenwu97/Spatial-BCE, loss_functions.py: Spatial_BCE_Loss and KLLoss), values and
gradients, in both modes of the alternation."""
import pytest
import torch

from hfpl_mm.models.losses import (ForegroundPriorLoss, SpatialBCELoss, rank_thresholds,
                                   spatial_bce_phi)


def reference_spatial_bce(x, y, threshold_p, fg, it, eps=1e-8):
    """Spatial_BCE_Loss.forward, transcribed statement by statement (loops where the public code
    builds index masks)."""
    b, c, h, w = x.shape
    x = x.reshape(b, c, h * w)
    xs = torch.sigmoid(x)
    if it % 100 < 80:
        srt = torch.sort(xs.reshape(b * c, h * w), descending=True)[0]
        index = (fg * (h * w)).reshape(-1).int()
        thr = torch.stack([srt[i, index[i]] for i in range(b * c)]).reshape(b, c)
        thr = thr[..., None].expand(b, c, h * w).detach()
    else:
        thr = torch.sigmoid(threshold_p.reshape(b, c, h * w).mean(2))
        thr = thr[..., None].expand(b, c, h * w)
        xs = xs.detach()
    thr = thr.clamp(min=0.0001)
    y_ = y[..., None].expand(b, c, h * w)
    mask_low = ((xs <= thr) * y_).detach()
    mask_high = ((xs > thr) * y_).detach()
    h_low = (-(xs ** 2) / thr ** 2 + 2 * xs / thr) * mask_low
    alpha = 1 / ((1 - thr) ** 2).clamp(min=eps)
    h_high = alpha * (1 - xs) * (1 - 2 * thr + xs) * mask_high
    if it % 100 < 80:
        loss = h_high + h_low - (1 - y_) * torch.log((1 - xs).clamp(min=eps))
        return loss.mean()
    return h_low.sum() / mask_low.sum() + h_high.sum() / mask_high.sum()


def reference_kl(x, y, fg, eps=1e-8):
    """KLLoss.forward, transcribed."""
    b, c, h, w = x.shape
    xs = torch.sigmoid(x.reshape(b, c, h * w))
    marginal = torch.stack([1 - xs, xs], dim=2).mean(3)
    fb = torch.stack([1 - fg, fg], dim=2)
    y_ = torch.stack([y, y], dim=2)
    kl = (y_ * marginal * torch.log((marginal / (fb + 1e-10)).clamp(min=eps))).sum(2)
    return kl.sum() / y.sum()


def _inputs(b=3, c=5, h=7, w=6):
    x = (torch.randn(b, c, h, w) * 3).requires_grad_()
    thr = torch.randn(b, c, h, w).requires_grad_()
    y = (torch.rand(b, c) < 0.5).float()
    y[:, 0] = 1  # every image has a class, and some positives have pixels on both sides
    fg = torch.rand(b, c) * 0.8 * y
    return x, thr, y, fg


@pytest.mark.parametrize('iteration', [0, 79, 80, 99, 180, 1234])
def test_spatial_bce_matches_public_code(iteration):
    x, thr, y, fg = _inputs()
    ours = SpatialBCELoss()(x, thr, y, fg, iteration)
    ref = reference_spatial_bce(x, y, thr, fg, iteration)
    torch.testing.assert_close(ours, ref)
    g_ours = torch.autograd.grad(ours, (x, thr), allow_unused=True)
    x2, thr2 = x.detach().clone().requires_grad_(), thr.detach().clone().requires_grad_()
    g_ref = torch.autograd.grad(reference_spatial_bce(x2, y, thr2, fg, iteration), (x2, thr2),
                                allow_unused=True)
    score = iteration % 100 < 80
    # score iterations train the scores only, threshold iterations the threshold head only
    assert (g_ours[1] is None) == score and (g_ours[0] is None) != score
    for a, b in zip(g_ours, g_ref):
        if a is not None:
            torch.testing.assert_close(a, b)


def test_spatial_bce_alternation_and_weight():
    loss = SpatialBCELoss(period=20, score_iters=16, loss_weight=0.8)
    assert [loss.is_score_iteration(i) for i in (0, 15, 16, 19, 20, 36)] == \
        [True, True, False, False, True, False]
    x, thr, y, fg = _inputs()
    ref = reference_spatial_bce(x, y, thr, fg, 0)
    torch.testing.assert_close(loss(x, thr, y, fg, 0), 0.8 * ref)
    # threshold iterations are not scaled (they train only the threshold head)
    torch.testing.assert_close(loss(x, thr, y, fg, 16), reference_spatial_bce(x, y, thr, fg, 90))


def test_rank_thresholds_and_phi():
    p = torch.tensor([[[0.9, 0.1, 0.5, 0.7]]])
    assert rank_thresholds(p, torch.tensor([[0.5]])).item() == pytest.approx(0.5)  # rank 2
    assert rank_thresholds(p, torch.tensor([[0.0]])).item() == pytest.approx(0.9)
    assert rank_thresholds(p, torch.tensor([[1.0]])).item() == pytest.approx(0.1)  # clamped
    t = torch.tensor(0.3)
    phi = spatial_bce_phi(torch.tensor([0., 0.3, 1.]), t)
    torch.testing.assert_close(phi, torch.tensor([0., 1., 0.]))


def test_spatial_bce_no_pixel_on_one_side_is_finite():
    x = torch.full((1, 2, 3, 3), 10.)  # every p above any threshold below 1
    thr = torch.full((1, 2, 3, 3), -5.)
    y = torch.tensor([[1., 0.]])
    loss = SpatialBCELoss()(x, thr, y, torch.tensor([[0.3, 0.]]), 90)
    assert torch.isfinite(loss)


def test_foreground_prior_matches_public_code():
    x, _, y, fg = _inputs()
    ours = ForegroundPriorLoss()(x, y, fg)
    torch.testing.assert_close(ours, reference_kl(x, y, fg))
    g = torch.autograd.grad(ours, x)[0]
    x2 = x.detach().clone().requires_grad_()
    torch.testing.assert_close(g, torch.autograd.grad(reference_kl(x2, y, fg), x2)[0])


def test_bad_shapes_name_them():
    x, thr, y, fg = _inputs()
    with pytest.raises(ValueError, match='fg_ratio'):
        SpatialBCELoss()(x, thr, y, fg[:, :2], 0)
    with pytest.raises(ValueError, match='threshold map'):
        SpatialBCELoss()(x, thr[:, :2], y, fg, 0)
    with pytest.raises(ValueError, match='fg_ratio'):
        ForegroundPriorLoss()(x, y, fg[:2])
    with pytest.raises(ValueError, match='score_iters'):
        SpatialBCELoss(period=10, score_iters=11)
