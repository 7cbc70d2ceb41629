"""Forked children (a bare `os.fork()`, multiprocessing's fork start method) traced as processes of their own.

After a fork only the forking thread lives on in the child: the parent's writer and stall sampler threads are
gone, and any lock they held stays held forever. So the child touches none of the parent's agent objects that
have a lock: it forgets the parent's connection (its socket copy is closed, never written: the parent's
messages stay the parent's), empties the queues and tables the hooks fill (whatever was recorded belongs to
the parent, which sends it), makes fresh locks, and connects again with a hello of its own (its pid, the
parent's pid). The hooks installed in the parent stay installed. A forked child usually ends with `os._exit`
(multiprocessing always does), which runs no atexit hook: there the child flushes and says bye (with that
exit code) just before (exits.py). With `traceChildren: false` the child puts every hook back instead and runs untraced.
"""
import os
import threading

from . import guard, state

_registered = [False]


def install():
    if hasattr(os, "register_at_fork") and not _registered[0]:  # once: a re-attach installs the hooks again
        os.register_at_fork(after_in_child=_after_in_child)
        _registered[0] = True


def _after_in_child():
    try:
        if guard.FAULTS:
            guard.fault("reconnecting after fork")
        if not state.enabled:
            return
        from . import agent, children

        old = agent._channel[0]
        agent._channel[0] = None
        if old is not None:
            old.dead = True
            try:
                old.sock.close()  # the child's copy of the descriptor only: the parent's connection stays open
            except Exception:
                pass
        forget_recorded()
        agent.exit_code[0] = None
        if not children.trace_children() or not agent.reconnect():
            _untraced(agent)
            return
    except BaseException as e:  # never into the program's fork
        state.enabled = False
        # No channel in this child: stderr is the one place left to say it.
        guard.say_once("the agent of forked child %d did not reconnect (%s: %s); the child runs untraced"
                       % (os.getpid(), type(e).__name__, e))


def _untraced(agent):
    """The child runs without the agent: hooks put back, nothing recorded kept (none of the parent's locks)."""
    state.enabled = False
    from . import attach, stall_sampler

    stall_sampler._stop = threading.Event()  # the parent's: its sampler thread may have held its lock
    if agent.restore:
        attach.unhook(agent.restore[0])


def forget_recorded():
    """Empties what the hooks recorded (a forked child's parent sends it; a detach drops it), with fresh locks."""
    from . import combinators, cycles, deadlock, heartbeat, sites, snapshot, stall_sampler, storm, stuck

    combinators.forget()

    for table in (state.records, state.recently_dead, state.loops, state.handoff, state.xthread, state.links,
                  cycles._parked, cycles._edges, deadlock._suspects, deadlock._reported, deadlock._covered,
                  heartbeat._beats, stall_sampler._sampled, stall_sampler._storm_seen, stuck.ls_blocked,
                  sites._ids, storm._origins, storm._info):
        table.clear()
    for queue in (state.new, state.dirty, state.findings, state.child_exits, sites.unsent, snapshot.carry, storm.pending, storm._held,
                  storm._held_oids):
        queue.clear()
    del state.gone_loops[:]
    del deadlock._left_at_shutdown[:]
    del guard.pending_errors[:]
    guard._seen.clear()
    storm._carry[0] = {}
    storm.created[0] = 0
    storm._lock = threading.Lock()
    snapshot._last_used[:] = [0, False]
