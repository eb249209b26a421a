"""``client.beta``."""

from .beta import AsyncBeta as AsyncBeta
from .beta import Beta as Beta

__all__ = ["AsyncBeta", "Beta"]
