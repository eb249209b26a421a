"""The tool runner classes at the module path the official client gives them (defined in ``anthropic._async`` / ``_sync``)."""

from __future__ import annotations

from ..._async.tool_runner import BetaAsyncStreamingToolRunner, BetaAsyncToolRunner
from ..._sync.tool_runner import BetaStreamingToolRunner, BetaToolRunner

__all__ = ["BetaAsyncStreamingToolRunner", "BetaAsyncToolRunner", "BetaStreamingToolRunner", "BetaToolRunner"]
