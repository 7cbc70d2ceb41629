"""Ways out of a traced process that run no atexit hook: the last batch and `bye` (with the exit status) go first.

- `os._exit(n)`: how multiprocessing's forked children and the fork server's children end, and some servers'
  workers; bye says n.
- A process raising a signal at itself whose handler is the default one, so that it dies of it: uvicorn's
  server re-raises the SIGTERM / SIGINT it caught once it has shut down (a worker stopped by its supervisor ends
  that way), and programs do `os.kill(os.getpid(), sig)` for the same reason. bye says 128 + the signal number,
  the status the launcher reports for a program killed by a signal. A signal with a Python handler, ignored, or
  whose default action does not end the process goes through untouched.
"""
import os
import signal

from . import guard

_real = {}
# Signals whose default action ends the process.
_FATAL = {getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGABRT", "SIGUSR1",
                                             "SIGUSR2", "SIGALRM", "SIGPIPE", "SIGKILL") if hasattr(signal, name)}


def install():
    if _real:
        return
    _real.update(exit=os._exit, raise_signal=getattr(signal, "raise_signal", None), kill=getattr(os, "kill", None))
    os._exit = _exit
    if _real["raise_signal"] is not None:
        signal.raise_signal = _raise_signal
    if _real["kill"] is not None:
        os.kill = _kill


def say_bye(code):
    """Flush and send bye with `code` now, in the process whose connection it is (never a forked child's copy)."""
    from . import agent

    ch = agent._channel[0]
    if ch is None or os.getpid() != agent.connected_pid[0]:
        return
    try:
        if guard.FAULTS:
            guard.fault("saying bye before the process ends")
        agent.exit_code[0] = code
        agent._at_exit()
    except BaseException as e:
        guard.report("saying bye before the process ends", e)
        try:  # the report and the bye still go: nothing runs after this process ends
            ch.close(code)
        except BaseException:
            pass
    agent._channel[0] = None


def _exit(code):
    say_bye(code)
    _real["exit"](code)


def _dies_of(sig):
    try:
        sig = signal.Signals(sig)
        return sig in _FATAL and (sig == signal.SIGKILL or signal.getsignal(sig) == signal.SIG_DFL)
    except (ValueError, TypeError):
        return False


def _raise_signal(sig):
    if _dies_of(sig):
        say_bye(128 + int(sig))
    return _real["raise_signal"](sig)


def _kill(pid, sig):
    if pid == os.getpid() and _dies_of(sig):
        say_bye(128 + int(sig))
    return _real["kill"](pid, sig)
