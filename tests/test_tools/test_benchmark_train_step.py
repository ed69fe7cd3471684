"""tools/analysis_tools/benchmark_train_step.py: interleaved steps of a baseline and its HFPL twin
from the same weights, and a clear refusal of a 'twin' with another model."""
import importlib.util

import pytest

from tests.conftest import ROOT

CAM = str(ROOT / 'configs/cam/cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py')
HFPL_CAM = str(ROOT / 'configs/cam/hfpl-cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py')
SEAM = str(ROOT / 'configs/seam/seam_r38d-slim_1xb16-12e_synthetic-96x96.py')


def _tool():
    spec = importlib.util.spec_from_file_location(
        'benchmark_train_step', ROOT / 'tools/analysis_tools/benchmark_train_step.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_times_both_from_the_same_weights(capsys):
    tool = _tool()
    median, peaks = tool.main([CAM, HFPL_CAM, '--batch-size', '2', '--crop', '32',
                               '--repeat', '2', '--no-memory'])
    assert set(median) == {'base', 'hfpl'} and all(t > 0 for t in median.values())
    assert peaks == {}
    out = capsys.readouterr().out
    assert 'HFPL / baseline time ratio' in out and 'batch 2, 32x32' in out


def test_a_twin_with_another_model_is_refused():
    with pytest.raises(SystemExit, match='differs from the baseline'):
        _tool().main([CAM, SEAM, '--batch-size', '1', '--crop', '32', '--repeat', '1',
                      '--no-memory'])


@pytest.mark.parametrize('config, size', [
    ('seam/seam_r38d_1xb8-8e_voc12aug-448x448.py', 448),
    ('mctformer/mctformer-v2_deit-s_1xb64-60e_voc12aug-224x224.py', 224),
    ('spatial_bce/spatial-bce_r38d_1xb12-20e_voc12aug-369x369.py', 369),
    ('cam/cam_r50-d16_1xb16-5e_voc12aug-512x512.py', 512)])
def test_input_size_is_the_train_pipelines_not_the_dataset_bases(config, size):
    # the dataset base's `crop_size` (512) is what these pipelines replace
    from mmengine import Config
    tool, cfg = _tool(), Config.fromfile(str(ROOT / 'configs' / config))
    assert tool._crop(cfg, None) == size
    assert tool._crop(cfg, 64) == 64
