"""Threads that cannot wake a loop: each is blocked, without a timeout, on something only another thread of
this process could do (join() of a thread, Condition/Event/queue.Queue waits, concurrent.futures results,
Lock.acquire / `with lock:`). When every other thread is such a thread and the loop has nothing of its own
to run, nobody can ever move again (stuck.py): a loop in a helper thread whose main thread sits in join()
on it, or in `future.result()` of work only that loop could finish, is deadlocked like a loop on the
main thread. A thread doing anything else (sleeping, reading a socket or a pipe, running) may still wake
the loop, and so may the main thread when the program installed its own signal handler.
"""
import dis
import signal
import sys
import threading

_THREADING = threading.__file__
_WAITS = {"wait": "timeout", "_wait_for_tstate_lock": "timeout", "join": "timeout"}
_WITH = frozenset(("SETUP_WITH", "BEFORE_WITH"))  # 3.9-3.13: one instruction enters a `with`
_ENTER = 0  # 3.14+: `with` is LOAD_SPECIAL __enter__ (oparg 0), then CALL 0
_instructions = {}  # code -> {offset: (opname, argval)}


def _at(frame):
    code = frame.f_code
    table = _instructions.get(code)
    if table is None:
        ins = list(dis.get_instructions(code))
        table = _instructions[code] = {i.offset: (k, ins[max(0, k - 4):k + 1]) for k, i in enumerate(ins)}
    return table.get(frame.f_lasti, (None, ()))[1]


def blocked_on(frame):
    """What a thread whose innermost frame is `frame` waits on for good ("join()", "Condition.wait",
    "Lock.acquire()"), or None when it might still go on by itself."""
    code = frame.f_code
    if code.co_filename == _THREADING and code.co_name in _WAITS:
        try:
            timeout = frame.f_locals.get(_WAITS[code.co_name], 0)
        except Exception:
            return None
        if timeout is None or timeout == -1:
            return "join()" if code.co_name != "wait" else _waiter(frame)
        return None
    window = _at(frame)
    if not window:
        return None
    last = window[-1]
    if last.opname in _WITH or (last.opname == "CALL" and last.arg == 0 and len(window) > 1
                                and window[-2].opname == "LOAD_SPECIAL" and window[-2].arg == _ENTER):
        return "`with lock:`"
    if last.opname.startswith("CALL") and any(i.argval == "acquire" for i in window) and last.arg in (0, None):
        return "Lock.acquire()"
    return None


def _waiter(frame):
    """Name what a threading wait() stands for, from the frames that called it."""
    f = frame.f_back
    while f is not None and f.f_code.co_filename == _THREADING:
        f = f.f_back
    if f is not None and f.f_code.co_name in ("result", "exception") and "concurrent" in f.f_code.co_filename:
        return "Future.result()"
    if f is not None and f.f_code.co_name in ("get", "put", "join") and f.f_code.co_filename.endswith("queue.py"):
        return "queue.Queue.%s()" % f.f_code.co_name
    return "%s.wait()" % ("Event" if frame.f_back is not None and frame.f_back.f_code.co_name == "wait"
                          and frame.f_back.f_code.co_filename == _THREADING else "Condition")


def _signal_handled():
    """Whether the program installed a Python signal handler (it runs in the main thread, even when that
    thread is blocked in a lock or a join)."""
    default = getattr(signal, "default_int_handler", None)
    for sig in getattr(signal, "valid_signals", lambda: ())():
        try:
            h = signal.getsignal(sig)
        except (ValueError, OSError):
            continue
        if callable(h) and h is not default:
            return True
    return False


def all_blocked(threads, frames):
    """[(thread name, what it waits on)] when every thread of `threads` is blocked for good, else None."""
    out = []
    for t in threads:
        f = frames.get(t.ident)
        what = blocked_on(f) if f is not None else None
        if what is None or (t is threading.main_thread() and _signal_handled()):
            return None
        out.append((t.name, what))
    return out


def busy_pool_thread(t):
    """A pool worker running a job, or a process pool's manager with work in flight (it may then call
    into a loop through a future's callback)."""
    f = sys._current_frames().get(t.ident)
    if getattr(t, "pending_work_items", None):
        return True
    return f is not None and f.f_code.co_name != "_worker"
