"""Tests of MaskedFSL (paper eqs. 4, 9-13, sec. 4.3) against a naive dense implementation."""
import itertools
import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from hfpl_mm.models.losses import MaskedFSL, fsl_pairwise_sum, masked_fsl, max_norm


def dense_fsl(s, images, labels, mu=2.5, sigma=5.0, gating='max_norm', mask_absent=True,
              background=None, upsample=1, eps=0.0, norm='max', radius=None,
              align_corners=False):
    """Naive dense eq. (9): every ordered pixel pair, explicit B x HW x HW tensors."""
    B, C, h, w = s.shape
    H, W = h * upsample, w * upsample
    if upsample > 1:
        s = F.interpolate(s, size=(H, W), mode='bilinear', align_corners=False)
    if gating == 'max_norm':
        a = torch.relu(s)
        if norm == 'max':
            r = a / a.amax(dim=(2, 3), keepdim=True)
        else:
            m, M = a.amin(dim=(2, 3), keepdim=True), a.amax(dim=(2, 3), keepdim=True)
            r = torch.relu(a - m - 1e-5) / (M - m + 1e-5)
    elif gating == 'sigmoid':
        r = torch.sigmoid(s)
    elif gating == 'logits':
        r = s
    else:
        r = torch.softmax(s, dim=1)
    if mask_absent:
        r = r * labels[:, :, None, None]
    if background == 'one_minus_max':
        r = torch.cat([1 - r.amax(1, keepdim=True), r], 1)
    x = images
    if tuple(x.shape[-2:]) != (H, W):
        x = F.interpolate(x, size=(H, W), mode='bilinear', align_corners=align_corners)
    X = x.clamp(0, 1).flatten(2).transpose(1, 2)  # B, HW, 3
    q = r.flatten(2).transpose(1, 2)  # B, HW, K
    yy, xx = torch.meshgrid(torch.arange(H), torch.arange(W), indexing='ij')
    P = torch.stack([yy, xx], -1).reshape(-1, 2).to(s.dtype)
    d2 = ((P[:, None] - P[None]) ** 2).sum(-1)
    wgt = torch.exp(-d2 / (2 * sigma**2)) / (2 * math.pi * sigma**2)
    if radius is not None:
        wgt = wgt * (d2 <= radius**2)
    delta = (X[:, :, None] - X[:, None]).abs().sum(-1) / 3
    f = torch.tanh(mu + torch.log((delta + eps) / (1 - delta + eps)))
    g = 0.5 * ((q[:, :, None] - q[:, None]) ** 2).sum(-1)
    return -(wgt * g * f).sum() / (B * H * W)


def make_inputs(B=2, C=3, h=6, w=5, img_hw=None, seed=0, dtype=torch.float64, quant=None):
    """Logits with a positive pixel in every channel (plain eq. 4 defined), labels with at least
    one present class, images in [0, 1] (optionally quantised to create exact ties/edges)."""
    g = torch.Generator().manual_seed(seed)
    s = 2 * torch.randn(B, C, h, w, generator=g)
    s[..., 0, 0] = s[..., 0, 0].abs() + 0.5
    y = (torch.rand(B, C, generator=g) < 0.6).double()
    y[:, 0] = 1.0
    H, W = img_hw or (h, w)
    img = torch.rand(B, 3, H, W, generator=g)
    if quant:
        img = (img * quant).round() / quant
    return s.to(dtype), img.to(dtype), y.to(dtype)


def value_and_grad(fn, s):
    s = s.detach().clone().requires_grad_(True)
    loss = fn(s)
    grad, = torch.autograd.grad(loss, s)
    return loss.detach(), grad


def assert_matches_dense(s, img, y, rtol=1e-5, **kw):
    align = kw.pop('align_corners', False)
    fsl = MaskedFSL(image_align_corners=align, **kw)
    kw.pop('block_elems', None)
    v, g = value_and_grad(lambda t: fsl(t, img, y), s)
    vd, gd = value_and_grad(lambda t: dense_fsl(t, img, y, align_corners=align, **kw), s)
    assert torch.isfinite(v) and bool(torch.isfinite(g).all())
    assert abs(float(v - vd)) <= rtol * abs(float(vd)) + 1e-14, (float(v), float(vd))
    scale = float(gd.abs().max())
    assert float((g - gd).abs().max()) <= rtol * scale + 1e-14
    return v, g


GRID = list(itertools.product(['max_norm', 'sigmoid', 'logits', 'softmax'],
                              [None, 'one_minus_max'], [True, False], [1, 2]))


@pytest.mark.parametrize('gating,background,mask_absent,upsample', GRID)
def test_value_and_grad_match_dense(gating, background, mask_absent, upsample):
    s, img, y = make_inputs(B=2, C=3, h=5, w=4, img_hw=(13, 11), seed=0, quant=8)
    assert_matches_dense(s, img, y, gating=gating, background=background,
                         mask_absent=mask_absent, upsample=upsample, block_elems=37)


@pytest.mark.parametrize('eps,mu,sigma,norm', [(1e-5, 2.5, 5.0, 'max'), (0.0, -1.0, 1.5, 'max'),
                                               (1e-3, 4.0, 0.7, 'minmax'),
                                               (0.0, 2.5, 5.0, 'minmax')])
def test_options_match_dense(eps, mu, sigma, norm):
    # quantised images give exact delta = 0 and delta = 1 pairs (log(0) in the plain formula)
    s, img, y = make_inputs(B=3, C=4, h=7, w=6, seed=1, quant=1)
    img[0, :, :2] = 0.0
    img[0, :, 2:4] = 1.0
    assert_matches_dense(s, img, y, eps=eps, mu=mu, sigma=sigma, norm=norm,
                         background='one_minus_max', block_elems=50)


@pytest.mark.parametrize('block_elems', [1, 7, 64, 10**6])
@pytest.mark.parametrize('hw', [(9, 7), (1, 12), (12, 1)])
def test_block_sizes_and_shapes(block_elems, hw):
    s, img, y = make_inputs(B=3, C=2, h=hw[0], w=hw[1], seed=2)
    assert_matches_dense(s, img, y, block_elems=block_elems)


def test_float32_far_pairs_underflow_is_harmless():
    # sigma = 1: float32 weights underflow beyond ~13 rows, so whole row blocks are skipped and
    # sub-normal weights flushed; the float32 result must still match float64 dense.
    s, img, y = make_inputs(B=2, C=2, h=40, w=3, seed=16)
    v32, g32 = value_and_grad(
        lambda t: MaskedFSL(sigma=1.0, block_elems=20)(t, img.float(), y.float()), s.float())
    v64, g64 = value_and_grad(lambda t: dense_fsl(t, img, y, sigma=1.0), s)
    assert abs(float(v32) - float(v64)) <= 1e-5 * abs(float(v64))
    assert float((g32.double() - g64).abs().max()) <= 1e-5 * float(g64.abs().max())


def test_image_align_corners_and_resize():
    s, img, y = make_inputs(B=2, C=2, h=5, w=6, img_hw=(40, 48), seed=3)
    for align in (False, True):
        assert_matches_dense(s, img, y, align_corners=align)
    v0 = MaskedFSL()(s, img, y)
    v1 = MaskedFSL(image_align_corners=True)(s, img, y)
    assert not torch.allclose(v0, v1)


def test_radius_truncation_matches_truncated_dense():
    s, img, y = make_inputs(B=2, C=3, h=9, w=8, seed=4)
    v, _ = assert_matches_dense(s, img, y, radius=2.5, sigma=3.0, block_elems=20)
    full = MaskedFSL(sigma=3.0)(s, img, y)
    assert not torch.allclose(v, full)
    # a radius beyond the grid diagonal drops nothing
    torch.testing.assert_close(MaskedFSL(sigma=3.0, radius=100.0)(s, img, y), full)


def test_gradcheck_float64():
    s, img, y = make_inputs(B=2, C=3, h=4, w=3, img_hw=(8, 6), seed=5)
    s.requires_grad_(True)
    for kw in (dict(), dict(background='one_minus_max', upsample=2, block_elems=5),
               dict(gating='softmax', mask_absent=False), dict(gating='sigmoid', eps=1e-5)):
        fsl = MaskedFSL(**kw)
        assert torch.autograd.gradcheck(lambda t, f=fsl: f(t, img, y), (s, ), eps=1e-6,
                                        atol=1e-8)


def test_pairwise_sum_gradcheck_and_dense():
    g = torch.Generator().manual_seed(6)
    r = torch.randn(2, 3, 5, 4, generator=g, dtype=torch.float64, requires_grad=True)
    x = torch.rand(2, 3, 5, 4, generator=g, dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda t: fsl_pairwise_sum(t, x, block_elems=9), (r, ))
    dense = dense_fsl(r, x, None, gating='logits', mask_absent=False) * (-2 * 20)
    torch.testing.assert_close(fsl_pairwise_sum(r, x), dense, rtol=1e-12, atol=1e-14)


def test_loss_weight_and_functional():
    s, img, y = make_inputs(seed=7)
    a = MaskedFSL(loss_weight=0.2, background='one_minus_max')(s, img, y)
    b = masked_fsl(s, img, y, background='one_minus_max')
    torch.testing.assert_close(a, 0.2 * b, rtol=1e-14, atol=0)


def test_absent_classes_do_not_matter():
    s, img, y = make_inputs(B=2, C=4, seed=8)
    y[:, 1] = 0.0
    fsl = MaskedFSL(background='one_minus_max')
    s2 = s.clone()
    s2[:, 1] = 5 * torch.randn_like(s2[:, 1])
    torch.testing.assert_close(fsl(s, img, y), fsl(s2, img, y), rtol=0, atol=0)
    _, grad = value_and_grad(lambda t: fsl(t, img, y), s)
    assert bool((grad[:, 1] == 0).all()) and bool((grad[:, 0] != 0).any())


def test_max_norm_gradient_is_plain_formula_and_guard():
    g = torch.Generator().manual_seed(9)
    s = torch.randn(2, 3, 4, 5, generator=g, dtype=torch.float64)
    s[..., 1, 1] = 3.0
    s[..., 2, 2] = 3.0  # tied maxima: amax distributes the gradient like the plain formula
    w = torch.randn(2, 3, 4, 5, generator=g, dtype=torch.float64)
    _, g1 = value_and_grad(lambda t: (max_norm(t) * w).sum(), s)
    _, g2 = value_and_grad(lambda t: ((torch.relu(t) / torch.relu(t).amax((2, 3), True)) * w)
                           .sum(), s)
    torch.testing.assert_close(g1, g2, rtol=1e-14, atol=0)
    neg = -torch.rand(1, 2, 3, 3, dtype=torch.float64) - 0.1
    neg[0, 1, 0, 0] = 0.0  # max exactly 0
    r, gr = value_and_grad(lambda t: (max_norm(t) * 1.5).sum(), neg)
    assert float(r) == 0.0 and bool(torch.isfinite(gr).all())


def _robust_case(case):
    s, img, y = make_inputs(B=2, C=3, h=6, w=6, seed=10, dtype=torch.float32)
    if case == 'huge':
        s = torch.where(torch.rand_like(s) < 0.5, -1e4, 1e4)
    elif case == 'all_negative':
        s = -s.abs() - 1
    elif case == 'zero_labels':
        y = torch.zeros_like(y)
    elif case == 'one_class':
        s, y = s[:, :1].contiguous(), y[:, :1].contiguous()
    elif case == 'one_by_one':
        s, img = s[..., :1, :1].contiguous(), img[..., :1, :1].contiguous()
    elif case == 'constant_image':
        img = torch.full_like(img, 0.3)
    return s, img, y


@pytest.mark.parametrize('gating', ['max_norm', 'sigmoid', 'logits', 'softmax'])
@pytest.mark.parametrize('background', [None, 'one_minus_max'])
@pytest.mark.parametrize('case', ['huge', 'all_negative', 'zero_labels', 'one_class',
                                  'one_by_one', 'constant_image'])
def test_robust_inputs_finite(case, gating, background):
    s, img, y = _robust_case(case)
    for up in (1, 2):
        fsl = MaskedFSL(gating=gating, background=background, upsample=up)
        v, g = value_and_grad(lambda t: fsl(t, img, y), s)
        assert torch.isfinite(v) and bool(torch.isfinite(g).all()), (case, up)
        if case in ('zero_labels', 'one_by_one') and up == 1:
            assert float(v) == 0.0 and bool((g == 0).all())
        if case == 'all_negative' and gating == 'max_norm':
            assert float(v) == 0.0 and bool((g == 0).all())


def test_constant_image_only_pulls_together():
    # every pair is "similar" (f = -1): the loss is the non-negative smoothness term
    s, img, y = _robust_case('constant_image')
    v = MaskedFSL()(s, img, y)
    assert float(v) > 0


@pytest.mark.parametrize('amp_dtype', [torch.bfloat16, torch.float16])
def test_autocast_runs_in_float32(amp_dtype):
    s, img, y = make_inputs(B=2, C=3, h=6, w=6, seed=11, dtype=torch.float32)
    fsl = MaskedFSL(background='one_minus_max')
    ref = fsl(s.to(amp_dtype).float(), img.to(amp_dtype).float(), y)
    sh = s.to(amp_dtype).requires_grad_(True)
    with torch.autocast('cpu', dtype=amp_dtype):
        loss = fsl(sh, img.to(amp_dtype), y)
    assert loss.dtype == torch.float32
    torch.testing.assert_close(loss, ref, rtol=1e-6, atol=0)
    grad, = torch.autograd.grad(loss, sh)
    assert grad.dtype == amp_dtype and bool(torch.isfinite(grad).all())


@pytest.mark.parametrize('lo,hi', [(-2.0, 2.5), (0.0, 255.0), (-0.2, 0.9)])
def test_normalised_images_raise(lo, hi):
    s, img, y = make_inputs(seed=12)
    img = lo + (hi - lo) * img
    img[0, 0, 0, 0], img[0, 0, 0, 1] = lo, hi
    with pytest.raises(ValueError, match=r'\[0, 1\]') as err:
        MaskedFSL()(s, img, y)
    assert f'{lo:.4g}' in str(err.value) and f'{hi:.4g}' in str(err.value)


def test_nan_images_raise_and_small_excursions_are_clamped():
    s, img, y = make_inputs(seed=13)
    bad = img.clone()
    bad[0, 0, 0, 0] = float('nan')
    with pytest.raises(ValueError):
        MaskedFSL()(s, bad, y)
    wiggly = img.clone()
    wiggly[0, :, 0, 0] = -0.01
    wiggly[1, :, 1, 1] = 1.02
    torch.testing.assert_close(MaskedFSL()(s, wiggly, y), MaskedFSL()(s, wiggly.clamp(0, 1), y),
                               rtol=0, atol=0)


@pytest.mark.parametrize('s_shape,img_shape,y_shape,named', [
    ((2, 3, 4, 4), (3, 3, 8, 8), (2, 3), 'si'),  # image batch
    ((2, 3, 4, 4), (2, 4, 8, 8), (2, 3), 'i'),  # image channels
    ((2, 3, 4, 4), (2, 3, 8), (2, 3), 'i'),  # image not 4-D
    ((2, 3, 4, 4), (2, 3, 8, 8), (2, 2), 'sy'),  # label classes
    ((2, 3, 4, 4), (2, 3, 8, 8), (1, 3), 'sy'),  # label batch
    ((2, 3, 16), (2, 3, 8, 8), (2, 3), 's'),  # cam not 4-D
])
def test_shape_errors_name_shapes(s_shape, img_shape, y_shape, named):
    with pytest.raises(ValueError) as err:
        MaskedFSL()(torch.randn(*s_shape), torch.rand(*img_shape), torch.ones(*y_shape))
    shapes = dict(s=s_shape, i=img_shape, y=y_shape)
    for key in named:
        assert str(tuple(shapes[key])) in str(err.value)


def test_labels_required_only_when_masking():
    s, img, y = make_inputs(seed=14)
    with pytest.raises(ValueError, match='labels'):
        MaskedFSL()(s, img)
    v = MaskedFSL(mask_absent=False)(s, img)
    torch.testing.assert_close(v, MaskedFSL(mask_absent=False)(s, img, y))


@pytest.mark.parametrize('kwargs,name', [(dict(sigma=0.0), 'sigma'), (dict(sigma=-1), 'sigma'),
                                         (dict(gating='relu'), 'gating'),
                                         (dict(background='zeros'), 'background'),
                                         (dict(upsample=1.5), 'upsample'),
                                         (dict(upsample=0), 'upsample'),
                                         (dict(upsample_mode='area'), 'upsample_mode'),
                                         (dict(norm='l2'), 'norm'), (dict(eps=-1e-5), 'eps'),
                                         (dict(radius=-1.0), 'radius')])
def test_invalid_args(kwargs, name):
    with pytest.raises(ValueError, match=name):
        MaskedFSL(**kwargs)


def test_unknown_kwarg_raises_type_error():
    with pytest.raises(TypeError):
        MaskedFSL(mu=2.5, lam=0.2)


def test_loss_name_and_registry():
    from mmengine.registry import MODELS
    fsl = MODELS.build(dict(type='MaskedFSL', sigma=3.0, upsample=2))
    assert isinstance(fsl, MaskedFSL) and fsl.sigma == 3.0 and fsl.upsample == 2
    assert fsl.loss_name == 'loss_fsl'
    assert MaskedFSL(loss_name='loss_fsl_x').loss_name == 'loss_fsl_x'


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_cuda_matches_cpu():
    s, img, y = make_inputs(B=3, C=4, h=12, w=10, img_hw=(48, 40), seed=15,
                            dtype=torch.float32)
    fsl = MaskedFSL(background='one_minus_max', upsample=2)
    v, g = value_and_grad(lambda t: fsl(t, img, y), s)
    vc, gc = value_and_grad(lambda t: fsl(t, img.cuda(), y.cuda()), s.cuda())
    torch.testing.assert_close(vc.cpu(), v, rtol=1e-4, atol=1e-7)
    torch.testing.assert_close(gc.cpu(), g, rtol=1e-3, atol=1e-6 * float(g.abs().max()))


@settings(max_examples=25, deadline=None)
@given(B=st.integers(1, 3), C=st.integers(1, 4), h=st.integers(1, 7), w=st.integers(1, 7),
       up=st.integers(1, 2), gating=st.sampled_from(['max_norm', 'sigmoid', 'logits',
                                                     'softmax']),
       background=st.sampled_from([None, 'one_minus_max']), mask=st.booleans(),
       scale=st.sampled_from([0.5, 3.0, 50.0]), quant=st.sampled_from([None, 1, 4]),
       block=st.sampled_from([3, 100, 10**6]), seed=st.integers(0, 2**16))
def test_property_matches_dense(B, C, h, w, up, gating, background, mask, scale, quant, block,
                                seed):
    s, img, y = make_inputs(B=B, C=C, h=h, w=w, img_hw=(h + 3, w + 1), seed=seed, quant=quant)
    s = s * scale
    if gating == 'logits':
        s = s / scale  # keep the unbounded gate at a moderate size for the relative check
    assert_matches_dense(s, img, y, gating=gating, background=background, mask_absent=mask,
                         upsample=up, block_elems=block)


def test_losses_import_with_torch_alone():
    """The losses package must work without mmengine / mmcv / mmseg / mmpretrain."""
    import subprocess
    import sys
    from pathlib import Path
    pkg = Path(__file__).resolve().parents[3] / 'hfpl_mm' / 'models' / 'losses'
    code = f'''
import importlib.util, sys
for name in ("mmengine", "mmcv", "mmseg", "mmpretrain"):
    sys.modules[name] = None  # any import of these raises ImportError
spec = importlib.util.spec_from_file_location("losses_alone", r"{pkg / '__init__.py'}",
                                              submodule_search_locations=[r"{pkg}"])
mod = importlib.util.module_from_spec(spec)
sys.modules["losses_alone"] = mod
spec.loader.exec_module(mod)
import torch
s = torch.randn(2, 3, 5, 5); y = torch.ones(2, 3); img = torch.rand(2, 3, 10, 10)
print(float(mod.MaskedFSL()(s, img, y)), float(mod.BinomialISL()(s, y)))
'''
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.split()) == 2


def test_upsample_mode():
    """``upsample_mode='nearest'`` gates the logits repeated 2x2 (an upsampling by hand), and the
    default is the bilinear one."""
    s, img, y = make_inputs(B=2, C=3, h=5, w=4, img_hw=(20, 16), seed=15)
    up = s.repeat_interleave(2, dim=2).repeat_interleave(2, dim=3)
    torch.testing.assert_close(MaskedFSL(upsample=2, upsample_mode='nearest')(s, img, y),
                               MaskedFSL()(up, img, y))
    torch.testing.assert_close(MaskedFSL(upsample=2)(s, img, y),
                               MaskedFSL(upsample=2, upsample_mode='bilinear')(s, img, y))
    assert not torch.allclose(MaskedFSL(upsample=2, upsample_mode='bicubic')(s, img, y),
                              MaskedFSL(upsample=2)(s, img, y))


def test_non_finite_logits_and_bad_labels_are_named():
    s = torch.randn(2, 3, 6, 6)
    x = torch.rand(2, 3, 12, 12)
    y = torch.tensor([[1., 0., 1.], [0., 1., 1.]])
    bad = s.clone()
    bad[1, 0, 0, 0] = float('nan')
    with pytest.raises(ValueError, match=r'MaskedFSL: cam_logits .* non-finite'):
        MaskedFSL()(bad, x, y)
    with pytest.raises(ValueError, match=r'MaskedFSL: labels must be .* got values in \[0, 3\]'):
        MaskedFSL()(s, x, y * 3)


def test_sigma_whose_weights_all_underflow_is_rejected():
    with pytest.raises(ValueError, match='underflows float32'):
        MaskedFSL(sigma=0.05)
    MaskedFSL(sigma=0.08)  # the smallest weight, between neighbours, is still a normal float
