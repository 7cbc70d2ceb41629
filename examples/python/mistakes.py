"""Three common asyncio mistakes: a coroutine called without await (it never runs), a blocking
time.sleep inside a coroutine (the whole loop stalls), and a fire-and-forget task whose exception
nobody retrieves."""
import asyncio
import time


async def add3(x):
    return x + 3


async def fails():
    raise ValueError("nobody will see this")


async def main():
    result = add3(2)  # missing await: a coroutine object, never run
    print("result is", type(result).__name__)

    time.sleep(0.3)  # blocks the event loop: use await asyncio.sleep(0.3)

    asyncio.get_running_loop().create_task(fails())  # fire and forget
    await asyncio.sleep(0.1)


asyncio.run(main())
