"""Certificate verification in the JSON API."""

from ninja import Router

router = Router(tags=["certificates"])
