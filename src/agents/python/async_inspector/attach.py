"""Attach to a program that is already running (`async-inspector attach PID`).

The inspector injects `attach.start(channel, token, config)` into the process (sys.remote_exec on 3.14+, gdb
on older versions; see remote.py and src/attach/). It connects like a launched agent, installs the same hooks
(everything from now on is traced as if launched), then adopts what already exists: every running event loop
of every thread and each of its pending tasks, marked as found at attach (their creation site when asyncio
kept it, otherwise the coroutine's definition; no timings before the attach). When the inspector closes the
channel the agent detaches: every hook is put back, its threads stop, and the program goes on untouched.
Nothing here may raise into the program: the injected snippet swallows everything.
"""
import asyncio
import json
import os
import platform
import sys
import threading

from . import guard, protocol, state

_session = {}  # "channel", "restore" while attached


def start(spec, token, config_json="{}"):
    if state.enabled:
        raise RuntimeError("it is already traced by Async Inspector (launched with it, or attached by another inspector)")
    try:
        if guard.FAULTS:
            guard.fault("reading the attach config")
        cfg = json.loads(config_json or "{}")
        if isinstance(cfg, dict):
            state.config.update({k: v for k, v in cfg.items() if v is not None})
    except ValueError as e:
        guard.report("reading the attach config", e)
    from .channel import Channel

    ch = Channel(spec)
    ch.send([_hello(token)])
    restore = patch_points()
    from . import agent

    agent._install()
    _session.update(channel=ch, restore=restore)
    state.enabled = True
    adopt_existing()
    ch.start_writer()
    import atexit

    atexit.register(_at_exit)
    threading.Thread(target=_watch_inspector, args=(ch,), name="async-inspector-attach", daemon=True).start()


def _hello(token):
    return {"type": "hello", "protocol": protocol.PROTOCOL_VERSION, "token": token, "runtime": "python",
            "pid": os.getpid(), "ppid": os.getppid(), "argv": [sys.executable] + list(getattr(sys, "argv", [])),
            "cwd": os.getcwd(), "agentVersion": protocol.AGENT_VERSION,
            "runtimeVersion": platform.python_version(), "startEpochMs": state.START_EPOCH_MS, "attached": True}


def adopt_existing():
    """Record every pending task of every running loop, as found at attach."""
    now = state.perf()
    for loop, ident in running_loops():
        ls = state.loops.get(id(loop))
        if ls is None:
            ls = state.LoopState(loop, _thread_name(ident), ident)
            state.loops[id(loop)] = ls
        try:
            pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        except RuntimeError:  # the set changed while we read it: once more
            pending = [t for t in list(asyncio.all_tasks(loop)) if not t.done()]
        for task in pending:
            if id(task) in state.records:
                continue
            coro = task.get_coro()
            code, line, origin = _origin(task, coro)
            rec = state.Record("task", getattr(coro, "__qualname__", None), code, line, None, ls, now)
            rec.task = task
            rec.key = id(task)
            rec.attach = origin
            rec.force = True  # the whole snapshot goes in the first batch
            state.records[rec.key] = rec
            state.new.append(rec)


def _origin(task, coro):
    """(code, line, 'creation' | 'definition' | 'unknown') for a task created before the attach."""
    tb = getattr(task, "_source_traceback", None)  # asyncio debug mode keeps the creation stack
    if tb:
        from . import sites

        for fs in reversed(tb):
            if not sites.is_internal_file(fs.filename):
                return _Code(fs.filename, fs.name), fs.lineno, "creation"
    code = getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)
    if code is not None:
        return code, code.co_firstlineno, "definition"
    return None, None, "unknown"


class _Code(object):
    """Enough of a code object for sites.intern (a creation frame known only by file, line and function)."""

    def __init__(self, filename, name):
        self.co_filename = filename
        self.co_name = self.co_qualname = name


def running_loops():
    """[(loop, thread ident)] of the loops running now, found from each thread's frames (run_forever's
    `self`); loops whose run_forever has no Python frame (uvloop) are found on the heap."""
    found = {}
    run_forever = asyncio.base_events.BaseEventLoop.run_forever.__code__
    for ident, frame in sys._current_frames().items():
        f = frame
        while f is not None:
            if f.f_code is run_forever or (f.f_code.co_name == "run_forever" and "self" in f.f_locals):
                loop = f.f_locals.get("self")
                if isinstance(loop, asyncio.AbstractEventLoop) and id(loop) not in found:
                    found[id(loop)] = (loop, ident)
            f = f.f_back
    if not found:
        import gc

        for obj in gc.get_objects():
            if isinstance(obj, asyncio.AbstractEventLoop) and obj.is_running():
                found[id(obj)] = (obj, getattr(obj, "_thread_id", None) or threading.main_thread().ident)
    return list(found.values())


def _thread_name(ident):
    for t in threading.enumerate():
        if t.ident == ident:
            return t.name
    return "thread %s" % ident


# Everything the agent's install() functions replace: saved before, put back at detach.
def patch_points():
    import warnings

    from . import child_exits

    owners = [asyncio, asyncio.base_events.BaseEventLoop, asyncio.events, asyncio.events.Handle, asyncio.tasks,
              asyncio.runners, asyncio.locks.Lock, asyncio.locks.Semaphore, warnings] + child_exits.owners()
    if "uvloop" in sys.modules and hasattr(sys.modules["uvloop"], "Loop"):
        owners.append(sys.modules["uvloop"].Loop)
    return [(o, dict(vars(o))) for o in owners], list(sys.meta_path)


def detach():
    """Put every hook back and stop the agent's threads; the program goes on as before the attach."""
    if not _session:
        return
    state.enabled = False
    ch = _session.pop("channel")
    unhook(_session.pop("restore"))
    ch.stop.set()
    try:
        import atexit

        atexit.unregister(_at_exit)
    except Exception:
        pass
    try:
        ch.sock.close()
    except OSError:
        pass


def unhook(restore):
    """Every hook put back (`restore`: what patch_points saved), the stall sampler stopped, what was recorded
    dropped: the program goes on untraced (a detach, or a forked child with traceChildren false)."""
    (saved, meta_path) = restore
    from . import fork, stall_sampler, storm

    storm._hooks["on"] = storm._hooks["off"] = lambda: None
    for owner, before in saved:
        for name, value in list(vars(owner).items()):
            if before.get(name, _MISSING) is not value:
                try:
                    if name in before:
                        setattr(owner, name, before[name])
                    else:
                        delattr(owner, name)
                except (AttributeError, TypeError):
                    pass
    sys.meta_path[:] = [f for f in sys.meta_path if f in meta_path]
    stall_sampler._stop.set()
    fork.forget_recorded()


_MISSING = object()


def _at_exit():
    """The program ends while attached: the last batch, then `bye` (its exit status is not known here)."""
    ch = _session.get("channel")
    if ch is None:
        return
    ch.stop.set()
    try:
        ch.flush(final=True)
        ch.send([{"type": "bye", "t": state.ms(state.perf())}])
        from .channel import EXIT_DRAIN_S

        ch.drain(EXIT_DRAIN_S)
    except Exception:
        pass


def _watch_inspector(ch):
    """The inspector never writes after the hello: the stream ending means it detached (or died)."""
    try:
        while ch.sock.recv(4096):
            pass
    except OSError:
        pass
    try:
        detach()
    except Exception:
        pass
