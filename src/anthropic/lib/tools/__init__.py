"""Tools the model can call and the loop that runs them: ``@beta_tool``, ``@beta_async_tool`` and the tool runners.

Names load on first use (see :mod:`anthropic._lazy`): importing this package
costs nothing until a name is touched.  The runners are what
``client.beta.messages.tool_runner(...)`` returns; the async ones are written
in :mod:`anthropic._async.tool_runner`, the sync ones generated from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_names

if TYPE_CHECKING:
    from ..._async.tool_runner import BetaAsyncStreamingToolRunner as BetaAsyncStreamingToolRunner
    from ..._async.tool_runner import BetaAsyncToolRunner as BetaAsyncToolRunner
    from ..._sync.tool_runner import BetaStreamingToolRunner as BetaStreamingToolRunner
    from ..._sync.tool_runner import BetaToolRunner as BetaToolRunner
    from ._beta_functions import BetaAsyncBuiltinFunctionTool as BetaAsyncBuiltinFunctionTool
    from ._beta_functions import BetaAsyncFunctionTool as BetaAsyncFunctionTool
    from ._beta_functions import BetaBuiltinFunctionTool as BetaBuiltinFunctionTool
    from ._beta_functions import BetaFunctionTool as BetaFunctionTool
    from ._beta_functions import BetaFunctionToolResultType as BetaFunctionToolResultType
    from ._beta_functions import ToolError as ToolError
    from ._beta_functions import beta_async_tool as beta_async_tool
    from ._beta_functions import beta_tool as beta_tool
    from ._tool_params import BetaToolLike as BetaToolLike

_WHERE: dict[str, str] = {
    "beta_tool": "._beta_functions",
    "beta_async_tool": "._beta_functions",
    "BetaFunctionTool": "._beta_functions",
    "BetaAsyncFunctionTool": "._beta_functions",
    "BetaBuiltinFunctionTool": "._beta_functions",
    "BetaAsyncBuiltinFunctionTool": "._beta_functions",
    "BetaFunctionToolResultType": "._beta_functions",
    "ToolError": "._beta_functions",
    "BetaToolRunner": "..._sync.tool_runner",
    "BetaStreamingToolRunner": "..._sync.tool_runner",
    "BetaAsyncToolRunner": "..._async.tool_runner",
    "BetaAsyncStreamingToolRunner": "..._async.tool_runner",
    "BetaToolLike": "._tool_params",
}

__all__ = list(_WHERE)

__getattr__, __dir__ = lazy_names(__name__, _WHERE)
