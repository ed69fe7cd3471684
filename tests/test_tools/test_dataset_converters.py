"""Tests of the VOC-aug and COCO converters on tiny fixtures built in ``tmp_path``."""
import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from hfpl_mm.datasets.class_names import COCO_CLASSES, VOC_CLASSES, VOC_PALETTE
from hfpl_mm.datasets.converters import convert_coco, convert_voc_aug, labels_from_mask, voc_aug_ids
from hfpl_mm.utils.io import save_palette_png

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / 'tools' / 'dataset_converters'
H, W = 24, 32

VOC_TRAIN = ['2007_000001', '2007_000002']
VOC_VAL = ['2007_000003', '2008_000004']
SBD_TRAIN = ['2009_000005', '2007_000003']
SBD_VAL = ['2009_000006', '2007_000001']
TRAINAUG = ['2007_000001', '2007_000002', '2009_000005', '2009_000006']


def _mask(classes, border: bool) -> np.ndarray:
    """A mask with one rectangle per class (label = class index + 1), VOC-style border if asked."""
    m = np.zeros((H, W), np.uint8)
    for k, c in enumerate(classes):
        m[2 + 5 * k:6 + 5 * k, 3 + 6 * k:12 + 6 * k] = c + 1
        if border:
            m[1 + 5 * k, 3 + 6 * k:12 + 6 * k] = 255
    return m


def _umask() -> int:
    """The process umask."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_jpeg(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((H, W, 3), 128, np.uint8)).save(path)


def _write_ids(path: Path, ids) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(''.join(f'{i}\n' for i in ids))


@pytest.fixture
def voc(tmp_path):
    """Fake ``VOCdevkit/VOC2012`` and SBD ``benchmark_RELEASE`` with known masks per id."""
    from scipy.io import savemat

    voc_root = tmp_path / 'VOCdevkit' / 'VOC2012'
    sbd = tmp_path / 'benchmark_RELEASE' / 'dataset'
    voc_masks = {'2007_000001': _mask([0, 14], True), '2007_000002': _mask([6], True),
                 '2007_000003': _mask([11], True), '2008_000004': _mask([2, 3, 19], True)}
    # 2007_000001 also in SBD, with different classes: the VOC mask must win
    sbd_masks = {'2007_000001': _mask([4], False), '2007_000003': _mask([5], False),
                 '2009_000005': _mask([7, 8], False), '2009_000006': _mask([19], False)}
    for img_id, m in voc_masks.items():
        save_palette_png(voc_root / 'SegmentationClass' / f'{img_id}.png', m, VOC_PALETTE)
    for img_id in set(voc_masks) | set(sbd_masks):
        _write_jpeg(voc_root / 'JPEGImages' / f'{img_id}.jpg')
    _write_ids(voc_root / 'ImageSets' / 'Segmentation' / 'train.txt', VOC_TRAIN)
    _write_ids(voc_root / 'ImageSets' / 'Segmentation' / 'val.txt', VOC_VAL)
    (sbd / 'cls').mkdir(parents=True)
    for img_id, m in sbd_masks.items():
        gt = {'Segmentation': m, 'Boundaries': np.zeros((1, 1), object),
              'CategoriesPresent': np.unique(m[m > 0]).astype(np.uint8)}
        savemat(sbd / 'cls' / f'{img_id}.mat', {'GTcls': gt})
    _write_ids(sbd / 'train.txt', SBD_TRAIN)
    _write_ids(sbd / 'val.txt', SBD_VAL)
    return voc_root, sbd.parent, voc_masks, sbd_masks


def test_labels_from_mask():
    assert labels_from_mask(_mask([0, 14], True)) == [0, 14]
    assert labels_from_mask(np.zeros((3, 3), np.uint8)) == []
    with pytest.raises(ValueError):
        labels_from_mask(np.full((2, 2), 22, np.uint8), num_classes=20)


def test_voc_aug_ids():
    assert voc_aug_ids(VOC_TRAIN, VOC_VAL, SBD_TRAIN, SBD_VAL) == TRAINAUG
    assert voc_aug_ids(['b', 'a'], ['c']) == ['a', 'b']


def test_convert_voc_aug(voc):
    voc_root, sbd_root, voc_masks, sbd_masks = voc
    train_before = (voc_root / 'ImageSets' / 'Segmentation' / 'train.txt').read_bytes()
    summary = convert_voc_aug(voc_root, sbd_root)
    seg = voc_root / 'ImageSets' / 'Segmentation'
    assert (seg / 'trainaug.txt').read_text().split() == TRAINAUG
    assert (seg / 'train.txt').read_bytes() == train_before
    assert summary['splits'] == {'trainaug': 4, 'train': 2, 'val': 2}
    assert summary['mask_sources'] == {'voc': 4, 'sbd': 2}
    assert summary['masks_written'] == 6
    aug = voc_root / 'SegmentationClassAug'
    assert (aug / '2009_000005.png').stat().st_mode & 0o777 == 0o666 & ~_umask()
    for img_id, want in {**sbd_masks, **voc_masks}.items():
        png = Image.open(aug / f'{img_id}.png')
        assert png.mode == 'P'
        np.testing.assert_array_equal(np.array(png), want)
    labels = json.loads((voc_root / 'cls_labels.json').read_text())
    assert labels == {'2007_000001': [0, 14], '2007_000002': [6], '2007_000003': [11],
                      '2008_000004': [2, 3, 19], '2009_000005': [7, 8], '2009_000006': [19]}

    # resume: nothing rewritten, same result
    stamp = {p: p.stat().st_mtime_ns for p in aug.iterdir()}
    again = convert_voc_aug(voc_root, sbd_root, nproc=2)
    assert again['masks_written'] == 0 and again['masks_skipped'] == 6
    assert {p: p.stat().st_mtime_ns for p in aug.iterdir()} == stamp
    assert json.loads((voc_root / 'cls_labels.json').read_text()) == labels


def test_convert_voc_without_sbd(voc, tmp_path):
    voc_root = voc[0]
    out = tmp_path / 'out'
    summary = convert_voc_aug(voc_root, out_dir=out)
    assert summary['mask_sources'] == {'voc': 4, 'sbd': 0}
    seg = out / 'ImageSets' / 'Segmentation'
    assert (seg / 'trainaug.txt').read_text().split() == VOC_TRAIN
    assert (seg / 'val.txt').read_text().split() == VOC_VAL
    assert not (voc_root / 'SegmentationClassAug').exists()


def test_convert_voc_errors(voc, tmp_path):
    voc_root, sbd_root = voc[:2]
    with pytest.raises(FileNotFoundError, match='nowhere'):
        convert_voc_aug(tmp_path / 'nowhere')
    with pytest.raises(FileNotFoundError, match='no_sbd'):
        convert_voc_aug(voc_root, tmp_path / 'no_sbd')
    (sbd_root / 'dataset' / 'cls' / '2009_000005.mat').write_bytes(b'garbage')
    with pytest.raises(ValueError, match='2009_000005.mat'):  # raised in a worker process
        convert_voc_aug(voc_root, sbd_root, nproc=2)
    (sbd_root / 'dataset' / 'cls' / '2009_000005.mat').unlink()
    save_palette_png(voc_root / 'SegmentationClass' / '2007_000002.png', _mask([24], False))
    with pytest.raises(ValueError, match='2007_000002.png'):  # label 25 is not a VOC class
        convert_voc_aug(voc_root, out_dir=tmp_path / 'fresh')
    with pytest.raises(FileNotFoundError, match='2009_000005'):
        convert_voc_aug(voc_root, sbd_root)


def test_voc_aug_cli(voc, tmp_path):
    voc_root, sbd_root = voc[:2]
    out = tmp_path / 'cli_out'
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO)] + ([os.environ['PYTHONPATH']] if os.environ.get('PYTHONPATH') else [])))
    res = subprocess.run(
        [sys.executable, str(TOOLS / 'voc_aug.py'), '--voc-root', str(voc_root), '--sbd-root',
         str(sbd_root / 'dataset'), '--out-dir', str(out), '--nproc', '2'],
        capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)['splits']['trainaug'] == 4
    assert len(list((out / 'SegmentationClassAug').glob('*.png'))) == 6


# --------------------------------------------------------------------------------------------------
# COCO
# --------------------------------------------------------------------------------------------------
# pycocotools' decode trips a numpy 2 copy-keyword deprecation inside the library
coco_warning = pytest.mark.filterwarnings('ignore:__array__ implementation:DeprecationWarning')
COCO_CAT_IDS = [i for i in range(1, 91) if i not in {12, 26, 29, 30, 45, 66, 68, 69, 71, 83}]


def _poly(x0, y0, x1, y1):
    """A rectangle as a COCO polygon."""
    return [[x0, y0, x1, y0, x1, y1, x0, y1]]


def _crowd_rle(x0, y0, x1, y1):
    """Uncompressed (column-major) RLE of a rectangle, as COCO stores crowds."""
    m = np.zeros((H, W), np.uint8)
    m[y0:y1, x0:x1] = 1
    flat = m.flatten(order='F')
    counts, cur, run = [], 0, 0
    for v in flat:
        if v != cur:
            counts.append(run)
            cur, run = v, 0
        run += 1
    counts.append(run)
    return {'counts': counts, 'size': [H, W]}


@pytest.fixture
def coco(tmp_path):
    """COCO 2014 layout with 3 train images (one empty) and 1 val image."""
    root = tmp_path / 'coco'
    cats = [{'id': cid, 'name': name, 'supercategory': 'x'}
            for cid, name in zip(COCO_CAT_IDS, COCO_CLASSES)]

    def ann(aid, img, cat, seg, area, crowd=0):
        return {'id': aid, 'image_id': img, 'category_id': cat, 'segmentation': seg,
                'area': area, 'iscrowd': crowd, 'bbox': [0, 0, 1, 1]}

    splits = {
        'train': ([1, 2, 3], [
            ann(1, 1, 1, _poly(2, 2, 20, 20), 324.0),        # person, large
            ann(2, 1, 90, _poly(5, 5, 10, 10), 25.0),        # toothbrush, on top of the person
            ann(3, 2, 18, _poly(10, 4, 18, 12), 64.0),       # dog
            ann(4, 2, 1, _crowd_rle(0, 0, 14, 16), 224.0, 1),  # person crowd under the dog
        ]),
        'val': ([7], [ann(5, 7, 3, _poly(1, 1, 8, 8), 49.0)]),  # car
    }
    for split, (img_ids, anns) in splits.items():
        images = []
        for iid in img_ids:
            name = f'COCO_{split}2014_{iid:012d}.jpg'
            _write_jpeg(root / f'{split}2014' / name)
            images.append({'id': iid, 'file_name': name, 'height': H, 'width': W})
        data = {'images': images, 'annotations': anns, 'categories': cats}
        (root / 'annotations').mkdir(exist_ok=True)
        (root / 'annotations' / f'instances_{split}2014.json').write_text(json.dumps(data))
    return root


@coco_warning
def test_convert_coco(coco, tmp_path):
    out = tmp_path / 'out'
    summary = convert_coco(coco, out)
    assert summary == {'splits': {'train': 2, 'val': 1}, 'masks_written': 3, 'masks_skipped': 0}
    seg = out / 'ImageSets' / 'Segmentation'
    assert (seg / 'train.txt').read_text().split() == [
        'COCO_train2014_000000000001', 'COCO_train2014_000000000002']  # empty image 3 dropped
    assert (seg / 'val.txt').read_text().split() == ['COCO_val2014_000000000007']

    m1 = np.array(Image.open(out / 'SegmentationClass' / 'COCO_train2014_000000000001.png'))
    assert m1[3, 3] == 1 and m1[7, 7] == 80 and m1[0, 0] == 0  # small one drawn over large
    png2 = Image.open(out / 'SegmentationClass' / 'COCO_train2014_000000000002.png')
    m2 = np.array(png2)
    assert png2.mode == 'P'
    assert COCO_CLASSES[16] == 'dog'
    assert m2[1, 1] == 255 and m2[8, 12] == 17 and m2[20, 25] == 0  # crowd void, dog over it
    labels = json.loads((out / 'cls_labels.json').read_text())
    assert labels == {'COCO_train2014_000000000001': [0, 79],
                      'COCO_train2014_000000000002': [0, 16],  # crowd person counts
                      'COCO_val2014_000000000007': [2]}
    link = out / 'JPEGImages' / 'COCO_val2014_000000000007.jpg'
    assert link.is_symlink()
    assert link.resolve() == (coco / 'val2014' / 'COCO_val2014_000000000007.jpg').resolve()

    again = convert_coco(coco, out, splits=['train'], nproc=2)
    assert again['masks_written'] == 0 and again['masks_skipped'] == 2
    assert json.loads((out / 'cls_labels.json').read_text()) == labels


@coco_warning
def test_convert_coco_options_and_errors(coco, tmp_path):
    out = tmp_path / 'out'
    convert_coco(coco, out, splits=['train'], link_images='copy', keep_empty=True)
    ids = (out / 'ImageSets' / 'Segmentation' / 'train.txt').read_text().split()
    assert ids[-1] == 'COCO_train2014_000000000003'
    empty = np.array(Image.open(out / 'SegmentationClass' / f'{ids[-1]}.png'))
    assert not empty.any()
    assert not (out / 'JPEGImages' / f'{ids[0]}.jpg').is_symlink()
    with pytest.raises(FileNotFoundError, match='instances_test2014.json'):
        convert_coco(coco, out, splits=['test'])
    (coco / 'annotations' / 'instances_val2014.json').write_text('{"images": [')
    with pytest.raises(ValueError, match='instances_val2014.json'):
        convert_coco(coco, out, splits=['val'])
    with pytest.raises(ValueError):
        convert_coco(coco, out, link_images='hardlink')


@coco_warning
def test_coco_cli(coco, tmp_path, monkeypatch, capsys):
    out = tmp_path / 'cli'
    monkeypatch.setattr(sys, 'argv', ['coco.py', '--coco-root', str(coco), '--out', str(out),
                                      '--splits', 'val', '--link-images', 'none'])
    runpy.run_path(str(TOOLS / 'coco.py'), run_name='__main__')
    assert json.loads(capsys.readouterr().out)['splits'] == {'val': 1}
    assert not (out / 'JPEGImages').exists()


def test_class_lists():
    assert len(VOC_CLASSES) == 20 and len(COCO_CLASSES) == 80
