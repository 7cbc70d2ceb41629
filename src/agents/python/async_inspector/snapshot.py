"""Turns records into protocol events at flush time (writer thread, or the atexit hook).

Bounded work per flush: at most CAP records are published one by one; short-lived records beyond that
are summarised as `rollup` events, and live ones wait in `carry` for the next flush. What one record's events
say (create, state, step, await, name, end) is record_events.py.
"""
import collections

from . import combinators, process_pools, sites, state, storm
from .record_events import intern_site, publish, unsent, update
from .state import ms, perf

CAP = 64
RELATIONS_EVERY = 0.25  # seconds between two relation refreshes of one live task
FINAL_CAP = 20000
carry = collections.deque()
_last_used = [0, False]  # records published by the previous flush, and whether that used up its budget


def build(final=False, complete=False):
    """All events since the previous call, sites first. `complete` (at a debugger stop): everything recorded,
    no task left for a later flush and every changed task's relations read now, so the batch is the program as
    of the stop."""
    found = _drain(state.findings)
    now = perf()
    storm_rollups = storm.take_rollups(now, final)  # first: a storm's end may finish or add records
    combinators.refresh(now)
    process_pools.refresh(now)
    unsent.clear()
    unsent.update((rec.id, rec) for q in (carry, state.new) for rec in q if not rec.published)
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
            publish(rec, out, now)
            budget -= 1
    new = state.new
    while new:
        rec = new.popleft()
        if rec.published or rec.rolled:
            continue
        if budget > 0 or rec.force:
            publish(rec, out, now)
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
            update(rec, out, now)
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
        out.append({"e": "rollup", "kind": kind, "name": fn or kind, "site": intern_site(code, line), "parent": parent,
                    "count": agg[0], "failed": agg[1], "cancelled": agg[2], "totalMs": round(agg[3], 3),
                    "t": ms(agg[4])})
    _last_used[:] = [start_budget - budget, budget <= 0]
    out.extend(storm_rollups)
    out.extend(_drain(state.child_exits))
    for ev, rec in found:
        if rec is not None and not rec.published and not rec.rolled:
            publish(rec, out, now)
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
