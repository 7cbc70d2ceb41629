"""Async Inspector's Python agent (stdlib only, CPython 3.9+).

Importing the package has no side effects (multiprocessing children import it to unpickle executor
jobs); tracing starts only through `python -m async_inspector`.
"""
from .protocol import AGENT_VERSION as __version__  # noqa: F401
