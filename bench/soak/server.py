"""Soak server (traced): an aiohttp app whose handler awaits two small coroutines and a sleep(0).
Prints {"port"} when listening; on SIGTERM prints {"served"} and exits 0."""
import asyncio
import json
import signal

from aiohttp import web

served = 0


async def lookup(path):
    await asyncio.sleep(0)
    return len(path)


async def render(n):
    await asyncio.sleep(0)
    return "item %d\n" % n


async def handle(request):
    global served
    body = await render(await lookup(request.path))
    served += 1
    return web.Response(text=body)


async def main():
    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(json.dumps({"port": runner.addresses[0][1]}), flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    print(json.dumps({"served": served}), flush=True)
    await runner.cleanup()


asyncio.run(main())
