"""Is the program stopped in a debugger, and where? Read from debugpy's (pydevd's) own per-thread records.

pydevd keeps a `PyDBAdditionalThreadInfo` on every traced `threading.Thread` (`thread.additional_info`): a
thread the debugger holds at a stop has `pydev_state == STATE_SUSPEND` and sits in `do_wait_suspend`'s loop
(`is_in_wait_loop`), and `thread.stop_reason` says why (the thread that hit the breakpoint or finished the
step carries that command; the others stopped with it carry CMD_THREAD_SUSPEND). The agent's writer thread,
which the debugger does not suspend (threads.py), polls these records before each flush: no guess from
timing, and nothing asked of the debugger. Only looked at when pydevd is loaded (`sys.modules`).
"""
import sys
import threading

from . import state

STATE_SUSPEND = 2  # pydevd_constants.STATE_SUSPEND
CMD_THREAD_SUSPEND = 105  # pydevd_comm_constants: a thread stopped because another one stopped (or a pause)


def active():
    """True when a pydevd-based debugger (debugpy) runs in this process."""
    return "pydevd" in sys.modules


def stopped_threads():
    """[(ident, stop reason command)] of the threads the debugger holds at a stop now."""
    out = []
    for t in list(threading._active.values()):
        info = getattr(t, "additional_info", None)
        if info is None or getattr(t, "pydev_do_not_trace", False):
            continue
        if getattr(info, "pydev_state", 1) == STATE_SUSPEND and getattr(info, "is_in_wait_loop", False):
            out.append((t.ident, getattr(t, "stop_reason", CMD_THREAD_SUSPEND)))
    return out


def stop_number():
    """pydevd's count of stops requested so far (a new one for each breakpoint hit and each step), or None."""
    try:
        db = sys.modules["pydevd"].get_global_debugger()
        return db._threads_suspended_single_notification._suspend_time_request
    except Exception:  # another pydevd version: stops are then told apart by their threads only
        return None


def thread_suspended(ident):
    """True when the debugger holds (or is about to hold) thread `ident`: its time is not the program's."""
    t = threading._active.get(ident)
    info = getattr(t, "additional_info", None) if t is not None else None
    return info is not None and getattr(info, "pydev_state", 1) == STATE_SUSPEND


def pause_event(stopped, t):
    """The `paused` event for the threads in `stopped`: the paused task is the one running in the thread that
    hit the stop (the breakpoint's or the step's; any stopped loop thread's for a plain pause): a loop's
    running task, or the executor job that thread runs."""
    hit = next((s for s in stopped if s[1] != CMD_THREAD_SUSPEND), stopped[0])
    rec = None
    for ls in list(state.loops.values()):
        if ls.thread_ident == hit[0] and ls.current is not None and ls.step_start:
            rec = ls.current
    if rec is None:
        rec = _executor_job(hit[0])
    task = rec.id if rec is not None and rec.published and not rec.ended else None
    return {"e": "paused", "task": task, "t": t}


def _executor_job(ident):
    """The executor job (executors._ThreadJob) thread `ident` is running, read from its stack."""
    from .executors import _ThreadJob

    frame = sys._current_frames().get(ident)
    while frame is not None:
        if frame.f_code is _ThreadJob.__call__.__code__:
            job = frame.f_locals.get("self")
            return getattr(job, "rec", None)
        frame = frame.f_back
    return None


class PauseWatch(object):
    """Turns the debugger's thread records into stops (polled by the writer before each flush)."""

    def __init__(self):
        self.paused = None  # the stopped threads of the current stop, or None while the program runs

    def poll(self):
        """The stopped threads [(ident, reason)] when a new stop began since the last poll, else None. Each
        stop is announced, also the next one of a step that ended between two polls (pydevd numbers them)."""
        stopped = stopped_threads() if active() else []
        if not stopped:
            self.paused = None
            return None
        key = (stop_number(), sorted(stopped))
        if self.paused == key:
            return None
        self.paused = key
        return stopped
