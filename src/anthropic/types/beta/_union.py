"""The fallbacks of the beta unions (hand-written): what beta objects of unknown types validate as.

They subclass the plain ``Unknown*`` models of :mod:`anthropic.types._union`, so
``isinstance(block, UnknownContentBlock)`` holds in both flavours; they live here
so that the plain types do not pay for them.
"""

from .._union import UnknownContentBlock, UnknownDelta, UnknownStreamEvent

__all__ = ["BetaUnknownContentBlock", "BetaUnknownDelta", "BetaUnknownStreamEvent"]


class BetaUnknownContentBlock(UnknownContentBlock):
    """A beta content block of a type this version of the library does not know."""


class BetaUnknownDelta(UnknownDelta):
    """A beta content-block delta of a type this version of the library does not know."""


class BetaUnknownStreamEvent(UnknownStreamEvent):
    """A beta stream event of a type this version of the library does not know."""
