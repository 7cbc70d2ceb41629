"""Deadlocks in a loop that keeps serving: tasks that wait on each other, whatever else the loop does.

A task parked on the same future at two checks in a row waits on one of:
- other tasks (awaited directly, gather/wait children): it can go on once one of them can;
- an asyncio.Lock or Semaphore: only its holder(s) would release it — recorded at acquire, as asyncio
  does not (Locks: locks.py, which also infers the holder of a lock taken before an attach; Semaphores here);
- an Event, a Condition, a Queue or a bare future: only code holding a reference to it could set it;
  when every referrer is one of the parked tasks (their coroutines, frames, the task itself), only
  they could.
The greatest set of parked tasks in which every task waits only on members of the set (a timer that
would wake or cancel one takes it out) can never move again: a deadlock, however busy the rest of the
loop is. Anything the check does not recognise counts as "could be woken".
"""
import asyncio
import gc
import os
import sys

from . import guard, locks, relations, state

_PRIMITIVE_FILES = (asyncio.locks.__file__, asyncio.queues.__file__)
_AGENT_DIR = os.path.dirname(os.path.abspath(__file__))
_FRAME = type(sys._getframe())
_parked = {}  # loop id -> {record id -> id of the future it was parked on at the previous check}
_edges = {}  # (record id, future id) -> [ids it awaits, None (could be woken) / frozenset of ids / _UNKNOWN]
_UNKNOWN = object()


def _holders(prim, waiting=list):
    """Tasks holding a Lock (locks.py) or a Semaphore (noted here), not done. `waiting()`: [(task, lock it
    waits for)], to infer the holder of a lock taken before an attach."""
    if isinstance(prim, asyncio.Lock):
        h = locks.holder(prim, () if prim in locks._owners else waiting())
        return [h] if h is not None else []
    return [t for t in prim.__dict__.get("_ai_holders", ()) if not t.done()] if hasattr(prim, "__dict__") else []


def _all_lock_waits():
    tasks = [r.task for r in list(state.records.values()) if r.kind == "task" and r.task is not None]
    return [(t, lk) for t, lk in ((t, locks.waited_lock(t)) for t in tasks if not t.done()) if lk is not None]


def owner_label(prim):
    """`held by task X (Task-3)` for a Lock/Semaphore the agent saw taken, else ""."""
    from .stuck import label

    holders = _holders(prim, _all_lock_waits) if prim is not None else []
    names = []
    for t in holders:
        rec = state.records.get(id(t))
        names.append(label(rec, t) if rec is not None else t.get_name())
    return "held by task %s" % ", ".join(names) if names else ""


def _chain_ids(task):
    """Ids of everything along a task's await chain that holds references (coroutines, frames, locals)."""
    ids = {id(task)}
    c = task.get_coro()
    for _ in range(64):
        if c is None:
            break
        ids.add(id(c))
        f = getattr(c, "cr_frame", None) or getattr(c, "gi_frame", None) or getattr(c, "ag_frame", None)
        if f is not None:
            ids.add(id(f))
        c = getattr(c, "cr_await", None) or getattr(c, "gi_yieldfrom", None) or getattr(c, "ag_await", None)
    return ids


def _primitive(task):
    """The asyncio Lock/Semaphore/Event/Condition/Queue the task is parked in (`self` of the innermost
    asyncio.locks/queues frame), else the future it waits on; with the f_locals dict that lookup made."""
    _user, internal = relations.chain(task.get_coro())
    for f in reversed(internal):
        if f.f_code.co_filename in _PRIMITIVE_FILES:
            loc = f.f_locals
            prim = loc.get("self")
            if prim is not None:
                return prim, id(loc)
    return task._fut_waiter, None


def _edge(task, on, lock_waits):
    """What `task` depends on: None (something outside could wake it), the record ids it waits on, or
    (primitive, f_locals id) when that depends on who refers to the primitive (_referred)."""
    if on:
        return frozenset(on)
    prim, loc_id = _primitive(task)
    holders = _holders(prim, lock_waits) if isinstance(prim, (asyncio.Lock, asyncio.Semaphore)) else None
    if holders:
        ids = [state.records.get(id(t)) for t in holders]
        return frozenset(r.id for r in ids) if all(ids) else None
    if isinstance(prim, asyncio.Lock):
        return None  # no holder known: unknown
    return (prim, loc_id)


def _referred(asks, waiting_ids):
    """{id(primitive): None, or the ids of the parked tasks that alone refer to it}: one heap walk for all.
    References the heap walk cannot see (a C extension holding it) show in the reference count: then it
    could be set from there."""
    prims = {id(p): p for p, _l in asks}
    mine = {id(prims)} | {loc for _p, loc in asks if loc is not None} | {id(a) for a in asks}
    vals = tuple(prims.values())
    owners = {pid: set() for pid in prims}
    seen = dict.fromkeys(prims, 1)  # references found; `vals` holds one of each
    for r in gc.get_referrers(*vals):
        if type(r) is tuple and len(r) == len(vals) and all(a is b for a, b in zip(r, vals)):
            continue  # `vals`, or get_referrers' own argument tuple (gone once it returns)
        refs = [id(x) for x in gc.get_referents(r)]
        for pid in refs:
            if pid in seen:
                seen[pid] += 1
        if id(r) in mine or (type(r) is _FRAME and r.f_code.co_filename.startswith(_AGENT_DIR)):
            continue  # this check's own containers and frames
        owner = waiting_ids.get(id(r))
        for pid in refs:
            if pid in owners and owners[pid] is not None:
                if owner is None:
                    owners[pid] = None  # something else refers to it: it could set it
                else:
                    owners[pid].add(owner)
    for p in vals:
        if sys.getrefcount(p) - 2 > seen[id(p)]:  # minus getrefcount's argument and `p`
            owners[id(p)] = None
    return {pid: (frozenset(o) if o is not None else None) for pid, o in owners.items()}


def _timed(loop):
    """Ids of tasks and futures a pending timer would wake or cancel (wait_for, asyncio.timeout, wait)."""
    out = set()
    for h in list(getattr(loop, "_scheduled", ())):
        if h._cancelled:
            continue
        owner = getattr(h._callback, "__self__", None)
        for x in (owner, getattr(owner, "_task", None)) + tuple(h._args or ()):
            if x is not None:
                out.add(id(x))
    return out


def stuck_set(ls, loop, waiting):
    """[(record, task)] of the waiting tasks that can never move again, whatever else the loop does.
    Per check: one pass over the waiting tasks; what a task awaits and who refers to what it waits on are
    computed once while it stays parked on the same future (a server with many parked tasks pays little)."""
    by_id = {rec.id: (rec, task) for rec, task in waiting}
    parked = {rec.id: id(task._fut_waiter) for rec, task in waiting}
    before = _parked.get(ls.id, {})
    _parked[ls.id] = parked
    candidates = [(rec, task) for rec, task in waiting if before.get(rec.id) == parked[rec.id]]
    for key in [k for k in _edges if k[0] in before and parked.get(k[0]) != k[1]]:
        del _edges[key]
    if not candidates:
        return []
    timed = _timed(loop)

    def lock_waits():  # [(task, the lock it waits for)]: only when a lock's holder must be inferred
        return [(t, lk) for t, lk in ((t, locks.waited_lock(t)) for _r, t in waiting) if lk is not None]

    def on_of(rec, task):
        key = (rec.id, parked[rec.id])
        known = _edges.get(key)
        if known is None:
            known = _edges[key] = [relations.awaiting(task)[0], _UNKNOWN]
        return known

    edges, cancelled_by_timer, asks = {}, [], {}
    for rec, task in candidates:
        known = on_of(rec, task)
        if id(task) in timed or id(task._fut_waiter) in timed:
            cancelled_by_timer.extend(known[0])  # a timeout there cancels what it awaits
            continue
        edge = known[1]
        if edge is _UNKNOWN:
            edge = _edge(task, known[0], lock_waits)
            if isinstance(edge, tuple) or not isinstance(edge, frozenset) or known[0]:
                known[1] = edge  # awaited tasks and referrers stay while it is parked; lock holders change
        if isinstance(edge, tuple):
            asks[rec.id] = edge
        elif edge is not None:
            edges[rec.id] = edge
    if asks:
        waiting_ids = {}
        for rec, task in candidates:
            for i in _chain_ids(task):
                waiting_ids[i] = rec.id
        referred = _referred(list(asks.values()), waiting_ids)
        for rid, (prim, _loc) in asks.items():
            _edges[(rid, parked[rid])][1] = referred[id(prim)]
            if referred[id(prim)] is not None:
                edges[rid] = referred[id(prim)]
    while cancelled_by_timer:
        rid = cancelled_by_timer.pop()
        if edges.pop(rid, None) is not None and rid in by_id:
            cancelled_by_timer.extend(on_of(*by_id[rid])[0])
    s = set(edges)
    changed = True
    while changed:
        changed = False
        for rid in list(s):
            if not edges[rid] <= s:
                s.discard(rid)
                changed = True
    return [by_id[rid] for rid in s]


def install():
    """Record who holds each asyncio.Semaphore (asyncio itself does not; Locks: locks.py)."""
    cls = asyncio.Semaphore
    orig_acquire, orig_release = cls.acquire, cls.release
    current = asyncio.current_task

    async def acquire(self):
        r = await orig_acquire(self)
        try:
            if guard.FAULTS:
                guard.fault("lock owner")
            holders = self.__dict__.get("_ai_holders")
            if holders is None:
                holders = self._ai_holders = []
            holders.append(current())
        except Exception as e:
            guard.report("lock owner", e)
        return r

    def release(self):
        r = orig_release(self)
        try:
            if guard.FAULTS:
                guard.fault("lock owner")
            holders = self.__dict__.get("_ai_holders")
            if holders:
                try:
                    t = current()
                except RuntimeError:  # released outside a task
                    t = None
                holders.remove(t) if t in holders else holders.pop(0)
        except Exception as e:
            guard.report("lock owner", e)
        return r

    acquire.__qualname__, release.__qualname__ = orig_acquire.__qualname__, orig_release.__qualname__
    cls.acquire, cls.release = acquire, release
