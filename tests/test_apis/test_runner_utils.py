"""Bad input raises an exception naming the file or key (the tools turn it into an exit)."""
import pytest
from mmengine.config import Config

from hfpl_mm.apis import build_runner, check_data_roots, input_error_message, load_config
from tests.conftest import ROOT

CONFIG = str(ROOT / 'configs/cam/cam_r18-slim-d8_1xb16-12e_synthetic-96x96.py')


def test_missing_config(tmp_path):
    with pytest.raises(FileNotFoundError, match='config file not found: .*nothing.py'):
        load_config(str(tmp_path / 'nothing.py'))


def test_work_dir_from_cli_config_or_file_name(tmp_path):
    assert load_config(CONFIG).work_dir == \
        './work_dirs/cam_r18-slim-d8_1xb16-12e_synthetic-96x96'
    assert load_config(CONFIG, work_dir=str(tmp_path)).work_dir == str(tmp_path)


def test_missing_data_root_names_the_key():
    cfg = Config(dict(val_dataloader=dict(dataset=dict(
        type='ConcatDataset', datasets=[dict(data_root='/nonexistent/a'),
                                        dict(data_root='/nonexistent/b', generate=True)]))))
    with pytest.raises(FileNotFoundError, match=r'val_dataloader\.dataset\.datasets\.0\.'
                       r'data_root: directory not found: /nonexistent/a'):
        check_data_roots(cfg)
    cfg.val_dataloader.dataset.datasets.pop(0)
    check_data_roots(cfg)  # a generated data set needs no root


def test_missing_checkpoint_and_unknown_type(tmp_path):
    cfg = load_config(CONFIG, work_dir=str(tmp_path), cfg_options={'load_from': 'gone.pth'})
    with pytest.raises(FileNotFoundError, match='load_from: checkpoint file not found: gone.pth'):
        build_runner(cfg, CONFIG)
    cfg = load_config(CONFIG, work_dir=str(tmp_path), cfg_options={'model.head.type': 'NoHead'})
    with pytest.raises(KeyError) as info:
        build_runner(cfg, CONFIG)
    message = input_error_message(info.value)
    assert message.startswith(f'{CONFIG}: ') and 'NoHead' in message
    assert not message.startswith("'")  # the message itself, not KeyError's quoted repr


def test_input_error_message():
    assert input_error_message(KeyError('a key')) == 'a key'
    assert input_error_message(FileNotFoundError('no file: x')) == 'no file: x'
    assert input_error_message(FileNotFoundError(2, 'No such file', 'x')) == \
        "[Errno 2] No such file: 'x'"
