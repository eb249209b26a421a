"""The synchronous shells: generated from :mod:`anthropic._async` by ``scripts/unasync.py``; do not edit."""
