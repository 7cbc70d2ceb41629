"""Who a pending task waits on and where it is parked, computed lazily at flush time (never per step), and when
a child ends while its parent is parked (tasks.note_parent_await).

Private attributes, verified on 3.9-3.13: `task._fut_waiter` is the future a task is blocked on,
`_GatheringFuture._children` lists gather's children, `coro.cr_await` leads to the innermost awaitable.
"""
from . import combinators, sites, state
from .combinators import TASK_CLASSES
# asyncio helpers that park on a future of their own: the local that holds what they wait for, and its name
_WAIT_FRAMES = {"_wait": "fs", "wait": "fs", "_wait_for_one": None, "as_completed": "fs", "wait_for": "fut"}
_NAMES = {"_wait": "asyncio.wait", "wait": "asyncio.wait", "as_completed": "asyncio.as_completed",
          "wait_for": "asyncio.wait_for"}
_TASKGROUP_EXITS = ("__aexit__", "_aexit")  # TaskGroup (3.11+): `async with` waits for `self._tasks`


def targets(fut, via=None):
    """Record ids that a future stands for: a task, gather's children, an executor job, shield's inner.
    With `via` (the record that awaits it), a gather of several is a combinator record of its own."""
    rec = state.records.get(id(fut))
    if rec is not None:
        return [rec.id]
    if isinstance(fut, TASK_CLASSES):  # a task not tracked (counted in a storm, asyncio's own) stands for
        return []  # nothing: links hold futures (executor jobs, shield's outer one), never tasks
    out = []
    linked = state.links.get(fut)
    if linked:
        out.extend(r.id for r in linked)
    children = getattr(fut, "_children", None)
    if via is not None and children:
        return out + [combinators.record("asyncio.gather", fut, via, children, targets).id]
    for child in children or ():
        r = state.records.get(id(child))
        if r is not None:
            out.append(r.id)
        else:
            out.extend(targets(child) if child is not fut else ())
    return out


def chain(coro):
    """(innermost user frame, internal frames) along the coroutine's await chain."""
    user = own = None
    internal = []
    c = coro
    for _ in range(64):
        f = getattr(c, "cr_frame", None) or getattr(c, "gi_frame", None) or getattr(c, "ag_frame", None)
        if f is None:
            break
        if sites.is_internal(f.f_code):
            internal.append(f)
        else:
            user = f
            if not sites.is_library(f.f_code):
                own = f
        nxt = getattr(c, "cr_await", None)
        if nxt is None:
            nxt = getattr(c, "gi_yieldfrom", None)
        if nxt is None:
            nxt = getattr(c, "ag_await", None)
        if nxt is None:
            break
        c = nxt
    return own or user, internal


def awaiting(task, rec=None):
    """(ids it waits on, site id of its current await line or None). With `rec` (the task's record: what is
    published), a combinator it is parked in (gather, wait, wait_for, a TaskGroup's exit) is one id of its own
    that awaits the inputs (combinators.py), as Promise.all is in Node."""
    fw = getattr(task, "_fut_waiter", None)
    user, internal = chain(task.get_coro())
    site = sites.frame_site(user) if user is not None else None
    if rec is not None and fw is not None:
        found = _combinator(fw, internal)
        if found is not None:
            name, inputs = found
            comb = combinators.record(name, fw, rec, inputs, targets, user)
            return [comb.id], site
    on = targets(fw) if fw is not None else []
    if not on:
        for f in internal:  # asyncio.wait(...): the awaited set lives in the helper's locals
            for x in _awaited_in(f):
                on.extend(targets(x))
    return sorted(set(on)), site


def via(task):
    """The name of the combinator the task is parked in ("asyncio.gather", "TaskGroup"), or None."""
    fw = getattr(task, "_fut_waiter", None)
    found = _combinator(fw, chain(task.get_coro())[1]) if fw is not None else None
    return found[0] if found is not None else None


def _combinator(fw, internal):
    """(name, inputs) when the future a task is parked on is a combinator's, else None."""
    children = getattr(fw, "_children", None)
    if children:
        return "asyncio.gather", children
    for f in internal:
        inputs = _awaited_in(f)
        if inputs:
            name = f.f_code.co_name
            return ("TaskGroup" if name in _TASKGROUP_EXITS else _NAMES.get(name, name)), inputs
    return None


def _awaited_in(frame):
    """What an asyncio helper frame (wait, wait_for, a TaskGroup's exit) waits for."""
    name = frame.f_code.co_name
    if name in _TASKGROUP_EXITS:
        group = frame.f_locals.get("self")
        return list(getattr(group, "_tasks", None) or ()) if type(group).__name__ == "TaskGroup" else ()
    local = _WAIT_FRAMES.get(name)
    if not local:
        return ()
    fs = frame.f_locals.get(local)
    if fs is None:
        return ()
    return (fs,) if local == "fut" else fs


def install():
    """asyncio.shield's outer future stands for the inner task (who awaits whom stays visible)."""
    import asyncio

    from . import guard

    orig = asyncio.tasks.shield

    def shield(arg):
        outer = orig(arg)
        try:
            if guard.FAULTS:
                guard.fault("shield hook")
            rec = state.records.get(id(arg))
            if rec is not None and outer is not arg:
                state.links[outer] = [rec]
        except Exception as e:
            guard.report("shield hook", e)
        return outer

    asyncio.tasks.shield = shield
    asyncio.shield = shield
