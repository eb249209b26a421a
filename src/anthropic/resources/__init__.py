"""The API's resources: ``client.messages`` and ``client.beta``.

Each resource is defined once per colour (in ``anthropic._async``, with the
sync twin generated into ``anthropic._sync``); the modules here give them the
import paths users know.
"""
