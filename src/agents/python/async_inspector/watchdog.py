"""Blocking steps: a daemon thread reads each loop's step-start time (set by the Handle._run hook) and,
when a step runs past blockThresholdMs, samples that loop thread's stack with sys._current_frames().
The step hook emits the finding with the real duration when the step ends (at exit if it never does)."""
import sys
import threading

from . import guard, sites, state
from .state import perf

_stop = threading.Event()
_sampled = {}  # loop id -> step start already sampled


def _sample(ls, start):
    frame = sys._current_frames().get(ls.thread_ident)
    stack = sites.user_stack(frame, 12) if frame is not None else []
    if ls.step_start == start:  # still the same step
        ls.stall = (stack, ls.current)


def _watch():
    threshold = float(state.config.get("blockThresholdMs", 100)) / 1000.0
    interval = min(0.02, max(0.002, threshold / 5))
    while not _stop.wait(interval):
        try:
            now = perf()
            for ls in list(state.loops.values()):
                start = ls.step_start
                if start and now - start >= threshold and _sampled.get(ls.id) != start:
                    _sampled[ls.id] = start
                    _sample(ls, start)
        except Exception as e:
            guard.report("watchdog", e)


def install():
    threading.Thread(target=_watch, name="async-inspector-watchdog", daemon=True).start()


def at_exit():
    """Steps still stalled at exit (the program ended inside one) are reported with their duration so far."""
    _stop.set()
    from .tasks import _report_stall

    now = perf()
    for ls in list(state.loops.values()):
        if ls.stall is not None and ls.step_start:
            _report_stall(ls, ls.step_start, now)
