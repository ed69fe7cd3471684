"""Dense CRF helpers and confident-label rules on toy images."""
import numpy as np
import pytest

from hfpl_mm.models.refinement import (IRN_CRF, SEAM_CRF, DenseCRF, combine_irn, combine_psa,
                                       confident_labels, crf_prob_scores)


def _toy():
    """A 32 x 48 image: a red object in columns 0-23 on a blue background, and a CAM that
    covers most of the object (columns 2-21), weakly (0.2) at its left part (columns 2-5)."""
    img = np.zeros((32, 48, 3), np.uint8)
    img[:, :24] = (200, 30, 30)
    img[:, 24:] = (30, 30, 200)
    cam = np.zeros((1, 32, 48), np.float32)
    cam[0, :, 2:22] = 0.8
    cam[0, :, 2:6] = 0.2
    return img, cam


def test_combine_rules():
    fg = np.array([[0, 3, 0, 0]])
    bg = np.array([[0, 3, 3, 0]])
    assert combine_irn(fg, bg).tolist() == [[0, 3, 255, 0]]
    assert combine_psa(np.array([[0, 3, 0]]), np.array([[3, 0, 0]])).tolist() == [[255, 0, 0]]


def test_crf_prob_scores():
    cams = np.array([[[0.5, 0.0]], [[0.2, 1.0]]], np.float32)
    scores = crf_prob_scores(cams, alpha=2)
    np.testing.assert_allclose(scores[0], [[0.25, 0.0]])
    assert scores.shape == (3, 1, 2)


def test_label_crf_follows_colour_edges():
    img, _ = _toy()
    noisy = np.zeros((32, 48), np.int64)
    noisy[:, 2:26] = 1  # a label that overshoots the object by 2 px and misses 2 px
    out = DenseCRF(**IRN_CRF).from_labels(img, noisy, n_labels=2)
    assert (out[:, :24] == 1).mean() > 0.95 and (out[:, 24:] == 0).mean() > 0.95
    assert DenseCRF().from_labels(img, np.zeros((32, 48), np.int64)).max() == 0


def test_prob_crf_posterior():
    img, cam = _toy()
    post = DenseCRF(**SEAM_CRF).from_probs(img, crf_prob_scores(cam, alpha=4))
    assert post.shape == (2, 32, 48)
    assert np.allclose(post.sum(0), 1, atol=1e-4)
    assert post.argmax(0)[:, 10].all() and not post.argmax(0)[:, 40].any()


def test_confident_labels_respect_confident_regions():
    img, cam = _toy()
    crf = DenseCRF(**IRN_CRF)
    irn = confident_labels(img, cam, [2], 'irn', crf, conf_fg=0.30, conf_bg=0.05)
    assert set(np.unique(irn)) <= {0, 3, 255}
    assert (irn[:, 6:22] == 3).all()  # the strong CAM: class 2 -> label 3
    assert (irn[:, 30:] == 0).all()  # far from any activation: background
    assert (irn[:, :24] != 0).mean() > 0.9  # the object is never called background
    psa = confident_labels(img, cam, [2], 'psa', DenseCRF(**SEAM_CRF), alpha_fg=4, alpha_bg=24)
    assert (psa[:, 6:22] == 3).all() and (psa[:, 30:] == 0).all()
    crf_only = confident_labels(img, cam, [2], 'crf', crf, conf_fg=0.15)
    assert set(np.unique(crf_only)) == {0, 3}
    with pytest.raises(ValueError):
        confident_labels(img, cam, [2], 'median', crf)
    with pytest.raises(ValueError, match='sxy'):
        DenseCRF(bilateral=(80, 13))


def test_confident_labels_with_a_background_channel_follow_sipe():
    """background map (SIPE's IS-CAM channel 0): chenqi1126/SIPE cam2ir.py, transcribed with the
    same CRF: fg-confident = CRF(argmax [bg, cams]), bg-confident = CRF(argmax [0.5 bg, cams]),
    foreground where the first says so, background where both say so, 255 elsewhere."""
    img, cam = _toy()
    bg = np.clip(1 - 1.6 * cam[0], 0, 1)
    bg[:, 2:6] = 0.3  # halved (0.15) it loses to the weak CAM (0.2) there, as is it wins
    cam[0, :, 24:34] = 0.2  # the same on the background colour
    bg[:, 24:34] = 0.3
    crf = DenseCRF(**IRN_CRF)
    keys = np.array([0, 3])
    fg_conf = keys[crf.from_labels(img, np.concatenate([bg[None], cam]).argmax(0), 2)]
    bg_conf = keys[crf.from_labels(img, np.concatenate([0.5 * bg[None], cam]).argmax(0), 2)]
    expected = fg_conf.copy()
    expected[fg_conf == 0] = 255
    expected[bg_conf + fg_conf == 0] = 0
    out = confident_labels(img, cam, [2], 'irn', crf, conf_fg=1.0, conf_bg=0.5, bg=bg)
    np.testing.assert_array_equal(out, expected)
    assert {0, 3} <= set(np.unique(out).tolist())
    # a background of 1 beats the CAM (0.8) as is, not halved: the object becomes unsure
    unsure = confident_labels(img, cam, [2], 'irn', crf, conf_fg=1.0, conf_bg=0.5,
                              bg=np.ones_like(bg))
    assert (unsure[:, 8:20] == 255).all() and (unsure[:, 40:] == 0).all()
    with pytest.raises(ValueError, match="'psa'"):
        confident_labels(img, cam, [2], 'psa', crf, bg=bg)
