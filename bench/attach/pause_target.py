"""Bench target for `bench/attach/pause.sh`: N pending tasks (default 10000) and a ticker that sleeps 1 ms in a
loop and records the longest gap between two ticks; on SIGUSR2 it prints that gap (ms) and resets it."""
import asyncio
import os
import signal
import sys
import time

N = int(os.environ.get("TASKS", "10000"))


async def parked(gate):
    await gate.wait()


async def main():
    gate = asyncio.Event()
    keep = [asyncio.ensure_future(parked(gate)) for _ in range(N)]
    worst = [0.0]
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGUSR2, lambda: (print("MAXGAP %.1f" % worst[0], flush=True), worst.__setitem__(0, 0.0)))
    print("READY", flush=True)
    last = time.perf_counter()
    while True:
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        worst[0] = max(worst[0], (now - last) * 1000.0)
        last = now
    del keep


asyncio.run(main())
