"""SEAM: forward shapes, PCM, the losses against a transcription of the public code, HFPL."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.optim import OptimWrapper, build_optim_wrapper
from mmengine.registry import init_default_scope
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

import hfpl_mm  # noqa: F401
from hfpl_mm.models.losses import fsl_gate

BASE = 'configs/seam/seam_r38d-slim_1xb16-12e_synthetic-96x96.py'
HFPL = 'configs/seam/hfpl-seam_r38d-slim_1xb16-12e_synthetic-96x96.py'
TINY = dict(backbone=dict(base_channels=4), head=dict(in_channels=256),
            pcm=dict(in_channels=(32, 64)))


def _model(path=HFPL, **overrides):
    init_default_scope('mmpretrain')
    cfg = Config.fromfile(path)
    model_cfg = Config(dict(model=cfg.model))
    model_cfg.merge_from_dict(dict(model=dict(TINY, **overrides)))
    model = MODELS.build(model_cfg.model)
    model.init_weights()
    return model


def _data(size=48):
    return dict(inputs=[torch.randint(0, 256, (3, size, size), dtype=torch.uint8)
                        for _ in range(2)],
                data_samples=[DataSample().set_gt_label([0, 2]), DataSample().set_gt_label([5])])


def test_forward_shapes_and_pcm():
    """Scores and PCM output at stride 8 with K + 1 channels; each PCM output pixel is an
    affinity-weighted average of the seed, whose channels sum to 1 (background = 1 - max,
    one foreground class kept), so the output's channels sum to 1 (YudeWang/SEAM's
    ``network/resnet38_SEAM.py``)."""
    model = _model(BASE).eval()
    x = torch.randn(2, 3, 48, 40)
    s, s_rv = model.forward_seam(x)
    assert s.shape == s_rv.shape == (2, 7, 6, 5)
    assert model.num_classes == 6
    seed = model.pcm.seed(s)
    assert (seed[:, 1:] > 0).sum(1).le(1).all()  # one foreground class per pixel survives
    torch.testing.assert_close(seed[:, 0], 1 - seed[:, 1:].amax(1))
    torch.testing.assert_close(seed.sum(1), torch.ones(2, 6, 5))
    assert (s_rv >= 0).all()
    torch.testing.assert_close(s_rv.sum(1), torch.ones(2, 6, 5), rtol=0, atol=1e-3)


def test_branch_shapes_at_seams_crop_size():
    """A 448 crop: fc8 / PCM at 56 x 56, the 0.3 branch at 134 x 134 -> 17 x 17 (section 2.2)."""
    model = _model(BASE)
    shapes = []
    model.head.classifier.register_forward_hook(lambda m, i, o: shapes.append(tuple(o.shape)))
    model.pcm.register_forward_hook(lambda m, i, o: shapes.append(tuple(i[1].shape[-2:])))
    y = [DataSample().set_gt_label([1])]
    losses = model.loss(torch.randn(1, 3, 448, 448), y)
    assert shapes == [(1, 7, 56, 56), (448, 448), (1, 7, 17, 17), (134, 134)]
    assert all(torch.isfinite(v) for v in losses.values())


def _reference_losses(cam1, cam_rv1, cam2, cam_rv2, ybar):
    """The public code (train_SEAM.py / train_cam_voc.py), transcribed with its in-place ops."""

    def max_norm(p, e=1e-5):
        p = F.relu(p)
        n, c = p.shape[:2]
        max_v = p.view(n, c, -1).max(-1)[0].view(n, c, 1, 1)
        min_v = p.view(n, c, -1).min(-1)[0].view(n, c, 1, 1)
        return F.relu(p - min_v - e) / (max_v - min_v + e)

    def max_onehot(x):
        x_max = torch.max(x[:, 1:], dim=1, keepdim=True)[0]
        x[:, 1:][x[:, 1:] != x_max] = 0
        return x

    def min_pool(x):
        n, c, h, w = x.size()
        k = h * w // 4
        y = torch.topk(torch.max(x, dim=1)[0].view(n, -1), k=k, dim=-1, largest=False)[0]
        return torch.sum(F.relu(y)) / (k * n)

    loss_min = (min_pool((cam_rv1 * ybar)[:, 1:]) + min_pool((cam_rv2 * ybar)[:, 1:])) / 2
    c1 = F.interpolate(max_norm(cam1), scale_factor=0.3, mode='bilinear',
                       align_corners=True) * ybar
    rv1 = F.interpolate(max_norm(cam_rv1), scale_factor=0.3, mode='bilinear',
                        align_corners=True) * ybar
    c2, rv2 = max_norm(cam2) * ybar, max_norm(cam_rv2) * ybar
    ns, cs, hs, ws = c2.size()
    loss_er = torch.mean(torch.abs(c1[:, 1:] - c2[:, 1:]))
    c1[:, 0] = 1 - torch.max(c1[:, 1:], dim=1)[0]
    c2[:, 0] = 1 - torch.max(c2[:, 1:], dim=1)[0]
    k = int(cs * hs * ws * 0.2)
    ecr1 = torch.abs(max_onehot(c2.detach()) - rv1)
    ecr2 = torch.abs(max_onehot(c1.detach()) - rv2)
    loss_ecr = (torch.mean(torch.topk(ecr1.view(ns, -1), k=k, dim=-1)[0]) +
                torch.mean(torch.topk(ecr2.view(ns, -1), k=k, dim=-1)[0]))
    return loss_min, loss_er, loss_ecr


def test_min_er_ecr_match_the_public_code():
    model = _model(BASE)
    g = torch.Generator().manual_seed(0)
    y = torch.tensor([[1., 0, 1, 0, 0, 0], [0, 0, 0, 0, 0, 1]])
    ybar = F.pad(y, (1, 0), value=1.)[..., None, None]
    cam1, cam_rv1 = (torch.randn(2, 7, 40, 40, generator=g) for _ in range(2))
    cam2, cam_rv2 = (torch.randn(2, 7, 12, 12, generator=g) for _ in range(2))
    cam_rv1, cam_rv2 = cam_rv1.abs(), cam_rv2.abs()
    ref_min, ref_er, ref_ecr = _reference_losses(cam1, cam_rv1, cam2, cam_rv2, ybar)
    ours = model.equivariance_losses(cam1, cam_rv1, cam2, cam_rv2, ybar)
    loss_min = 0.5 * (model.min_pooling_loss((cam_rv1 * ybar)[:, 1:]) +
                      model.min_pooling_loss((cam_rv2 * ybar)[:, 1:]))
    torch.testing.assert_close(loss_min, ref_min)
    torch.testing.assert_close(ours['loss_er'], ref_er)
    torch.testing.assert_close(ours['loss_ecr'], ref_ecr)


def test_fsl_options_express_the_public_gate():
    """MaskedFSL(norm='minmax', background='one_minus_max') on the foreground logits equals
    hfpl's ``max_norm(logits) * label`` with channel 0 overwritten by ``1 - max``."""
    fsl = _model(HFPL).head.fsl
    s = torch.randn(2, 7, 9, 9)
    y = torch.tensor([[1., 0, 1, 0, 0, 0], [0, 0, 0, 0, 0, 1]])
    a = F.relu(s)
    m, M = a.amin((2, 3), keepdim=True), a.amax((2, 3), keepdim=True)
    ref = F.relu(a - m - 1e-5) / (M - m + 1e-5) * F.pad(y, (1, 0), value=1.)[..., None, None]
    ref[:, 0] = 1 - ref[:, 1:].max(1)[0]
    gate = fsl_gate(s[:, 1:], y, fsl.gating, fsl.norm, fsl.mask_absent, fsl.background)
    torch.testing.assert_close(gate, ref)
    assert (fsl.eps, fsl.image_align_corners, fsl.mu, fsl.sigma) == (1e-5, True, 2.5, 5.0)


@pytest.mark.parametrize('path,keys', [
    (BASE, {'loss_cls1', 'loss_cls2', 'loss_min', 'loss_er', 'loss_ecr'}),
    (HFPL, {'loss_isl', 'loss_cls2', 'loss_min', 'loss_er', 'loss_ecr', 'loss_fsl'}),
])
def test_train_step_logs_every_loss(path, keys):
    model = _model(path)
    wrapper = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01))
    log_vars = model.train_step(_data(), wrapper)
    assert set(log_vars) == keys | {'loss'}
    assert torch.isfinite(log_vars['loss'])
    total = sum(float(log_vars[k].detach()) for k in keys)
    assert float(log_vars['loss'].detach()) == pytest.approx(total, rel=1e-5)


def test_gradients_reach_their_modules():
    """Classification / ER / FSL train backbone and fc8; ECR and min-pooling train only the
    PCM (its backbone features are detached and its seed has no gradient)."""
    model = _model(HFPL)
    data = model.data_preprocessor(_data(), True)
    losses = model.loss(data['inputs'], data['data_samples'])
    pcm_only = losses['loss_ecr'] + losses['loss_min']
    pcm_only.backward(retain_graph=True)
    assert model.pcm.f9.weight.grad.abs().sum() > 0
    assert model.pcm.f8_3.weight.grad.abs().sum() > 0
    assert model.head.classifier.weight.grad is None
    assert model.backbone.b7.conv_branch1.weight.grad is None
    model.zero_grad()
    (losses['loss_isl'] + losses['loss_er'] + losses['loss_fsl']).backward()
    assert model.pcm.f9.weight.grad is None
    assert model.head.classifier.weight.grad.abs().sum() > 0
    assert model.backbone.conv1a.weight.grad.abs().sum() > 0


def test_background_channel_is_never_supervised():
    model = _model(HFPL)
    data = model.data_preprocessor(_data(), True)
    sum(model.loss(data['inputs'], data['data_samples']).values()).backward()
    grad = model.head.classifier.weight.grad
    assert grad[0].abs().sum() == 0 and grad[1:].abs().sum() > 0


def test_predict_gives_the_pcm_cam():
    model = _model(BASE, cam_cfg=dict(scales=(1.0, 0.5), flip=True)).eval()
    data = model.data_preprocessor(_data(40), False)
    with torch.no_grad():
        samples = model.predict(data['inputs'], data['data_samples'])
        s, s_rv = model.forward_seam(data['inputs'])
        assert samples[0].pred_score.shape == (6, )
        torch.testing.assert_close(samples[0].cam, s_rv[0, 1:])
        tested = model.test_step(_data(40))
    assert tested[1].cam.shape == (6, 40, 40) and (tested[1].cam >= 0).all()


def test_seam_parameter_groups():
    """SEAM's four groups via paramwise_cfg, and the PolyOptimizer momentum quirk."""
    init_default_scope('mmpretrain')
    model = _model(BASE, head=dict(bias=True))
    optim_cfg = Config.fromfile('configs/seam_voc.py').optim_wrapper
    wrapper = build_optim_wrapper(model, optim_cfg)
    names = {id(p): n for n, p in model.named_parameters()}
    groups = {names[id(g['params'][0])]: g for g in wrapper.optimizer.param_groups}
    expected = {
        'backbone.b3.conv_branch2a.weight': (0.01, 5e-4),
        'head.classifier.weight': (0.1, 5e-4),
        'head.classifier.bias': (0.2, 0.),
        'pcm.f9.weight': (0.1, 5e-4),
    }
    for name, (lr, wd) in expected.items():
        assert (groups[name]['lr'], groups[name]['weight_decay']) == pytest.approx((lr, wd))
    assert wrapper.optimizer.defaults['momentum'] == 5e-4


def test_head_must_have_the_background_channel():
    with pytest.raises(ValueError, match='num_classes'):
        _model(BASE, head=dict(num_classes=1))
    with pytest.raises(ValueError, match='bg_channel'):
        _model(BASE, head=dict(bg_channel=False))


def test_forward_train_gives_both_branches_and_seams_own_losses():
    """The template's baseline half: fc8 scores of both branches by name, SEAM's losses only
    (ISL / FSL are the head's), whatever the head has configured."""
    model = _model(HFPL)
    data = model.data_preprocessor(_data(), True)
    cams, losses = model.forward_train(data['inputs'], data['data_samples'])
    assert list(cams) == ['branch1', 'branch2'] == [model.head.loss_map, 'branch2']
    assert cams['branch1'].shape == (2, 7, 6, 6) and cams['branch2'].shape == (2, 7, 2, 2)
    assert list(losses) == ['loss_cls1', 'loss_cls2', 'loss_min', 'loss_er', 'loss_ecr']
    assert model.head.isl_replaces == 'loss_cls1' and model.head.isl_weight == 0.5


def test_multi_scale_cam_is_seams_inference():
    """SEAM's infer: per scale and flip, s_rv[:, 1:] up to the pass's input (align_corners
    True), then to the image (align_corners False), mirrored passes flipped back, summed."""
    scales = (1.0, 0.5, 1.5)
    model = _model(BASE, cam_cfg=dict(scales=scales, flip=True)).eval()
    inputs = model.data_preprocessor(_data(40), False)['inputs']
    expected = 0.
    with torch.no_grad():
        for scale in scales:
            for mirror in (False, True):
                x = F.interpolate(inputs, scale_factor=scale, mode='bilinear',
                                  align_corners=False) if scale != 1 else inputs
                x = x.flip(-1) if mirror else x
                cam = F.interpolate(model.forward_seam(x)[1][:, 1:], size=x.shape[-2:],
                                    mode='bilinear', align_corners=True)
                cam = F.interpolate(cam, size=(40, 40), mode='bilinear', align_corners=False)
                expected = expected + (cam.flip(-1) if mirror else cam)
        torch.testing.assert_close(model.multi_scale_cam(inputs), expected)
