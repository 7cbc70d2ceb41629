"""create_task, then await in order: both tasks run concurrently; 'world' finishes first while main
is still parked at `await t1`."""
import asyncio


async def say_after(delay, what):
    await asyncio.sleep(delay)
    print(what)
    return what


async def main():
    t1 = asyncio.create_task(say_after(0.3, "hello"), name="say-hello")
    t2 = asyncio.create_task(say_after(0.2, "world"), name="say-world")
    await t1
    await t2


asyncio.run(main())
