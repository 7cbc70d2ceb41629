"""Starts the agent: reads the launcher's env vars, connects, says hello, installs the hooks."""
import atexit
import json
import os
import platform
import sys

from . import guard, protocol, state

exit_code = [None]
_channel = [None]


def start(argv):
    """Connect and install hooks when the launcher's env vars are set; otherwise do nothing."""
    spec = os.environ.get(protocol.ENV_CHANNEL)
    if not spec:
        return False
    try:
        cfg = json.loads(os.environ.get(protocol.ENV_CONFIG) or "{}")
        if isinstance(cfg, dict):
            state.config.update({k: v for k, v in cfg.items() if v is not None})
    except ValueError as e:
        guard.report("reading ASYNC_INSPECTOR_CONFIG", e)
    try:
        from .channel import Channel

        ch = Channel(spec)
    except Exception as e:
        sys.stderr.write("async-inspector: cannot reach the inspector at %s (%s); running untraced\n" % (spec, e))
        return False
    _channel[0] = ch
    ch.send([{
        "type": "hello", "protocol": protocol.PROTOCOL_VERSION, "token": os.environ.get(protocol.ENV_TOKEN, ""),
        "runtime": "python", "pid": os.getpid(), "ppid": os.getppid(), "argv": [sys.executable] + list(argv),
        "cwd": os.getcwd(), "agentVersion": protocol.AGENT_VERSION, "runtimeVersion": platform.python_version(),
        "startEpochMs": state.START_EPOCH_MS,
    }])
    _install()
    state.enabled = True
    atexit.register(_at_exit)
    try:
        ch.start_writer()
    except Exception as e:  # the program still runs; what was recorded is sent at exit
        guard.report("starting the writer thread", e)
    return True


def _install():
    from . import deadlock, executors, findings, locks, mistakes, relations, tasks, threadsafe, uvloop_support, watchdog

    for name, mod in (("tasks", tasks), ("executors", executors), ("threadsafe", threadsafe), ("relations", relations),
                      ("findings", findings), ("mistakes", mistakes), ("uvloop", uvloop_support),
                      ("deadlock", deadlock), ("locks", locks), ("watchdog", watchdog)):
        try:
            mod.install()
        except Exception as e:
            guard.report("installing %s hooks" % name, e)


def _at_exit():
    ch = _channel[0]
    if ch is None:
        return
    try:
        from . import deadlock

        _collect_pending_tasks()
        deadlock.at_exit(exit_code[0])
    except Exception as e:
        guard.report("collecting pending tasks at exit", e)
    try:
        from . import watchdog

        watchdog.at_exit()
    except Exception as e:
        guard.report("watchdog at exit", e)
    try:
        ch.close(exit_code[0] if exit_code[0] is not None else 0)
    except Exception:
        pass


def _collect_pending_tasks():
    """Pending tasks caught in reference cycles are destroyed by the interpreter's last collection, after
    the channel is closed: collect them now, so a closed loop's tasks are reported as destroyed-pending."""
    state.exiting = True
    if any(r.kind == "task" and not r.ended for r in list(state.records.values())):
        import gc

        gc.collect()
