"""Turns records into protocol events at flush time (writer thread, or the atexit hook).

Bounded work per flush: at most CAP records are published one by one; short-lived records beyond that
are summarised as `rollup` events, and live ones wait in `carry` for the next flush.
"""
import collections
import reprlib

from . import cancels, combinators, guard, process_pools, relations, sites, state, storm, tasks
from .state import ms, perf

CAP = 64
RELATIONS_EVERY = 0.25  # seconds between two relation refreshes of one live task
FINAL_CAP = 20000
carry = collections.deque()
# records not yet published when this flush began, by id: an await that names one publishes it first (the
# model drops an await target it was not told of: `await t1` right after create_task(t1) would show nothing)
_unsent = {}
_last_used = [0, False]  # records published by the previous flush, and whether that used up its budget
_repr = reprlib.Repr()
_repr.maxstring = 80
_repr.maxother = 80


def build(final=False, complete=False):
    """All events since the previous call, sites first. `complete` (at a debugger stop): everything recorded,
    no task left for a later flush and every changed task's relations read now, so the batch is the program as
    of the stop."""
    found = _drain(state.findings)
    now = perf()
    storm_rollups = storm.take_rollups(now, final)  # first: a storm's end may finish or add records
    combinators.refresh(now)
    process_pools.refresh(now)
    _unsent.clear()
    _unsent.update((rec.id, rec) for q in (carry, state.new) for rec in q if not rec.published)
    out = []
    gone = state.gone_loops[:]
    del state.gone_loops[:len(gone)]
    for ls in list(state.loops.values()) + gone:
        if not ls.announced:
            ls.announced = True
            out.append({"e": "loop", "id": ls.id, "name": ls.name, "thread": ls.thread, "t": ms(ls.created)})
    # under sustained load (the previous flush used its whole budget) publish fewer one by one
    budget = FINAL_CAP if final or complete else (CAP // 4 if _last_used[0] >= CAP // 4 and _last_used[1] else CAP)
    start_budget = budget
    rollups = {}
    for _ in range(len(carry)):
        if budget <= 0:
            break
        rec = carry.popleft()
        if not (rec.published or rec.rolled):
            _publish(rec, out, now)
            budget -= 1
    new = state.new
    while new:
        rec = new.popleft()
        if rec.published or rec.rolled:
            continue
        if budget > 0 or rec.force:
            _publish(rec, out, now)
            budget -= 1
        elif rec.ended:
            _roll(rec, rollups)
        else:
            carry.append(rec)
    dirty = state.dirty
    deferred = []
    while dirty:
        rec = dirty.popleft()
        if rec.published and not rec.ended and not (final or complete) and now - rec.rel_t < RELATIONS_EVERY:
            deferred.append(rec)  # a busy live task: its relations are refreshed a few times a second
            continue
        rec.dirty = False
        if rec.published:
            _update(rec, out, now)
        elif rec.ended and not rec.rolled:
            _roll(rec, rollups)
    dirty.extend(deferred)
    for ls in list(state.loops.values()):
        cur, start = ls.current, ls.step_start
        if cur is not None and start and cur.published and not cur.ended and cur.sent_live != "running":
            cur.sent_live = "running"
            out.append({"e": "state", "id": cur.id, "state": "running", "t": ms(start)})
            cur.touch()  # back to pending at a later flush
    for key, agg in rollups.items():
        kind, fn, code, line, parent = key
        out.append({"e": "rollup", "kind": kind, "name": fn or kind, "site": _site(code, line), "parent": parent,
                    "count": agg[0], "failed": agg[1], "cancelled": agg[2], "totalMs": round(agg[3], 3),
                    "t": ms(agg[4])})
    _last_used[:] = [start_budget - budget, budget <= 0]
    out.extend(storm_rollups)
    out.extend(_drain(state.child_exits))
    for ev, rec in found:
        if rec is not None and not rec.published and not rec.rolled:
            _publish(rec, out, now)
        ev["task"] = rec.id if rec is not None and rec.published else None
        out.append(ev)
    return sites.take_unsent() + out


def _drain(dq):
    out = []
    while True:
        try:
            out.append(dq.popleft())
        except IndexError:
            return out


def _site(code, line):
    return sites.intern(code, line) if code is not None else None


def _name(rec, task):
    if rec.kind != "task":
        return rec.name or rec.fn or rec.kind
    n = task.get_name() if task is not None else rec.name
    if n is None:
        return rec.fn or "task"
    if rec.fn and n.startswith("Task-") and n[5:].isdigit():
        return rec.fn
    return "%s (%s)" % (n, rec.fn) if rec.fn and rec.fn != n else n


def _publish(rec, out, now):
    rec.published = True
    task = rec.task
    name = _name(rec, task)
    rec.sent_name = name
    rec.site = _site(rec.code, rec.line)
    ev = {"e": "create", "id": rec.id, "kind": rec.kind, "name": name, "parent": rec.parent, "site": rec.site,
          "t": ms(rec.created)}
    if rec.loop is not None:
        ev["loop"] = rec.loop.id
    if rec.attach is not None:
        ev["attach"] = rec.attach
    out.append(ev)
    if rec.kind == "executor":
        out.append({"e": "state", "id": rec.id, "state": "queued", "t": ms(rec.created)})
        rec.sent_live = "queued"
    else:
        rec.sent_live = "pending"
    if rec.inputs_on is not None:  # a combinator awaits its inputs from the start (the model knows them first)
        inputs, rec.input_recs = rec.input_recs or (), None
        for r in inputs:
            if not (r.published or r.rolled):
                _publish(r, out, now)
        _publish_combinators(out, now)
        rec.sent_await = (rec.inputs_on, rec.site)
        out.append({"e": "await", "id": rec.id, "on": rec.inputs_on, "site": rec.site, "t": ms(rec.created)})
    _update(rec, out, now, task)


def _publish_combinators(out, now):
    """Combinators made since the last look (combinators.py), before an await that names them."""
    pending = combinators.pending
    while pending:
        rec = pending.popleft()
        if not rec.published:
            _publish(rec, out, now)


def _publish_targets(on, out, now):
    """The records an await names that this flush has not published yet, before the await."""
    for i in on:
        r = _unsent.pop(i, None)
        if r is not None and not (r.published or r.rolled):
            _publish(r, out, now)


def _update(rec, out, now, task=None):
    if task is None:
        task = rec.task
    if rec.first and not rec.sent_started:
        rec.sent_started = True
        rec.sent_live = "running"
        ev = {"e": "state", "id": rec.id, "state": "running", "t": ms(rec.first)}
        if rec.thread:
            ev["thread"] = rec.thread
        out.append(ev)
    if rec.slices:
        slices, rec.slices = rec.slices, None
        out.extend({"e": "step", "id": rec.id, "t": ms(s), "dur": round(d * 1000.0, 3)} for s, d in slices)
    seen = rec.seen_await
    if seen:
        _publish_combinators(out, now)
    while seen and not rec.sent_end:  # awaits noted when a child ended: the task may have moved on since
        on, site, t = seen.popleft()
        if (on, site) != rec.sent_await:
            rec.sent_await = (on, site)
            _publish_targets(on, out, now)
            out.append({"e": "await", "id": rec.id, "on": on, "site": site, "t": ms(t)})
    if rec.ended:
        if not rec.sent_end:
            rec.sent_end = True
            out.append(_end(rec, task))
        return
    if task is None:
        return
    ls = rec.loop
    running = ls is not None and ls.current is rec and ls.step_start
    live = "running" if running else "pending"
    if live != rec.sent_live:
        rec.sent_live = live
        out.append({"e": "state", "id": rec.id, "state": live, "t": ms(ls.step_start if running else (rec.last or now))})
    name = _name(rec, task)
    if name != rec.sent_name:
        rec.sent_name = name
        out.append({"e": "name", "id": rec.id, "name": name})
    rec.rel_t = now
    try:
        if guard.FAULTS:
            guard.fault("await relations")
        on, site = relations.awaiting(task, rec)
    except Exception as e:
        guard.report("await relations", e)
        return
    _publish_combinators(out, now)
    if (on, site) != rec.sent_await:
        rec.sent_await = (on, site)
        _publish_targets(on, out, now)
        out.append({"e": "await", "id": rec.id, "on": on, "site": site, "t": ms(rec.last or now)})


def _end(rec, task):
    st = rec.end_state
    ev = {"e": "end", "id": rec.id, "state": st, "t": ms(rec.ended), "runMs": round(rec.run * 1000.0, 3)}
    if st == "destroyed":
        ev["state"] = "cancelled"
        ev["error"] = {"type": "TaskDestroyed", "message": "Task was destroyed but it is pending"}
    elif st == "failed" and rec.error is not None:
        exc, rec.error = rec.error, None
        ev["error"] = exc if isinstance(exc, dict) else error_info(exc)  # a task's is read when it ends
    elif st == "cancelled" and rec.kind == "task":
        by = canceller(rec)
        if isinstance(by, cancels.Canceller):
            ev["error"] = {"type": "CancelledError", "message": by.describe()}
            if by.stack:
                ev["error"]["stack"] = by.stack
        elif by is not None:
            ev["error"] = {"type": "CancelledError", "message": "cancelled by task '%s' (#%d)" % (by.fn, by.id)}
    elif st == "done" and rec.kind == "task":
        try:
            ev["result"] = _repr.repr(rec.result)
        except Exception:
            pass
        rec.result = None
    return ev


def canceller(rec):
    """The task that cancelled `rec`: the previous step's task, when it is the parent or awaited `rec`."""
    by, rec.by = rec.by, None
    if isinstance(by, cancels.Canceller):
        return by
    if not isinstance(by, state.Record):
        return None
    if by.id == rec.parent or (by.sent_await and rec.id in by.sent_await[0]):
        return by
    t = by.task
    fw = getattr(t, "_fut_waiter", None) if t is not None else None
    return by if fw is not None and state.records.get(id(fw)) is rec else None


error_info = tasks.error_info


def _roll(rec, rollups):
    rec.rolled = True
    rec.error = rec.result = rec.task = None
    key = (rec.kind, rec.fn, rec.code, rec.line, rec.parent)
    agg = rollups.get(key)
    if agg is None:
        agg = rollups[key] = [0, 0, 0, 0.0, 0.0]
    agg[0] += 1
    if rec.end_state == "failed":
        agg[1] += 1
    elif rec.end_state in ("cancelled", "destroyed"):
        agg[2] += 1
    agg[3] += (rec.ended - rec.created) * 1000.0
    agg[4] = max(agg[4], rec.ended)
