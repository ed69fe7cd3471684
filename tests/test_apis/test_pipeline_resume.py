"""Kill a pipeline (SIGKILL, in a subprocess) in the middle of a classifier's training, of its
pseudo-label writing and of a segmentor's training; each re-run resumes, the report's figures
equal an uninterrupted run's, and the report and stage records say what resumed."""
import json

from tests.conftest import ROOT, run_tool
from tests.test_apis.test_pipeline import tiny_pipeline

KILL_HOOK = 'tests.test_apis.kill_hook'


def _run(pipe, work, root, check=True):
    return run_tool('tools/run_pipeline.py', str(pipe), '--work-dir', str(work), '--data-root',
                    root, check=check)


def test_killed_stages_resume_to_the_same_report(synthetic_root, tmp_path):
    source = ROOT / 'configs' / 'pipelines' / 'cam_synthetic.py'
    # classifier: 2 epochs of 2 iterations, checkpoint each epoch; pseudo-labels: 8 batches of
    # 2; segmentor: 4 iterations, checkpoint at 2 (a loader worker, so mmengine's advance past
    # the trained iterations replays the same data)
    options = dict(
        classifier={'train_cfg.max_epochs': 2, 'train_cfg.val_interval': 5,
                    'test_dataloader.batch_size': 2},
        segmentor={'train_cfg.max_iters': 4, 'default_hooks.checkpoint.interval': 2,
                   'train_dataloader.num_workers': 1})
    plain = tiny_pipeline(source, tmp_path / 'plain', synthetic_root, options,
                          remove=('pretrain', ))
    _run(plain, tmp_path / 'work_plain', synthetic_root)
    expected = json.loads((tmp_path / 'work_plain' / 'report.json').read_text())

    marks = tmp_path / 'marks'
    marks.mkdir()
    # (custom_hooks replaces the runtime's list: its ReseedHook is listed again)
    hooks = dict(classifier=[dict(type='ReseedHook'),
                             dict(type='KillOnceHook', marker=str(marks / 'train'), train_iter=3),
                             dict(type='KillOnceHook', marker=str(marks / 'test'), test_iter=4)],
                 segmentor=[dict(type='ReseedHook'),
                            dict(type='KillOnceHook', marker=str(marks / 'seg'), train_iter=3)])
    for stage, kills in hooks.items():
        options[stage].update({'custom_imports.imports': ['hfpl_mm', KILL_HOOK],
                               'custom_hooks': kills})
    killed = tiny_pipeline(source, tmp_path / 'killed', synthetic_root, options,
                           remove=('pretrain', ))
    work = tmp_path / 'work_killed'
    seed = work / 'pipe' / 'seed0'
    # 1. killed in the classifier's 2nd epoch, after epoch_1.pth
    assert _run(killed, work, synthetic_root, check=False).returncode == -9
    assert (seed / 'classifier/epoch_1.pth').is_file()
    assert not (seed / 'classifier/epoch_2.pth').exists()
    # 2. resumes training from epoch 1, then is killed writing the pseudo-labels
    proc = _run(killed, work, synthetic_root, check=False)
    assert proc.returncode == -9
    assert 'resumed epoch: 1' in proc.stdout + proc.stderr
    assert len(list((seed / 'classifier/pseudo_labels/labels').iterdir())) == 8
    # 3. finishes the labels, killed in the segmentor after iter_2.pth
    proc = _run(killed, work, synthetic_root, check=False)
    assert proc.returncode == -9
    assert '8 images had finished outputs' in proc.stdout + proc.stderr
    assert (seed / 'segmentor/iter_2.pth').is_file()
    # 4. the classifier is skipped, the segmentor resumes from iteration 2
    proc = _run(killed, work, synthetic_root)
    log = proc.stdout + proc.stderr
    assert 'classifier finished before, skipped' in log and 'resumed epoch: 0, iter: 2' in log
    report = json.loads((work / 'report.json').read_text())
    for key in ('runs', 'summary', 'paired'):
        assert report[key] == expected[key], key
    assert not expected['resumed']
    assert report['resumed'] == {'CAM': {'0': {
        'classifier': {'train': 'from epoch_1.pth', 'test': '8 finished images kept'},
        'segmentor': {'train': 'from iter_2.pth'}}}}
    assert 'Resumed after an interruption' in (work / 'report.md').read_text()
