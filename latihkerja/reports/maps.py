"""Server-side SVG choropleth of kecamatan and kelurahan, drawn from the shipped GeoJSON (no map tiles).

The GeoJSON is projected once per process (equirectangular, x scaled by cos(latitude), which is exact enough
over a city) into SVG path strings and cached; each request only picks a colour per region."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

DATA_DIR = Path(__file__).resolve().parents[1] / "regions" / "data"
WIDTH = 600.0
PALETTE = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
EMPTY = "#f1f3f5"


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


@lru_cache(maxsize=4)
def projected(level: str) -> tuple[tuple[tuple[str, str, str], ...], float]:
    """((code, name, svg path), ...) and the drawing's height for `level` ("kecamatan" or "kelurahan")."""
    features = json.loads((DATA_DIR / f"{level}.geojson").read_text(encoding="utf-8"))["features"]
    points = [pt for f in features for ring in _rings(f["geometry"]) for pt in ring]
    min_lon = min(p[0] for p in points)
    max_lon = max(p[0] for p in points)
    min_lat = min(p[1] for p in points)
    max_lat = max(p[1] for p in points)
    x_factor = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = WIDTH / ((max_lon - min_lon) * x_factor)
    height = (max_lat - min_lat) * scale
    shapes = []
    for feature in features:
        parts = []
        for ring in _rings(feature["geometry"]):
            coords = " L".join(
                f"{(lon - min_lon) * x_factor * scale:.1f},{(max_lat - lat) * scale:.1f}"
                for lon, lat, *_ in ring
            )
            parts.append(f"M{coords}Z")
        props = feature["properties"]
        shapes.append((str(props["kode"]), str(props["nama"]), "".join(parts)))
    return tuple(shapes), round(height, 1)


def classes(values: dict[str, int]) -> list[int]:
    """Upper bounds of five equal-interval classes over the positive values."""
    top = max(values.values(), default=0)
    if top <= 0:
        return []
    step = max(1, math.ceil(top / len(PALETTE)))
    return [step * (i + 1) for i in range(len(PALETTE))]


def colour(value: int, bounds: list[int]) -> str:
    if value <= 0 or not bounds:
        return EMPTY
    for bound, fill in zip(bounds, PALETTE, strict=True):
        if value <= bound:
            return fill
    return PALETTE[-1]


def choropleth(level: str, values: dict[str, int], title: str) -> SafeString:
    shapes, height = projected(level)
    bounds = classes(values)
    paths = "".join(
        format_html(
            '<path d="{}" fill="{}" data-code="{}"><title>{}: {}</title></path>',
            path,
            colour(values.get(code, 0), bounds),
            code,
            name,
            values.get(code, 0),
        )
        for code, name, path in shapes
    )
    svg = (
        f'<svg class="lk-map" viewBox="0 0 {WIDTH:.0f} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><g stroke="#ffffff" stroke-width="0.8">{paths}</g></svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every interpolated value is escaped by format_html/escape above


def legend(values: dict[str, int]) -> list[dict[str, Any]]:
    bounds = classes(values)
    items = [{"fill": EMPTY, "label": "0"}]
    if not bounds:  # nothing to shade yet (a period before registration): the legend is just "0"
        return items
    low = 1
    for bound, fill in zip(bounds, PALETTE, strict=True):
        items.append({"fill": fill, "label": f"{low}–{bound}" if bound > low else f"{bound}"})
        low = bound + 1
    return items
