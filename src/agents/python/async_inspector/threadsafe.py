"""Cross-thread submissions: `run_coroutine_threadsafe` (the task made on the target loop is linked to
the submitting line and task) and user `call_soon_threadsafe` callbacks (tracked as their own items)."""
import asyncio
import sys

from . import guard, sites, state
from .state import Record, perf


def _submitter():
    """(code, line, current record id) of the calling user code, whatever thread it runs on."""
    f = sites.user_frame(sys._getframe(2))
    parent = None
    loop = asyncio.events._get_running_loop()
    if loop is not None:
        ls = state.loops.get(id(loop))
        if ls is not None and ls.current is not None:
            parent = ls.current.id
    return (f.f_code if f else None), (f.f_lineno if f else None), parent


class _Submitted(object):
    """A user callback handed to another thread's loop; its identity keys the record until it runs."""

    __slots__ = ("fn",)

    def __init__(self, fn):
        self.fn = fn

    def __call__(self, *args):
        return self.fn(*args)

    def __repr__(self):
        return repr(self.fn)


def install():
    orig_rct = asyncio.tasks.run_coroutine_threadsafe

    def run_coroutine_threadsafe(coro, loop):
        try:
            if guard.FAULTS:
                guard.fault("run_coroutine_threadsafe hook")
            state.handoff[id(coro)] = _submitter()
        except Exception as e:
            guard.report("run_coroutine_threadsafe hook", e)
        return orig_rct(coro, loop)

    asyncio.tasks.run_coroutine_threadsafe = run_coroutine_threadsafe
    asyncio.run_coroutine_threadsafe = run_coroutine_threadsafe

    base = asyncio.base_events.BaseEventLoop
    orig_cst = base.call_soon_threadsafe

    def call_soon_threadsafe(self, callback, *args, **kwargs):
        try:
            if guard.FAULTS:
                guard.fault("call_soon_threadsafe hook")
            if not sites.is_internal(sys._getframe(1).f_code):
                code, line, parent = _submitter()
                ls = state.loops.get(id(self))
                name = getattr(callback, "__qualname__", None) or type(callback).__name__
                rec = Record("other", name, code, line, parent, ls, perf())
                rec.name = "call_soon_threadsafe(%s)" % name
                callback = _Submitted(callback)
                # registered before the handle exists: the loop thread may run it at once
                state.xthread[id(callback)] = rec
                state.new.append(rec)
        except Exception as e:
            guard.report("call_soon_threadsafe hook", e)
        return orig_cst(self, callback, *args, **kwargs)

    base.call_soon_threadsafe = call_soon_threadsafe
