"""Every config loads and builds its model (of the type it names, with parameters when it trains,
one CAM per class), and VOC / COCO configs build their data sets from small fixture files."""
import json
from pathlib import Path

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope
from PIL import Image

import hfpl_mm  # noqa: F401
from tests.conftest import ROOT

CONFIGS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / 'configs').rglob('*.py')
                 if not {'_base_', 'pipelines', 'seg'} & set(p.parts))


def _make_layout(root: Path, num_classes: int, ids=('a', 'b', 'c')):
    """A WSSS layout with three images, their masks, id lists and labels."""
    for sub in ('JPEGImages', 'SegmentationClass', 'ImageSets/Segmentation'):
        (root / sub).mkdir(parents=True, exist_ok=True)
    labels = {}
    for i, img_id in enumerate(ids):
        Image.fromarray(np.full((40, 50, 3), 30 * i, np.uint8)).save(root / f'JPEGImages/{img_id}.jpg')
        mask = np.zeros((40, 50), np.uint8)
        mask[5:20, 5:25] = (i % num_classes) + 1
        Image.fromarray(mask, mode='L').convert('P').save(root / f'SegmentationClass/{img_id}.png')
        labels[img_id] = [i % num_classes]
    for split in ('train', 'val', 'trainaug'):
        (root / f'ImageSets/Segmentation/{split}.txt').write_text('\n'.join(ids) + '\n')
    (root / 'cls_labels.json').write_text(json.dumps(labels))


@pytest.mark.parametrize('path', CONFIGS)
def test_config_builds_model(path):
    from mmengine.registry import DATASETS, MODELS
    cfg = Config.fromfile(str(ROOT / path))
    init_default_scope(cfg.default_scope)
    model = MODELS.build(cfg.model)
    with MODELS.switch_scope_and_registry(None) as registry:
        assert type(model) is registry.get(cfg.model.type)
    # label generation (confident / CRF labels) has nothing to train; every other model has
    num_params = sum(p.numel() for p in model.parameters())
    assert (num_params > 0) == (cfg.get('train_dataloader') is not None), num_params
    if cfg.default_scope == 'mmpretrain':  # classifiers: a CAM per class (+ SEAM's background)
        with DATASETS.switch_scope_and_registry(None) as registry:
            classes = registry.get(cfg.train_dataloader.dataset.type).METAINFO['classes']
        assert cfg.model.data_preprocessor.num_classes == len(classes)
        from hfpl_mm.models.classifiers import SEAM  # and PMM's MultiCropSEAM
        assert model.head.num_classes == len(classes) + isinstance(model, SEAM)


@pytest.mark.parametrize('path,num_classes', [
    ('configs/cam/hfpl-cam_r50-d16_1xb16-5e_voc12aug-512x512.py', 20),
    ('configs/cam/hfpl-cam_r50-d16_1xb16-5e_coco2014-512x512.py', 80),
])
def test_real_dataset_configs_build(path, num_classes, tmp_path):
    from mmpretrain.registry import DATASETS
    cfg = Config.fromfile(str(ROOT / path))
    init_default_scope(cfg.default_scope)
    _make_layout(tmp_path, num_classes)
    for key in ('train_dataloader', 'val_dataloader'):
        ds_cfg = cfg[key].dataset
        ds_cfg.data_root = str(tmp_path)
        dataset = DATASETS.build(ds_cfg)
        assert len(dataset) == 3 and len(dataset.metainfo['classes']) == num_classes
        item = dataset[1]
        assert item['data_samples'].gt_label.tolist() == [1]
    assert cfg.model.head.num_classes == num_classes


def test_missing_labels_named(tmp_path):
    from mmpretrain.registry import DATASETS
    init_default_scope('mmpretrain')
    _make_layout(tmp_path, 20)
    (tmp_path / 'cls_labels.json').write_text(json.dumps({'a': [0]}))
    with pytest.raises(KeyError, match='"b"'):
        DATASETS.build(dict(type='VOCClsDataset', data_root=str(tmp_path)))
    with pytest.raises(FileNotFoundError, match='nowhere'):
        DATASETS.build(dict(type='VOCClsDataset', data_root=str(tmp_path / 'nowhere')))
