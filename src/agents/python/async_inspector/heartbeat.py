"""Blocking steps on loops the step hook cannot see (uvloop, other loop implementations): a heartbeat.

The sampler thread posts a callback with `call_soon_threadsafe`; the loop runs it on its next turn. While
it is late, the sampler samples the loop thread's stack each interval: a step is blocking when one user
frame of it (the outermost frame above the loop's own, the task's coroutine or the callback) stays on the
stack for the whole threshold. Many short steps in one busy turn change that frame: no flag. The finding
is emitted by the heartbeat when the loop turns again (with the duration), or at exit.
Loops whose steps the `Handle._run` hook times (asyncio's own) are left to it: one flag per stall.
"""
import asyncio
import sys

from . import guard, sites, state
from .state import perf
from .threads import other_frames

_beats = {}  # loop id -> _Beat


class _Beat(object):
    __slots__ = ("posted", "base", "anchor", "since", "stall", "task")

    def __init__(self):
        self.posted = 0.0  # when the outstanding heartbeat was posted, 0 when none is
        self.base = frozenset()  # ids of the loop thread's frames below its steps (seen by the last heartbeat)
        self.anchor = None  # outermost user frame of the step seen running since `since`
        self.since = 0.0
        self.stall = None  # stack sampled once the anchor stayed for the threshold
        self.task = None


def stepped(loop):
    """Loops whose handles are asyncio's: the step hook times each of them."""
    return isinstance(loop, asyncio.base_events.BaseEventLoop)


def _frame_ids(f):
    ids = set()
    while f is not None:
        ids.add(id(f))
        f = f.f_back
    return frozenset(ids)


def _beat(ls):
    beat = _beats.get(ls.id)
    if beat is None:
        beat = _beats[ls.id] = _Beat()
    return beat


def running(ls, frame):
    """The loop starts running on this thread, called from `frame` (the loop's own frames lie below)."""
    _beat(ls).base = _frame_ids(frame)


def _ran(ls, beat, posted):
    """The heartbeat, on the loop thread: the loop turned."""
    try:
        if guard.FAULTS:
            guard.fault("heartbeat")
        now = perf()
        beat.base = _frame_ids(sys._getframe(1))
        if beat.posted == posted:
            beat.posted = 0.0
        if beat.stall is not None:
            _report(ls, beat, now)
        beat.anchor = None
    except Exception as e:
        guard.report("heartbeat", e)


def _report(ls, beat, end):
    from .steps import report_stall

    ls.stall = (beat.stall, beat.task)
    beat.stall = beat.task = None
    report_stall(ls, beat.since, end)


def _step_frame(frame, base):
    """(outermost user frame above the loop's base frames, innermost frame) of a running step, or None."""
    anchor = None
    f = frame
    while f is not None and id(f) not in base:
        if not sites.is_internal(f.f_code):
            anchor = f
        f = f.f_back
    return anchor


REFRESH_S = 0.25  # how often the tasks of a loop without the step hook are checked for a new await
_refreshed = [0.0]


def _refresh(unstepped):
    """No step hook marks these loops' tasks changed when they step: a task parked on another future than
    last time is marked here, so its await relation and line are sent again (uvloop)."""
    for rec in list(state.records.values()):
        task = rec.task
        if rec.loop in unstepped and task is not None and rec.published and not rec.ended:
            fw = id(getattr(task, "_fut_waiter", None))
            if fw != rec.seen_waiter:
                rec.seen_waiter = fw
                rec.touch()


def tick(now, threshold, interval, frames=None):
    """Called by the sampler thread every interval. True when it watches a loop (the sampler keeps its pace)."""
    unstepped = set()
    for ls in list(state.loops.values()):
        loop = ls.ref()
        if loop is None or stepped(loop):
            continue
        unstepped.add(ls)
        beat = _beat(ls)
        if not loop.is_running():  # stopped (run_until_complete returned): its last step ended before
            if beat.stall is not None:
                _report(ls, beat, now - interval / 2)
            beat.posted, beat.anchor = 0.0, None
            continue
        if not beat.posted:
            if beat.base:  # the loop thread idle in the loop's own code: nothing to time, and a beat would wake it
                if frames is None:
                    frames = other_frames()
                top = frames.get(ls.thread_ident)
                if top is None or id(top) in beat.base:
                    if beat.stall is not None:
                        _report(ls, beat, now - interval / 2)
                    beat.anchor = None
                    continue
            beat.posted = now
            try:
                loop.call_soon_threadsafe(_ran, ls, beat, now)
            except RuntimeError:  # closed meanwhile
                pass
            continue
        if now - beat.posted < interval or not beat.base:
            continue
        if frames is None:
            frames = other_frames()
        frame = frames.get(ls.thread_ident)
        anchor = _step_frame(frame, beat.base) if frame is not None else None
        if anchor is None or anchor is not beat.anchor:
            if beat.stall is not None:  # that step ended and another began within the same turn
                _report(ls, beat, now - interval / 2)
            beat.anchor, beat.since = anchor, now - interval / 2
            continue
        if beat.stall is None and now - beat.since >= threshold and not sites.importing(frame):
            base = beat.base
            beat.stall = sites.user_stack(frame, 12, lambda f: id(f) in base) or None  # none of its own: later
            try:
                beat.task = state.records.get(id(asyncio.current_task(loop)))
            except Exception:
                beat.task = None

    if unstepped and now - _refreshed[0] >= REFRESH_S:
        _refreshed[0] = now
        _refresh(unstepped)
    return bool(unstepped)


def paused():
    """A debugger stopped the program: the time it holds a step is not a stall."""
    for beat in list(_beats.values()):
        beat.anchor = beat.stall = beat.task = None
        beat.posted = 0.0


def at_exit(now):
    """A step still stalled when the program ends is reported with its duration so far."""
    for ls in list(state.loops.values()):
        beat = _beats.get(ls.id)
        if beat is not None and beat.stall is not None:
            _report(ls, beat, now)
