import json

from tests.conftest import run_tool


def test_search_writes_results_and_plot(synthetic_root, tmp_path):
    proc = run_tool('tools/analysis_tools/fsl_param_search.py', '--data-root', synthetic_root,
                    '--mus', '1.5', '2.5', '--sigmas', '5', '--size', '24', '--steps', '5',
                    '--out', str(tmp_path))
    result = json.loads((tmp_path / 'results.json').read_text())
    assert len(result['grid']) == 2 and result['images']
    assert result['best'] in result['grid']
    for row in result['grid']:
        assert 0 <= row['J'] <= 100 and 0 <= row['F'] <= 100
    assert (tmp_path / 'search.png').stat().st_size > 1000
    assert 'best: mu' in proc.stdout
