"""Task storms. Past LIMIT task creations between two flushes the agent steps aside until the rate drops:
the per-step hook is removed (the loop runs its original Handle._run), new tasks are only counted per
origin (coroutine, creation site, parent), their ends are found by scanning at flush time on the writer
thread and sent as `rollup` events, and the stall sampler finds blocking steps by sampling instead of timing.
This keeps the cost of 100,000-task bursts bounded; a counted task is not shown until it ends. The storm
is over when both the creation rate and the number of counted tasks still pending are back under LIMIT."""
import collections
import threading

from . import sites, state

RATE = 5000  # tasks per second above which the agent counts instead of tracking
LIMIT = 1000  # per flush interval; set from RATE and flushMs by configure()
RECHECK_PER_FLUSH = 2000
created = [0]  # task creations since the last flush (reset by take_rollups)
active = [False]
_origins = {}  # (fn, code, line, parent) -> origin id
_info = {}  # origin id -> (fn, code, line, parent)
pending = collections.deque()  # task, origin id, task, origin id ... appended by the loop thread
_held = collections.deque()  # counted tasks taken by the writer, not seen ended yet ...
_held_oids = collections.deque()  # ... and their origin ids (both touched only under _lock)
_carry = [{}]  # origin id -> [count, failed, cancelled] counted outside take_rollups
_lock = threading.Lock()  # the writer and a closing loop both take from `pending`
_internal_get = sites._internal_by_code.get
_hooks = {}  # "on" / "off": callables switching the per-step hook


def configure(flush_ms):
    global LIMIT
    LIMIT = max(50, int(RATE * flush_ms / 1000.0))


def begin():
    """Creation rate went past LIMIT: stop per-step tracing until the storm is over."""
    if not active[0]:
        active[0] = True
        _hooks["off"]()


_last = [None, 0, None, None, 0]  # frame, line, coroutine code, parent record, origin id


def count(task, ls, coro, frame):
    """Count a task created during a storm (instead of tracking it)."""
    cur = ls.current
    cc = getattr(coro, "cr_code", None)
    if cc is not None:
        internal = _internal_get(cc)
        if internal is None:
            internal = sites.is_internal(cc)
        if internal:
            return  # asyncio's own tasks (shutdown_asyncgens, ...) are never shown
    line = frame.f_lineno
    last = _last
    if frame is last[0] and line == last[1] and cc is last[2] and cur is last[3]:
        oid = last[4]  # the same line making task after task (a loop or a comprehension)
    else:
        oid = _origin(task, cur, coro, frame)
        last[:] = [frame, line, cc, cur, oid]
    pending.append(task)
    pending.append(oid)


def _origin(task, cur, coro, frame):
    code = line = None
    frame = sites.user_frame(frame)
    if frame is not None:
        code = frame.f_code
        line = frame.f_lineno
    key = (getattr(coro, "__qualname__", None), code, line, cur.id if cur is not None else None)
    oid = _origins.get(key)
    if oid is None:
        oid = _origins[key] = len(_origins) + 1
        _info[oid] = key
    return oid


def _take_new():
    """Move counted tasks from the producer's deque (task, oid, task, oid, ...) to the writer's own list.
    Only whole pairs are taken: the loop thread may be between its two appends."""
    q = pending
    for _ in range(len(q) // 2):
        _held.append(q.popleft())
        _held_oids.append(q.popleft())


def _count_end(task, oid, ended):
    agg = ended.get(oid)
    if agg is None:
        agg = ended[oid] = [0, 0, 0]
    agg[0] += 1
    if task.cancelled():
        agg[2] += 1
    elif task._exception is not None:
        agg[1] += 1


def take_rollups(now, final=False):
    """At flush (writer thread): roll up counted tasks that ended, and end the storm once the rate dropped."""
    n, created[0] = created[0], 0
    with _lock:
        _take_new()
        ended, _carry[0] = _carry[0], {}
        still = 0  # re-checking tasks that are still pending is wasted work: bounded per flush
        for _ in range(len(_held)):
            task, oid = _held.popleft(), _held_oids.popleft()
            if not task.done():
                _held.append(task)
                _held_oids.append(oid)
                still += 1
                if still >= RECHECK_PER_FLUSH and not final:
                    break
                continue
            _count_end(task, oid, ended)
        if active[0] and ((n <= LIMIT and len(_held) <= LIMIT) or final):
            active[0] = False
            _last[:] = [None, 0, None, None, 0]
            _hooks["on"]()
            _take_new()  # counted just before the hook came back
            _adopt_held(now)
            _sweep_tracked(now)
    out = []
    for oid, (count_, failed, cancelled) in ended.items():
        fn, code, line, parent = _info[oid]
        out.append({"e": "rollup", "kind": "task", "name": fn or "task",
                    "site": sites.intern(code, line) if code is not None else None, "parent": parent,
                    "count": count_, "failed": failed, "cancelled": cancelled, "totalMs": 0, "t": state.ms(now)})
    return out


def _adopt_held(now):
    """The storm is over: the few counted tasks still pending become tracked tasks of their own."""
    while _held:
        task, oid = _held.popleft(), _held_oids.popleft()
        if task.done():
            _count_end(task, oid, _carry[0])
            continue
        fn, code, line, parent = _info[oid]
        ls = state.loops.get(id(task.get_loop()))
        rec = state.Record("task", fn, code, line, parent, ls, now)
        rec.task = task
        rec.key = id(task)
        state.records[rec.key] = rec
        state.new.append(rec)


def _sweep_tracked(now):
    """Tracked tasks that ended while the step hook was off: note their end now."""
    from .tasks import finish

    for rec in list(state.records.values()):
        task = rec.task
        if task is not None and not rec.ended and task.done():
            finish(rec, task, now)


def forget_loop(ls):
    """The loop closed (loop thread): count its counted tasks that ended, let the others go (the loop
    may destroy them, as without the agent)."""
    _let_go(ls.ref(), True)


def settle(loop):
    """asyncio.run() is about to list the loop's tasks (all_tasks(), to cancel those left): count the counted
    tasks that ended now and let go of them, as the program already did. Held until the next flush, they stayed
    alive and in that listing (100,000 gathered tasks made asyncio.run's shutdown ~0.1 s longer)."""
    if pending or _held:
        _let_go(loop, False)


def _let_go(loop, pending_too):
    with _lock:
        _take_new()
        for _ in range(len(_held)):
            task, oid = _held.popleft(), _held_oids.popleft()
            if task.get_loop() is not loop:
                _held.append(task)
                _held_oids.append(oid)
            elif task.done():
                _count_end(task, oid, _carry[0])
            elif not pending_too:
                _held.append(task)
                _held_oids.append(oid)
