"""Workload: 100,000 create_task each doing `await sleep(0)`, then gather.
Prints the elapsed wall seconds and the process CPU seconds of that part."""
import asyncio
import time

N = 100_000


async def tick():
    await asyncio.sleep(0)


async def main():
    await asyncio.gather(*[asyncio.create_task(tick()) for _ in range(N)])


t0, c0 = time.perf_counter(), time.process_time()
asyncio.run(main())
print("%.4f %.4f" % (time.perf_counter() - t0, time.process_time() - c0))
