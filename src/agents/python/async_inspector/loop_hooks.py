"""The event loop's hooks: `BaseEventLoop.create_task` (every loop, the main task of asyncio.run, user task
factories, eager tasks; only counted while a storm lasts, storm.py), `run_forever` (the thread a loop runs on),
`close` (its leftover tasks let go), asyncio's `_set_task_name` (a name set after create_task returned);
`install` puts them and the step hook (steps.py) in place.
"""
import asyncio
import sys
import threading

from . import guard, state, steps, storm
from .state import perf, records, loops
from .tasks import finish, loop_state, track

_BaseEventLoop = asyncio.base_events.BaseEventLoop
_Handle = asyncio.events.Handle
_getframe = sys._getframe
_get_ident = threading.get_ident
storm_created = storm.created
storm_active = storm.active
storm_count = storm.count
storm_limit = storm.LIMIT
_getframemodulename = getattr(sys, "_getframemodulename", None)
_ASYNCIO_CREATE_TASK = asyncio.tasks.create_task.__code__
loops_get = loops.get


def create_task_hook(orig_create_task, on_done=None):
    """A create_task that records every task the loop makes. `on_done` is for loops whose steps the
    Handle._run hook cannot see (uvloop): ends then come from a done callback."""

    def create_task(self, coro, *args, **kwargs):
        n = storm_created[0] = storm_created[0] + 1
        if (n > storm_limit or storm_active[0]) and on_done is None and self._task_factory is None \
                and not kwargs.get("eager_start"):
            task = orig_create_task(self, coro, *args, **kwargs)
            try:  # a storm: count it, cheaply
                if guard.FAULTS:
                    guard.fault("create_task hook")
                if not storm_active[0]:
                    storm.begin()
                if _getframemodulename is not None:  # 3.12+: skip asyncio.create_task unmaterialized
                    frame = _getframe(2) if _getframemodulename(1) == "asyncio.tasks" else _getframe(1)
                else:
                    frame = _getframe(1)
                    if frame.f_code is _ASYNCIO_CREATE_TASK:
                        frame = frame.f_back
                storm_count(task, loops_get(id(self)) or loop_state(self), coro, frame)
            except Exception as e:
                guard.report("create_task hook", e)
            return task
        ls = loops_get(id(self)) or loop_state(self)
        t0 = perf()
        task = orig_create_task(self, coro, *args, **kwargs)
        try:
            if guard.FAULTS:
                guard.fault("create_task hook")
            if on_done is not None:  # no step hook there: the parent is asyncio's current task
                ls.current = records.get(id(asyncio.current_task(self)))
            eager = on_done is None and (self._task_factory is not None or bool(kwargs.get("eager_start")))
            rec = track(task, ls, coro, t0, _getframe(1), eager)
            if on_done is not None and rec is not None and not rec.ended:
                task.add_done_callback(on_done)
        except Exception as e:
            guard.report("create_task hook", e)
        return task

    return create_task

def install():
    global storm_limit
    storm.configure(float(state.config.get("flushMs", 50)))
    storm_limit = storm.LIMIT
    orig_create_task = _BaseEventLoop.create_task
    orig_run = _Handle._run
    _run = steps.step_hook(orig_run)
    create_task = create_task_hook(orig_create_task)

    def run_forever(self, *args, **kwargs):
        try:
            if guard.FAULTS:
                guard.fault("run_forever hook")
            ls = loop_state(self)
            ident = _get_ident()
            if ls.thread_ident != ident:  # first seen elsewhere (created in another thread)
                ls.thread_ident = ident
                ls.thread = threading.current_thread().name
                ls.announced = False
        except Exception as e:
            guard.report("run_forever hook", e)
        return orig_run_forever(self, *args, **kwargs)

    orig_set_name = getattr(asyncio.tasks, "_set_task_name", None)

    def _set_task_name(task, name):
        orig_set_name(task, name)
        if name is not None:  # 3.12 names a task after loop.create_task returned (eager tasks may be done)
            rec = records.get(id(task))
            if rec is not None and rec.ended:
                rec.name = task.get_name()

    if orig_set_name is not None:
        asyncio.tasks._set_task_name = _set_task_name
    orig_close = _BaseEventLoop.close

    def close(self):
        orig_close(self)
        try:  # let the loop's leftover pending tasks be destroyed as without the agent
            if guard.FAULTS:
                guard.fault("loop close hook")
            ls = loops_get(id(self))
            now = perf()
            for rec in list(records.values()):
                if rec.loop is ls:
                    task = rec.task
                    if task is not None and not rec.ended and task.done():
                        finish(rec, task, now)  # ended while a storm had the step hook off
                    rec.task = None
            if ls is not None:
                storm.forget_loop(ls)
        except Exception as e:
            guard.report("loop close hook", e)

    _BaseEventLoop.close = close
    storm._hooks["on"] = lambda: setattr(_Handle, "_run", _run)
    storm._hooks["off"] = lambda: setattr(_Handle, "_run", orig_run)
    orig_run_forever = _BaseEventLoop.run_forever
    _BaseEventLoop.create_task = create_task
    _Handle._run = _run
    _BaseEventLoop.run_forever = run_forever

