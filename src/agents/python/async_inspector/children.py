"""Child processes: each Python child traced as a process of its own, or none of them (`traceChildren: false`).

A forked child keeps the agent it inherited and reconnects as itself (fork.py). A new interpreter (multiprocessing's
spawn and forkserver start methods, hence uvicorn's `--workers` and spawn/forkserver process pools; `subprocess`
running python) inherits the environment: the agent puts its site folder (a sitecustomize.py that starts the
agent, ../../site, dist/python-site when built) first on the process's PYTHONPATH, beside the agent's folder and
the channel variables already there, so every Python child starts it at interpreter start-up, before its program
(`start_child`). `python -I` / `-E` (PYTHONPATH ignored) and `-S` (no site) children run untraced, untouched, and
so do interpreters older than 3.9. With `traceChildren: false` the agent takes its variables and folders out of
the environment instead: a child then runs exactly as without us.

A child started that way is not run by `python -m async_inspector`: how it ends is noted for its bye
(exit_codes.py).
"""
import os
import sys

from . import protocol, state

VARIABLES = (protocol.ENV_CHANNEL, protocol.ENV_TOKEN, protocol.ENV_CONFIG, protocol.ENV_SESSION)
# Interpreters multiprocessing starts for itself, not for the program: they run no program code.
_HELPERS = ("from multiprocessing.resource_tracker import main",)


def trace_children():
    return state.config.get("traceChildren", True) is not False


def agent_dir():
    """The folder holding the `async_inspector` package (dist/python, or src/agents/python)."""
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def site_dir():
    """The folder of the sitecustomize.py that starts the agent in a child, or None when it is not there."""
    parent = agent_dir()
    for d in (os.path.join(os.path.dirname(parent), "python-site"), os.path.join(parent, "site")):
        if os.path.isfile(os.path.join(d, "sitecustomize.py")):
            return d
    return None


def prepare_environment(environ=None):
    """What this process's children inherit: the site folder first on PYTHONPATH, or (traceChildren false) no
    trace of the agent at all."""
    environ = os.environ if environ is None else environ
    if not trace_children():
        strip(environ)
        return
    site = site_dir()
    if site is None:
        return
    entries = [p for p in environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != site]
    environ["PYTHONPATH"] = os.pathsep.join([site] + entries)


def strip(environ):
    """The channel variables and the agent's folders out of `environ`."""
    for name in VARIABLES:
        environ.pop(name, None)
    ours = {agent_dir(), site_dir()}
    path = environ.get("PYTHONPATH")
    if path is not None:
        rest = [p for p in path.split(os.pathsep) if p not in ours]
        if rest:
            environ["PYTHONPATH"] = os.pathsep.join(rest)
        else:
            del environ["PYTHONPATH"]


def command_line():
    """This interpreter's command line: 3.10+ keeps it whole; 3.9's sys.argv has lost the `-m`/`-c` argument
    by now, so there it is read from /proc (Linux)."""
    argv = getattr(sys, "orig_argv", None)
    if argv:
        return list(argv)
    try:
        with open("/proc/self/cmdline", "rb") as f:
            args = f.read().split(b"\0")[:-1]
        if args:
            return [os.fsdecode(a) for a in args]
    except OSError:
        pass
    return [sys.executable] + list(sys.argv)


def is_helper(argv):
    return any(h in arg for arg in argv for h in _HELPERS)
