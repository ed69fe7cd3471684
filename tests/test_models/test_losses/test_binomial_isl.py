"""Tests of BinomialISL (paper eqs. 3, 14-18; semantics of arvijj/hfpl's tool/probutils.py)."""
import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from hfpl_mm.models.losses import BinomialISL, binomial_isl, importance_sampling_loss


def _inputs(B=2, C=3, h=4, w=5, seed=0, dtype=torch.float64, scale=2.0):
    g = torch.Generator().manual_seed(seed)
    s = (scale * torch.randn(B, C, h, w, generator=g)).to(dtype)
    y = (torch.rand(B, C, generator=g) < 0.5).to(dtype)
    y[0, 0] = 1.0
    return s, y


def _reference_isl(s, y, n, eps=1e-5):
    """The ISL term of arvijj/hfpl's ``tool/probutils.py::sample_probs``, restated."""
    B, C = y.shape
    flat = s.flatten(2)
    w = torch.sigmoid(flat.detach()) + eps
    idx = torch.multinomial(w.reshape(B * C, -1), n, replacement=True).view(B, C, n)
    z = flat.gather(2, idx)
    return F.binary_cross_entropy_with_logits(z, y[..., None].expand_as(z))


def _gap_bce(s, y):
    return F.binary_cross_entropy_with_logits(s.mean((2, 3)), y)


def test_lam0_is_gap_bce_and_draws_no_random_numbers():
    s, y = _inputs()
    state = torch.get_rng_state()
    loss = BinomialISL(lam=0.0)(s, y)
    assert torch.equal(torch.get_rng_state(), state)
    # independent formula of eq. (17) with B_c = sigmoid(mean s_c)
    b = torch.sigmoid(s.mean((2, 3)))
    expected = -(y * torch.log(b) + (1 - y) * torch.log(1 - b)).mean()
    torch.testing.assert_close(loss, expected, rtol=1e-12, atol=0)


@pytest.mark.parametrize('lam,n', [(0.2, 10), (1.0, 1), (0.7, 37)])
def test_matches_public_code_with_same_seed(lam, n):
    s, y = _inputs(B=3, C=4, h=6, w=7, seed=1)
    torch.manual_seed(123)
    loss = BinomialISL(num_samples=n, lam=lam, loss_weight=2.5)(s, y)
    torch.manual_seed(123)
    ref = 2.5 * ((1 - lam) * _gap_bce(s, y) + lam * _reference_isl(s, y, n))
    torch.testing.assert_close(loss, ref, rtol=1e-12, atol=0)


def _exact_isl_expectation(s, y, eps=1e-5):
    """E[L_is^N] = mean_{b,c} sum_i p_c(i) BCE(s_c(i), y_c) and the variance of one draw."""
    flat = s.flatten(2)
    p = torch.sigmoid(flat) + eps
    p = p / p.sum(-1, keepdim=True)
    bce = F.binary_cross_entropy_with_logits(flat, y[..., None].expand_as(flat),
                                             reduction='none')
    mean_bc = (p * bce).sum(-1)
    var_bc = (p * bce**2).sum(-1) - mean_bc**2
    return mean_bc, var_bc, p, bce


def test_expectation_of_value_and_gradient():
    s, y = _inputs(B=2, C=3, h=3, w=4, seed=2, scale=1.5)
    lam, n = 0.4, 200_000
    B, C = y.shape
    mean_bc, var_bc, p, _ = _exact_isl_expectation(s, y)
    expected = (1 - lam) * _gap_bce(s, y) + lam * mean_bc.mean()
    sd = lam * math.sqrt(float(var_bc.sum()) / n) / (B * C)
    torch.manual_seed(0)
    sv = s.clone().requires_grad_(True)
    loss = BinomialISL(num_samples=n, lam=lam)(sv, y)
    assert abs(float(loss.detach()) - float(expected)) < 6 * sd + 1e-12
    # gradient: E[count_i / n] = p_i, so E[grad] = (1-lam) dL_ce + lam p_i (sigmoid(s_i) - y)/(BC)
    grad, = torch.autograd.grad(loss, sv)
    s0 = s.clone().requires_grad_(True)
    g_ce, = torch.autograd.grad(_gap_bce(s0, y), s0)
    flat = s.flatten(2)
    e_grad = (1 - lam) * g_ce + lam * (p * (torch.sigmoid(flat) - y[..., None]) /
                                       (B * C)).view_as(s)
    # per-pixel sd of lam * count/n * dBCE/(BC): binomial counts
    dbce = (torch.sigmoid(flat) - y[..., None]).abs()
    g_sd = lam * (torch.sqrt(p * (1 - p) / n) * dbce / (B * C)).view_as(s)
    assert bool(((grad - e_grad).abs() <= 6 * g_sd + 1e-12).all())


def test_gradient_only_at_sampled_pixels():
    s, y = _inputs(B=2, C=3, h=8, w=8, seed=3)
    s.requires_grad_(True)
    torch.manual_seed(5)
    loss = BinomialISL(num_samples=2, lam=1.0)(s, y)
    grad, = torch.autograd.grad(loss, s)
    nnz = (grad != 0).flatten(2).sum(-1)
    assert bool((nnz >= 1).all()) and bool((nnz <= 2).all())


def test_gradcheck_float64():
    s, y = _inputs(B=2, C=3, h=3, w=3, seed=4)
    s.requires_grad_(True)
    for posterior in ('binomial', 'multinomial'):
        isl = BinomialISL(num_samples=4, lam=0.6, posterior=posterior)

        def fn(x, isl=isl):
            torch.manual_seed(11)  # same pixels at every evaluation
            return isl(x, y)

        assert torch.autograd.gradcheck(fn, (s, ), eps=1e-6, atol=1e-7)


def test_multinomial_matches_direct_softmax_bce():
    s, y = _inputs(B=2, C=4, h=5, w=5, seed=6, scale=1.0)
    lam, n = 0.6, 13
    torch.manual_seed(9)
    loss = BinomialISL(num_samples=n, lam=lam, posterior='multinomial')(s, y)
    torch.manual_seed(9)
    B, C = y.shape
    a = torch.softmax(s, 1).flatten(2)
    idx = torch.multinomial((a + 1e-5).reshape(B * C, -1), n, replacement=True).view(B, C, n)
    a_s = a.gather(2, idx)
    ref = (1 - lam) * _gap_bce(s, y) + lam * F.binary_cross_entropy(
        a_s, y[..., None].expand_as(a_s))
    torch.testing.assert_close(loss, ref, rtol=1e-10, atol=0)


def test_multinomial_differs_from_binomial():
    s, y = _inputs(seed=7)
    torch.manual_seed(0)
    lb = BinomialISL(lam=1.0)(s, y)
    torch.manual_seed(0)
    lm = BinomialISL(lam=1.0, posterior='multinomial')(s, y)
    assert not torch.allclose(lb, lm)


@pytest.mark.parametrize('posterior', ['binomial', 'multinomial'])
@pytest.mark.parametrize('case', ['huge_pos', 'huge_neg', 'mixed_huge', 'one_by_one', 'one_class'])
def test_robust_inputs_finite(posterior, case):
    s, y = _inputs(B=2, C=3, h=4, w=4, seed=8, dtype=torch.float32)
    if case == 'huge_pos':
        s = torch.full_like(s, 1e4)
    elif case == 'huge_neg':
        s = torch.full_like(s, -1e4)
    elif case == 'mixed_huge':
        s = torch.where(torch.rand_like(s) < 0.5, -1e4, 1e4)
    elif case == 'one_by_one':
        s = s[..., :1, :1].contiguous()
    elif case == 'one_class':
        s, y = s[:, :1].contiguous(), y[:, :1].contiguous()
    s.requires_grad_(True)
    loss = BinomialISL(lam=0.5, posterior=posterior)(s, y)
    grad, = torch.autograd.grad(loss, s)
    assert torch.isfinite(loss) and float(loss.detach()) >= 0
    assert bool(torch.isfinite(grad).all())


@pytest.mark.parametrize('amp_dtype', [torch.bfloat16, torch.float16])
def test_autocast_computes_in_float32(amp_dtype):
    s, y = _inputs(dtype=torch.float32)
    s.requires_grad_(True)
    isl = BinomialISL(lam=0.5)
    torch.manual_seed(0)
    ref = isl(s.to(amp_dtype).float(), y)  # same (rounded) logits, computed in float32
    torch.manual_seed(0)
    with torch.autocast('cpu', dtype=amp_dtype):
        loss = isl(s.to(amp_dtype), y)
    assert loss.dtype == torch.float32
    torch.testing.assert_close(loss, ref, rtol=1e-6, atol=0)
    grad, = torch.autograd.grad(loss, s)
    assert bool(torch.isfinite(grad).all())


def test_labels_may_be_bool_or_int():
    s, y = _inputs()
    torch.manual_seed(0)
    a = BinomialISL()(s, y)
    torch.manual_seed(0)
    b = BinomialISL()(s, y.bool())
    torch.manual_seed(0)
    c = BinomialISL()(s, y.long())
    assert torch.equal(a, b) and torch.equal(a, c)


@pytest.mark.parametrize('s_shape,y_shape', [((2, 3, 4, 4), (2, 4)), ((2, 3, 4, 4), (3, 3)),
                                             ((2, 3, 16), (2, 3)), ((2, 3, 4, 4), (2, 3, 1))])
def test_shape_errors_name_both_shapes(s_shape, y_shape):
    with pytest.raises(ValueError) as err:
        BinomialISL()(torch.randn(*s_shape), torch.ones(*y_shape))
    assert str(tuple(s_shape)) in str(err.value)
    if len(s_shape) == 4:
        assert str(tuple(y_shape)) in str(err.value)


@pytest.mark.parametrize('kwargs,name', [(dict(lam=1.5), 'lam'), (dict(lam=-0.1), 'lam'),
                                         (dict(num_samples=0), 'num_samples'),
                                         (dict(num_samples=2.0), 'num_samples'),
                                         (dict(posterior='softmax'), 'posterior'),
                                         (dict(eps=0.0), 'eps')])
def test_invalid_args(kwargs, name):
    with pytest.raises(ValueError, match=name):
        BinomialISL(**kwargs)


def test_unknown_kwarg_raises_type_error():
    with pytest.raises(TypeError):
        BinomialISL(lam=0.2, sigma=3)


def test_loss_name_and_registry():
    from mmengine.registry import MODELS
    isl = MODELS.build(dict(type='BinomialISL', lam=0.3))
    assert isinstance(isl, BinomialISL) and isl.lam == 0.3
    assert isl.loss_name == 'loss_isl'
    assert BinomialISL(loss_name='loss_isl_b1').loss_name == 'loss_isl_b1'


def test_functional_matches_module():
    s, y = _inputs()
    torch.manual_seed(1)
    a = BinomialISL(num_samples=5, lam=0.3, loss_weight=0.5)(s, y)
    torch.manual_seed(1)
    b = 0.5 * binomial_isl(s, y, num_samples=5, lam=0.3)
    torch.manual_seed(1)
    c = 0.5 * (0.7 * _gap_bce(s, y) + 0.3 * importance_sampling_loss(s, y, 5))
    assert torch.equal(a, b)
    torch.testing.assert_close(a, c, rtol=1e-14, atol=0)


@settings(max_examples=25, deadline=None)
@given(B=st.integers(1, 3), C=st.integers(1, 4), h=st.integers(1, 6), w=st.integers(1, 6),
       scale=st.sampled_from([0.1, 1.0, 10.0, 1e3]), lam=st.floats(0.0, 1.0),
       n=st.integers(1, 12), posterior=st.sampled_from(['binomial', 'multinomial']),
       seed=st.integers(0, 2**16))
def test_property_finite_nonnegative(B, C, h, w, scale, lam, n, posterior, seed):
    g = torch.Generator().manual_seed(seed)
    s = (scale * torch.randn(B, C, h, w, generator=g)).requires_grad_(True)
    y = (torch.rand(B, C, generator=g) < 0.5).float()
    torch.manual_seed(seed)
    loss = BinomialISL(num_samples=n, lam=lam, posterior=posterior)(s, y)
    grad, = torch.autograd.grad(loss, s)
    assert torch.isfinite(loss) and float(loss.detach()) >= 0
    assert bool(torch.isfinite(grad).all())
    if lam == 0.0:
        torch.testing.assert_close(loss, _gap_bce(s, y))


@pytest.mark.parametrize('bad', [float('nan'), float('inf'), -float('inf')])
def test_non_finite_logits_are_named(bad):
    """A diverged model's NaN / inf logits: a ValueError saying so, not torch.multinomial's
    "invalid multinomial distribution"."""
    s, y = _inputs()
    s = s.clone()
    s[0, 1, 2, 3] = bad
    with pytest.raises(ValueError, match=r'BinomialISL: cam_logits .* non-finite'):
        BinomialISL()(s, y)


@pytest.mark.parametrize('value', [2.0, -1.0, float('nan')])
def test_labels_outside_unit_interval_are_named(value):
    s, y = _inputs()
    y = y.clone()
    y[0, 0] = value
    with pytest.raises(ValueError, match=r'BinomialISL: labels must be .* in \[0, 1\]'):
        BinomialISL()(s, y)
