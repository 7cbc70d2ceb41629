"""The private channel to the inspector: NDJSON over a Unix socket or TCP loopback.

A daemon writer thread flushes batches every flushMs; the atexit hook stops it, flushes the rest and
sends `bye`, so nothing recorded before exit is lost. No thread ever blocks on the socket: bytes the inspector
has not read yet wait in `out` (sent without waiting, MSG_DONTWAIT); past MAX_BACKLOG of them (an inspector
that stopped reading) a batch is dropped and its events counted, sent as a later batch's `dropped`. At exit
the rest gets at most EXIT_DRAIN_S to go. Under debugpy the writer keeps running
while the program is paused (threads.py) and ends the complete batch it sends at each stop with a `paused`
event (debugger.py).
"""
import json
import select
import socket
import threading
import time

from . import debugger, guard, protocol, snapshot, state
from .threads import start_agent_thread

_dumps = json.JSONEncoder(separators=(",", ":"), default=str).encode


def _line(message):
    line = _dumps(message) + "\n"
    return guard.faulty("encoder", line, lambda: '{"type":"batch","seq":\x00garbage\n') if guard.FAULTS else line


MAX_EVENTS_PER_BATCH = 50000
MAX_BACKLOG = 2 << 20  # bytes sent but not taken by the inspector yet (a few seconds of a busy program), past which batches are dropped
EXIT_DRAIN_S = 1.0  # how long the exit waits for an inspector that does not read
IDLE_BACKOFF = 4  # flushes that sent nothing stretch the writer's wait up to this many flushMs (no debugger)
_DONTWAIT = getattr(socket, "MSG_DONTWAIT", None)  # not on Windows: there sends block (the writer thread's only)


class Channel(object):
    def __init__(self, spec):
        kind, _, rest = spec.partition(":")
        if kind == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(rest)
        elif kind == "tcp":
            host, _, port = rest.rpartition(":")
            sock = socket.create_connection((host, int(port)))
        else:
            raise ValueError("unknown channel %r" % spec)
        self.sock = sock
        self.dead = False
        self.seq = 0
        self.dropped = 0
        self.out = bytearray()  # encoded messages the socket did not take yet
        self.out_lock = threading.Lock()  # held only around non-blocking sends
        self.flush_lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = None
        self.pauses = debugger.PauseWatch()

    def send(self, messages, droppable=False):
        """Queues the messages and sends what the socket takes now, never waiting. `droppable` (a batch): refused,
        False returned, while the inspector has MAX_BACKLOG bytes it has not read."""
        if self.dead or not messages:
            return not self.dead
        try:  # never raises: it runs in the program's threads (hello, atexit) as well as the writer's
            if guard.FAULTS:
                guard.fault("sender")
            data = "".join(_line(m) for m in messages).encode("utf-8")
        except Exception as e:  # the channel itself fails: the failure cannot go on it
            guard.cannot_send(e)
            return False
        with self.out_lock:
            if droppable and len(self.out) > MAX_BACKLOG:
                return False
            self.out += data
            self._push()
        return True

    def _push(self):
        """Sends from `out` what the socket takes without blocking (under out_lock)."""
        out = self.out
        while out and not self.dead:
            try:
                n = self.sock.send(out, _DONTWAIT) if _DONTWAIT is not None else self.sock.send(out)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                self.dead = True  # the inspector went away: keep the program running, stop sending
                del out[:]
                return
            del out[:n]

    def drain(self, timeout):
        """Waits (at most `timeout` s) until `out` has all gone out; True when it has."""
        deadline = time.time() + timeout
        while True:
            with self.out_lock:
                self._push()
                if not self.out or self.dead:
                    return not self.dead
            left = deadline - time.time()
            if left <= 0:
                return False
            _wait_writable(self.sock, left)

    def flush(self, final=False, complete=False, then=None):
        """Build one batch from everything recorded since the last flush and send it. `then()` gives an event
        that goes last in that batch (a `paused` names tasks the events before it created)."""
        with self.flush_lock:
            try:
                if guard.FAULTS:
                    guard.fault("flush")
                events = snapshot.build(final, complete)
                if then is not None:
                    events.append(then())
            except Exception as e:
                guard.report("flush", e)
                events = []
            msgs = guard.take_errors()
            if len(events) > MAX_EVENTS_PER_BATCH:
                self.dropped += len(events) - MAX_EVENTS_PER_BATCH
                events = events[:MAX_EVENTS_PER_BATCH]
            if msgs:
                self.send(msgs)  # agent errors: small and rare, never dropped
            sent = bool(msgs or events or self.dropped)
            if events or self.dropped:
                self.seq += 1
                wire = [protocol.to_wire(ev) for ev in events]
                batch = {"type": "batch", "seq": self.seq, "dropped": self.dropped, "events": wire}
                if self.send([batch], droppable=not final):
                    self.dropped = 0
                else:  # the inspector is not reading: count them, for the next batch that goes
                    self.seq -= 1
                    self.dropped += len(wire)
            return sent

    def tick(self):
        """The writer's periodic work. When the debugger has just stopped the program (the writer is not
        suspended with it), the flush is complete and ends with a `paused` event naming the paused task."""
        try:
            if guard.FAULTS:
                guard.fault("watching the debugger")
            stop = self.pauses.poll()
        except Exception as e:
            guard.report("watching the debugger", e)
            stop = None
        if stop is None:
            return self.flush()
        elif "paused" in protocol.EVENT_FIELDS:
            return self.flush(complete=True, then=lambda: debugger.pause_event(stop, state.ms(state.perf())))
        return self.flush(complete=True)

    def start_writer(self):
        interval = max(0.005, float(state.config.get("flushMs", 50)) / 1000.0)

        def run():
            wait = interval
            while not self.stop.is_set():
                if self.out:  # the inspector is behind: send more as soon as it reads, until the next tick
                    self.drain(interval)
                elif self.stop.wait(wait):
                    break
                sent = True
                try:
                    if guard.FAULTS:
                        guard.fault("writer thread")
                    sent = self.tick()
                except Exception as e:  # the thread goes on (an uncaught error would print on stderr)
                    guard.report("writer thread", e)
                    self.send(guard.take_errors())  # now: a program stopped by a signal never flushes at exit
                # an idle program: wake less often (the first news after a quiet spell waits at most
                # IDLE_BACKOFF flushMs); under a debugger a stop is always flushed within flushMs
                idle = not sent and not debugger.active()
                wait = min(wait * 2, interval * IDLE_BACKOFF) if idle else interval

        # may fail under load ("can't start new thread"): then only the exit flush sends
        thread = start_agent_thread(run, "async-inspector-writer")
        self.thread = thread  # set once started: close() must never join a thread that did not start

    def close(self, exit_code):
        """atexit: stop the writer, flush what is left, say bye."""
        self.stop.set()
        if self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join(2.0)
        self.flush(final=True)
        bye = {"type": "bye", "t": state.ms(state.perf())}
        if exit_code is not None:
            bye["exitCode"] = exit_code
        self.send([bye])
        self.drain(EXIT_DRAIN_S)
        try:
            self.sock.close()
        except OSError:
            pass


def _wait_writable(sock, timeout):
    """Waits until the socket can take more (poll: its descriptor may be past select's 1024)."""
    try:
        if hasattr(select, "poll"):
            p = select.poll()
            p.register(sock.fileno(), select.POLLOUT)
            p.poll(max(1, int(timeout * 1000)))
        else:
            select.select([], [sock], [], timeout)
    except (OSError, ValueError):
        time.sleep(min(timeout, 0.01))
