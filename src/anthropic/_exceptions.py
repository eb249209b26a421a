"""Import path kept for code written against ``anthropic._exceptions``."""

from ._errors import *  # noqa: F403
from ._errors import __all__ as __all__
