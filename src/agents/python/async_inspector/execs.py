"""os.exec* replacing the process (os.execv / execve and the execl* / execvp* helpers built on them).

An exec runs no atexit hook, so without this whatever the agent recorded since its last flush (often the whole
program, when it execs early) would be lost with the process image. Just before the exec the agent sends its
last batch and a bye (no exit code: the new program's is the process's) and stops tracing. A new Python program
is traced as a connection of its own, as a child would be (children.py); any other runs untraced. If the exec
fails, the program goes on untraced.
"""
import os

from . import guard, state

_real = {}


def install():
    for name in ("execv", "execve"):
        real = getattr(os, name, None)
        if real is not None and name not in _real:  # once: a re-attach installs the hooks again
            _real[name] = real
            setattr(os, name, _wrapped(real))


def _wrapped(real):
    def exec_replacing_the_process(*args, **kwargs):
        _before_exec()
        return real(*args, **kwargs)

    exec_replacing_the_process.__name__ = real.__name__
    exec_replacing_the_process.__doc__ = real.__doc__
    return exec_replacing_the_process


def _before_exec():
    try:
        from . import agent

        ch = agent._channel[0]
        if not state.enabled or ch is None or os.getpid() != agent.connected_pid[0]:
            return
        agent._channel[0] = None
        guard.attempt("stall sampler before exec", agent.stall_sampler_at_exit)
        ch.close(None)
        state.enabled = False
    except BaseException:  # never into the program's exec
        pass
