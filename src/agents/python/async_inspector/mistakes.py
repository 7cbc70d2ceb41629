"""Classic asyncio mistakes, explained in plain words as findings of their own kinds:
asyncio.run() inside a running loop, get_event_loop() in a thread without a loop, task.result() too early."""
import asyncio
import sys

from . import guard, sites, state
from .state import ms, perf


def _emit(kind, message, frame, rec=None, error=None):
    f = sites.user_frame(frame)
    stack = sites.user_stack(f, 8) if f is not None else []
    ev = {"e": "finding", "kind": kind, "t": ms(perf()), "message": message, "site": stack[0] if stack else None,
          "stack": stack}
    if error is not None:
        ev["error"] = error
    state.findings.append((ev, rec))


def result_too_early(rec, exc):
    """Called when a task failed with InvalidStateError (it asked another task/future for its result too early)."""
    tb = exc.__traceback__
    stack = sites.traceback_sites(tb)
    ev = {"e": "finding", "kind": "result-before-done", "t": ms(perf()), "site": stack[0] if stack else None,
          "stack": stack, "message": "result() was called on a task or future that was not done yet "
                                     "(InvalidStateError): await it, or check done() first"}
    state.findings.append((ev, rec))


def install():
    orig_run = asyncio.runners.run

    def run(main, *args, **kwargs):
        try:
            if guard.FAULTS:
                guard.fault("asyncio.run hook")
            if asyncio.events._get_running_loop() is not None:
                _emit("asyncio-run-in-loop",
                      "asyncio.run() was called while an event loop is already running in this thread (as in a "
                      "notebook): await the coroutine instead, or schedule it with asyncio.create_task()",
                      sys._getframe(1))
        except Exception as e:
            guard.report("asyncio.run hook", e)
        return orig_run(main, *args, **kwargs)

    asyncio.runners.run = run
    asyncio.run = run

    orig_gel = asyncio.events.get_event_loop

    def get_event_loop():
        try:
            return orig_gel()
        except RuntimeError:
            try:
                if guard.FAULTS:
                    guard.fault("get_event_loop hook")
                _emit("no-event-loop-in-thread",
                      "asyncio.get_event_loop() was called in a thread that has no event loop: use asyncio.run() "
                      "in that thread, or hand work to the main loop with asyncio.run_coroutine_threadsafe()",
                      sys._getframe(1))
            except Exception as e:
                guard.report("get_event_loop hook", e)
            raise

    asyncio.events.get_event_loop = get_event_loop
    asyncio.get_event_loop = get_event_loop
