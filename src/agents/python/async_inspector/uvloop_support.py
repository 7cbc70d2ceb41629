"""uvloop: its loop class is a Python subclass, so create_task can be wrapped there when uvloop is
imported. Its handles are Cython, so the Handle._run hook never sees its steps: on uvloop the agent
tracks tasks, names, parents, sites, await relations and ends (through a done callback), but not
per-step timing or the running state; blocking steps are found by the heartbeat (heartbeat.py)."""
import sys
import threading

from . import cancels, guard, heartbeat, loop_hooks, state, tasks
from .state import perf


def _on_done(task):
    try:
        if guard.FAULTS:
            guard.fault("uvloop done callback")
        rec = state.records.get(id(task))
        if rec is not None and not rec.ended:
            tasks.finish(rec, task, perf())
    except Exception as e:
        guard.report("uvloop done callback", e)


def patch(uvloop):
    loop_cls = getattr(uvloop, "Loop", None)
    if loop_cls is None or getattr(loop_cls, "_async_inspector", False):
        return
    hooked = loop_hooks.create_task_hook(loop_cls.create_task, _on_done)

    def create_task(self, coro, *args, **kwargs):
        task = hooked(self, coro, *args, **kwargs)
        try:
            if guard.FAULTS:
                guard.fault("uvloop cancel hook")
            cancels.watch(task)
        except Exception as e:
            guard.report("uvloop cancel hook", e)
        return task

    loop_cls.create_task = create_task
    orig_run_forever = loop_cls.run_forever

    def run_forever(self, *args, **kwargs):
        try:  # the heartbeat's sampler tells the loop's own frames from its steps' (stalls, heartbeat.py)
            if guard.FAULTS:
                guard.fault("uvloop run_forever hook")
            ls = tasks.loop_state(self)
            if ls.thread_ident != threading.get_ident():  # created in another thread
                ls.thread_ident, ls.thread = threading.get_ident(), threading.current_thread().name
                ls.announced = False
            heartbeat.running(ls, sys._getframe())
        except Exception as e:
            guard.report("uvloop run_forever hook", e)
        return orig_run_forever(self, *args, **kwargs)

    loop_cls.run_forever = run_forever
    loop_cls._async_inspector = True


class _Finder(object):
    """Patches uvloop right after it is imported (a meta-path finder that wraps the real loader)."""

    def find_spec(self, name, path=None, target=None):
        if name != "uvloop":
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                exec_module = spec.loader.exec_module

                def exec_and_patch(module):
                    exec_module(module)
                    try:
                        if guard.FAULTS:
                            guard.fault("uvloop patch")
                        patch(module)
                    except Exception as e:
                        guard.report("uvloop patch", e)

                spec.loader.exec_module = exec_and_patch
                return spec
        return None


def install():
    if "uvloop" in sys.modules:
        patch(sys.modules["uvloop"])
    else:
        sys.meta_path.insert(0, _Finder())
