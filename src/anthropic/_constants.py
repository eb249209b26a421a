"""Defaults shared by both clients."""

from __future__ import annotations

import httpx2

DEFAULT_BASE_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"

DEFAULT_TIMEOUT = httpx2.Timeout(timeout=600.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_CONNECTION_LIMITS = httpx2.Limits(max_connections=1000, max_keepalive_connections=100)

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0

RAW_RESPONSE_HEADER = "X-Stainless-Raw-Response"
"""The header of ``FinalRequestOptions`` asking ``client.request`` for the reply itself (``"raw"``, ``"stream"``);
never sent."""

HUMAN_PROMPT = "\n\nHuman:"
AI_PROMPT = "\n\nAssistant:"
