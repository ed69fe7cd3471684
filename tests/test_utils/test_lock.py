"""WorkDirLock: a second run in a locked work dir is refused, naming the holder; a killed
holder leaves no stale lock."""
import subprocess
import sys

import pytest

from hfpl_mm.utils.lock import LOCK_FILE, WorkDirLock, WorkDirLockedError

HOLD = ('import fcntl, sys, time; f = open(sys.argv[1], "a+"); fcntl.flock(f, fcntl.LOCK_EX); '
        'f.write("the other run (pid 4242)"); f.flush(); print("locked", flush=True); '
        'time.sleep(120)')


def test_second_lock_is_refused_and_released(tmp_path):
    with WorkDirLock(str(tmp_path), 'training') as first:
        assert first.held
        with pytest.raises(WorkDirLockedError, match=r'in use by training \(pid \d+'):
            WorkDirLock(str(tmp_path)).acquire()
    WorkDirLock(str(tmp_path)).acquire().release()  # free again


def test_other_process_holds_until_killed(tmp_path):
    holder = subprocess.Popen([sys.executable, '-c', HOLD, str(tmp_path / LOCK_FILE)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == 'locked'
        with pytest.raises(WorkDirLockedError, match='the other run'):
            WorkDirLock(str(tmp_path)).acquire()
    finally:
        holder.kill()
        holder.wait()
    WorkDirLock(str(tmp_path)).acquire().release()  # the kernel dropped the dead run's lock
