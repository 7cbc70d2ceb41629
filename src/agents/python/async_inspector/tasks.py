"""Task records: a new task's Record (its creator, creation site and parent; asyncio's own tasks left out),
its end (how it ended, who cancelled it, what its parent awaited), and tasks adopted without create_task.

The hooks that call these are loop_hooks.py (create_task, run_forever, close) and steps.py (Handle._run).
"""
import collections
import threading

from . import relations, sites, state
from .state import Record, perf, records, loops, handoff

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
    coroutine still sits at that await, and sent with the next flush (record_events.update)."""
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


def adopt(task, ls):
    """A task made without loop.create_task (asyncio.Task(...) directly): tracked from its first step."""
    return track(task, ls, task.get_coro(), perf(), None, False)
