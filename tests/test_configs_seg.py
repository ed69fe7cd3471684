"""Segmentation-stage configs: every one builds its model; VOC / COCO build their data sets from
fixture files; the synthetic one trains a few iterations and validates (J, F) through Runner."""
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from PIL import Image

import hfpl_mm  # noqa: F401
from tests.conftest import ROOT

SEG_CONFIGS = sorted((ROOT / 'configs' / 'seg').glob('*.py'))
SYNTHETIC_CONFIGS = [p for p in SEG_CONFIGS if '_synthetic-' in p.name]


def _config(path: Path) -> Config:
    cfg = Config.fromfile(str(path))
    init_default_scope('mmseg')
    return cfg


@pytest.mark.parametrize('path', SEG_CONFIGS, ids=lambda p: p.stem)
def test_config_builds_model(path):
    from mmseg.registry import MODELS
    cfg = _config(path)
    assert cfg.default_scope == 'mmseg' and 'hfpl_mm' in cfg.custom_imports.imports
    assert cfg.model.pretrained is None  # nothing is downloaded
    assert cfg.val_evaluator.type == 'JFMetric'
    assert cfg.train_dataloader.dataset.data_prefix.seg_map_path == cfg.pseudo_label_dir
    model = MODELS.build(cfg.model).eval()
    size = 64
    with torch.no_grad():
        out = model(torch.rand(1, 3, size, size), mode='tensor')
    # DeepLab-v2 predicts at the backbone's stride 8, DeepLab-v3+ at stride 4 (low-level fusion)
    stride = 4 if cfg.model.decode_head.type == 'DepthwiseSeparableASPPHead' else 8
    assert out.shape == (1, model.decode_head.num_classes, size // stride, size // stride)


def _make_layout(root: Path, num_classes: int, ids=('a', 'b', 'c')) -> Path:
    """A WSSS layout with three images, GT masks and a pseudo-label folder; returns the latter."""
    for sub in ('JPEGImages', 'SegmentationClass', 'SegmentationClassAug', 'pseudo',
                'ImageSets/Segmentation'):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for i, img_id in enumerate(ids):
        image = np.full((40, 50, 3), 30 * i, np.uint8)
        Image.fromarray(image).save(root / f'JPEGImages/{img_id}.jpg')
        mask = np.zeros((40, 50), np.uint8)
        mask[5:20, 5:25] = num_classes - i  # the last classes exist too
        for sub in ('SegmentationClass', 'SegmentationClassAug'):
            Image.fromarray(mask, mode='L').convert('P').save(root / f'{sub}/{img_id}.png')
        mask[30:, :] = 255
        Image.fromarray(mask, mode='L').convert('P').save(root / f'pseudo/{img_id}.png')
    for split in ('train', 'val', 'trainaug'):
        (root / f'ImageSets/Segmentation/{split}.txt').write_text('\n'.join(ids) + '\n')
    return root / 'pseudo'


@pytest.mark.parametrize('path,num_classes', [
    ('deeplabv3plus_r101-d8_1xb8-20k_voc12aug-pseudo-512x512.py', 20),
    ('deeplabv2_r101-d8_1xb8-20k_voc12aug-pseudo-512x512.py', 20),
    ('deeplabv1_r38d_1xb10-20k_voc12aug-pseudo-448x448.py', 20),
    ('deeplabv3plus_r101-d8_1xb8-80k_coco2014-pseudo-512x512.py', 80),
])
def test_real_dataset_configs_build(path, num_classes, tmp_path):
    from mmseg.registry import DATASETS
    cfg = _config(ROOT / 'configs' / 'seg' / path)
    pseudo = _make_layout(tmp_path, num_classes)
    cfg.train_dataloader.dataset.data_prefix.seg_map_path = str(pseudo)
    for key in ('train_dataloader', 'val_dataloader'):
        cfg[key].dataset.data_root = str(tmp_path)
        dataset = DATASETS.build(cfg[key].dataset)
        assert len(dataset) == 3
        assert len(dataset.metainfo['classes']) == num_classes + 1
        assert cfg.model.decode_head.num_classes == num_classes + 1
        sample = dataset[0]['data_samples']
        labels = set(sample.gt_sem_seg.data.unique().tolist())
        if key == 'train_dataloader':
            assert sample.seg_map_path == str(pseudo / 'a.png')
            assert labels <= {0, num_classes, 255}
        else:
            assert sample.seg_map_path.endswith('SegmentationClass/a.png')
            assert labels == {0, num_classes}


@pytest.mark.parametrize('path', SYNTHETIC_CONFIGS, ids=lambda p: p.stem)
def test_synthetic_config_trains_and_validates(path, tmp_path):
    cfg = _config(path)
    tiny = dict(num_train=8, num_val=4, image_size=64)
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[key].update(num_workers=0, persistent_workers=False)
        cfg[key].dataset.update(data_root=str(tmp_path / 'synthetic'), synthetic_cfg=tiny)
    cfg.train_dataloader.batch_size = 4
    cfg.train_cfg.update(max_iters=3, val_interval=3)
    cfg.default_hooks.logger.interval = 1
    cfg.default_hooks.checkpoint.interval = 3
    cfg.work_dir = str(tmp_path / 'work')
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert runner.iter == 3
    logged = [json.loads(line) for line in
              (Path(runner.log_dir) / 'vis_data' / 'scalars.json').read_text().splitlines()]
    assert any('loss' in entry for entry in logged)
    val = [entry for entry in logged if 'J&F' in entry]
    assert len(val) == 1 and {'J', 'F', 'mIoU'} <= set(val[0])
    assert 0 <= val[0]['J'] <= 100 and 0 <= val[0]['F'] <= 100
