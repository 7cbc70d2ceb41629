"""Shared mutable state of the agent: the clock, the records of tracked things, loops, and the queues the
hooks fill on program threads and the writer drains at flush time.

Hooks only touch records and append to deques (thread-safe, no locks in the hot path); turning records
into protocol events happens later, on the writer thread (see snapshot.py).
"""
import collections
import itertools
import time

perf = time.perf_counter
T0 = perf()  # agent start; protocol times are ms since then
START_EPOCH_MS = time.time() * 1000.0

config = {"blockThresholdMs": 100, "flushMs": 50}
enabled = False
exiting = False  # the atexit hook is running

next_id = itertools.count(1).__next__

# id(task) -> Record, for tasks not yet ended (destroyed pending ones stay until the id is reused).
records = {}
# id(task) -> Record of tasks that failed recently (for "exception never retrieved" reports)
recently_dead = {}
# id(loop) -> LoopState
loops = {}
gone_loops = []  # loops collected before they were announced
# Records created since the last flush, and records that changed since (both drained by snapshot).
new = collections.deque()
dirty = collections.deque()
# Ready-made finding events (dict, record or None), from any thread.
findings = collections.deque()
child_exits = collections.deque()  # `exited` events of child processes (child_exits.py)
# id(coro) -> (code, line, parent id) handed over by run_coroutine_threadsafe to the loop thread.
handoff = {}
# id(submitted callback) -> record for call_soon_threadsafe callbacks submitted by user code.
xthread = {}
# Futures standing for other records (executor jobs, shield's outer future): future -> [record].
import weakref  # noqa: E402

links = weakref.WeakKeyDictionary()


def ms(t):
    """perf_counter value -> protocol time (ms since the agent started, 3 decimals)."""
    return round((t - T0) * 1000.0, 3)


class Record(object):
    """One tracked thing: an asyncio task, an executor job or a cross-thread callback.

    Only the fields known at creation are set per instance; everything else starts as a class-level
    default. One small object per task (no weakref, no bound method) keeps the garbage collector's extra
    work low: GC passes over many extra objects were the largest cost in task storms.
    """

    # set later (class defaults until then)
    task = None  # the task, held until it ends or its loop closes (then the loop may destroy it)
    key = 0  # id() of the task
    name = None  # explicit name (executor jobs), or the task's name captured when it ended
    site = None
    first = 0.0  # first time running
    last = 0.0  # end of the latest step
    ended = 0.0
    end_state = None  # done / failed / cancelled / destroyed
    error = None  # exception object of a failed record (dropped after publication)
    result = None  # a done task's result (formatted and dropped at publication)
    run = 0.0  # seconds spent running
    dirty = False
    published = False
    rolled = False
    force = False  # publish even when over the per-flush cap
    sent_started = False
    sent_live = None
    sent_await = None
    sent_name = None
    sent_end = False
    thread = None  # worker thread/process name (executor jobs)
    slices = None  # [(start, dur)] of steps long enough to draw on a timeline
    by = None  # who cancelled it: a cancels.Canceller, else the record whose step ran just before
    seen_await = None  # deque of (ids, site, t) it awaited when a child ended (tasks.note_parent_await)
    noted_waiter = 0  # id of the future it was parked on when a child's end last noted its await
    parent_rec = None  # the record of the task that created it
    inputs_on = None  # a combinator's (combinators.py): the ids of its inputs
    input_recs = None  # a combinator's: the records of its inputs that are tasks, until it is published
    key_ref = None  # a combinator's: weak reference to the future its awaiting task is parked on
    seen_waiter = 0  # id of the future it was parked on when last looked at (loops without the step hook)
    rel_t = -1e9  # when its relations were last computed (snapshot throttles busy tasks)
    attach = None  # a task found at attach: what its site is ("creation", "definition" or "unknown")

    def __init__(self, kind, fn, code, line, parent, loop, created):
        self.id = next_id()
        self.kind = kind
        self.fn = fn  # coroutine / callable qualname
        self.code = code  # creation site, interned at publication
        self.line = line
        self.parent = parent  # parent record id or None
        self.loop = loop  # LoopState or None
        self.created = created

    def touch(self):
        if not self.dirty:
            self.dirty = True
            dirty.append(self)


def forget_task(rec):
    """The task ended: stop finding it by id (failed ones stay findable for 'exception never retrieved')."""
    if records.get(rec.key) is rec:
        del records[rec.key]
    if rec.end_state == "failed":
        recently_dead[rec.key] = rec
        if len(recently_dead) > 256:
            recently_dead.pop(next(iter(recently_dead)), None)


class LoopState(object):
    """What the agent knows about one event loop (read by the stall sampler from another thread)."""

    __slots__ = ("id", "name", "thread", "thread_ident", "step_start", "current", "prev", "stall", "announced",
                 "created", "ref")

    def __init__(self, loop, thread_name, thread_ident):
        self.id = next_id()
        self.name = "%s #%d" % (type(loop).__name__, len(loops) + 1)
        self.thread = thread_name
        self.thread_ident = thread_ident
        self.step_start = 0.0  # perf_counter at the start of the running step, 0 when idle
        self.current = None  # record of the running task/callback
        self.prev = None  # record of the previous step (who probably cancelled the next one)
        self.stall = None  # (sites, record) sampled by the stall sampler during a long step
        self.announced = False
        self.created = perf()
        key = id(loop)

        def forget(_ref):  # a later loop may get the same id()
            if loops.get(key) is self:
                del loops[key]
                if not self.announced:
                    gone_loops.append(self)

        self.ref = weakref.ref(loop, forget)
