"""The JSON API, version 1 (django-ninja: the OpenAPI document is generated from the type hints).

Public endpoints serve aggregates and the public catalogue only; no personal data.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Field, NinjaAPI, Query, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic.json_schema import models_json_schema

from latihkerja.batches.queries import public_catalogue
from latihkerja.certificates.api import router as certificates_router
from latihkerja.programs.queries import programme_figures
from latihkerja.regions.models import Kelurahan
from latihkerja.reports.api import router as open_data_router

from . import errors
from .demand import router as demand_router
from .registration import router as registration_router
from .schemas import BatchOut, Invalid, Message, SummaryOut, TargetsOut

# The shapes of the answers added below, as components of the document: the same classes the operations use.
_REF = "#/components/schemas/{model}"
_DETAIL = {"$ref": _REF.format(model="Message")}
_FIELD_ERRORS = {"$ref": _REF.format(model="Invalid")}


class LatihKerjaAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """ninja's document, with the answers that come from outside the operations, where they do not declare
        them: 415 to a body not sent as JSON (`errors.JsonParser`), 422 to a query, path or body of the wrong
        shape, 400 to a text holding NUL, 401 from an operation behind the session to a caller without one."""
        schema = super().get_openapi_schema(*args, **kwargs)
        _, shapes = models_json_schema([(Message, "validation"), (Invalid, "validation")], ref_template=_REF)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, shape in shapes["$defs"].items():
            components.setdefault(name, shape)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if not isinstance(operation, dict):
                    continue
                # ninja keys the declared answers by int; one key per status in the JSON (a second "401"
                # beside 401 broke Swagger UI at /api/v1/docs: "duplicated mapping key").
                responses = operation["responses"] = {
                    str(status): answer for status, answer in operation.get("responses", {}).items()
                }
                if "requestBody" in operation:
                    responses.setdefault(
                        "415",
                        {
                            "description": "The body was not sent with Content-Type: application/json.",
                            "content": {"application/json": {"schema": _DETAIL}},
                        },
                    )
                if "requestBody" in operation or operation.get("parameters"):
                    responses.setdefault(
                        "400",
                        {
                            "description": "Refused by a rule (the reason in `detail`), or a text holds a NUL"
                            " character (`common.middleware.RefuseNulMiddleware`).",
                            "content": {"application/json": {"schema": _DETAIL}},
                        },
                    )
                    responses.setdefault(
                        "422",
                        {
                            "description": "A parameter or the body does not have the documented shape.",
                            "content": {"application/json": {"schema": _FIELD_ERRORS}},
                        },
                    )
                if operation.get("security"):
                    responses.setdefault(
                        "401",
                        {
                            "description": "Not signed in.",
                            "content": {"application/json": {"schema": _DETAIL}},
                        },
                    )
        return schema


api = LatihKerjaAPI(
    title="LatihKerja API",
    version="1",
    urls_namespace="api-v1",
    description="Programme data for integrations (national portals, mobile apps). Public endpoints carry no personal data.",
    parser=errors.JsonParser(),
)
errors.install(api)
api.add_router("/", registration_router)
api.add_router("/", demand_router)
api.add_router("/", open_data_router)
api.add_router("/", certificates_router)


@api.get("/public/summary", response=SummaryOut, tags=["open data"], summary="Programme figures and targets")
def public_summary(request: HttpRequest) -> dict[str, Any]:
    """Counts of regions, centres and batches by status in the current period, and the period's targets."""
    figures = programme_figures()
    period = figures.period
    targets = None
    if period is not None:
        targets = TargetsOut(
            period=period.code,
            period_name=period.name,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            trainings_per_center=period.trainings_per_center,
            minimum_per_batch=period.minimum_per_batch,
            maximum_per_batch=period.maximum_per_batch,
            participant_target_min=period.participant_target_min,
            participant_target_max=period.participant_target_max,
            budget=period.budget,
        )
    return {
        "kecamatan": figures.kecamatan,
        "kelurahan": figures.kelurahan,
        "centers": figures.centers,
        "themes": figures.themes,
        "batches": sum(figures.batches_by_status.values()),
        "seats": figures.seats,
        "batches_by_status": figures.batches_by_status,
        "targets": targets,
    }


class KelurahanOut(Schema):
    code: str
    name: str


class KecamatanOut(Schema):
    code: str
    name: str
    kelurahan: list[KelurahanOut]


@api.get(
    "/public/regions",
    response=list[KecamatanOut],
    tags=["open data"],
    summary="The city's kecamatan and kelurahan (codes for a resident profile)",
)
def public_regions(request: HttpRequest) -> list[dict[str, Any]]:
    """Every kecamatan with its kelurahan, by name: the codes `POST /me/profile` takes as `kelurahan`."""
    kelurahan = Kelurahan.objects.select_related("kecamatan").order_by("kecamatan__name", "name")
    regions: dict[str, dict[str, Any]] = {}
    for kel in kelurahan:
        kec = regions.setdefault(
            kel.kecamatan.code, {"code": kel.kecamatan.code, "name": kel.kecamatan.name, "kelurahan": []}
        )
        kec["kelurahan"].append({"code": kel.code, "name": kel.name})
    return list(regions.values())


class ConsentOut(Schema):
    version: str
    text: str
    digest: str


@api.get(
    "/public/consent",
    response=ConsentOut,
    tags=["open data"],
    summary="The consent text a resident agrees to (show it, then send its version with the profile)",
)
def public_consent(request: HttpRequest) -> dict[str, Any]:
    """The current consent text in the reader's language (`Accept-Language`), its version, and the digest of
    the Indonesian text, the legally binding one. `POST /me/profile` records this version; an app should send it
    back as `consent_version`, and a profile sent with an outdated one is refused (409), so that an app that
    shows the text never records consent to a newer one its user has not seen. (Optional for the apps built
    before this endpoint: a profile without it records the current version.)"""
    from latihkerja.registration.consent import CURRENT_VERSION, consent_digest, consent_text

    return {"version": CURRENT_VERSION, "text": consent_text(), "digest": consent_digest()}


class CataloguePagination(LimitOffsetPagination):
    """Limit and offset with upper bounds: an offset past any catalogue is refused (422), not sent to SQL."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=1_000_000)


class CatalogueFilters(Schema):
    kecamatan: str | None = None
    kelurahan: str | None = None
    theme: str | None = None
    modality: str | None = None


@api.get(
    "/public/batches", response=list[BatchOut], tags=["open data"], summary="Public catalogue of batches"
)
@paginate(CataloguePagination)
def public_batches(request: HttpRequest, filters: Query[CatalogueFilters]) -> Any:
    queryset = public_catalogue()
    if filters.kecamatan:
        queryset = queryset.filter(center__kelurahan__kecamatan__code=filters.kecamatan)
    if filters.kelurahan:
        queryset = queryset.filter(center__kelurahan__code=filters.kelurahan)
    if filters.theme:
        queryset = queryset.filter(theme__code=filters.theme)
    if filters.modality:
        queryset = queryset.filter(modality=filters.modality)
    return queryset
