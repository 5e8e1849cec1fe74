"""Employer demand over the API: a company's HR system lists and declares what skills it needs.

The same service (`demand.services.declare_demand`), rules and messages as the employer pages; the session
comes from the employer's sign-in (CSRF token required on writes). Errors are `{"detail": "<message>"}`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import django_auth
from pydantic import StrictInt

from latihkerja.accounts.enums import Role
from latihkerja.catalog.models import Theme
from latihkerja.demand.errors import DemandError
from latihkerja.demand.models import Company, SkillDemand
from latihkerja.demand.services import declare_demand
from latihkerja.regions.models import Kecamatan

from .schemas import SIGNED_IN, Invalid, Message

router = Router(tags=["employer demand"])


class DemandIn(Schema):
    theme: str = ""
    occupation_code: str = ""
    headcount: StrictInt  # JSON true is not 1 person
    needed_by: dt.date
    kecamatan: str
    requirements: str = ""


class DemandOut(Schema):
    id: int
    theme: str | None
    occupation_code: str
    headcount: int
    needed_by: dt.date
    kecamatan: str
    counts_in_planning: bool


def _company(request: HttpRequest) -> Company:
    user: Any = request.user
    if user.role != Role.EMPLOYER or user.company_id is None:
        raise HttpError(403, str(translation.gettext("Hanya untuk akun pemberi kerja.")))
    return Company.objects.get(pk=user.company_id)


def _out(demand: SkillDemand, company: Company) -> dict[str, Any]:
    return {
        "id": demand.pk,
        "theme": demand.theme.code if demand.theme else None,
        "occupation_code": demand.occupation_code,
        "headcount": demand.headcount,
        "needed_by": demand.needed_by,
        "kecamatan": demand.kecamatan.code,
        "counts_in_planning": company.verified_at is not None,
    }


@router.get(
    "/me/company/demand",
    response={200: list[DemandOut], 403: Message, **SIGNED_IN},
    auth=django_auth,
    summary="My company's demand",
)
def my_demand(request: HttpRequest) -> list[dict[str, Any]]:
    """What the signed-in employer's company declared; it counts in planning once Disnaker verified it."""
    company = _company(request)
    demands = company.demands.select_related("theme", "kecamatan").order_by("needed_by", "pk")
    return [_out(demand, company) for demand in demands]


@router.post(
    "/me/company/demand",
    response={201: DemandOut, 400: Message, 403: Message, 422: Invalid, **SIGNED_IN},
    auth=django_auth,
    summary="Declare a skill need",
)
def declare(request: HttpRequest, body: DemandIn) -> Status[dict[str, Any]]:
    """`theme` is a theme code from `/public/batches` or the catalogue, or give an ISCO-08 `occupation_code`."""
    company = _company(request)
    theme = None
    if body.theme:
        theme = Theme.objects.filter(code=body.theme, is_active=True).first()
        if theme is None:
            raise HttpError(400, str(translation.gettext("Tema pelatihan tidak dikenal.")))
    kecamatan = Kecamatan.objects.filter(code=body.kecamatan).first()
    if kecamatan is None:
        raise HttpError(
            400, str(translation.gettext("Kecamatan tidak dikenal: pakai kode wilayah, misalnya 36.71.01."))
        )
    try:
        demand = declare_demand(
            company=company,
            actor=request.user,
            theme=theme,
            occupation_code=body.occupation_code,
            headcount=body.headcount,
            needed_by=body.needed_by,
            kecamatan=kecamatan,
            requirements=body.requirements,
        )
    except DemandError as error:
        raise HttpError(400, str(error.message)) from error
    return Status(
        201, _out(SkillDemand.objects.select_related("theme", "kecamatan").get(pk=demand.pk), company)
    )
