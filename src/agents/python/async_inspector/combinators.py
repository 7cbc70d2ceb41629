"""Combinators as records of their own: `asyncio.gather`, `asyncio.wait`, `asyncio.wait_for`, `as_completed`
and a `TaskGroup`'s exit stand between the task that awaits them and their inputs, as Promise.all does in
Node. The task awaits the combinator's record, which awaits the inputs: the model reads a stuck chain through
it (`main → asyncio.gather → worker`) with the same logic for both runtimes (src/model/lints/pending-at-exit.ts).

A record is made the first time a task is seen parked in one (relations.awaiting with the task's record, at a
flush or when a child ends), keyed by the future the task is parked on, and ends when that future is done
(checked at each flush; one collected since counts as done, or cancelled when its awaiter was). Its inputs are read once, then: they do not change.
"""
import asyncio
import collections
import weakref

from . import state
from .state import Record, perf

_live = {}  # id(future a task is parked on) -> the combinator's record, until that future is done
pending = collections.deque()  # made since they were last published: sent before the await that names them
TASK_CLASSES = (asyncio.Task, getattr(asyncio.tasks, "_PyTask", asyncio.Task))


def record(name, fw, via, inputs, targets, user=None):
    """The record of the combinator whose future is `fw`, awaited by the record `via` (made on first sight).
    `targets(future, via)` gives the record ids an input stands for (relations.targets)."""
    key = id(fw)
    rec = _live.get(key)
    if rec is not None and rec.key_ref() is fw:
        return rec
    code, line = (user.f_code, user.f_lineno) if user is not None else (via.code, via.line)
    rec = Record("future", name, code, line, via.id, via.loop, perf())
    rec.key_ref = weakref.ref(fw)  # not a strong one: a task parked in it may still be destroyed pending
    rec.parent_rec = via
    if not isinstance(inputs, (list, tuple, set, frozenset)):
        inputs = list(inputs)
    # one pass for tracked tasks; an untracked task (counted in a storm) stands for nothing: a gather of 100,000
    # is read at C speed but for the inputs that are something else (nested gathers, executor jobs, shield's)
    recs = [r for r in map(state.records.get, map(id, inputs)) if r is not None]
    ids = set(r.id for r in recs)
    if len(recs) < len(inputs):
        for x in inputs:
            if not isinstance(x, TASK_CLASSES):
                ids.update(targets(x, rec))
    rec.inputs_on = sorted(ids)
    rec.input_recs = recs  # published first
    cur = _live.setdefault(key, rec)  # one record per future, also when two threads look at once
    if cur is not rec and cur.key_ref() is not fw:  # a former future's, collected (its id was reused)
        _end(cur, None, perf())
        _live[key] = cur = rec
    if cur is rec:
        pending.append(rec)
    return cur


def refresh(now):
    """At each flush: the combinators whose future is done (or gone) end, as it did."""
    for key, rec in list(_live.items()):
        fw = rec.key_ref()
        if fw is not None and not fw.done():
            continue
        if _live.get(key) is rec:
            del _live[key]
        _end(rec, fw, now)


def _end(rec, fw, now):
    if rec.ended:
        return
    rec.ended = now
    if fw is None:  # collected once done (before this flush): it was cancelled if its awaiter was
        rec.end_state = "cancelled" if rec.parent_rec.end_state in ("cancelled", "destroyed") else "done"
    elif fw.cancelled():
        rec.end_state = "cancelled"
    else:  # `_exception`, not exception(): reading must not count as retrieving it
        rec.end_state = "failed" if getattr(fw, "_exception", None) is not None else "done"
    rec.touch()


def forget():
    _live.clear()
    pending.clear()
