"""Every HFPL config is its baseline plus ISL / FSL, and nothing else.

Pairs are discovered under ``configs/`` (not ``configs/_base_/`` nor ``configs/pipelines/``, whose
pipeline pairs are tested with the pipelines): ``hfpl-<x>.py`` next to ``<x>.py``, and the entry
points ``<algo>_hfpl_<data>.py`` next to ``<algo>_<data>.py``. Both configs are resolved; every
setting in which they differ must lie under a key naming ISL or FSL (wherever the model attaches
them), or be a run-name key, and the model must gain both an ISL and an FSL setting.
"""
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from mmengine.config import Config

from tests.conftest import ROOT

CONFIGS = ROOT / 'configs'
SKIP_DIRS = {'_base_', 'pipelines'}
LOSS_TAGS = ('isl', 'fsl')
NAME_KEYS = {'work_dir', 'name', 'experiment_name', 'filename'}  # top-level run names
# pairs that must be found (relative to configs/): the discovery itself can fail
KNOWN_PAIRS = {
    ('cam/cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py',
     'cam/hfpl-cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py'),
    ('cam/cam_r50-d16_1xb16-5e_voc12aug-512x512.py',
     'cam/hfpl-cam_r50-d16_1xb16-5e_voc12aug-512x512.py'),
    ('cam/cam_r50-d16_1xb16-5e_coco2014-512x512.py',
     'cam/hfpl-cam_r50-d16_1xb16-5e_coco2014-512x512.py'),
    ('seam/seam_r38d-slim_1xb16-12e_synthetic-96x96.py',
     'seam/hfpl-seam_r38d-slim_1xb16-12e_synthetic-96x96.py'),
    ('seam/seam_r38d_1xb8-8e_voc12aug-448x448.py',
     'seam/hfpl-seam_r38d_1xb8-8e_voc12aug-448x448.py'),
    ('seam/seam_r38d_1xb8-8e_coco2014-448x448.py',
     'seam/hfpl-seam_r38d_1xb8-8e_coco2014-448x448.py'),
    ('sipe/sipe_r18-slim-d8_1xb16-12e_synthetic-96x96.py',
     'sipe/hfpl-sipe_r18-slim-d8_1xb16-12e_synthetic-96x96.py'),
    ('sipe/sipe_r50-d16_1xb16-5e_voc12aug-512x512.py',
     'sipe/hfpl-sipe_r50-d16_1xb16-5e_voc12aug-512x512.py'),
    ('sipe/sipe_r50-d16_1xb16-5e_coco2014-512x512.py',
     'sipe/hfpl-sipe_r50-d16_1xb16-5e_coco2014-512x512.py'),
    ('seam_voc.py', 'seam_hfpl_voc.py'),
    ('mctformer/mctformer-v2_vit-tiny-p8_1xb16-30e_synthetic-96x96.py',
     'mctformer/hfpl-mctformer-v2_vit-tiny-p8_1xb16-30e_synthetic-96x96.py'),
    ('mctformer/mctformer-v2_deit-s_1xb64-60e_voc12aug-224x224.py',
     'mctformer/hfpl-mctformer-v2_deit-s_1xb64-60e_voc12aug-224x224.py'),
    ('mctformer/mctformer-v2_deit-s_1xb64-60e_coco2014-224x224.py',
     'mctformer/hfpl-mctformer-v2_deit-s_1xb64-60e_coco2014-224x224.py'),
    ('seam_coco.py', 'seam_hfpl_coco.py'),
    ('pmm/pmm-ms_r38d_1xb24-8e_voc12aug-448x448.py',
     'pmm/hfpl-pmm-ms_r38d_1xb24-8e_voc12aug-448x448.py'),
    ('pmm/pmm-mc_scalenet101_1xb16-20e_voc12aug-448x448.py',
     'pmm/hfpl-pmm-mc_scalenet101_1xb16-20e_voc12aug-448x448.py'),
}
# HFPL configs that add FSL only: PMM's stage B (hfpl paper sec. 5.1: ISL only in stage A)
FSL_ONLY = {'pmm/hfpl-pmm-mc_scalenet101_1xb16-20e_voc12aug-448x448.py',
            'pmm/hfpl-pmm-mc_scalenet50-slim_1xb16-8e_synthetic-96x96.py'}


def find_pairs(root: Path = CONFIGS) -> List[Tuple[str, str]]:
    """(baseline, hfpl) paths relative to ``root`` for every HFPL config found."""
    pairs = []
    for path in sorted(root.rglob('*.py')):
        rel = path.relative_to(root)
        if SKIP_DIRS & set(rel.parts[:-1]):
            continue
        if path.name.startswith('hfpl-'):
            base = path.name[len('hfpl-'):]
        elif '_hfpl_' in path.name:
            base = path.name.replace('_hfpl_', '_', 1)
        else:
            continue
        pairs.append((str(rel.with_name(base)), str(rel)))
    return pairs


PAIRS = find_pairs()


def flatten(obj, prefix: Tuple = ()) -> Dict[Tuple, object]:
    """Leaves of nested dicts / lists, keyed by their path (keys and list indices)."""
    if isinstance(obj, dict) and obj:
        items = obj.items()
    elif isinstance(obj, (list, tuple)) and obj:
        items = enumerate(obj)
    else:
        return {prefix: obj}
    leaves = {}
    for key, value in items:
        leaves.update(flatten(value, prefix + (key, )))
    return leaves


def names_loss(path: Tuple) -> bool:
    return any(tag in str(key).lower() for key in path for tag in LOSS_TAGS)


def differing_paths(base: dict, hfpl: dict) -> List[Tuple]:
    flat_base, flat_hfpl = flatten(base), flatten(hfpl)
    return sorted((path for path in set(flat_base) | set(flat_hfpl)
                   if flat_base.get(path, KeyError) != flat_hfpl.get(path, KeyError)), key=str)


def test_pairs_found():
    assert PAIRS, 'no HFPL / baseline pair found under configs/'
    assert KNOWN_PAIRS <= set(PAIRS), KNOWN_PAIRS - set(PAIRS)
    assert not [pair for pair in PAIRS if SKIP_DIRS & set(Path(pair[1]).parts)]


@pytest.mark.parametrize('base,hfpl', PAIRS, ids=[hfpl for _, hfpl in PAIRS])
def test_hfpl_config_only_adds_isl_and_fsl(base, hfpl):
    assert (CONFIGS / base).is_file(), f'{hfpl} has no baseline {base}'
    base_cfg = Config.fromfile(str(CONFIGS / base)).to_dict()
    hfpl_cfg = Config.fromfile(str(CONFIGS / hfpl)).to_dict()
    diff = differing_paths(base_cfg, hfpl_cfg)
    other = [p for p in diff if not names_loss(p) and p[0] not in NAME_KEYS]
    assert not other, f'{hfpl} changes more than ISL / FSL: {other}'
    model_diff = [p for p in diff if p[0] == 'model']
    for tag in (('fsl', ) if hfpl in FSL_ONLY else LOSS_TAGS):
        assert any(tag in str(k).lower() for p in model_diff for k in p), \
            f'{hfpl} adds no {tag.upper()} to the model'


def test_rule_catches_other_changes():
    """The comparison itself: a changed learning rate or a loss outside the model is caught."""
    base = dict(model=dict(head=dict(num_classes=20)), optim_wrapper=dict(lr=0.1))
    good = dict(model=dict(head=dict(num_classes=20, isl=dict(lam=0.2), fsl=dict(mu=2.5))),
                optim_wrapper=dict(lr=0.1), work_dir='x')
    bad = dict(good, optim_wrapper=dict(lr=0.2))
    assert [p for p in differing_paths(base, good) if not names_loss(p)] == [('work_dir', )]
    assert ('optim_wrapper', 'lr') in differing_paths(base, bad)
