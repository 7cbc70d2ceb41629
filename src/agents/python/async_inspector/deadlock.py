"""Stuck work, reported by the agent (stuck.py says whether anything can still wake a loop):

- `deadlock`, live: the stall sampler thread checks every CHECK_S whether a loop sits idle in select() with
  tasks parked and nothing able to wake them; seen twice in a row, one flag per innermost waiting task
  (at its await line; the stack goes out through the tasks awaiting it). The program keeps running.
- `pending-at-exit`, when asyncio.run() shuts its loop down (asyncio.runners._cancel_all_tasks): tasks
  still parked there with nothing able to wake them would never have finished; asyncio.run() now cancels
  them, so the model's end-of-run lint (which looks for tasks still pending) would not see them. Held
  until exit and sent only if the program then exits with 0, like the lint (a crash or Ctrl-C interrupted it).
  Background work that could go on (a heartbeat with its timer, a server with its sockets) is not flagged.
"""
import asyncio

from . import cycles, guard, state, storm, stuck
from .state import ms, perf
from .threads import other_frames

CHECK_S = 0.5
_suspects = {}  # loop id -> ids of the innermost waiters seen stuck at the previous check
_reported = {}  # loop id -> ids already reported (a new deadlock is reported again)
_covered = {}  # loop id -> ids of every task a reported deadlock held (not reported again at shutdown)


def _emit(kind, ls, chains, message, into=state.findings):
    note = stuck.blocked_note(ls)
    for rec, stack, waits_on, names in chains:
        chain = "; chain: %s" % " → ".join(reversed(names)) if len(names) > 1 else ""
        ev = {"e": "finding", "kind": kind, "t": ms(perf()), "site": stack[0], "stack": stack, "loop": ls.id,
              "message": message % {"task": names[0], "on": waits_on} + note + chain}
        rec.force = True
        into.append((ev, rec))


_IDLE = ("deadlock: task %(task)s waits here on %(on)s and nothing can ever wake it (no ready callbacks, timers, "
         "I/O, executor work or thread that could call into the loop)")
_SERVING = ("deadlock: task %(task)s waits here on %(on)s and nothing can ever wake it: what it waits for is held "
            "or awaited only by tasks that wait on it in turn (the rest of the program goes on)")


def check_live():
    """Called by the stall sampler thread every CHECK_S."""
    frames = other_frames()
    for ls in list(state.loops.values()):
        loop = ls.ref()
        chains = None
        serving = False
        if loop is not None and loop.is_running() and not ls.step_start and stuck.idle_in_select(ls, frames) \
                and stuck.wake_source(loop, ls) is None:
            waiting = stuck.waiting_tasks(ls)
            if waiting and ls.step_start == 0.0:
                chains = stuck.stuck_chains(waiting)
        elif loop is not None and loop.is_running() and stuck.readable(loop):
            # a cycle while the loop serves others (cycles.py): its tasks were parked at two checks already
            waiting = cycles.stuck_set(ls, loop, stuck.waiting_tasks(ls))
            chains, serving = stuck.stuck_chains(waiting) if waiting else None, True
        ids = frozenset(rec.id for rec, _s, _w, _n in chains or ())
        if not ids:
            _suspects.pop(ls.id, None)
            _reported.pop(ls.id, None)
            continue
        if (serving or _suspects.get(ls.id) == ids) and _reported.get(ls.id) != ids:
            _reported[ls.id] = ids
            _covered.setdefault(ls.id, set()).update(rec.id for rec, _t in waiting)
            _emit("deadlock", ls, chains, _SERVING if serving else _IDLE)
        _suspects[ls.id] = ids


_left_at_shutdown = []  # (finding, record) held until exit: only a program that ends cleanly ran out of work


def at_shutdown(loop):
    """asyncio.run() is about to cancel the tasks its main coroutine left behind."""
    ls = state.loops.get(id(loop))
    if ls is None or stuck.wake_source(loop, ls, shutting_down=True) is not None:
        return
    already = _covered.get(ls.id, ())  # a deadlock the user then interrupted is not reported twice
    waiting = [(rec, task) for rec, task in stuck.waiting_tasks(ls) if rec.id not in already]
    if waiting:
        _emit("pending-at-exit", ls, stuck.stuck_chains(waiting),
              "task %(task)s still waited here on %(on)s when asyncio.run() ended, and nothing could ever have "
              "woken it (asyncio.run() cancelled it)", _left_at_shutdown)


def at_exit(exit_code):
    """Like the model's end-of-run lint: a killed, crashed or sys.exit(n) program was interrupted."""
    if exit_code in (0, None):
        state.findings.extend(_left_at_shutdown)
    del _left_at_shutdown[:]


def install():
    runners = asyncio.runners
    orig = getattr(runners, "_cancel_all_tasks", None)
    if orig is None:
        return

    def _cancel_all_tasks(loop):
        try:
            if guard.FAULTS:
                guard.fault("asyncio.run shutdown hook")
            at_shutdown(loop)
            storm.settle(loop)
        except Exception as e:
            guard.report("asyncio.run shutdown hook", e)
        return orig(loop)

    runners._cancel_all_tasks = _cancel_all_tasks
