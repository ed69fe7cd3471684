"""Artifact folders: derived from the work dir or the writer's out_dir, one name a folder."""
import os.path as osp

import pytest

from hfpl_mm.evaluation.metrics import PseudoLabelMetric, RefinedLabelMetric
from hfpl_mm.utils.artifacts import artifact_dir, artifact_file, writer_out_dir


def test_out_dir_from_work_dir_or_writer(tmp_path):
    assert writer_out_dir(str(tmp_path)) == str(tmp_path / 'pseudo_labels')
    assert writer_out_dir(str(tmp_path), 'elsewhere') == osp.abspath('elsewhere')
    assert artifact_dir('/o', 'cams') == '/o/cams'
    assert artifact_file('/o', 'labels', '/d/JPEGImages/2007_01.jpg', '.png') == \
        '/o/labels/2007_01.png'
    for bad in ('', '..', 'a/b'):
        with pytest.raises(ValueError, match='plain folder name'):
            artifact_dir('/o', bad)


def test_writers_name_their_files_by_artifact(tmp_path):
    sample = dict(img_path='/d/JPEGImages/x.jpg')
    writer = PseudoLabelMetric(out_dir=str(tmp_path))
    assert writer.paths(sample) == dict(cams=str(tmp_path / 'cams/x.npz'),
                                        labels=str(tmp_path / 'labels/x.png'))
    assert writer.required_artifacts() == ('labels', 'cams')
    assert PseudoLabelMetric(out_dir='o', save_cams=False).required_artifacts() == ('labels', )
    assert list(RefinedLabelMetric(out_dir='o').paths(sample)) == ['labels']
    (tmp_path / 'labels').mkdir()
    (tmp_path / 'labels/x.png').write_bytes(b'')
    assert not writer.is_done(sample)  # the CAMs are missing
    with pytest.raises(ValueError, match='out_dir is not set'):
        PseudoLabelMetric().paths(sample)
