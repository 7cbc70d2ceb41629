"""Async Inspector's entry for programs a runtime debugger (debugpy) starts: no interpreter flag needed.

The extension puts this folder first on PYTHONPATH of a debug launch marked `"asyncInspector": true`, with
ASYNC_INSPECTOR_SESSION / _CHANNEL / _TOKEN in its environment. Python's `site` imports `sitecustomize` at
start-up, before debugpy and the program: this one starts the agent (in that process only: the variables
are taken out of the environment) and then runs the next `sitecustomize` on sys.path, the user's or the
environment's, exactly as Python would have without us.

A traced program puts this folder on its own PYTHONPATH too (async_inspector/children.py), without the session
variable: then every Python child it starts (multiprocessing spawn / forkserver, subprocess) starts the agent
here as a process of its own. Its errors behave as they would have (site prints
"Error in sitecustomize"); the agent's never surface.

`python -I`, `-E` (PYTHONPATH ignored) and `-S` (no site) never get here: the agent stays absent, the
program and the debugger are untouched, and the extension says so (no hello from the session's program).
"""


def _start_agent():
    try:
        import os
        import sys

        if not os.environ.get("ASYNC_INSPECTOR_CHANNEL") or sys.version_info < (3, 9):
            return
        parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        # dist/python-site -> dist/python; in the source tree src/agents/python/site -> src/agents/python
        agent_dir = next((d for d in (os.path.join(parent, "python"), parent)
                          if os.path.isdir(os.path.join(d, "async_inspector"))), None)
        if agent_dir is None:
            return
        if agent_dir not in sys.path:
            sys.path.append(agent_dir)  # after the program's own paths: only `async_inspector` lives there
        from async_inspector import agent

        if os.environ.get("ASYNC_INSPECTOR_SESSION"):
            agent.start_for_session()
        else:
            agent.start_child()
    except BaseException:  # never into the program's start-up
        pass


def _chain():
    """Runs the next `sitecustomize` on sys.path (skipping this folder) under that name, as Python would have."""
    import importlib.machinery
    import importlib.util
    import os
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


_start_agent()
del _start_agent
_chain()
