"""How each child process of this one ended, as this process's wait saw it: an `exited` event with its status
(128 + the signal's number when a signal killed it). A traced child's own bye cannot say it when it is killed from
outside, nor, before 3.12, a bare `raise SystemExit(n)` at its top level (exit_codes.py); the model takes the
parent's word for it.

The waits: `subprocess.Popen` (wait / poll / communicate / run all end in `_handle_exitstatus`), multiprocessing's
children (`Popen.poll` of the fork, spawn and forkserver start methods: join, is_alive, exitcode) and asyncio's
subprocess transports (`_process_exited`). A child reaped by a bare `os.waitpid` is not seen.
"""
import weakref

from . import guard, state
from .state import ms, perf

_said = weakref.WeakSet()  # the Popen objects whose end was sent (poll() may be called many times)


def owners():
    """The classes whose waits are wrapped (attach.py puts them back at a detach)."""
    import asyncio.base_subprocess
    import multiprocessing.popen_fork
    import subprocess

    found = [subprocess.Popen, multiprocessing.popen_fork.Popen, asyncio.base_subprocess.BaseSubprocessTransport]
    try:
        import multiprocessing.popen_forkserver as forkserver  # not on every platform
        found.append(forkserver.Popen)
    except ImportError:
        pass
    return found


def install():
    for cls in owners():
        if cls.__name__ == "BaseSubprocessTransport":
            _after(cls, "_process_exited", lambda t: (t._pid, t._returncode))
        else:
            _after(cls, "_handle_exitstatus" if cls.__module__ == "subprocess" else "poll",
                   lambda p: (p.pid, p.returncode))


def _after(cls, name, read):
    real = cls.__dict__.get(name)
    if real is None:
        return

    def wrapper(self, *args, **kwargs):
        result = real(self, *args, **kwargs)
        try:  # also from Popen.__del__ at interpreter shutdown, when this module's globals may be gone
            if state.enabled and self not in _said:
                guard.attempt("child exit", lambda: _note(self, read(self)))
        except Exception:
            pass
        return result

    wrapper.__wrapped__ = real
    setattr(cls, name, wrapper)


def _note(owner, ended):
    pid, code = ended
    if pid is None or code is None:
        return
    _said.add(owner)
    state.child_exits.append({"e": "exited", "pid": pid, "code": code if code >= 0 else 128 - code, "t": ms(perf())})
