"""Tests of the segmentation-side data sets (pseudo-label training sets, ground-truth val sets)."""
from pathlib import Path

import numpy as np
import pytest
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS
from PIL import Image

import hfpl_mm  # noqa: F401
from hfpl_mm.datasets.class_names import COCO_CLASSES, PALETTE_256, VOC_CLASSES
from hfpl_mm.datasets.synthetic import SYNTHETIC_CLASSES
from hfpl_mm.datasets.synthetic import prepare_synthetic


@pytest.fixture(autouse=True)
def _mmseg_scope():
    """Per test: another module's tests may have switched the default scope."""
    init_default_scope('mmseg')


IDS = ('a', 'b', 'c')
PIPELINE = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'),
            dict(type='PackSegInputs')]


def _save_label_png(path: Path, mask: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.fromarray(mask, mode='P')
    img.putpalette([c for rgb in PALETTE_256 for c in rgb])
    img.save(path)


@pytest.fixture
def layout(tmp_path):
    """Three 20x24 images with GT masks (label i+1 in a box) and pseudo-labels (label 1, 255)."""
    root = tmp_path / 'voc'
    (root / 'JPEGImages').mkdir(parents=True)
    (root / 'ImageSets/Segmentation').mkdir(parents=True)
    for i, img_id in enumerate(IDS):
        image = np.full((20, 24, 3), 40 * i, np.uint8)
        Image.fromarray(image).save(root / f'JPEGImages/{img_id}.jpg')
        gt = np.zeros((20, 24), np.uint8)
        gt[4:12, 6:18] = i + 1
        gt[0, :] = 255
        _save_label_png(root / f'SegmentationClass/{img_id}.png', gt)
        pseudo = np.full((20, 24), 255, np.uint8)
        pseudo[5:10, 5:10] = 1
        _save_label_png(tmp_path / f'pseudo/{img_id}.png', pseudo)
    (root / 'ImageSets/Segmentation/train.txt').write_text('\n'.join(IDS) + '\n\n')
    (root / 'ImageSets/Segmentation/val.txt').write_text('b\n')
    return root


def _build(root, **kwargs):
    return DATASETS.build(dict(dict(type='VOCSegDataset', data_root=str(root), pipeline=PIPELINE),
                               **kwargs))


def test_metainfo_has_background_first():
    for name, classes in (('VOCSegDataset', VOC_CLASSES), ('COCOSegDataset', COCO_CLASSES),
                          ('SyntheticSegDataset', SYNTHETIC_CLASSES)):
        meta = DATASETS.get(name).METAINFO
        assert meta['classes'] == ('background', ) + tuple(classes)
        assert len(meta['palette']) == len(meta['classes'])
    assert DATASETS.get('VOCSegDataset').METAINFO['palette'][1] == [128, 0, 0]


def test_ground_truth_set(layout):
    dataset = _build(layout, ann_file='ImageSets/Segmentation/train.txt')
    assert len(dataset) == 3  # the blank line is skipped
    assert dataset.metainfo['classes'][0] == 'background'
    assert len(dataset.metainfo['palette']) == 21
    item = dataset[1]
    seg = item['data_samples'].gt_sem_seg.data
    assert seg.shape == (1, 20, 24)
    assert set(seg.unique().tolist()) == {0, 2, 255}  # palette indices, not colours
    assert item['data_samples'].seg_map_path == str(layout / 'SegmentationClass/b.png')


@pytest.mark.parametrize('relative', [False, True])
def test_pseudo_label_dir(layout, relative):
    pseudo = layout.parent / 'pseudo'
    seg_map_path = '../pseudo' if relative else str(pseudo)
    dataset = _build(layout, data_prefix=dict(img_path='JPEGImages', seg_map_path=seg_map_path))
    item = dataset[0]
    assert Path(item['data_samples'].seg_map_path).resolve() == (pseudo / 'a.png').resolve()
    assert set(item['data_samples'].gt_sem_seg.data.unique().tolist()) == {1, 255}


def test_images_only(layout):
    dataset = _build(layout, data_prefix=dict(img_path='JPEGImages', seg_map_path=None),
                     pipeline=[dict(type='LoadImageFromFile'), dict(type='PackSegInputs')])
    assert 'seg_map_path' not in dataset.get_data_info(0)
    assert dataset[0]['inputs'].shape == (3, 20, 24)


def test_missing_root_and_ann_file_are_named(layout):
    with pytest.raises(FileNotFoundError, match='data_root not found: .*nowhere'):
        _build(layout.parent / 'nowhere')
    with pytest.raises(FileNotFoundError, match='ann_file not found: .*trainaug.txt'):
        _build(layout, ann_file='ImageSets/Segmentation/trainaug.txt')
    with pytest.raises(FileNotFoundError, match='image folder not found: .*Images'):
        _build(layout, data_prefix=dict(img_path='Images', seg_map_path='SegmentationClass'))


def test_missing_pseudo_labels_are_counted(layout):
    pseudo = layout.parent / 'pseudo'
    (pseudo / 'b.png').unlink()
    (pseudo / 'c.png').unlink()
    prefix = dict(img_path='JPEGImages', seg_map_path=str(pseudo))
    with pytest.raises(FileNotFoundError, match=r'2 of 3 masks .* first missing: .*b\.png'):
        _build(layout, data_prefix=prefix)
    with pytest.raises(FileNotFoundError, match='folder of the masks not found: .*absent'):
        _build(layout, data_prefix=dict(img_path='JPEGImages', seg_map_path='absent'))
    (layout / 'JPEGImages/c.jpg').unlink()
    with pytest.raises(FileNotFoundError, match=r'1 of 3 images .* first missing: .*c\.jpg'):
        _build(layout)
    # without the check the list loads and the first sample still works
    dataset = _build(layout, data_prefix=prefix, check_files=False)
    assert len(dataset) == 3 and dataset[0]['data_samples'].gt_sem_seg.data.shape == (1, 20, 24)


def test_corrupt_png_is_named(layout):
    bad = layout / 'SegmentationClass/c.png'
    bad.write_bytes(b'\x89PNG\r\n\x1a\n' + b'not really a png')
    dataset = _build(layout)
    with pytest.raises(RuntimeError, match=r'sample 2 .*mask .*c\.png'):
        dataset[2]


def test_synthetic_generates_and_follows_num_classes(tmp_path):
    small = dict(num_train=3, num_val=2, image_size=32, seed=1)
    dataset = DATASETS.build(dict(type='SyntheticSegDataset', data_root=str(tmp_path / 's'),
                                  synthetic_cfg=small, pipeline=PIPELINE))
    assert len(dataset) == 3 and dataset.metainfo['classes'] == ('background', ) + SYNTHETIC_CLASSES
    assert dataset[0]['data_samples'].gt_sem_seg.data.shape == (1, 32, 32)
    assert prepare_synthetic(str(tmp_path / 's'), small)['generated'] is False
    for num_classes in (3, 8):
        cfg = dict(small, num_classes=num_classes)
        dataset = DATASETS.build(dict(type='SyntheticSegDataset',
                                      data_root=str(tmp_path / f's{num_classes}'),
                                      ann_file='ImageSets/Segmentation/val.txt',
                                      synthetic_cfg=cfg, pipeline=PIPELINE))
        assert len(dataset.metainfo['classes']) == num_classes + 1
        assert len(dataset.metainfo['palette']) == num_classes + 1
        assert dataset.label_map is None
    with pytest.raises(FileNotFoundError, match='data_root'):
        DATASETS.build(dict(type='SyntheticSegDataset', data_root=str(tmp_path / 'none'),
                            generate=False))
