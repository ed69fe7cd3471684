"""The pipeline report: paired differences with Student-t intervals, the cost table, the files."""
import json

import numpy as np
import pytest
from scipy import stats

from hfpl_mm.apis.pipeline_report import paired_differences, write_report


def runs(values_j, values_f):
    return [{'pseudo': {'J': j, 'F': f}, 'seg': {'J': j / 2}} for j, f in zip(values_j, values_f)]


def test_paired_differences_match_a_paired_t_interval():
    base = runs([50.0, 52.0, 47.0, 55.0, 49.0], [20.0, 21.0, 19.0, 25.0, 22.0])
    other = runs([51.5, 52.5, 49.0, 55.2, 50.1], [22.0, 20.0, 21.0, 26.0, 22.5])
    diff = paired_differences(base, other)
    d = np.array([1.5, 0.5, 2.0, 0.2, 1.1])
    # scipy's paired t-test gives the same interval: mean +- t * se
    test = stats.ttest_rel([r['pseudo']['J'] for r in other], [r['pseudo']['J'] for r in base])
    low, high = test.confidence_interval(0.95)
    assert diff['pseudo']['J']['mean'] == pytest.approx(d.mean())
    assert diff['pseudo']['J']['ci'] == pytest.approx([low, high])
    assert diff['pseudo']['J']['n'] == 5 and diff['pseudo']['J']['values'] == pytest.approx(d)
    assert set(diff['seg']) == {'J'}  # F was not reported for that row
    one = paired_differences(base[:1], other[:1])
    assert one['pseudo']['J']['ci'] is None and one['pseudo']['J']['n'] == 1


def test_report_has_pairs_costs_and_figure(tmp_path):
    results = {
        'CAM': runs([50.0, 52.0, 47.0], [20.0, 21.0, 19.0]),
        'CAM + ISL + FSL': runs([51.0, 54.0, 47.5], [21.0, 20.0, 21.0]),
    }
    costs = {name: [{'classifier': dict(time_s=10.0 + k, peak_mem_mb=300.0 + k)}
                    for k in range(3)] for name in results}
    text = write_report(results, [0, 1, 2], str(tmp_path),
                        pairs=[('CAM', 'CAM + ISL + FSL')], costs=costs)
    assert '| CAM -> CAM + ISL + FSL | pseudo | 3 | +1.2 [' in text
    assert '| CAM | classifier | 11 ± 1 | 302 |' in text
    report = json.loads((tmp_path / 'report.json').read_text())
    assert report['paired']['CAM -> CAM + ISL + FSL']['pseudo']['J']['mean'] == pytest.approx(
        7 / 6)
    assert report['costs'] == costs
    assert text in (tmp_path / 'report.md').read_text()
    assert (tmp_path / 'report.png').stat().st_size > 1000
