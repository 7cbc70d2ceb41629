"""Task tracking: `BaseEventLoop.create_task` (every loop, the main task of asyncio.run, user task
factories, eager tasks) and `events.Handle._run` (step timing, running state, ends, blocking steps).

The hot path only records perf_counter values on a Record; everything else is computed at flush time.
"""
import asyncio
import collections
import sys
import threading

from . import guard, relations, sites, state, storm
from .state import Record, perf, records, loops, handoff, xthread

_BaseEventLoop = asyncio.base_events.BaseEventLoop
_Handle = asyncio.events.Handle
_Task = asyncio.Task
_PyTask = getattr(asyncio.tasks, "_PyTask", _Task)
_task_types = frozenset((_Task, _PyTask))
_getframe = sys._getframe
_get_ident = threading.get_ident
_new_append = state.new.append
_internal_get = sites._internal_by_code.get
_user_frame = sites.user_frame


def loop_state(loop):
    """The LoopState of `loop`, registering it (announced at the next flush) on first sight."""
    ls = loops.get(id(loop))
    if ls is None:
        ls = state.LoopState(loop, threading.current_thread().name, _get_ident())
        loops[id(loop)] = ls
    return ls


def track(task, ls, coro, t0, frame, eager):
    """Create the record of a new task (called right after the loop created it); None for asyncio's own."""
    cc = getattr(coro, "cr_code", None)
    fn = None
    if cc is not None and _internal_get(cc) is not False and sites.is_internal(cc):
        fn = uvloop_main(coro)
        if fn is None:
            return None  # asyncio's own tasks (shutdown_asyncgens, shutdown_default_executor, ...)
    cur = ls.current
    parent = cur.id if cur is not None else None
    code = line = None
    if handoff:
        h = handoff.pop(id(coro), None)
        if h is not None:
            code, line, parent = h
    if code is None:
        frame = _user_frame(frame)
        if frame is not None:
            code = frame.f_code
            line = frame.f_lineno
    rec = Record("task", fn or getattr(coro, "__qualname__", None), code, line, parent, ls, t0)
    rec.task = task
    if cur is not None and cur.kind == "task":
        rec.parent_rec = cur
    rec.key = key = id(task)
    records[key] = rec
    _new_append(rec)
    if eager:  # an eager task factory (3.12+) runs the first step inside create_task
        t1 = perf()
        if task.done():
            rec.first = t0
            rec.run = t1 - t0
            finish(rec, task, t1)
            records[key] = rec  # create_task(name=...) names it only after this returns (3.12)
        elif getattr(coro, "cr_suspended", False) or getattr(task, "_fut_waiter", None) is not None:
            rec.first = t0
            rec.run = t1 - t0
            rec.last = t1
    return rec


def uvloop_main(coro):
    """uvloop.run(main()) runs `main` inside a coroutine of its own (`wrapper`): that task is the program's
    main task, named after `main`; None for any other internal coroutine."""
    code = coro.cr_code
    if code.co_name != "wrapper" or not code.co_filename.endswith("uvloop/__init__.py"):
        return None
    main = coro.cr_frame.f_locals.get("main")
    return getattr(main, "__qualname__", None) or "main"


def finish(rec, task, t):
    """The task reached a final state: note how, and let go of it."""
    note_parent_await(rec, t)
    rec.ended = t
    rec.name = task.get_name()  # names may be set after creation; short tasks are gone by flush time
    if task.cancelled():
        rec.end_state = "cancelled"
        ls = rec.loop
        by = ls.prev if ls is not None else None
        if by is not None and by is not rec and by.kind == "task" and rec.by is None:
            rec.by = by  # no cancel() seen (cancels.py): the task whose step ran just before, kept only if
            # it awaited or created this one
    else:
        exc = task._exception
        if exc is not None:
            rec.end_state = "failed"
            # read now, not at the next flush: the exception's traceback reaches the task (the step's frames),
            # and a record holding it kept a failed task alive past the program's gc.collect() when the writer
            # thread was late (asyncio's "Task exception was never retrieved" came too late, or never)
            rec.error = error_info(exc)
            if type(exc).__name__ == "InvalidStateError":
                from .mistakes import result_too_early

                result_too_early(rec, exc)
        else:
            rec.end_state = "done"
            rec.result = task._result  # formatted (and released) at the next flush
    rec.task = None
    state.forget_task(rec)
    rec.touch()


def error_info(exc):
    """What the end event says of a failure: type, message, the traceback's user sites."""
    return {"type": type(exc).__name__, "message": str(exc)[:500], "stack": sites.traceback_sites(exc.__traceback__)}


def note_parent_await(rec, t):
    """A child ends while its parent may be parked on it (await, gather, wait, a TaskGroup): the parent resumes
    soon after, maybe before the next flush reads its relations (throttled, snapshot.py), and this child stops
    being findable by id. So what the parent awaits is read now, once per future it parks on, while its
    coroutine still sits at that await, and sent with the next flush (snapshot._update)."""
    parent = rec.parent_rec
    ptask = parent.task if parent is not None else None
    if ptask is None or parent.ended:
        return
    fw = getattr(ptask, "_fut_waiter", None)
    if fw is None or id(fw) == parent.noted_waiter:
        return
    parent.noted_waiter = id(fw)
    on, site = relations.awaiting(ptask, parent)
    if parent.seen_await is None:
        parent.seen_await = collections.deque(maxlen=16)
    parent.seen_await.append((on, site, t))
    parent.touch()


records_get = records.get
storm_created = storm.created
storm_active = storm.active
storm_count = storm.count
storm_limit = storm.LIMIT
_getframemodulename = getattr(sys, "_getframemodulename", None)
_ASYNCIO_CREATE_TASK = asyncio.tasks.create_task.__code__
dirty_append = state.dirty.append


def _slow_lookup(handle, cb, owner, ls, rec):
    """First sight of a loop, a cross-thread callback, or a task made without loop.create_task."""
    if ls is None:
        ls = loop_state(handle._loop)
    if rec is None and xthread:
        rec = xthread.pop(id(cb), None)
    if rec is None and isinstance(owner, (_Task, _PyTask)) and not owner.done():
        rec = adopt(owner, ls)
    return ls, rec


def adopt(task, ls):
    """A task made without loop.create_task (asyncio.Task(...) directly): tracked from its first step."""
    return track(task, ls, task.get_coro(), perf(), None, False)


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
    create_task = create_task_hook(orig_create_task)

    def _run(self):
        cb = self._callback
        owner = getattr(cb, "__self__", None)
        rec = records_get(id(owner))
        ls = loops_get(id(self._loop))
        if rec is None or ls is None:
            if ls is None or xthread or (owner is not None and type(owner) in _task_types):
                try:
                    if guard.FAULTS:
                        guard.fault("step hook")
                    ls, rec = _slow_lookup(self, cb, owner, ls, rec)
                except Exception as e:
                    guard.report("step hook", e)
                    return orig_run(self)
            if rec is None:  # a plain callback: timed for blocking detection only
                t0 = ls.step_start = perf()
                try:
                    return orig_run(self)
                finally:
                    ls.step_start = 0.0
                    if ls.stall is not None:
                        _report_stall(ls, t0, perf())
        t0 = perf()
        ls.step_start = t0
        ls.current = rec
        try:
            return orig_run(self)
        finally:
            t1 = perf()
            ls.step_start = 0.0
            ls.current = None
            try:
                if guard.FAULTS:
                    guard.fault("step hook")
                if not rec.first:
                    rec.first = t0
                rec.run += t1 - t0
                rec.last = t1
                if t1 - t0 > SLICE_MIN:
                    _slice(rec, t0, t1)
                if rec.kind == "task":
                    if owner.done():
                        finish(rec, owner, t1)
                    elif rec.published and not rec.dirty:
                        rec.dirty = True
                        dirty_append(rec)
                elif not rec.ended:
                    rec.ended = t1
                    rec.end_state = "done"
                    rec.touch()
                ls.prev = rec
            except Exception as e:
                guard.report("step hook", e)
            if ls.stall is not None:
                _report_stall(ls, t0, t1)

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


SLICE_MIN = 0.002  # seconds: steps at least this long are sent as `step` events


def _slice(rec, t0, t1):
    if rec.slices is None:
        rec.slices = []
    if len(rec.slices) < 64:
        rec.slices.append((t0, t1 - t0))
    rec.touch()


def _report_stall(ls, t0, t1):
    """The stall sampler sampled this step while it stalled: now that it ended, emit the finding. Its `t` is
    when the stall ended (the loop moved on), `dur` how long it lasted: the stall is [t - dur, t]
    (src/protocol/events.ts), as the Node agent reports it. The loop and thread are the finding's `loop`."""
    stall, ls.stall = ls.stall, None
    stack, rec = stall
    dur = (t1 - t0) * 1000.0
    where = "in %s" % rec.fn if rec is not None and rec.kind == "task" and rec.fn else "by one callback"
    threshold = state.config.get("blockThresholdMs", 100)
    ev = {"e": "finding", "kind": "blocking-call", "t": state.ms(t1),
          "message": "The event loop was blocked for %d ms %s (threshold %d ms): nothing else could run meanwhile."
                     % (dur, where, threshold),
          "site": stack[0] if stack else None, "stack": stack, "dur": round(dur, 1), "loop": ls.id}
    state.findings.append((ev, rec))
