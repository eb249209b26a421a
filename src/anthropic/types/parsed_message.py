"""``ParsedMessage`` and friends under the module path the official client uses."""

from ._parsed import ParsedContentBlock, ParsedMessage, ParsedTextBlock, ResponseFormatT

__all__ = ["ResponseFormatT", "ParsedTextBlock", "ParsedContentBlock", "ParsedMessage"]
