"""MCTformerV2: losses and fused CAMs against a line-by-line transcription of the public code
(xulianuwa/MCTformer@9606597: vision_transformer.py Attention / Block, models.py MCTformerV2,
engine.py train_one_epoch and generate_attention_maps_ms), HFPL on the patch CAM, AMP + FSL."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

import hfpl_mm  # noqa: F401
from hfpl_mm.models.classifiers.mctformer import fuse_attention_cams

K = 4  # classes = class tokens


def _model(isl=None, fsl=None, **kwargs):
    init_default_scope('mmpretrain')
    torch.manual_seed(0)
    model = MODELS.build(dict(
        type='MCTformerV2',
        data_preprocessor=dict(type='ClsDataPreprocessor', num_classes=K,
                               mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375],
                               to_rgb=True, to_onehot=True),
        backbone=dict(type='MCTViT', arch=dict(embed_dims=32, num_layers=4, num_heads=2,
                                               feedforward_channels=64),
                      img_size=64, patch_size=8, num_class_tokens=K),
        head=dict(type='CAMHead', num_classes=K, in_channels=32, kernel_size=3, bias=True,
                  loss_map='patch', isl_replaces='loss_patch', isl=isl, fsl=fsl, init_cfg=None),
        cam_cfg=dict(scales=(1.0, ), flip=True), **kwargs))
    model.init_weights()
    return model


def _samples(labels):
    return [DataSample().set_gt_label(lab) for lab in labels]


# --- transcription of the public code (names as there) -------------------------------------
def _block(layer, x, num_heads):
    """vision_transformer.py Block.forward / Attention.forward with the layer's weights."""
    B, N, C = x.shape
    h = layer.ln1(x)
    qkv = layer.attn.qkv(h).reshape(B, N, 3, num_heads, C // num_heads).permute(2, 0, 3, 1, 4)
    q, k, v = qkv[0], qkv[1], qkv[2]
    attn = (q @ k.transpose(-2, -1)) * (C // num_heads)**-0.5
    attn = attn.softmax(dim=-1)
    weights = attn
    o = (attn @ v).transpose(1, 2).reshape(B, N, C)
    o = layer.attn.proj(o)
    x = x + o
    fc1, fc2 = layer.ffn.layers[0][0], layer.ffn.layers[1]
    x = x + fc2(F.gelu(fc1(layer.ln2(x))))
    return x, weights


def _upstream_forward(model, x, n_layers):
    """models.py MCTformerV2.forward_features + forward(return_att=True, 'fused')."""
    vit, num_classes = model.backbone, K
    B, nc, w, h = x.shape
    x = vit.patch_embed.projection(x).flatten(2).transpose(1, 2)
    cls_tokens = vit.cls_token.expand(B, -1, -1)
    x = torch.cat((cls_tokens, x), dim=1)
    x = x + vit.pos_embed  # interpolate_pos_encoding at the training size
    attn_weights = []
    for layer in vit.layers:
        x, weights_i = _block(layer, x, vit.arch_settings['num_heads'])
        attn_weights.append(weights_i)
    x_cls, x_patch = x[:, 0:num_classes], x[:, num_classes:]
    n, p, c = x_patch.shape
    x_patch = torch.reshape(x_patch, [n, int(p**0.5), int(p**0.5), c])
    x_patch = x_patch.permute([0, 3, 1, 2]).contiguous()
    x_patch = model.head.classifier(x_patch)
    x_patch_logits = F.adaptive_avg_pool2d(x_patch, 1).squeeze(3).squeeze(2)
    attn_weights = torch.stack(attn_weights)
    attn_weights = torch.mean(attn_weights, dim=2)
    feature_map = F.relu(x_patch.detach().clone())
    n, c, h, w = feature_map.shape
    mtatt = attn_weights[-n_layers:].sum(0)[:, 0:num_classes, num_classes:].reshape([n, c, h, w])
    cams = mtatt * feature_map
    patch_attn = attn_weights[:, :, num_classes:, num_classes:]
    x_cls_logits = x_cls.mean(-1)
    return x_cls_logits, x_patch_logits, cams, patch_attn


def _upstream_cams(model, image, target, n_layers=3, patch_size=8):
    """engine.py generate_attention_maps_ms for one image, --scales 1.0 (+ its flip),
    --patch-attn-refine: the min-max normalised maps of the present classes."""
    image_list = [image, torch.flip(image, [-1])]
    w_orig, h_orig = image.shape[2], image.shape[3]
    cam_list = []
    for s in range(len(image_list)):
        images = image_list[s]
        w, h = images.shape[2] - images.shape[2] % patch_size, \
            images.shape[3] - images.shape[3] % patch_size
        w_featmap, h_featmap = w // patch_size, h // patch_size
        output, _, cls_attentions, patch_attn = _upstream_forward(model, images, n_layers)
        patch_attn = torch.sum(patch_attn, dim=0)
        cls_attentions = torch.matmul(
            patch_attn.unsqueeze(1),
            cls_attentions.view(cls_attentions.shape[0], cls_attentions.shape[1], -1, 1)).reshape(
                cls_attentions.shape[0], cls_attentions.shape[1], w_featmap, h_featmap)
        cls_attentions = F.interpolate(cls_attentions, size=(w_orig, h_orig), mode='bilinear',
                                       align_corners=False)[0]
        cls_attentions = cls_attentions.cpu().numpy() * target.clone().view(K, 1, 1).numpy()
        if s % 2 == 1:
            cls_attentions = np.flip(cls_attentions, axis=-1)
        cam_list.append(cls_attentions)
    sum_cam = torch.from_numpy(np.sum(cam_list, axis=0)).unsqueeze(0)
    cam_dict = {}
    for cls_ind in range(K):
        if target[cls_ind] > 0:
            cls_attention = sum_cam[0, cls_ind, :]
            cls_attention = (cls_attention - cls_attention.min()) / (
                cls_attention.max() - cls_attention.min() + 1e-8)
            cam_dict[cls_ind] = cls_attention.numpy()
    return cam_dict


# --- tests -------------------------------------------------------------------------------------
def test_losses_match_train_one_epoch():
    model = _model()
    model.eval()  # no drop path: the transcription has none
    x = torch.randn(3, 3, 64, 64)
    labels = [[0], [1, 3], [2]]
    y = torch.zeros(3, K)
    for i, lab in enumerate(labels):
        y[i, lab] = 1
    maps, losses = model.forward_train(x, _samples(labels))
    cls_logits, patch_logits, _, _ = _upstream_forward(model, x, 3)
    assert set(maps) == {'patch'} and maps['patch'].shape == (3, K, 8, 8)
    torch.testing.assert_close(losses['loss_cls'], F.multilabel_soft_margin_loss(cls_logits, y))
    torch.testing.assert_close(losses['loss_patch'],
                               F.multilabel_soft_margin_loss(patch_logits, y))
    assert list(model.loss(x, _samples(labels))) == ['loss_cls', 'loss_patch']


@pytest.mark.parametrize('size', [(64, 64), (70, 67)])
def test_fused_cams_match_the_public_inference(size):
    """Whole image at its size + flip: the transcription and test_step's CAMs agree (the public
    position-embedding interpolation equals ours at the training grid; (70, 67) keeps the 8x8
    grid, the remainder dropped by both)."""
    model = _model()
    model.eval()
    torch.manual_seed(1)
    image = torch.randn(1, 3, *size)
    target = torch.tensor([1., 0., 1., 0.])
    with torch.no_grad():
        expected = _upstream_cams(model, image, target)
        ours = model.multi_scale_cam(image)[0]
    assert ours.shape == (K, *size)
    for c, cam in expected.items():
        np.testing.assert_allclose(ours[c].numpy(), cam, rtol=1e-4, atol=1e-5)


def test_fusion_options():
    torch.manual_seed(0)
    cam = torch.randn(2, K, 3, 3)
    attns = [torch.rand(2, 2, K + 9, K + 9).softmax(-1) for _ in range(5)]
    a = torch.stack(attns).mean(2)
    mct = a[-2:].sum(0)[:, :K, K:].reshape(2, K, 3, 3)
    torch.testing.assert_close(
        fuse_attention_cams(cam, attns, 'mct', cls_layers=2, patch_refine=False), mct)
    torch.testing.assert_close(
        fuse_attention_cams(cam, attns, 'patchcam', patch_refine=False), F.relu(cam))
    refined = torch.einsum('bij,bkj->bki', a[:, :, K:, K:].sum(0),
                           (mct * F.relu(cam)).flatten(2)).reshape(2, K, 3, 3)
    torch.testing.assert_close(fuse_attention_cams(cam, attns, 'fused', cls_layers=2), refined)
    with pytest.raises(ValueError, match='attention_type'):
        fuse_attention_cams(cam, attns, 'max')
    with pytest.raises(ValueError, match='tokens'):
        fuse_attention_cams(cam[:, :, :2], attns)
    with pytest.raises(ValueError, match='cls_layers'):
        _model(cls_layers=5)


def test_predict_gives_normalised_cams_and_bad_heads_are_named():
    model = _model()
    model.eval()
    with torch.no_grad():
        samples = model.predict(torch.randn(2, 3, 64, 64))
    cam = samples[0].cam
    assert cam.shape == (K, 8, 8) and samples[0].pred_score.shape == (K, )
    torch.testing.assert_close(cam.amax(dim=(1, 2)), torch.ones(K), atol=1e-4, rtol=0)
    torch.testing.assert_close(cam.amin(dim=(1, 2)), torch.zeros(K))
    with pytest.raises(ValueError, match='one class token per head class'):
        init_default_scope('mmpretrain')
        MODELS.build(dict(type='MCTformerV2',
                          backbone=dict(type='MCTViT', arch='deit-tiny', num_class_tokens=3),
                          head=dict(type='CAMHead', num_classes=K, in_channels=192)))


def test_hfpl_on_the_patch_cam_under_autocast():
    """ISL takes the place of the patch MLSM (eq. 16), FSL on the x4-upsampled patch CAM: both
    finite and float32 under CPU autocast (bfloat16), with gradients into the backbone."""
    isl = dict(type='BinomialISL', num_samples=10, lam=0.02)
    fsl = dict(type='MaskedFSL', norm='minmax', background='one_minus_max', eps=1e-5,
               image_align_corners=True, upsample=4, loss_weight=0.1)
    model = _model(isl=isl, fsl=fsl)
    model.train()
    pre = model.data_preprocessor
    x = (torch.rand(2, 3, 64, 64) * 255 - pre.mean) / pre.std  # as the preprocessor gives them
    labels = [[0, 2], [1]]
    torch.manual_seed(0)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        losses = model.loss(x, _samples(labels))
    assert list(losses) == ['loss_cls', 'loss_isl', 'loss_fsl']
    assert losses['loss_isl'].dtype == losses['loss_fsl'].dtype == torch.float32
    assert all(torch.isfinite(v) for v in losses.values())
    assert losses['loss_fsl'].item() != 0
    sum(losses.values()).backward()
    grad = model.backbone.layers[0].attn.qkv.weight.grad
    assert grad is not None and torch.isfinite(grad).all()
    # FSL sees the 8x8 patch CAM upsampled to 32x32
    fsl_module = model.head.fsl
    assert fsl_module.upsample == 4 and math.isclose(fsl_module.loss_weight, 0.1)
