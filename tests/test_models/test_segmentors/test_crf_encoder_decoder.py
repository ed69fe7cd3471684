"""CRFEncoderDecoder: PMM's multi-ratio + flip softmax average and dense CRF against a
transcription of Eli-YiLi/WSSS_MMSeg encoder_decoder.py (inference / aug_test / DenseCRF)."""
import mmcv
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.structures import PixelData  # noqa: F401
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmengine.registry import DefaultScope

from hfpl_mm.models.segmentors import CRFEncoderDecoder  # noqa: F401 (registers it)



def ref_dense_crf(image, probmap, iter_max=10, pos_w=3, pos_xy_std=1, bi_w=4, bi_xy_std=67,
                  bi_rgb_std=3):
    """WSSS_MMSeg EncoderDecoder.DenseCRF."""
    import pydensecrf.densecrf as dcrf
    import pydensecrf.utils as utils
    C, H, W = probmap.shape
    U = utils.unary_from_softmax(probmap)
    U = np.ascontiguousarray(U)
    image = np.ascontiguousarray(image)
    dc = dcrf.DenseCRF2D(W, H, C)
    dc.setUnaryEnergy(U)
    dc.addPairwiseGaussian(sxy=pos_xy_std, compat=pos_w)
    dc.addPairwiseBilateral(sxy=bi_xy_std, srgb=bi_rgb_std, rgbim=image, compat=bi_w)
    Q = dc.inference(iter_max)
    return np.array(Q).reshape((C, H, W))


def build(**test_cfg):
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmseg'):
        return _build(test_cfg)


def _build(test_cfg):
    model = MODELS.build(dict(
        type='CRFEncoderDecoder',
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[128.] * 3, std=[64.] * 3,
                               bgr_to_rgb=True),
        backbone=dict(type='ResNetV1c', depth=18, stem_channels=8, base_channels=8,
                      out_indices=(3, ), strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4)),
        decode_head=dict(type='FCNHead', in_channels=64, channels=8, num_convs=1,
                         num_classes=3, in_index=0),
        test_cfg=dict(mode='whole', **test_cfg)))
    return model.eval()


@pytest.fixture
def image(tmp_path):
    rng = np.random.default_rng(0)
    img = rng.integers(0, 255, (40, 48, 3)).astype(np.uint8)
    img[10:30, 12:36] = (220, 30, 40)
    path = str(tmp_path / 'a.png')
    mmcv.imwrite(img, path)
    return path


def run(model, path):
    img = mmcv.imread(path)  # BGR, as LoadImageFromFile
    sample = SegDataSample(metainfo=dict(img_path=path, ori_shape=img.shape[:2],
                                         img_shape=img.shape[:2], pad_shape=img.shape[:2]))
    data = model.data_preprocessor(dict(inputs=[torch.from_numpy(img).permute(2, 0, 1)],
                                        data_samples=[sample]), False)
    with torch.no_grad():
        return model.predict(data['inputs'], data['data_samples'])[0], data


def test_ratios_flip_and_crf_match_public_code(image):
    plain = build()
    ours, data = run(build(ratios=(0.5, 1.0, 1.5), flip=True, crf={}), image)
    x = data['inputs']
    metas = [s.metainfo for s in data['data_samples']]
    with torch.no_grad():  # aug_test: mean of softmax(inference) over ratios x flips
        total = 0
        for r in (0.5, 1.0, 1.5):
            xr = F.interpolate(x, scale_factor=r, mode='bilinear') if r != 1 else x
            for flip in (False, True):
                xi = xr.flip(-1) if flip else xr
                out = F.softmax(plain.inference(xi, [dict(m, img_shape=xi.shape[-2:])
                                                     for m in metas]), dim=1)
                total = total + F.interpolate(out.flip(-1) if flip else out, size=x.shape[-2:],
                                              mode='bilinear')
    prob = (total / 6)[0].numpy()
    rgb = np.array(mmcv.imread(image, channel_order='rgb'))
    ref = ref_dense_crf(rgb, prob)
    np.testing.assert_allclose(ours.seg_logits.data.numpy(), ref, atol=1e-5)
    np.testing.assert_array_equal(ours.pred_sem_seg.data[0].numpy(), ref.argmax(0))


def test_single_pass_without_crf_is_mmseg(image):
    ours, data = run(build(), image)
    base = build()
    with torch.no_grad():
        logits = base.inference(data['inputs'], [s.metainfo for s in data['data_samples']])
    np.testing.assert_array_equal(ours.pred_sem_seg.data[0].numpy(),
                                  logits.argmax(1)[0].numpy())
    with pytest.raises(ValueError, match='ratios'):
        build(ratios=(0., ))
