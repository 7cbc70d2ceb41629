"""Findings the agent sees on existing hooks: never-awaited coroutines (CPython's own finalization warning
hook), and lost failures / tasks destroyed pending (the loop's exception handler, wrapped, never replaced)."""
import asyncio
import sys
import warnings

from . import callsite, guard, sites, state
from .tasks import error_info
from .state import perf, ms


def never_awaited(coro):
    code = getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)
    qual = getattr(coro, "__qualname__", None) or (code.co_name if code else "coroutine")
    site = None
    stack = []
    origin = getattr(coro, "cr_origin", None)
    if origin:  # only when the program turned on origin tracking itself
        fname, line, fn = origin[0]
        site = sites.intern(_FakeCode(fname, fn), line)
    else:
        frame = sys._getframe(2)
        found = callsite.locate(coro, frame)
        if found is not None:
            fcode, line, f = found
            site = sites.intern(fcode, line)
            stack = [site] + sites.user_stack(f.f_back if f is not None else frame, 8)
        elif code is not None:
            site = sites.intern(code, code.co_firstlineno)
    ev = {"e": "finding", "kind": "never-awaited", "t": ms(perf()), "site": site, "stack": stack,
          "message": "coroutine '%s' was never awaited: it was created but its body never ran" % qual}
    state.findings.append((ev, None))


class _FakeCode(object):
    """Stands for a code object when only (file, function) are known (cr_origin)."""

    def __init__(self, filename, name):
        self.co_filename = filename
        self.co_name = self.co_qualname = name

    def __hash__(self):
        return hash((self.co_filename, self.co_name))

    def __eq__(self, other):
        return isinstance(other, _FakeCode) and (self.co_filename, self.co_name) == (other.co_filename, other.co_name)


def from_exception_context(loop, context):
    msg = context.get("message") or ""
    fut = context.get("future") or context.get("task")
    rec = (state.records.get(id(fut)) or state.recently_dead.get(id(fut))) if fut is not None else None
    exc = context.get("exception")
    if msg.startswith("Task exception was never retrieved") or msg.startswith("Future exception was never"):
        kind = "exception-never-retrieved"
        text = "a task failed with %s and nobody retrieved its exception" % (_describe(exc) if exc else "an error")
    elif msg.startswith("Task was destroyed but it is pending"):
        if state.exiting and not loop.is_closed():
            return  # still pending when the program ended: the model's pending-at-exit says so, once
        kind = "destroyed-pending"
        if rec is not None and not rec.ended:
            rec.ended = perf()
            rec.end_state = "destroyed"
            rec.task = None
            state.forget_task(rec)
            rec.touch()
        text = "a task was destroyed while still pending (its loop closed or nothing kept a reference)"
    else:
        return
    ls = state.loops.get(id(loop))
    ev = {"e": "finding", "kind": kind, "t": ms(perf()), "message": text,
          "site": sites.intern(rec.code, rec.line) if rec is not None and rec.code is not None else None}
    if rec is not None:
        rec.force = True
        if rec.fn:
            ev["message"] = ev["message"].replace("a task", "task '%s'" % rec.fn, 1)
    if ls is not None:
        ev["loop"] = ls.id
    if exc is not None:
        ev["error"] = error_info(exc)
    state.findings.append((ev, rec))


def _describe(exc):
    """`Type: message` as the task details show it (the type alone when the message is empty)."""
    text = str(exc)
    if len(text) > 200:
        text = text[:199] + "\u2026"
    return "%s: %s" % (type(exc).__name__, text) if text else type(exc).__name__


def _warn_like_cpython(coro):
    """CPython's own warning text, with the stacklevel adjusted for this wrapper's extra frame."""
    lines = ["coroutine '%s' was never awaited\n" % coro.__qualname__]
    origin = getattr(coro, "cr_origin", None)
    if origin is not None:
        import linecache
        import traceback

        def extract():
            for filename, lineno, funcname in reversed(origin):
                line = linecache.getline(filename, lineno)
                yield (filename, lineno, funcname, line)

        lines.append("Coroutine created at (most recent call last)\n")
        lines += traceback.format_list(list(extract()))
    warnings.warn("".join(lines).rstrip("\n"), category=RuntimeWarning, stacklevel=3, source=coro)


def install():
    orig_warn = getattr(warnings, "_warn_unawaited_coroutine", None)
    if orig_warn is not None:
        def _warn_unawaited_coroutine(coro):
            try:
                if guard.FAULTS:
                    guard.fault("never-awaited hook")
                never_awaited(coro)
            except Exception as e:
                guard.report("never-awaited hook", e)
            _warn_like_cpython(coro)

        warnings._warn_unawaited_coroutine = _warn_unawaited_coroutine

    base = asyncio.base_events.BaseEventLoop
    orig_handler = base.call_exception_handler

    def call_exception_handler(self, context):
        try:
            if guard.FAULTS:
                guard.fault("exception handler hook")
            from_exception_context(self, context)
        except Exception as e:
            guard.report("exception handler hook", e)
        return orig_handler(self, context)

    base.call_exception_handler = call_exception_handler
