"""Agent failures never reach the program: each distinct one is queued once as an `agent-error`.

Fault injection, a test mode (issue 16, bench/faults): with ASYNC_INSPECTOR_FAULTS set, the hooks named there
throw at their start (`if guard.FAULTS: guard.fault("step hook")`), or under `garbage:` hand back garbage where
a garbage variant exists (`faulty`: the encoder, the stall sample). `all`, or hooks comma-separated; a hook
matches a point of that name and the points named `hook ...`. ASYNC_INSPECTOR_FAULTS_LOG=file: each point that
fires appends `pid thread point` there once per process. Unset, a point costs one check of a module constant.
"""
import os
import threading
import traceback

_FAULT_TEXT = os.environ.get("ASYNC_INSPECTOR_FAULTS") or ""
_GARBAGE = _FAULT_TEXT.startswith("garbage:")
_HOOKS = [h.strip() for h in (_FAULT_TEXT[8:] if _GARBAGE else _FAULT_TEXT).split(",") if h.strip()]
_FAULT_LOG = os.environ.get("ASYNC_INSPECTOR_FAULTS_LOG")
# Points `all` leaves out: failing there the agent never says hello or installs nothing, so no other point would
# run (each is tested on its own).
_START_UP = ("agent start", "encoder", "sender", "reading ASYNC_INSPECTOR_CONFIG")
FAULTS = bool(_HOOKS)
_fired = set()


def _matches(point):
    for h in _HOOKS:
        if (h == "all" and point not in _START_UP and not point.startswith(("install", "starting the"))) or point == h or point.startswith(h + " "):
            return True
    return False


def _note(point):
    key = (os.getpid(), point)
    if key in _fired:
        return
    _fired.add(key)
    if _FAULT_LOG:
        try:
            with open(_FAULT_LOG, "a") as f:
                f.write("%d %d %s\n" % (os.getpid(), threading.get_ident(), point))
        except OSError:
            pass


def fault(point):
    """Raise at `point` when the test mode names it (not under `garbage:`, which only `faulty` points serve)."""
    if _GARBAGE or not _matches(point):
        return
    _note(point)
    raise RuntimeError("injected fault")


def faulty(point, value, junk):
    """`value`, or `junk()` when the test mode names `point` under `garbage:` (raises there otherwise)."""
    if not _matches(point):
        return value
    _note(point)
    if _GARBAGE:
        return junk()
    raise RuntimeError("injected fault")


def attempt(point, fn):
    """`fn()` as the fault point `point`: a failure there, injected or real, is reported once under that name and
    None returned instead. Never raises an Exception."""
    try:
        if FAULTS:
            fault(point)
        return fn()
    except Exception as e:
        report(point, e)
        return None


_seen = set()
# Messages waiting for the writer (appended from any thread; list.append is atomic).
pending_errors = []


def report(where, exc=None):
    """Record an internal failure once per distinct (where, exception type) and carry on."""
    try:
        key = (where, type(exc).__name__ if exc is not None else "")
        if key in _seen:
            return
        _seen.add(key)
        message = "python agent: %s failed" % where
        if exc is not None:
            message += ": %s: %s" % (type(exc).__name__, exc)
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)) if exc is not None else None
        msg = {"type": "agent-error", "message": message}
        if detail:
            msg["detail"] = detail[-4000:]
        pending_errors.append(msg)
    except BaseException:  # the reporter itself must never raise
        pass


def take_errors():
    out = []
    while pending_errors:
        out.append(pending_errors.pop(0))
    return out


def cannot_send(exc):
    """The channel itself fails (its encoder, its sender): said once on stderr, the one place left."""
    say_once("the agent cannot report to the inspector (%s: %s); the rest of this run may be missing"
             % (type(exc).__name__, exc))


_SAID = "ASYNC_INSPECTOR_SAID"


def say_once(text):
    """A failure the channel cannot carry, said on the program's stderr once per run: the variable it sets tells
    the child processes (forked or started) not to repeat it."""
    try:
        if os.environ.get(_SAID) == "1":
            return
        os.environ[_SAID] = "1"
        import sys

        sys.stderr.write("async-inspector: %s\n" % text)
    except BaseException:
        pass
