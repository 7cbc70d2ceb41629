"""Executor work: three blocking jobs on a 2-worker thread pool (the third waits, queued, until a worker
is free) and one asyncio.to_thread call. Blocking inside a worker thread does not block the loop."""
import asyncio
import time
from concurrent.futures import ThreadPoolExecutor


def resize_image(n):
    time.sleep(0.2)  # blocking, but on a worker thread
    return f"image-{n} resized"


async def main():
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="pool") as pool:
        jobs = [loop.run_in_executor(pool, resize_image, n) for n in range(3)]
        print(await asyncio.gather(*jobs))
    print(await asyncio.to_thread(resize_image, 99))


asyncio.run(main())
