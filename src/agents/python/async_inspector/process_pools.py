"""Process-pool jobs of `loop.run_in_executor(ProcessPoolExecutor, ...)`, on both sides of the pool.

The worker runs a picklable job (`_ProcessJob`) that reports its start, end and process name back with the result;
in a traced worker (children.py) it is also an item of the worker's own, running while it runs.

The submitting process's item follows the job: queued while it waits, running once a worker has taken it, then
done / failed / cancelled as its future completes. A worker takes jobs from the pool's call queue (a
multiprocessing queue the pool's manager thread fills, in order, from its pending work items): the agent numbers
the jobs put on it (the queue's `put`, wrapped on that pool's queue object) and, at each flush, counts how many were
taken (those put minus those still there, `qsize`), so a job is running from the flush after a worker took it. Where
`qsize` is not implemented (macOS), from when the pool put it on the call queue (its future running). Cancelling
the program's future cancels the job while it still waits, as without the agent.
"""
import concurrent.futures
import multiprocessing
import os
import threading

from . import guard, state
from .state import Record, perf

_pools = {}  # id(call queue) -> _Pool, for the pools with jobs not yet taken
_lock = threading.Lock()
_MARK = "_async_inspector_pool"  # the _Pool, on its call queue: a pool used again goes on counting


class _ProcessJob(object):
    """Runs in the worker process; returns (result, start, end, process name). Must stay picklable."""

    def __init__(self, func):
        self.func = func

    def __call__(self, *args):
        start = perf()
        name = "%s (pid %d)" % (multiprocessing.current_process().name, os.getpid())
        func = self.func
        if state.enabled:
            try:
                if guard.FAULTS:
                    guard.fault("process pool job in its worker")
                from . import executors

                rec = Record("executor", None, None, None, None, None, start)
                rec.name = executors._callable_name(func)
                state.new.append(rec)
                func = executors._ThreadJob(rec, func)
            except Exception as e:
                guard.report("process pool job in its worker", e)
        result = func(*args)
        return result, start, perf(), name


class _Pool(object):
    """A pool's call queue: how many items were put on it, and which of its jobs wait for a worker."""

    def __init__(self, queue):
        self.queue = queue
        self.put = queue.qsize()  # items already there when the agent first saw the pool come first
        self.waiting = {}  # the _ProcessJob -> its record, until put
        self.put_at = []  # (number of the put, record), in order, until taken
        real = queue.put

        def put(obj, *args, **kwargs):
            rec = self.waiting.pop(getattr(obj, "fn", None), None)
            number = self.put
            real(obj, *args, **kwargs)
            self.put = number + 1
            if rec is not None:
                self.put_at.append((number, rec))

        queue.put = put

    def refresh(self, now):
        while self.put_at and self.put_at[0][1].ended:  # ended meanwhile (a broken pool): not read again
            self.put_at.pop(0)
        if not self.put_at:
            return
        try:
            taken = self.put - self.queue.qsize()
        except NotImplementedError:
            taken = self.put
        while self.put_at and self.put_at[0][0] < taken:
            _running(self.put_at.pop(0)[1], now)


def submit(executor, rec, func, args):
    """Submits the job; returns the concurrent future the program's asyncio future wraps."""
    job = _ProcessJob(func)
    pool = guard.attempt("process pool job queued", lambda: _watch(executor, job, rec))
    source = executor.submit(job, *args)
    target = concurrent.futures.Future()  # pending, as the pool's own: the program's cancel() reaches the job
    target.add_done_callback(lambda t: t.cancelled() and source.cancel())
    source.add_done_callback(lambda s: _finish(rec, s, target, pool, job))
    return target


def _watch(executor, job, rec):
    queue = getattr(executor, "_call_queue", None)
    if queue is None:
        return None
    with _lock:
        pool = getattr(queue, _MARK, None)
        if pool is None:
            pool = _Pool(queue)
            setattr(queue, _MARK, pool)
        pool.waiting[job] = rec
        _pools[id(queue)] = pool
    return pool


def refresh(now):
    """At each flush: the jobs a worker has taken since the last one are running."""
    for key, pool in list(_pools.items()):
        guard.attempt("process pool job taken", lambda: pool.refresh(now))
        with _lock:
            if not (pool.waiting or pool.put_at):
                _pools.pop(key, None)


def _running(rec, now):
    if not rec.first and not rec.ended:
        rec.first = now
        rec.touch()


def _finish(rec, source, target, pool, job):
    """Unwrap the job's answer into the future the program awaits. The agent's bookkeeping may fail (reported);
    the program's future is settled whatever it did."""
    try:
        if guard.FAULTS:
            guard.fault("process pool job")
        if pool is not None:
            pool.waiting.pop(job, None)  # cancelled before it was put; one put is taken in turn (refresh)
        if source.cancelled():
            rec.end_state = "cancelled"
        elif source.exception() is not None:
            rec.end_state = "failed"
        else:
            _result, start, _end, name = source.result()
            rec.first, rec.thread = rec.first or start, name
            rec.sent_started = False  # running again, now with the worker that ran it (unknown when it was taken)
            rec.end_state = "done"
        rec.ended = perf()
        rec.touch()
    except Exception as e:
        guard.report("process pool job", e)
    if target.cancelled():
        return
    if source.cancelled():
        target.cancel()
    elif source.exception() is not None:
        target.set_exception(source.exception())
    else:
        target.set_result(source.result()[0])
