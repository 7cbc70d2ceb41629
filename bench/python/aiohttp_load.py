"""Load generator: REQUESTS GETs with CONCURRENCY in flight against the port given; prints requests/s."""
import asyncio
import sys
import time

import aiohttp


async def main(port, requests, concurrency):
    url = "http://127.0.0.1:%d/bench" % port
    left = [requests]

    async def worker(session):
        while left[0] > 0:
            left[0] -= 1
            async with session.get(url) as resp:
                await resp.read()

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        await asyncio.gather(*(worker(session) for _ in range(10)))  # warm-up connections
        left[0] = requests
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        print("%.1f" % (requests / (time.perf_counter() - t0)))


asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])))
