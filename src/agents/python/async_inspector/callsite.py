"""Where a never-awaited coroutine was created, worked out when CPython reports it (at its finalization).

Capturing the creation site of every coroutine (sys.set_coroutine_origin_tracking_depth(1)) costs ~0.16 µs
per coroutine: 2.2x on a tight `await f()` loop. Instead nothing is recorded up front: when the warning
fires, the call is looked for in the bytecode of the code that can have made it, nearest first:
1. the user frames still running inside the current loop step (the coroutine was dropped right there);
2. the running task's coroutines, also the one that just returned (a local dropped when it finished);
3. the outer frames (the module, the function that called asyncio.run);
4. the program's own modules, when exactly one place calls a function of that name.
"""
import sys

from . import sites, state

_LOADS = frozenset(("LOAD_GLOBAL", "LOAD_NAME", "LOAD_ATTR", "LOAD_METHOD", "LOAD_DEREF", "LOAD_FAST",
                    "LOAD_CLASSDEREF", "LOAD_FROM_DICT_OR_DEREF", "LOAD_FROM_DICT_OR_GLOBALS"))
_lines_cache = {}  # (code, name) -> sorted lines where `name` is loaded


def call_lines(code, name):
    """Lines of `code` that load `name` (a call of it, in practice), sorted."""
    key = (code, name)
    found = _lines_cache.get(key)
    if found is None:
        import dis  # only when a coroutine was never awaited: importing modules the program does not use costs

        found = set()
        line = None
        try:
            for ins in dis.get_instructions(code):
                pos = getattr(ins, "positions", None)
                if pos is not None and pos.lineno:
                    line = pos.lineno
                elif ins.starts_line and not isinstance(ins.starts_line, bool):
                    line = ins.starts_line
                if ins.opname in _LOADS and ins.argval == name and line:
                    found.add(line)
        except Exception:
            pass
        found = _lines_cache[key] = sorted(found)
    return found


def _nearest(lines, upto):
    best = None
    for line in lines:
        if upto is None or line <= upto:
            best = line
    return best


def _is_step(code):
    return code.co_name == "_run" and sites.is_internal(code)  # Handle._run (or the agent's wrapper of it)


def _task_coroutines():
    """(code, frame or None) of the running task's coroutine chain, outermost first."""
    loop = sys.modules["asyncio"].events._get_running_loop()
    ls = state.loops.get(id(loop)) if loop is not None else None
    rec = ls.current if ls is not None else None
    task = rec.task if rec is not None else None
    c = task.get_coro() if task is not None else None
    out = []
    while c is not None and len(out) < 32:
        code = getattr(c, "cr_code", None) or getattr(c, "gi_code", None)
        if code is not None and not sites.is_internal(code):
            out.append((code, getattr(c, "cr_frame", None) or getattr(c, "gi_frame", None)))
        c = getattr(c, "cr_await", None) or getattr(c, "gi_yieldfrom", None)
    return out


def _module_codes():
    """Code objects of the program's own modules (not the standard library, not site-packages)."""
    seen = set()
    todo = []
    for mod in list(sys.modules.values()):
        f = getattr(mod, "__file__", None)
        if not f or not f.endswith(".py") or sites.is_internal_file(f) or "-packages" in f:
            continue
        objs = list(getattr(mod, "__dict__", {}).values())
        classes = set()
        for obj in objs:
            if isinstance(obj, type) and getattr(obj, "__module__", None) == mod.__name__ and obj not in classes:
                classes.add(obj)
                objs.extend(vars(obj).values())
            fn = getattr(obj, "__func__", obj)
            fn = getattr(fn, "fget", fn)
            code = getattr(fn, "__code__", None)
            if hasattr(code, "co_code") and not sites.is_internal(code):
                todo.append(code)
    while todo and len(seen) < 20000:
        code = todo.pop()
        if code not in seen:
            seen.add(code)
            todo.extend(c for c in code.co_consts if hasattr(c, "co_code"))
    return seen


def locate(coro, frame):
    """(code, line, frame or None) of the call that created the never-started `coro`, or None."""
    code = getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)
    if code is None:
        return None
    name = code.co_name
    outer = frame
    while outer is not None and not _is_step(outer.f_code):  # 1. inside the running step
        if not sites.is_internal(outer.f_code):
            line = _nearest(call_lines(outer.f_code, name), outer.f_lineno)
            if line:
                return outer.f_code, line, outer
        outer = outer.f_back
    for c, f in reversed(_task_coroutines()):  # 2. the task's coroutines, innermost first
        line = _nearest(call_lines(c, name), f.f_lineno if f is not None else None)
        if line:
            return c, line, f
    f = outer
    while f is not None:  # 3. the frames outside the step
        if not sites.is_internal(f.f_code):
            line = _nearest(call_lines(f.f_code, name), f.f_lineno)
            if line:
                return f.f_code, line, f
        f = f.f_back
    places = [(c, line) for c in _module_codes() for line in call_lines(c, name)]  # 4. one caller anywhere
    if len(places) == 1:
        return places[0][0], places[0][1], None
    return None
