"""PMM's crop grid and crop-label rule against transcriptions of Eli-YiLi/PMM tool/data.py."""
import math

import numpy as np
import pytest

from hfpl_mm.utils.crop_grid import PMM_CROP_SCALES, crop_labels, multi_crop_grid


def ref_get_multi_crop_params(width, height, crop_scales, crop_size, stride):
    """VOC12ClsHeatCropDataset.get_multi_crop_params (img.size -> width, height)."""
    params_list = []
    for s in crop_scales:
        s_list = []
        w, h = int(width * s), int(height * s)
        w_num = 1 + int(math.ceil(max(0.0, float(w - crop_size)) / stride))
        h_num = 1 + int(math.ceil(max(0.0, float(h - crop_size)) / stride))
        for w_idx in range(w_num):
            for h_idx in range(h_num):
                if w_idx == (w_num - 1):
                    x2 = w
                    x1 = max(0, x2 - crop_size)
                else:
                    x2 = min(w, (w_idx + 1) * stride)
                    x1 = w_idx * stride
                if h_idx == (h_num - 1):
                    y2 = h
                    y1 = max(0, y2 - crop_size)
                else:
                    y2 = min(h, (h_idx + 1) * stride)
                    y1 = h_idx * stride
                x1 = int(float(x1) / s)
                x2 = int(float(x2) / s)
                y1 = int(float(y1) / s)
                y2 = int(float(y2) / s)
                s_list.append([x1, y1, x2, y2])
        params_list.append(s_list)
    return params_list


def ref_update_label(label, heat, param, label_thresh=0.1):
    """VOC12ClsHeatCropDataset.update_label."""
    new_label = np.zeros_like(label)
    for k, v in heat.items():
        k_first = k
        break
    selected = np.zeros_like(heat[k_first])
    selected[int(param[1]):int(param[3]), int(param[0]):int(param[2])] = 1
    for i in range(label.shape[0]):
        if int(i + 1) not in heat:
            continue
        mask = heat[int(i) + 1]
        if (mask > 0.9).sum() == 0:
            continue
        intersection = float(((mask > 0.9) * selected).sum())
        if (intersection / (mask > 0.9).sum()) > label_thresh or \
                (intersection / selected.sum()) > label_thresh:
            new_label[i] = 1
    return new_label


@pytest.mark.parametrize('size', [(500, 375), (353, 500), (96, 96), (448, 300)])
def test_grid_matches_public_code(size):
    assert multi_crop_grid(*size) == ref_get_multi_crop_params(*size, PMM_CROP_SCALES, 448, 300)
    small = multi_crop_grid(*size, scales=(0.5, 1.5), crop_size=64, stride=40)
    assert small == ref_get_multi_crop_params(*size, (0.5, 1.5), 64, 40)
    with pytest.raises(ValueError):
        multi_crop_grid(*size, stride=0)


def test_crop_labels_match_public_code():
    rng = np.random.default_rng(0)
    h, w = 120, 160
    kept = dropped = 0
    for trial in range(6):
        # CRF posteriors of three present classes (of 20) + background
        probs = rng.random((4, h // 8, w // 8)).repeat(8, 1).repeat(8, 2) ** 6
        probs[1:, 40:90, 30:100] += rng.random() * 3
        probs = probs / probs.sum(0)
        present = sorted(rng.choice(20, 3, replace=False))
        heat = {0: probs[0]}
        heat.update({c + 1: probs[i + 1] for i, c in enumerate(present)})
        regions = np.zeros((h, w), np.uint8)
        for c in present:
            regions[heat[c + 1] > 0.9] = c + 1
        label = np.zeros(20, np.float32)
        label[present] = 1
        for boxes in multi_crop_grid(w, h, (0.75, 1.5, 3.0), 64, 40):
            for box in boxes:
                ref = np.flatnonzero(ref_update_label(label, heat, box)).tolist()
                assert crop_labels(regions, box) == ref
                kept += len(ref)
                dropped += 3 - len(ref)
    assert kept > 30 and dropped > 30  # both branches of the rule are exercised

