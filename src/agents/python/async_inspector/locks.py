"""Tasks deadlocked on asyncio locks: task A holds lock 1 and waits for lock 2, which task B holds while it
waits for lock 1. Only the holder releases an asyncio.Lock, so such a cycle never ends, whatever else the
loop is doing (a server keeps serving): cycles.py finds such cycles (and those through other primitives).

Who holds a lock: `Lock.acquire` is wrapped to note the task that got it (released in `Lock.release`). A lock
taken before the agent was attached has no noted holder; it is then the one pending task whose coroutine frames
refer to that lock (a local, a global the code names, or an attribute of `self`) while it does not wait for it,
when exactly one task does.
"""
import asyncio
import weakref

from . import guard, relations

_Lock = asyncio.locks.Lock
_ACQUIRE = _Lock.acquire.__code__
_owners = weakref.WeakKeyDictionary()  # lock -> task that acquired it (while the agent watched)


def install():
    orig_acquire, orig_release = _Lock.acquire, _Lock.release

    async def acquire(self):
        got = await orig_acquire(self)
        try:
            if guard.FAULTS:
                guard.fault("Lock.acquire hook")
            _owners[self] = asyncio.current_task()
        except Exception as e:
            guard.report("Lock.acquire hook", e)
        return got

    def release(self):
        orig_release(self)
        try:
            if guard.FAULTS:
                guard.fault("Lock.release hook")
            _owners.pop(self, None)
        except Exception as e:
            guard.report("Lock.release hook", e)

    acquire.__qualname__ = "Lock.acquire"
    _Lock.acquire = acquire
    _Lock.release = release


def waited_lock(task):
    """The asyncio.Lock the task is parked in acquire() of, or None."""
    _user, internal = relations.chain(task.get_coro())
    for f in internal:
        if f.f_code is _ACQUIRE:
            lock = f.f_locals.get("self")
            return lock if isinstance(lock, _Lock) else None
    return None


def _refers_to(task, lock):
    c = task.get_coro()
    for _ in range(64):
        f = getattr(c, "cr_frame", None)
        if f is None:
            return False
        values = f.f_locals
        if any(v is lock for v in values.values()):
            return True
        g = f.f_globals
        me = values.get("self")
        for name in f.f_code.co_names:
            if g.get(name) is lock or (me is not None and getattr(me, name, None) is lock):
                return True
        c = getattr(c, "cr_await", None)
    return False


def holder(lock, waiting):
    """The task holding `lock`: noted at acquire, else inferred (see the module doc), else None."""
    task = _owners.get(lock)
    if task is not None and not task.done():
        return task
    if not lock.locked():
        return None
    found = [t for t, waits in waiting if waits is not lock and _refers_to(t, lock)]
    return found[0] if len(found) == 1 else None
