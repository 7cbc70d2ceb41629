"""Benchmark server: a small aiohttp app on 127.0.0.1; prints its port, serves until stdin closes."""
import asyncio
import sys

from aiohttp import web


async def hello(request):
    await asyncio.sleep(0)
    return web.Response(text="hello " + request.match_info.get("name", "world"))


async def main():
    app = web.Application()
    app.router.add_get("/{name}", hello)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(runner.addresses[0][1], flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # until the bench closes stdin
    await runner.cleanup()


asyncio.run(main())
