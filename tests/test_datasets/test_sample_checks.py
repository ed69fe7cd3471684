"""Bad data in the WSSS layout gets an error naming the file (and id / value), legitimate but
unusual data a counted warning (issue #17): image / mask size, mask values, empty label lists,
empty split lists, malformed cls_labels.json."""
import json
import logging
import logging.handlers

import numpy as np
import pytest
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope
from mmpretrain.registry import DATASETS as CLS_DATASETS
from mmseg.registry import DATASETS as SEG_DATASETS
from PIL import Image

from tests.test_datasets.test_wsss_seg_dataset import PIPELINE, _save_label_png, layout  # noqa

CLS_PIPELINE = [dict(type='LoadImageFromFile'), dict(type='PackInputs')]


def _seg(root, **kwargs):
    init_default_scope('mmseg')
    return SEG_DATASETS.build(dict(type='VOCSegDataset', data_root=str(root), pipeline=PIPELINE,
                                   **kwargs))


def _cls(root, **kwargs):
    init_default_scope('mmpretrain')
    return CLS_DATASETS.build(dict(type='VOCClsDataset', data_root=str(root),
                                   pipeline=CLS_PIPELINE, **kwargs))


def _labels(root, labels=None):
    labels = labels or {'a': [0], 'b': [1], 'c': [2]}
    (root / 'cls_labels.json').write_text(json.dumps(labels))


def test_image_and_mask_of_different_size(layout):
    _save_label_png(layout / 'SegmentationClass/b.png', np.zeros((24, 20), np.uint8))
    dataset = _seg(layout)
    dataset[0]
    with pytest.raises(ValueError, match=r'image .*b\.jpg is 24x20 but its mask .*b\.png is '
                                         r'20x24'):
        dataset[1]
    _labels(layout)
    with pytest.raises(ValueError, match=r'b\.jpg is 24x20 but its mask .*b\.png'):
        _cls(layout, test_mode=True)[1]  # validation / pseudo-labels score the mask
    _cls(layout)[1]  # training does not read it


def test_mask_value_neither_class_nor_ignore(layout):
    mask = np.zeros((20, 24), np.uint8)
    mask[3, 3] = 30  # VOC: labels 0..20 and 255
    mask[4, 4] = 255
    _save_label_png(layout / 'SegmentationClass/c.png', mask)
    with pytest.raises(ValueError, match=r'c\.png has values \[30\]') as err:
        _seg(layout)[2]
    assert 'neither a class (0..20) nor 255' in str(err.value)
    _labels(layout)
    with pytest.raises(ValueError, match=r'c\.png has values \[30\]'):
        _cls(layout, test_mode=True)[2]


def test_empty_label_list_is_a_counted_warning(layout):
    _labels(layout, {'a': [], 'b': [1], 'c': []})
    handler = logging.handlers.BufferingHandler(capacity=1000)
    logger = MMLogger.get_current_instance()
    logger.addHandler(handler)
    try:
        assert len(_cls(layout)) == 3
    finally:
        logger.removeHandler(handler)
    out = '\n'.join(r.getMessage() for r in handler.buffer if r.levelno == logging.WARNING)
    assert '2 of 3 images' in out and 'no image-level label' in out and '"a"' in out


def test_empty_split_list(layout):
    (layout / 'ImageSets/Segmentation/empty.txt').write_text('\n\n')
    _labels(layout)
    for build in (_seg, _cls):
        with pytest.raises(ValueError, match=r'empty\.txt lists no image ids'):
            build(layout, ann_file='ImageSets/Segmentation/empty.txt')


def test_malformed_cls_labels(layout):
    (layout / 'cls_labels.json').write_text('{"a": [0], "b": ')
    with pytest.raises(ValueError, match=r'cls_labels\.json is not valid JSON'):
        _cls(layout)
    (layout / 'cls_labels.json').write_text('[[0], [1]]')
    with pytest.raises(ValueError, match=r'cls_labels\.json must map image ids'):
        _cls(layout)
