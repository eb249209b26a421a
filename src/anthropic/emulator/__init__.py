"""A local emulator of the Anthropic Messages API, for tests and offline use.

    from anthropic.emulator import Emulator, Reply, Fault

    with Emulator() as emu:
        client = Anthropic(base_url=emu.base_url, api_key="test")
        emu.enqueue(Reply.text("Hello there"))
        ...

Also available as a command: ``anthropic emulator [--host HOST] [--port PORT]``.
See docs/emulator.md for the reply rule, scripted replies and faults.
"""

from ._faults import Fault
from ._replies import ErrorReply, JSONReply, MessageReply, RecordedRequest, Reply, SSEReply
from ._server import Emulator

__all__ = [
    "Emulator",
    "ErrorReply",
    "Fault",
    "JSONReply",
    "MessageReply",
    "RecordedRequest",
    "Reply",
    "SSEReply",
]
