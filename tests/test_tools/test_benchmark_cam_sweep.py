"""tools/analysis_tools/benchmark_cam_sweep.py: the stacked sweep scoring against the map-by-map
reference (mmseg's areas, one cv2.dilate per mask), on the same images."""
import importlib.util

from tests.conftest import ROOT


def test_both_ways_agree_and_are_timed(capsys):
    spec = importlib.util.spec_from_file_location(
        'benchmark_cam_sweep', ROOT / 'tools/analysis_tools/benchmark_cam_sweep.py')
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    median = tool.main(['--size', '40', '56', '--classes', '5', '--thresholds', '0.1', '0.9',
                        '0.2', '--images', '3', '--repeat', '1', '--objects', '3'])
    assert set(median) == {'reference', 'stacked'} and all(t > 0 for t in median.values())
    out = capsys.readouterr().out
    assert '4 thresholds, 40x56, 5 classes' in out and 'identical counts' in out
    assert 'speed-up (reference / stacked)' in out
