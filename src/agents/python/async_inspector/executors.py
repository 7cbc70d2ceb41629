"""Executor work as its own items: `loop.run_in_executor` (default pool, ThreadPoolExecutor,
ProcessPoolExecutor, any executor) and `asyncio.to_thread` (which calls run_in_executor).

In-process pools run a wrapper that marks the job running on its worker thread. Process pools: process_pools.py.
"""
import asyncio
import concurrent.futures
import functools
import sys
import threading

from . import guard, process_pools, sites, state, tasks
from .state import Record, perf


def _callable_name(func):
    while isinstance(func, functools.partial):
        inner = func.func
        # asyncio.to_thread submits partial(contextvars.Context.run, func, *args)
        func = func.args[0] if getattr(inner, "__name__", "") == "run" and func.args else inner
    return getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or type(func).__name__


class _ThreadJob(object):
    __slots__ = ("rec", "func")

    def __init__(self, rec, func):
        self.rec = rec
        self.func = func

    def __call__(self, *args):
        rec = self.rec
        try:
            if guard.FAULTS:
                guard.fault("executor job")
            rec.thread = threading.current_thread().name
            rec.first = perf()
            rec.touch()
        except Exception as e:
            guard.report("executor job", e)
        try:
            result = self.func(*args)
        except BaseException as e:
            _job_ended(rec, "failed", e)
            raise
        _job_ended(rec, "done", None)
        return result


def _job_ended(rec, end_state, error):
    try:
        if guard.FAULTS:
            guard.fault("executor job end")
        rec.ended = perf()
        rec.end_state = end_state
        if error is not None:
            rec.error = error
        rec.touch()
    except Exception as e:  # the job's own result or exception goes on untouched
        guard.report("executor job end", e)


def install():
    base = asyncio.base_events.BaseEventLoop
    orig = base.run_in_executor

    def run_in_executor(self, executor, func, *args):
        try:
            if guard.FAULTS:
                guard.fault("run_in_executor hook")
            ls = state.loops.get(id(self)) or tasks.loop_state(self)
            f = sites.user_frame(sys._getframe(1))
            cur = ls.current
            rec = Record("executor", None, f.f_code if f else None, f.f_lineno if f else None,
                         cur.id if cur is not None else None, ls, perf())
            rec.name = _callable_name(func)
        except Exception as e:
            guard.report("run_in_executor hook", e)
            return orig(self, executor, func, *args)
        if isinstance(executor, concurrent.futures.ProcessPoolExecutor):
            self._check_closed()
            fut = asyncio.wrap_future(process_pools.submit(executor, rec, func, args), loop=self)
        else:
            # Recorded before the submit: the worker may run it (and stop at a breakpoint) at once.
            state.new.append(rec)
            try:
                fut = orig(self, executor, _ThreadJob(rec, func), *args)
            except BaseException as e:
                rec.ended, rec.end_state, rec.error = perf(), "failed", e
                rec.touch()
                raise
            _link(fut, rec)
            return fut
        state.new.append(rec)
        _link(fut, rec)
        return fut

    base.run_in_executor = run_in_executor


def _link(fut, rec):
    """The future the program awaits stands for the job (relations.py)."""
    try:
        state.links[fut] = [rec]
    except TypeError:
        pass

