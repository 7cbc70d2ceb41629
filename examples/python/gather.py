"""Sequential awaits vs asyncio.gather: the same two coroutines take 0.4 s one after the other and
0.3 s overlapped. The task tree shows gather's children; the trace shows serial vs overlapping bars."""
import asyncio
import time


async def testa(delay):
    await asyncio.sleep(delay)
    return f"a slept {delay}s"


async def testb(delay):
    await asyncio.sleep(delay)
    return f"b slept {delay}s"


async def main():
    start = time.perf_counter()
    await testa(0.3)
    await testb(0.1)
    print(f"sequential: {time.perf_counter() - start:.2f}s")

    start = time.perf_counter()
    results = await asyncio.gather(testa(0.3), testb(0.1))
    print(f"gather: {results} in {time.perf_counter() - start:.2f}s")


asyncio.run(main())
