"""Open-data endpoints of the JSON API (aggregates only, small cells suppressed)."""

from ninja import Router

router = Router(tags=["open data"])
