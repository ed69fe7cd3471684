"""PMM's CRF regions and PPMG against line-by-line transcriptions of Eli-YiLi/PMM
(pipeline/refine_cam.py, pipeline/infer_multi_scale.py, tool/imutils.py), and the labeler model."""
import numpy as np
import pytest
import torch
from mmengine.structures import PixelData  # noqa: F401
from mmseg.structures import SegDataSample

from hfpl_mm.models.refinement import SEAM_CRF, DenseCRF, PMMLabeler
from hfpl_mm.models.refinement.pmm_labels import (PMM_PPMG_CRF, coefficient_of_variation,
                                                 crf_regions, ppmg)


# --- transcription of the public code ------------------------------------------------------
def ref_crf_inference(img, probs, t=10, scale_factor=1, labels=21, gauss_compat=10):
    import pydensecrf.densecrf as dcrf
    from pydensecrf.utils import unary_from_softmax
    h, w = img.shape[:2]
    n_labels = labels
    d = dcrf.DenseCRF2D(w, h, n_labels)
    unary = unary_from_softmax(probs)
    unary = np.ascontiguousarray(unary)
    d.setUnaryEnergy(unary)
    d.addPairwiseGaussian(3 / scale_factor, compat=gauss_compat)
    d.addPairwiseBilateral(sxy=80 / scale_factor, srgb=13, rgbim=np.copy(img), compat=10)
    Q = d.inference(t)
    return np.array(Q).reshape((n_labels, h, w))


def ref_ppmg(img, cam_dict, alpha, cam_thresh=0, k_add=True, cv={}):
    foreground = [np.ones((img.shape[0], img.shape[1])).astype(np.uint8)]
    importance = [foreground[0]]
    keys = [0]
    for k, v in cam_dict.items():
        v = np.array([v])
        cvs = np.copy(v)
        cvs[cvs < cam_thresh] = 0
        cvs = cvs ** (1 - cv[k])
        bg_score = np.power(1 - np.max(cvs, axis=0, keepdims=True), alpha)
        bgcam_score = np.concatenate((bg_score, cvs), axis=0)
        crf_k = ref_crf_inference(img, bgcam_score, labels=bgcam_score.shape[0])[1]
        fg_k = np.zeros_like(crf_k)
        fg_k[crf_k > 0.5] = 1
        fg_k[crf_k <= 0.5] = 0
        foreground.append(fg_k)
        importance.append(v[0] / (1 + (v[0] * fg_k).sum()))
        keys.append(k + 1 if k_add else k)
        foreground[0] = foreground[0] * (fg_k == 0)
        importance[0] = foreground[0]
    out = {}
    mask = np.argmax(np.stack(foreground, 0) * np.stack(importance, 0), 0)
    for i, k in enumerate(keys):
        out[k] = (mask == i).astype('bool')
    return out


def ref_get_CoV(heat, scale=0.3, t=0.05):
    CoV = {}
    for k, v in heat.items():
        if (v > t).sum() == 0:
            CoV[k] = 0
        else:
            CoV[k] = v[v > t].std() / (v[v > t] + 0.00000001).mean() * scale
    return CoV


def ref_ppmg_png(img, cam_dict):
    """refine_cam.py::work with png=True, crf_thresh 11, cam_thresh 0.05, cv_scale 0.3."""
    cv = ref_get_CoV(cam_dict, 0.3, 0.05)
    mask = ref_ppmg(img, cam_dict, 11, 0.05, True, cv)
    out = np.zeros((img.shape[0], img.shape[1])).astype(np.uint8)
    for k, v in mask.items():
        out[v != 0] = k
    return out


def ref_crf_with_alpha(orig_img, cam_dict, alpha):
    """infer_multi_scale.py::_crf_with_alpha (imutils.crf_inference: Gaussian compat 3)."""
    v = np.array(list(cam_dict.values()))
    bg_score = np.power(1 - np.max(v, axis=0, keepdims=True), alpha)
    bgcam_score = np.concatenate((bg_score, v), axis=0)
    crf_score = ref_crf_inference(orig_img, bgcam_score, labels=bgcam_score.shape[0],
                                  gauss_compat=3)
    n_crf_al = dict()
    n_crf_al[0] = crf_score[0]
    for i, key in enumerate(cam_dict.keys()):
        n_crf_al[key + 1] = crf_score[i + 1]
    return n_crf_al


# --- cases -----------------------------------------------------------------------------------
def scene(seed=0, size=(40, 48)):
    """Image with two coloured blobs and CAMs peaking on them (plus a weak class)."""
    rng = np.random.default_rng(seed)
    h, w = size
    img = np.full((h, w, 3), 90, np.uint8)
    img[5:20, 5:22] = (200, 40, 30)
    img[22:38, 25:45] = (30, 180, 60)
    img = np.clip(img + rng.integers(0, 20, img.shape), 0, 255).astype(np.uint8)
    yy, xx = np.mgrid[:h, :w]
    cams = np.stack([np.exp(-((yy - 12)**2 + (xx - 13)**2) / 60.),
                     np.exp(-((yy - 30)**2 + (xx - 35)**2) / 80.),
                     0.2 * rng.random((h, w))]).astype(np.float32)
    cams /= cams.max(axis=(1, 2), keepdims=True)
    return img, cams, [3, 7, 1]


@pytest.mark.parametrize('seed', [0, 1])
def test_ppmg_matches_public_code(seed):
    img, cams, labels = scene(seed)
    ours = ppmg(img, cams, labels, DenseCRF(**PMM_PPMG_CRF))
    ref = ref_ppmg_png(img, {c: cams[i] for i, c in enumerate(labels)})
    np.testing.assert_array_equal(ours, ref)
    assert set(np.unique(ours)) <= {0, 4, 8, 2} and (ours == 4).any() and (ours == 8).any()


def test_coefficient_of_variation():
    img, cams, labels = scene()
    ref = ref_get_CoV({c: cams[i] for i, c in enumerate(labels)})
    for i, c in enumerate(labels):
        assert coefficient_of_variation(cams[i]) == pytest.approx(ref[c], rel=1e-6)
    assert coefficient_of_variation(np.zeros((3, 3))) == 0


def test_crf_regions_are_the_public_heat_masks():
    img, cams, labels = scene()
    ours = crf_regions(img, cams, labels, DenseCRF(**SEAM_CRF))
    heat = ref_crf_with_alpha(img, {c: cams[i] for i, c in enumerate(labels)}, 24)
    for c in labels:
        np.testing.assert_array_equal(ours == c + 1, heat[c + 1] > 0.9)
    assert (ours == 4).any() and (ours == 8).any()


def test_labeler_model_and_errors():
    img, cams, labels = scene()
    labeler = PMMLabeler(method='ppmg')
    assert labeler.alpha == 11 and labeler.channel_order == 'bgr'
    sample = SegDataSample(metainfo=dict(img_shape=img.shape[:2], cams=cams,
                                         cam_labels=np.asarray(labels)))
    rgb = torch.from_numpy(img).permute(2, 0, 1).float()
    out = labeler(rgb[None], [sample])[0].pred_sem_seg.data[0].numpy()
    np.testing.assert_array_equal(out, ppmg(img[..., ::-1].copy(), cams, labels,
                                            DenseCRF(**PMM_PPMG_CRF)))
    regions = PMMLabeler(method='crf_regions')
    assert regions.alpha == 24 and regions.channel_order == 'rgb'
    with pytest.raises(ValueError, match='method'):
        PMMLabeler(method='psa')
    with pytest.raises(ValueError, match='predicts'):
        labeler(rgb[None], [sample], mode='loss')
