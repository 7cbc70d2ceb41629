"""The step hook: `events.Handle._run` wrapped, so every step of a loop's callbacks is timed. A task's step
marks it running, times it (steps of SLICE_MIN or more are sent as `step` events), notes its end, and queues
it for the next flush; a plain callback is timed for blocking detection only. A step the stall sampler caught
stalling is reported, when it ends, as a blocking-call finding.

The hot path only records perf_counter values on a Record; everything else is computed at flush time.
"""
import asyncio

from . import guard, state
from .state import perf, records, loops, xthread
from .tasks import adopt, finish, loop_state

_Task = asyncio.Task
_PyTask = getattr(asyncio.tasks, "_PyTask", _Task)
_task_types = frozenset((_Task, _PyTask))  # cancels.install adds its Task subclass
records_get = records.get
loops_get = loops.get
dirty_append = state.dirty.append
SLICE_MIN = 0.002  # seconds: steps at least this long are sent as `step` events


def _slow_lookup(handle, cb, owner, ls, rec):
    """First sight of a loop, a cross-thread callback, or a task made without loop.create_task."""
    if ls is None:
        ls = loop_state(handle._loop)
    if rec is None and xthread:
        rec = xthread.pop(id(cb), None)
    if rec is None and isinstance(owner, (_Task, _PyTask)) and not owner.done():
        rec = adopt(owner, ls)
    return ls, rec


def step_hook(orig_run):
    """Handle._run, timing the step that `orig_run` runs."""

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
                        report_stall(ls, t0, perf())
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
                report_stall(ls, t0, t1)

    return _run


def _slice(rec, t0, t1):
    if rec.slices is None:
        rec.slices = []
    if len(rec.slices) < 64:
        rec.slices.append((t0, t1 - t0))
    rec.touch()


def report_stall(ls, t0, t1):
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
