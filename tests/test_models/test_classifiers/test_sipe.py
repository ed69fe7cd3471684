"""SIPE against a line-by-line transcription of the public code (chenqi1126/SIPE
``network/resnet50_SIPE.py`` Net / CAM, ``train_resnet50_SIPE.py``, ``make_cam.py``): seeds,
prototypes, IS-CAM and the losses of a training batch, the multi-scale inference loop, where
the gradient stops, and the HFPL attachment of the synthetic configs."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

import hfpl_mm  # noqa: F401
from hfpl_mm.models.classifiers.sipe import sipe_is_cam, sipe_prototypes, sipe_seeds
from hfpl_mm.models.losses import BinomialISL, MaskedFSL
from tests.conftest import ROOT

SYNTHETIC = ROOT / 'configs/sipe/sipe_r18-slim-d8_1xb16-12e_synthetic-96x96.py'
HFPL_SYNTHETIC = ROOT / 'configs/sipe/hfpl-sipe_r18-slim-d8_1xb16-12e_synthetic-96x96.py'


# ----------------------------------------------------------- transcription of the public code
def ref_get_seed(norm_cam, label, feature, num_cls):
    n, c, h, w = norm_cam.shape
    seeds = torch.zeros((n, h, w, c))
    feature_s = feature.view(n, -1, h * w)
    feature_s = feature_s / (torch.norm(feature_s, dim=1, keepdim=True) + 1e-5)
    correlation = F.relu(torch.matmul(feature_s.transpose(2, 1), feature_s)).unsqueeze(1)
    cam_flatten = norm_cam.view(n, -1, h * w).unsqueeze(2)
    inter = (correlation * cam_flatten).sum(-1)
    union = correlation.sum(-1) + cam_flatten.sum(-1) - inter
    miou = (inter / union).view(n, num_cls, h, w)
    miou[:, 0] = miou[:, 0] * 0.5
    belonging = miou.argmax(1)
    seeds = seeds.scatter_(-1, belonging.view(n, h, w, 1), 1).permute(0, 3, 1, 2).contiguous()
    return seeds * label


def ref_get_prototype(seeds, feature, num_cls):
    n, c, h, w = feature.shape
    seeds = F.interpolate(seeds, feature.shape[2:], mode='nearest')
    crop_feature = seeds.unsqueeze(2) * feature.unsqueeze(1)
    return F.adaptive_avg_pool2d(crop_feature.view(-1, c, h, w), (1, 1)).view(n, num_cls, c, 1, 1)


def ref_reactivate(prototype, feature):
    is_cam = F.relu(torch.cosine_similarity(feature.unsqueeze(1), prototype, dim=2))
    return F.interpolate(is_cam, feature.shape[2:], mode='bilinear', align_corners=True)


def ref_hie_fea(model, x1, x2, x3, x4):
    sides = [side(x.detach()) for side, x in zip(model.sides, (x1, x2, x3, x4))]
    size = sides[2].shape[2:]
    return torch.cat([F.interpolate(s / (torch.norm(s, dim=1, keepdim=True) + 1e-5), size,
                                    mode='bilinear') for s in sides], dim=1)


def ref_norm_cam(cam, size):
    norm_cam = F.relu(cam)
    norm_cam = norm_cam / (F.adaptive_max_pool2d(norm_cam, (1, 1)) + 1e-5)
    cam_bkg = 1 - torch.max(norm_cam, dim=1)[0].unsqueeze(1)
    norm_cam = torch.cat([cam_bkg, norm_cam], dim=1)
    return F.interpolate(norm_cam, size, mode='bilinear', align_corners=True)


def ref_train_losses(model, img, label):
    """Net.forward(img, valid_mask) and the two losses of train_resnet50_SIPE.py, with a valid
    mask that is 1 everywhere for the background (no crop padding)."""
    num_cls = label.shape[1] + 1
    x1, x2, x3, x4 = model.backbone(img)
    hie_fea = ref_hie_fea(model, x1, x2, x3, x4)
    cam = model.head.classifier(x4)
    score = F.adaptive_avg_pool2d(cam, 1)
    valid_mask = F.pad(label[..., None, None], (0, 0, 0, 0, 1, 0), 'constant', 1.0)
    valid_mask = valid_mask.expand(-1, -1, *hie_fea.shape[2:])
    norm_cam = ref_norm_cam(cam, hie_fea.shape[2:]) * valid_mask
    seeds = ref_get_seed(norm_cam.clone(), valid_mask.clone(), x4.clone(), num_cls)
    prototypes = ref_get_prototype(seeds, hie_fea, num_cls)
    is_cam = ref_reactivate(prototypes, hie_fea)
    loss_cls = F.multilabel_soft_margin_loss(score, label[..., None, None])
    is_cam = is_cam / (F.adaptive_max_pool2d(is_cam, (1, 1)) + 1e-5)
    loss_gsc = torch.mean(torch.abs(norm_cam - is_cam))
    return dict(loss_cls=loss_cls, loss_gsc=loss_gsc), seeds, is_cam


def ref_cam_forward(model, img_pair, label):
    """CAM.forward(x, label) of one image and its mirror; returns IS_cam[0] (K, h, w)."""
    num_cls = label.shape[0]
    x1, x2, x3, x4 = model.backbone(img_pair)
    hie_fea = ref_hie_fea(model, x1, x2, x3, x4)
    cam = model.head.classifier(x4)
    cam = (cam[0] + cam[1].flip(-1)).unsqueeze(0)
    hie_fea = (hie_fea[0] + hie_fea[1].flip(-1)).unsqueeze(0)
    norm_cam = ref_norm_cam(cam, hie_fea.shape[2:])
    seeds = ref_get_seed(norm_cam.clone(), label[None, :, None, None].clone(), hie_fea.clone(),
                         num_cls)
    prototypes = ref_get_prototype(seeds, hie_fea, num_cls)
    return ref_reactivate(prototypes, hie_fea)[0]


# ------------------------------------------------------------------------------------ tests
def _model(path=SYNTHETIC, **backbone):
    init_default_scope('mmpretrain')
    cfg = Config.fromfile(str(path))
    cfg.model.backbone.update(backbone)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model


def _batch(seed=1, size=64):
    g = torch.Generator().manual_seed(seed)
    img = torch.randn(2, 3, size, size, generator=g)
    samples = [DataSample().set_gt_label([0, 2]), DataSample().set_gt_label([5])]
    label = torch.zeros(2, 6)
    label[0, [0, 2]] = 1
    label[1, 5] = 1
    return img, samples, label


def test_seed_prototype_is_cam_functions_match_the_public_code():
    g = torch.Generator().manual_seed(3)
    norm_cam = torch.rand(2, 4, 5, 6, generator=g)
    feature = torch.randn(2, 7, 5, 6, generator=g)
    hie = torch.randn(2, 9, 5, 6, generator=g)
    valid = torch.tensor([[1., 1., 0., 1.], [1., 0., 1., 0.]])[..., None, None]
    seeds = sipe_seeds(norm_cam, feature, valid)
    torch.testing.assert_close(seeds, ref_get_seed(norm_cam.clone(), valid, feature, 4))
    proto = sipe_prototypes(seeds, hie)
    ref_proto = ref_get_prototype(seeds.contiguous(), hie, 4)
    torch.testing.assert_close(proto, ref_proto[..., 0, 0])
    torch.testing.assert_close(sipe_is_cam(proto, hie), ref_reactivate(ref_proto, hie))
    assert (sipe_is_cam(proto, hie)[1, 1] == 0).all()  # an absent class: no prototype


@pytest.mark.parametrize('frozen_stages', [2, -1])
def test_training_losses_match_the_public_code(frozen_stages):
    model = _model(frozen_stages=frozen_stages).train()
    img, samples, label = _batch()
    maps, losses = model.forward_train(img, samples)
    ref, seeds, _ = ref_train_losses(model, img, label)
    assert list(maps) == ['cam'] and maps['cam'].shape == (2, 6, 8, 8)
    assert list(losses) == ['loss_cls', 'loss_gsc']
    for key in ref:
        torch.testing.assert_close(losses[key], ref[key])
    assert seeds[:, 0].sum() > 0 and (seeds[1, 1:6].sum() == 0)  # bg seeded; absent: none


def test_gradient_stops_where_sipe_detaches():
    """frozen_stages=2 (the VOC model): stem, layer1, layer2 get no gradient; the side convs
    only from the consistency loss, and none reaches the backbone through them."""
    model = _model(frozen_stages=2, norm_eval=True).train()
    img, samples, _ = _batch()
    bb = model.backbone

    def grads(loss):
        model.zero_grad(set_to_none=True)
        loss.backward()
        return {n: p.grad for n, p in model.named_parameters() if p.grad is not None}

    cls = grads(model.forward_train(img, samples)[1]['loss_cls'])
    assert not any(n.startswith('sides') for n in cls)
    assert 'head.classifier.weight' in cls and any(n.startswith('backbone.layer4') for n in cls)
    gsc = grads(model.forward_train(img, samples)[1]['loss_gsc'])
    assert all(f'sides.{i}.weight' in gsc for i in range(4))
    assert 'head.classifier.weight' in gsc  # through the general CAM r
    for name in gsc:
        assert not name.startswith(('backbone.conv1', 'backbone.bn1', 'backbone.layer1',
                                    'backbone.layer2')), name
    feats = model.extract_feat(img)
    side = grads(model.hierarchical_feature(feats).sum())
    assert set(side) == {f'sides.{i}.weight' for i in range(4)}
    assert all(not m.training for m in bb.modules() if isinstance(m, torch.nn.BatchNorm2d))


def test_multi_scale_inference_equals_the_public_loop():
    """test_step's IS-CAM: make_cam.py's loop over scales of CAM.forward on (image, mirror)
    pairs, each IS-CAM resized to the image and summed (before its max-normalisation)."""
    model = _model().eval()
    img, samples, label = _batch(seed=4, size=48)
    valid = model.valid_mask(samples, img.device)
    with torch.no_grad():
        ours = model.multi_scale_is_cam(img, valid)
        for b in range(2):
            total = 0
            for scale in (1.0, 0.5, 1.5, 2.0):
                x = img[b:b + 1]
                if scale != 1:
                    x = F.interpolate(x, scale_factor=scale, mode='bilinear',
                                      align_corners=False)
                z = ref_cam_forward(model, torch.cat([x, x.flip(-1)]),
                                    F.pad(label[b], (1, 0), value=1.))
                total = total + F.interpolate(z[:, None], (48, 48), mode='bilinear',
                                              align_corners=False)[:, 0]
            torch.testing.assert_close(ours[b], total)
    data = dict(inputs=[torch.randint(0, 256, (3, 48, 48), dtype=torch.uint8)] * 2,
                data_samples=samples)
    out = model.test_step(data)
    assert out[0].cam.shape == (6, 48, 48) and out[0].cam_bg.shape == (48, 48)
    assert out[1].cam[:5].abs().sum() == 0  # absent classes have no IS-CAM
    # validation: one pass at feature resolution, same fields
    val = model.val_step(data)
    assert val[0].cam.shape == (6, 6, 6) and val[0].cam_bg.shape == (6, 6)
    with pytest.raises(ValueError, match='image-level labels'):
        model.predict(img, None)


def test_hfpl_attaches_scaled_isl_and_fsl_to_the_logits():
    """hfpl-sipe: loss_cls replaced by 0.8 GAP-BCE + 0.1 * 0.2 ISL on the logits s (BinomialISL's
    mix with lam 0.02 / 0.82 and weight 0.82), loss_gsc kept, FSL x0.1 on s upsampled x2
    (bilinear) with the background 1 - max, on the images in [0, 1]."""
    model = _model(HFPL_SYNTHETIC).train()
    img, samples, label = _batch()
    img = img.clamp(-2, 2)  # normalised inputs of images in [0, 255]
    maps, base = model.forward_train(img, samples)
    torch.manual_seed(5)
    losses = model.loss(img, samples)
    assert list(losses) == ['loss_isl', 'loss_gsc', 'loss_fsl']
    torch.testing.assert_close(losses['loss_gsc'], base['loss_gsc'])
    gap_bce = BinomialISL(lam=0.)(maps['cam'], label)
    torch.manual_seed(5)
    isl = BinomialISL(num_samples=10, lam=1.)(maps['cam'], label)
    torch.testing.assert_close(losses['loss_isl'], 0.8 * gap_bce + 0.02 * isl)
    fsl = MaskedFSL(background='one_minus_max', upsample=2, eps=1e-5,
                    image_align_corners=True)(maps['cam'], model.images_01(img), label)
    torch.testing.assert_close(losses['loss_fsl'], 0.1 * fsl)


def test_bad_heads():
    init_default_scope('mmpretrain')
    cfg = Config.fromfile(str(SYNTHETIC)).model
    with pytest.raises(ValueError, match='background channel'):
        MODELS.build(dict(cfg, head=dict(cfg.head, bg_channel=True, num_classes=7)))
    with pytest.raises(ValueError, match='four side convs'):
        MODELS.build(dict(cfg, side_channels=(8, 8)))
