"""An exclusive lock on a work dir, so two runs never write into the same folder at once."""
import fcntl
import os
import os.path as osp
import socket
import time
from typing import Optional

__all__ = ['WorkDirLock', 'WorkDirLockedError', 'LOCK_FILE']

LOCK_FILE = '.hfpl_mm.lock'


class WorkDirLockedError(RuntimeError):
    """Another process holds the lock of the work dir."""


class WorkDirLock:
    """``flock`` on ``<work_dir>/.hfpl_mm.lock``, held from :meth:`acquire` to :meth:`release`.

    The kernel drops the lock when its process ends, however it ends (a SIGKILLed run leaves
    no stale lock); the file keeps the holder's host, pid and start time for the message.

    Args:
        work_dir (str): The folder to lock (created if missing).
        what (str): What holds it, for messages (e.g. 'training'). Defaults to 'a run'.
    """

    def __init__(self, work_dir: str, what: str = 'a run') -> None:
        self.work_dir = osp.abspath(work_dir)
        self.path = osp.join(self.work_dir, LOCK_FILE)
        self.what = what
        self._file = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def acquire(self) -> 'WorkDirLock':
        """Take the lock; raises :class:`WorkDirLockedError` naming the holder if it is taken."""
        if self._file is not None:
            return self
        os.makedirs(self.work_dir, exist_ok=True)
        f = open(self.path, 'a+')
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.seek(0)
            holder = f.read().strip() or 'another process'
            f.close()
            raise WorkDirLockedError(
                f'work dir {self.work_dir} is in use by {holder} (lock {self.path}); two runs '
                'in one work dir would interleave their logs and checkpoints: wait for it to '
                'end or choose another --work-dir') from None
        f.seek(0)
        f.truncate()
        f.write(f'{self.what} (pid {os.getpid()} on {socket.gethostname()}, since '
                f'{time.strftime("%Y-%m-%d %H:%M:%S")})\n')
        f.flush()
        self._file = f
        return self

    def release(self) -> None:
        """Drop the lock (no-op when not held)."""
        f, self._file = self._file, None
        if f is not None:
            fcntl.flock(f, fcntl.LOCK_UN)
            f.close()

    def __enter__(self) -> 'WorkDirLock':
        return self.acquire()

    def __exit__(self, *exc) -> Optional[bool]:
        self.release()
        return None

    def __del__(self) -> None:
        self.release()
