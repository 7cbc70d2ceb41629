"""Can anything still wake a loop's waiting tasks? Shared by the live deadlock check (stall sampler thread) and
the tasks-left-pending check when asyncio.run() shuts its loop down.

A loop can make progress only through: ready callbacks, timers, I/O watchers (besides its self-pipe),
signal handlers, executor jobs in flight, or another thread calling into it (call_soon_threadsafe,
run_coroutine_threadsafe) — unless every other thread is itself blocked for good (blocked_threads.py). When none exist, a task parked on a future (an Event, a Queue, a Lock, another
stuck task) can never be resumed. Reads private loop attributes (3.9-3.14 selector loops); anything
unexpected counts as "could wake", so the answer errs on the quiet side.
"""
import sys
import threading

from . import blocked_threads, cycles, relations, sites, state
from .threads import is_agent_thread


def _helper_thread(t):
    """Threads that cannot call into a loop on their own: the agent's, idle executor workers (their jobs
    in flight are counted separately), a process pool's manager. The pool modules are looked up, never
    imported: importing concurrent.futures.process alone made the 100k-task benchmark 7% slower."""
    if is_agent_thread(t) or not t.is_alive():
        return True
    threads = sys.modules.get("concurrent.futures.thread")
    if threads is not None and getattr(t, "_target", None) is getattr(threads, "_worker", 0):
        return not blocked_threads.busy_pool_thread(t)
    processes = sys.modules.get("concurrent.futures.process")
    return processes is not None and isinstance(t, getattr(processes, "_ExecutorManagerThread", ())) \
        and not blocked_threads.busy_pool_thread(t)


def readable(loop):
    """Whether the agent can read this loop's tasks' waits (asyncio's own loops)."""
    return getattr(loop, "_ready", None) is not None and getattr(loop, "_scheduled", None) is not None


def wake_source(loop, ls, shutting_down=False):
    """What could still make `loop` run something ("timer", "I/O", ...), or None when nothing can."""
    if getattr(loop, "_ready", None) is None or getattr(loop, "_scheduled", None) is None:
        return "unknown loop type"
    if loop._ready and not shutting_down:
        return "ready callbacks"
    if any(not h._cancelled for h in list(loop._scheduled)):
        return "timers"
    if getattr(loop, "_signal_handlers", None):
        return "signal handlers"
    selector = getattr(loop, "_selector", None)
    if selector is None:
        return "unknown loop type"
    ssock = getattr(loop, "_ssock", None)
    own = ssock.fileno() if ssock is not None else -1
    if any(fd != own for fd in list(selector.get_map())):
        return "I/O watchers"
    for recs in list(state.links.values()):
        if any(r.kind == "executor" and not r.ended and r.loop is ls for r in recs):
            return "executor work"
    me = threading.get_ident()
    others = [t for t in threading.enumerate() if t.ident not in (ls.thread_ident, me) and not _helper_thread(t)]
    if others:
        blocked = blocked_threads.all_blocked(others, sys._current_frames())
        if blocked is None:
            return "thread %s" % others[0].name
        ls_blocked[ls.id] = blocked
    else:
        ls_blocked.pop(ls.id, None)
    return None


ls_blocked = {}  # loop id -> [(thread name, what it waits on)]: the threads that cannot wake it (last check)


def blocked_note(ls):
    """`; the program's other threads cannot: MainThread is blocked in join()` for the flag's message."""
    blocked = ls_blocked.get(ls.id)
    if not blocked:
        return ""
    return "; the program's other threads cannot: " + ", ".join("%s is blocked in %s" % b for b in blocked)


def waiting_tasks(ls):
    """[(record, task)] of the loop's tracked tasks that are pending and parked on a future."""
    out = []
    for rec in list(state.records.values()):
        task = rec.task
        if rec.loop is ls and rec.kind == "task" and not rec.ended and task is not None and not task.done() \
                and getattr(task, "_fut_waiter", None) is not None:
            out.append((rec, task))
    return out


def _waits_on(task):
    """Name of the asyncio helper the task is parked in (Event.wait, Queue.get, ...), else the future's type."""
    _user, internal = relations.chain(task.get_coro())
    for f in reversed(internal):
        code = f.f_code
        name = getattr(code, "co_qualname", None)
        if name is None:  # before 3.11: the method's class from its `self`
            owner = f.f_locals.get("self")
            name = "%s.%s" % (type(owner).__name__, code.co_name) if owner is not None else code.co_name
        if not name.startswith("_"):
            held = cycles.owner_label(_self_of(f)) if name.endswith(".acquire") else ""
            return "%s (%s)" % (name, held) if held else name
    return type(task._fut_waiter).__name__


def _self_of(frame):
    try:
        return frame.f_locals.get("self")
    except Exception:
        return None


def label(rec, task):
    """`left (Task-2)`: the coroutine, and the task's name that tells two of them apart."""
    try:
        return "%s (%s)" % (rec.fn or "task", task.get_name())
    except Exception:
        return rec.fn or "task"


def stuck_chains(waiting):
    """For each innermost waiter (a task not waiting on another stuck task): (record, site ids of the await
    lines from it out to its outermost awaiter, what it waits on, names along the chain)."""
    by_id = {rec.id: (rec, task) for rec, task in waiting}
    info = {}
    awaited_by = {}
    through = {}  # id -> the combinator it awaits its stuck tasks through ("asyncio.gather"), named in the chain
    for rec, task in waiting:
        on, site = relations.awaiting(task)
        info[rec.id] = (on, site)
        through[rec.id] = relations.via(task)
        for target in on:
            awaited_by.setdefault(target, []).append(rec.id)
    out = []
    for rec, task in waiting:
        on, site = info[rec.id]
        if site is None or any(t in by_id for t in on):
            continue  # it waits on another stuck task: that one is the innermost
        stack, names, cur, seen = [site], [label(rec, task)], rec.id, {rec.id}
        while awaited_by.get(cur):
            cur = next((a for a in awaited_by[cur] if a not in seen), None)
            if cur is None:
                break
            seen.add(cur)
            if through[cur]:
                names.append(through[cur])
            names.append(label(*by_id[cur]))
            if info[cur][1] is not None and info[cur][1] not in stack:
                stack.append(info[cur][1])
        out.append((rec, stack, _waits_on(task), names))
    reached = {rec.id for rec, _s, _w, _n in out}
    todo = list(reached)
    while todo:
        for a in awaited_by.get(todo.pop(), ()):
            if a not in reached:
                reached.add(a)
                todo.append(a)
    for rec, task in waiting:  # tasks awaiting each other in a cycle: each one is where it is stuck
        site = info[rec.id][1]
        if rec.id not in reached and site is not None and _in_cycle(rec.id, info):
            names = [label(*by_id[t]) for t in info[rec.id][0] if t in by_id]
            out.append((rec, [site], "task %s" % ", ".join(names), [label(rec, task)]))
    return out


def _in_cycle(start, info):
    """Whether following who-awaits-whom from `start` leads back to it."""
    todo, seen = list(info[start][0]), set()
    while todo:
        cur = todo.pop()
        if cur == start:
            return True
        if cur in info and cur not in seen:
            seen.add(cur)
            todo.extend(info[cur][0])
    return False


def idle_in_select(ls, frames):
    """True when the loop thread sits in the selector's select()/poll() (waiting for I/O, not running)."""
    f = frames.get(ls.thread_ident)
    return f is not None and f.f_code.co_name in ("select", "poll", "control") and f.f_code.co_filename.endswith(
        "selectors.py") and sites.is_internal(f.f_code)
