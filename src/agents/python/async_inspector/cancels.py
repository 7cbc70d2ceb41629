"""Who cancelled a task: the task, thread or callback that called `cancel()`, and where.

asyncio's loops make their tasks through `asyncio.tasks.Task`, looked up at each call: it is replaced by
a subclass whose `cancel()` notes the canceller before asyncio's own runs (aiomonitor's approach). A task
awaiting another passes the cancellation on through `cancel()`, so the awaited task gets the same
canceller. `uncancel()` back to zero (asyncio.timeout absorbed it) forgets it. uvloop makes its tasks with
asyncio's own class: there each tracked task gets a `cancel` attribute of its own (watch()). Eager task
factories keep the guess: the task whose step ran just before.
"""
import asyncio
import os
import sys
import threading
import weakref

from . import guard, sites, state

_Task = asyncio.tasks.Task
_RUN_CODES = frozenset((asyncio.events.Handle._run.__code__,))  # the agent's hook is added at install


class Canceller(object):
    __slots__ = ("task", "thread", "via", "stack", "where")

    def __init__(self, task, thread, via, stack, where):
        self.task = task  # record of the task whose step called cancel(), or None
        self.thread = thread  # thread name when not the loop's (or "task 'name'" of a task not shown)
        self.via = via  # the function that called cancel() (asyncio's own, e.g. TaskGroup._abort), or None
        self.stack = stack  # site ids of the user frames, innermost first
        self.where = where  # "file.py:12" of the innermost user frame, or None

    def describe(self):
        if self.task is not None:
            what = "task" if self.task.kind == "task" else "callback"
            who = "%s '%s' (#%d)" % (what, self.task.fn or what, self.task.id)
        elif self.thread is not None:
            who = self.thread if self.thread.startswith("task '") else "thread '%s'" % self.thread
        else:
            who = "a callback"
        via = " through %s" % self.via if self.via else ""
        return "cancelled by %s%s%s" % (who, " at %s" % self.where if self.where else "", via)


_PLUMBING = ("events.py", "base_events.py", "futures.py")  # running a callback: not worth naming


def _step_frames(frame, ls):
    """The frames of the running step or callback, innermost first (not the loop's own frames below)."""
    from . import heartbeat

    beat = heartbeat._beats.get(ls.id) if ls is not None else None
    base = beat.base if beat is not None else ()
    out = []
    f = frame
    while f is not None and id(f) not in base and f.f_code not in _RUN_CODES:
        out.append(f)
        f = f.f_back
    return out if ls is not None and ls.thread_ident == threading.get_ident() else _all(frame)


def _all(frame):
    out = []
    while frame is not None:
        out.append(frame)
        frame = frame.f_back
    return out


def _note(task):
    rec = state.records.get(id(task))
    if rec is None or isinstance(rec.by, Canceller):
        return
    ls = rec.loop
    frames = _step_frames(sys._getframe(2), ls)
    user = [f for f in frames if not sites.is_internal(f.f_code)]
    via = None
    for f in frames:
        if not sites.is_internal(f.f_code):
            break
        if not f.f_code.co_filename.endswith(_PLUMBING) and not f.f_code.co_filename.startswith(sites._AGENT_DIR):
            via = getattr(f.f_code, "co_qualname", f.f_code.co_name)
            break
    try:
        current = asyncio.current_task()
    except RuntimeError:  # no loop running in this thread
        current = None
    by = state.records.get(id(current)) if current is not None else None
    if by is None and ls is not None and ls.thread_ident == threading.get_ident() and ls.step_start \
            and ls.current is not None:
        by = ls.current  # a callback the agent shows (call_soon_threadsafe from another thread)
    if by is rec:  # its own cancel() was the callback (loop.call_later(delay, task.cancel))
        by = None
    thread = None
    if current is None and (ls is None or ls.thread_ident != threading.get_ident()):
        thread = threading.current_thread().name
    elif by is None and current is not None:  # a task the agent does not show (asyncio's own wait_for)
        thread = "task '%s'" % current.get_name()
    where = "%s:%d" % (os.path.basename(user[0].f_code.co_filename), user[0].f_lineno) if user else None
    stack = [sites.intern(f.f_code, f.f_lineno) for f in user[:12]]
    rec.by = Canceller(by, thread, via, stack, where)


class Task(_Task):
    """asyncio.Task, noting who cancels it."""

    def cancel(self, *args, **kwargs):
        if not self.done():
            try:
                if guard.FAULTS:
                    guard.fault("cancel hook")
                _note(self)
            except Exception as e:
                guard.report("cancel hook", e)
        return _Task.cancel(self, *args, **kwargs)

    if hasattr(_Task, "uncancel"):
        def uncancel(self):
            n = _Task.uncancel(self)
            if n == 0:
                rec = state.records.get(id(self))
                if rec is not None and isinstance(rec.by, Canceller):
                    rec.by = None
            return n


class _CancelHook(object):
    """`cancel` of one task a loop made with asyncio's own class (uvloop): the task's attribute, looked up
    before the class's method by Python code and by asyncio's C code alike. Holds the task weakly."""

    __slots__ = ("ref",)

    def __init__(self, task):
        self.ref = weakref.ref(task)

    def __call__(self, *args, **kwargs):
        task = self.ref()
        if task is not None and not task.done():
            try:
                if guard.FAULTS:
                    guard.fault("cancel hook")
                _note(task)
            except Exception as e:
                guard.report("cancel hook", e)
        return _Task.cancel(task, *args, **kwargs)


def watch(task):
    """Note who cancels a tracked task that is not of the subclass (uvloop makes its own)."""
    if type(task) is _Task and id(task) in state.records:
        task.cancel = _CancelHook(task)


Task.__name__ = Task.__qualname__ = "Task"
Task.__module__ = _Task.__module__


def install():
    from . import steps

    global _RUN_CODES
    asyncio.tasks.Task = Task
    _RUN_CODES = _RUN_CODES | {asyncio.events.Handle._run.__code__}
    steps._task_types = steps._task_types | {Task}
