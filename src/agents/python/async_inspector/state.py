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

next_id = itertools.count(1).__next__

# id(task) -> TaskRecord, for tasks that are alive (removed by the weakref callback when a task dies).
records = {}
# id(task) -> Record of pending/failed tasks that just died (for "destroyed pending" reports)
recently_dead = {}
# id(loop) -> LoopState
loops = {}
# Records created since the last flush, and records that changed since (both drained by snapshot).
new = collections.deque()
dirty = collections.deque()
# Ready-made finding events (dict, record or None), from any thread.
findings = collections.deque()
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
    """One tracked thing: an asyncio task, an executor job or a cross-thread callback."""

    __slots__ = (
        "id", "kind", "ref", "fn", "name", "code", "line", "site", "parent", "loop", "created", "first",
        "last", "ended", "end_state", "error", "run", "dirty", "published", "rolled", "force",
        "sent_started", "sent_live", "sent_await", "sent_name", "sent_end", "thread", "result", "key", "slices", "by",
    )

    def __init__(self, kind, fn, code, line, parent, loop, created):
        self.id = next_id()
        self.kind = kind
        self.ref = None  # weakref to the task (tasks only)
        self.key = 0  # id() of the task while it lives
        self.fn = fn  # coroutine / callable qualname
        self.name = None  # explicit name (executor jobs); tasks read theirs lazily
        self.code = code  # creation site, interned at publication
        self.line = line
        self.site = None
        self.parent = parent  # parent record id or None
        self.loop = loop  # LoopState or None
        self.created = created
        self.first = 0.0  # first time running
        self.last = 0.0  # end of the latest step
        self.ended = 0.0
        self.end_state = None
        self.error = None  # exception object of a failed record (dropped after publication)
        self.run = 0.0  # seconds spent running
        self.dirty = False
        self.published = False
        self.rolled = False
        self.force = False  # publish even when over the per-flush cap
        self.sent_started = False
        self.sent_live = None
        self.sent_await = None
        self.sent_name = None
        self.sent_end = False
        self.thread = None  # worker thread/process name (executor jobs)
        self.result = None
        self.by = None  # the record whose step ran just before this one was cancelled
        self.slices = None  # [(start, dur)] of steps long enough to draw on a timeline

    def touch(self):
        if not self.dirty:
            self.dirty = True
            dirty.append(self)

    def task_died(self, _ref):
        """Weakref callback: the task object is gone (finished and released, or destroyed pending)."""
        records.pop(self.key, None)
        if self.end_state in (None, "failed"):
            # The loop's exception handler may still ask about it (gc clears weakrefs before finalizers).
            recently_dead[self.key] = self
            if len(recently_dead) > 256:
                recently_dead.pop(next(iter(recently_dead)))
        if not self.ended:
            self.ended = perf()
            self.end_state = "destroyed"
        self.touch()


class LoopState(object):
    """What the agent knows about one event loop (read by the watchdog from another thread)."""

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
        self.stall = None  # (sites, record) sampled by the watchdog during a long step
        self.announced = False
        self.created = perf()
        key = id(loop)

        def forget(_ref):  # a later loop may get the same id()
            if loops.get(key) is self:
                del loops[key]

        self.ref = weakref.ref(loop, forget)
