"""The events that tell one record at a flush: `create` when it is published (then its combinator inputs and the
await on them), `state` (queued, running, pending), `step` slices, `await` (what it waits on, and where), `name`
when it changed, and `end` (its error, result or canceller). An await names only records already told: a target
not yet published is published first.
"""
import reprlib

from . import cancels, combinators, guard, relations, sites, state
from .state import ms
from .tasks import error_info

# records not yet published when this flush began, by id: an await that names one publishes it first (the
# model drops an await target it was not told of: `await t1` right after create_task(t1) would show nothing);
# filled by snapshot.build
unsent = {}
_repr = reprlib.Repr()
_repr.maxstring = 80
_repr.maxother = 80


def intern_site(code, line):
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


def publish(rec, out, now):
    rec.published = True
    task = rec.task
    name = _name(rec, task)
    rec.sent_name = name
    rec.site = intern_site(rec.code, rec.line)
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
                publish(r, out, now)
        _publish_combinators(out, now)
        rec.sent_await = (rec.inputs_on, rec.site)
        out.append({"e": "await", "id": rec.id, "on": rec.inputs_on, "site": rec.site, "t": ms(rec.created)})
    update(rec, out, now, task)


def _publish_combinators(out, now):
    """Combinators made since the last look (combinators.py), before an await that names them."""
    pending = combinators.pending
    while pending:
        rec = pending.popleft()
        if not rec.published:
            publish(rec, out, now)


def _publish_targets(on, out, now):
    """The records an await names that this flush has not published yet, before the await."""
    for i in on:
        r = unsent.pop(i, None)
        if r is not None and not (r.published or r.rolled):
            publish(r, out, now)


def update(rec, out, now, task=None):
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
