"""The intake pipeline. Every intake request goes through the same stages, in this order:

    check → authenticate → throttle → read body → decode → store (admits) → meter
          → respond → after_reply hooks

An intake (replay batches, OTLP traces, OTLP logs) is an ``Intake``: it fills in the stages that
differ — what a request must look like, who sends it, what the body means, how it is admitted
and stored, what it counts for billing and how replies look. ``receive`` runs them and owns what
they share: the one rate limiter, the one body reader, the one error type and the status each
failure gets, metering that never fails a stored request, and the hooks that run after the
reply (they can never fail or delay an acknowledgement).

A 2xx is only answered after ``store`` returned, i.e. once the data is durable.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from botocore.exceptions import BotoCoreError, ClientError
from django.db import DatabaseError, DataError
from django.http import HttpRequest, HttpResponse

from apps.billing import metering
from apps.billing.quota import QuotaExceeded
from apps.core.errors import Unstorable
from apps.orgs.models import Organization

from .body import read_body
from .errors import IntakeError
from .limits import Limits, unavailable_retry_after
from .throttle import throttle

logger = logging.getLogger(__name__)

Decoded = TypeVar("Decoded")
Stored = TypeVar("Stored")


@dataclass(frozen=True, slots=True)
class Ingested(Generic[Decoded, Stored]):
    """What one accepted request became: handed to ``respond`` and to the hooks."""

    organization: Organization
    decoded: Decoded
    stored: Stored


Hook = Callable[[Ingested], None]


class Intake(Generic[Decoded, Stored]):
    """One intake's stages. Subclasses fill in each method; ``receive`` calls them in order."""

    name: str = ""  # in logs: "replay", "traces", "logs"
    scope: str = ""  # the rate-limit budget it counts against ("replay", "otlp")
    noun: str = "requests"  # what messages call one request ("batches")
    # Work after a new (not duplicate) store, run once the reply is sent; each hook's failure
    # is logged and changes nothing else.
    after_reply: tuple[Hook, ...] = ()

    def limits(self) -> Limits:
        raise NotImplementedError

    def check(self, request: HttpRequest) -> None:
        """Refuse what no organization may send (method, media type): IntakeError."""

    def authenticate(self, request: HttpRequest) -> Organization:
        raise NotImplementedError

    def decode(self, body: bytes, *, organization: Organization, media_type: str) -> Decoded:
        raise NotImplementedError

    def store(self, *, organization: Organization, decoded: Decoded) -> Stored:
        """Admit (quota; QuotaExceeded refuses) and store durably."""
        raise NotImplementedError

    def is_new(self, stored: Stored) -> bool:
        """False for a request that changed nothing (a retry): not metered, no hooks."""
        return True

    def usage(self, ingested: Ingested[Decoded, Stored]) -> Iterable[tuple[str, int]]:
        """(billing metric, amount) pairs this stored request counts for."""
        return ()

    def respond(self, request: HttpRequest, ingested: Ingested[Decoded, Stored]) -> HttpResponse:
        raise NotImplementedError

    def refuse(self, request: HttpRequest, error: IntakeError) -> HttpResponse:
        raise NotImplementedError


def media_type(request: HttpRequest) -> str:
    return request.META.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()


def receive(intake: Intake, request: HttpRequest) -> HttpResponse:
    """The whole pipeline for one request; never raises, never answers 500."""
    try:
        intake.check(request)
        organization = intake.authenticate(request)
        limits = intake.limits()
        throttle(
            scope=intake.scope, organization_id=organization.pk, limits=limits, noun=intake.noun
        )
        body = read_body(request, limits=limits, noun=intake.noun)
        ingested = process(
            intake, organization=organization, body=body, media_type=media_type(request)
        )
        del body
        response = intake.respond(request, ingested)
    except Exception as exc:  # every failure becomes a reply; see refusal()
        return intake.refuse(request, refusal(intake, exc))
    if intake.after_reply and intake.is_new(ingested.stored):
        return _then(response, intake, ingested)
    return response


def process(
    intake: Intake[Decoded, Stored], *, organization: Organization, body: bytes, media_type: str
) -> Ingested[Decoded, Stored]:
    """decode → store (admits) → meter: everything after the HTTP stages (benchmarks call it)."""
    decoded = intake.decode(body, organization=organization, media_type=media_type)
    stored = intake.store(organization=organization, decoded=decoded)
    ingested = Ingested(organization=organization, decoded=decoded, stored=stored)
    if intake.is_new(stored):
        _meter(intake, ingested)
    return ingested


def _meter(intake: Intake, ingested: Ingested) -> None:
    # The data is stored and will be acknowledged: a metering failure is logged, never turned
    # into a refusal that would make the client send it again.
    organization_id = ingested.organization.pk
    try:
        for metric, amount in intake.usage(ingested):
            metering.record(organization_id=organization_id, metric=metric, amount=amount)
    except Exception:
        logger.exception(
            "%s intake: metering failed", intake.name, extra={"organization_id": organization_id}
        )


def refusal(intake: Intake, exc: Exception) -> IntakeError:
    """The IntakeError a failure is answered with: the client's fault (4xx, final) or ours
    (503 with Retry-After, so the client sends the same data again and nothing is lost)."""
    if isinstance(exc, IntakeError):
        return exc
    if isinstance(exc, QuotaExceeded):
        # Clients treat this code as final: the organization is over its plan.
        retry = exc.retry_after if exc.retry_after is not None else unavailable_retry_after()
        return IntakeError(429, "quota_exceeded", exc.message, retry_after=retry)
    if isinstance(exc, Unstorable):
        return IntakeError(exc.status, exc.code, exc.message)
    if isinstance(exc, DataError):
        # A value the database cannot hold that validation did not foresee: the client's data,
        # so final rather than a retry loop.
        logger.exception("%s intake: refused by the database", intake.name)
        return IntakeError(400, "unstorable", "The request holds values that cannot be stored.")
    if isinstance(exc, DatabaseError | OSError | BotoCoreError | ClientError):
        logger.exception("%s intake: storage unavailable", intake.name)
        return IntakeError(
            503,
            "unavailable",
            "Storage is unavailable; retry later.",
            retry_after=unavailable_retry_after(),
        )
    logger.exception("%s intake failed unexpectedly", intake.name)
    return IntakeError(
        503,
        "unavailable",
        "The request could not be processed; retry later.",
        retry_after=unavailable_retry_after(),
    )


def _then(response: HttpResponse, intake: Intake, ingested: Ingested) -> HttpResponse:
    """Run the intake's hooks when the server closes the response, i.e. after it was sent."""
    close = response.close

    def close_then_run() -> None:
        try:
            for hook in intake.after_reply:
                try:
                    hook(ingested)
                except Exception:
                    logger.exception(
                        "%s intake: after-reply hook %s failed",
                        intake.name,
                        getattr(hook, "__qualname__", hook),
                        extra={"organization_id": ingested.organization.pk},
                    )
        finally:
            close()

    response.close = close_then_run
    return response
