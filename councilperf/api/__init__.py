"""The read-only JSON API of published figures (``/api/v1/``); see docs/api.md."""
