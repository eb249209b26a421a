"""``ParsedBetaMessage`` and friends under the module path the official client uses."""

from ._parsed import ParsedBetaContentBlock, ParsedBetaMessage, ParsedBetaTextBlock, ResponseFormatT

__all__ = ["ResponseFormatT", "ParsedBetaTextBlock", "ParsedBetaContentBlock", "ParsedBetaMessage"]
