"""The asynchronous shells, written once; :mod:`anthropic._sync` is generated from them.

Each module here is the source of its synchronous twin of the same name in
``anthropic._sync``, written by ``scripts/unasync.py`` (run ``./dev unasync``
after editing; ``tests/test_unasync.py`` fails while a twin is stale).  Write
async code with the names that script knows how to turn around: ``Async``
prefixes, ``await``, ``async for``/``with``, ``aiter_bytes``, ``aclose_response``,
``anyio.sleep``.
"""
