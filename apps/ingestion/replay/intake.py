"""The replay intake's stages (``apps.ingestion.pipeline``): a batch from the browser recorder,
``POST /ingest/v1/replay?org=<data-org-id>`` (docs/recorder-protocol.md).

check (POST, JSON or text) → authenticate (the data-org-id, the allowed origins) → throttle →
read body → decode (``envelope.parse``; denied network headers stripped) → store
(``batch_store``; the quota is asked once the batch is known not to be a retry) → meter →
respond → hooks (``hooks.AFTER_REPLY``).
"""

from django.http import HttpRequest, HttpResponse

from apps.billing import quota
from apps.billing.models import Metric
from apps.orgs.models import Organization
from apps.privacy.network_headers import denied_headers, strip_denied_headers
from apps.replay.services import IncomingBatch, StoredBatch, batch_store

from ..pipeline.errors import IntakeError
from ..pipeline.limits import Limits, replay_limits
from ..pipeline.responses import error_payload, json_reply
from ..pipeline.stages import Ingested, Intake
from . import cors, envelope, hooks
from .organizations import organization_for

ACCEPTED_TYPES = ("application/json", "text/plain")


class ReplayIntake(Intake[IncomingBatch, StoredBatch]):
    name = "replay"
    scope = "replay"
    noun = "batches"
    after_reply = hooks.AFTER_REPLY

    def limits(self) -> Limits:
        return replay_limits()

    def check(self, request: HttpRequest) -> None:
        if request.method != "POST":
            raise IntakeError(
                405,
                "method_not_allowed",
                "Send batches with POST.",
                headers={"Allow": "POST, OPTIONS"},
            )
        media_type = request.META.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
        if media_type not in ACCEPTED_TYPES:
            raise IntakeError(
                415,
                "unsupported_media_type",
                "Content-Type must be application/json or text/plain, "
                f"not {media_type[:60] or 'missing'}.",
            )

    def authenticate(self, request: HttpRequest) -> Organization:
        organization = organization_of(request)
        cors.check_origin(organization, request.META.get("HTTP_ORIGIN"))
        return organization

    def decode(self, body: bytes, *, organization: Organization, media_type: str):
        batch = envelope.parse(body, org_public_id=organization.public_id)
        # Before anything is stored: no denied header's value (the fixed names and the
        # organization's own list) is kept, whatever the recorder sent.
        strip_denied_headers(events=batch.events, denied=denied_headers(organization=organization))
        return batch

    def store(self, *, organization: Organization, decoded: IncomingBatch) -> StoredBatch:
        def admit(session_is_new: bool) -> None:
            # Asked once per batch that is not a duplicate: a retry is acknowledged, never billed.
            quota.admit_replay_batch(organization=organization, session_is_new=session_is_new)

        return batch_store(organization=organization, incoming=decoded, admit=admit)

    def is_new(self, stored: StoredBatch) -> bool:
        return not stored.duplicate

    def usage(self, ingested: Ingested[IncomingBatch, StoredBatch]):
        stored = ingested.stored
        if stored.session_created:
            yield Metric.REPLAY_SESSIONS_STARTED, 1
        yield Metric.REPLAY_BYTES_STORED, stored.bytes_stored

    def respond(self, request: HttpRequest, ingested) -> HttpResponse:
        incoming = ingested.decoded
        return json_reply(
            {
                "ok": True,
                "session_id": incoming.session_id,
                "seq": incoming.seq,
                "duplicate": ingested.stored.duplicate,
            },
            headers=cors.headers_for(request.META.get("HTTP_ORIGIN")),
        )

    def refuse(self, request: HttpRequest, error: IntakeError) -> HttpResponse:
        headers = {**error.reply_headers(), **cors.headers_for(request.META.get("HTTP_ORIGIN"))}
        return json_reply(error_payload(error), status=error.status, headers=headers)

    def preflight(self, request: HttpRequest) -> HttpResponse:
        """OPTIONS: answered for any origin of a known organization. The POST that follows is
        where a disallowed origin is refused, with a reply the recorder can read, so it stops
        and says why instead of retrying a request the browser failed opaquely."""
        try:
            organization_of(request)
        except IntakeError as error:
            return self.refuse(request, error)
        response = HttpResponse(status=204)
        for name, value in cors.preflight_headers(request.META.get("HTTP_ORIGIN") or "*").items():
            response[name] = value
        return response


def organization_of(request: HttpRequest) -> Organization:
    public_id = request.GET.get("org", "").strip()
    if not public_id:
        raise IntakeError(400, "missing_org", "Add ?org=<data-org-id> to the intake URL.")
    organization = organization_for(public_id[:40])
    if organization is None:
        raise IntakeError(
            404, "unknown_organization", f"No organization has the data-org-id {public_id:.40}."
        )
    return organization


REPLAY = ReplayIntake()
