"""Blocking steps: a daemon thread reads each loop's step-start time (set by the Handle._run hook) and,
when a step runs past blockThresholdMs, samples that loop thread's stack with sys._current_frames().
The step hook emits the finding with the real duration when the step ends (at exit if it never does).
While a debugger holds the program at a stop, nothing is sampled (debugger.py).

Pace: the thread wakes when a step it saw start would reach the threshold, and otherwise every threshold at
most (a step that starts meanwhile is seen running at the next wake, before it can reach the threshold), not
every interval: an idle traced process wakes ~10 times a second here instead of 50. During a storm, on loops
the heartbeat watches (uvloop) and under a debugger it keeps the interval (min(20 ms, threshold / 5))."""
import asyncio
import sys
import threading

from . import debugger, guard, sites, state
from .threads import other_frames, start_agent_thread
from .state import perf

_stop = threading.Event()
_sampled = {}  # loop id -> step start already sampled


_RUN_ONCE = asyncio.base_events.BaseEventLoop._run_once.__code__


def _in_loop(frame):
    """The loop's own frame: the frames outside it (asyncio.run, the module) did not run the step."""
    return frame.f_code is _RUN_ONCE


def _sample(ls, start):
    """Sample a stalled step; False while it is importing a module (sampled again later)."""
    frame = sys._current_frames().get(ls.thread_ident)
    if frame is not None and sites.importing(frame):
        return False
    stack = sites.user_stack(frame, 12, _in_loop) if frame is not None else []
    if not stack:  # only the loop's own code on the stack (asyncio, the agent): sampled again later
        return False
    if guard.FAULTS:
        stack = guard.faulty("stall sample", stack, lambda: [-1, 10 ** 12, None])
    if ls.step_start == start:  # still the same step
        ls.stall = (stack, ls.current)
    return True

_storm_seen = {}  # loop id -> [handle, first seen, stack, last seen]


def _running_handle(frame):
    """The handle a loop thread is running (the `handle` local of BaseEventLoop._run_once), or None."""
    f = frame
    while f is not None:
        if f.f_code is _RUN_ONCE:
            return f.f_locals.get("handle")
        f = f.f_back
    return None


def _sample_storm(now, threshold, interval):
    """During a storm there is no per-step timing: a handle seen running in samples spanning the
    threshold is a blocking step; it is reported when the loop moves on."""
    frames = other_frames()
    for ls in list(state.loops.values()):
        frame = frames.get(ls.thread_ident)
        h = _running_handle(frame) if frame is not None else None
        seen = _storm_seen.get(ls.id)
        if seen is not None and seen[0] is h and h is not None:
            seen[3] = now
            if seen[2] is None and now - seen[1] + interval >= threshold and not sites.importing(frame):
                seen[2] = sites.user_stack(frame, 12, _in_loop) or None
            continue
        if seen is not None and seen[2] is not None:
            _emit_sampled(ls, seen, interval)
        _storm_seen[ls.id] = [h, now, None, now] if h is not None else None


def _emit_sampled(ls, seen, interval):
    from .steps import report_stall

    ls.stall = (seen[2], None)
    report_stall(ls, seen[1] - interval / 2, seen[3] + interval / 2)  # it ran between two samples each side


def _watch(stop):
    from . import deadlock, heartbeat, storm

    threshold = float(state.config.get("blockThresholdMs", 100)) / 1000.0
    interval = min(0.02, max(0.002, threshold / 5))
    next_deadlock_check = perf() + deadlock.CHECK_S
    wait = interval
    while not stop.wait(wait):
        wait = interval
        try:
            if guard.FAULTS:
                guard.fault("stall sampler")
            now = perf()
            if debugger.active() and debugger.stopped_threads():
                _paused_steps()  # the debugger's time is not the program's: no blocking call, no deadlock
                continue
            if now >= next_deadlock_check and not storm.active[0]:
                next_deadlock_check = now + deadlock.CHECK_S
                deadlock.check_live()
            watching = heartbeat.tick(now, threshold, interval)
            if storm.active[0] or _storm_seen:
                _sample_storm(now, threshold, interval)
                if not storm.active[0] and not any(_storm_seen.values()):
                    _storm_seen.clear()
                continue
            wake = min(next_deadlock_check, now + threshold)
            for ls in list(state.loops.values()):
                start = ls.step_start
                if not start or _sampled.get(ls.id) == start:
                    continue
                if now - start < threshold:
                    wake = min(wake, start + threshold)
                elif _sample(ls, start):
                    _sampled[ls.id] = start
                else:
                    wake = now + interval  # importing: sampled again at the next interval
            if not watching and not debugger.active():  # asleep until a step could first pass the threshold
                wait = min(max(wake - now, 0.001), threshold)
        except Exception as e:
            guard.report("stall sampler", e)


def _paused_steps():
    """Steps running when the debugger stopped the program are never sampled: the pause is not a stall."""
    from . import heartbeat

    for ls in list(state.loops.values()):
        if ls.step_start:
            _sampled[ls.id] = ls.step_start
    _storm_seen.clear()
    heartbeat.paused()


def install():
    global _stop
    _stop = threading.Event()  # a fresh one: a detached agent's sampler may still be finishing its last pass
    start_agent_thread(_watch, "async-inspector-stall-sampler", (_stop,))


def at_exit():
    """Steps still stalled at exit (the program ended inside one) are reported with their duration so far."""
    _stop.set()
    from .steps import report_stall

    now = perf()
    from . import heartbeat

    heartbeat.at_exit(now)
    for ls in list(state.loops.values()):
        if ls.stall is not None and ls.step_start:
            report_stall(ls, ls.step_start, now)
