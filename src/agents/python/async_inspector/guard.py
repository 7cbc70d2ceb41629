"""Agent failures never reach the program: each distinct one is queued once as an `agent-error`."""
import traceback

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
