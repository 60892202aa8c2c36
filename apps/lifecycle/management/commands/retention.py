"""``manage.py retention --org <slug> [--dry-run] [--as-of ISO]``: preview or run retention for
one organization (``--all`` for every organization)."""

from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.lifecycle import selectors, services
from apps.orgs.models import Organization


class Command(BaseCommand):
    help = "Show (--dry-run) or apply the retention policy of an organization."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--org", help="The organization's slug.")
        target.add_argument("--all", action="store_true", help="Every organization.")
        parser.add_argument("--dry-run", action="store_true", help="List, delete nothing.")
        parser.add_argument("--as-of", help="Pretend it is this time (ISO 8601).")
        parser.add_argument("--limit", type=int, default=500, help="Sessions listed (dry run).")

    def handle(self, *args, **options):
        as_of = _parse(options["as_of"]) if options["as_of"] else None
        if options["all"]:
            organizations = Organization.objects.order_by("slug")
        else:
            organizations = Organization.objects.filter(slug=options["org"])
            if not organizations.exists():
                raise CommandError(f"No organization with the slug {options['org']!r}.")
        for organization in organizations:
            if options["dry_run"]:
                self._preview(organization, as_of, options["limit"])
            else:
                self._run(organization, as_of)

    def _preview(self, organization, as_of, limit):
        preview = selectors.retention_preview(
            organization=organization, as_of=as_of, limit=limit, scan_limit=None
        )
        out = self.stdout
        out.write(f"{organization.slug}: dry run as of {preview['as_of'].isoformat()}")
        policy = preview["policy"]
        out.write(
            f"  policy: normal {policy['normal_days']} d, errors {policy['error_days']} d, "
            f"{policy['ticket_grace_days']} d after a ticket closes, "
            f"traces and logs {policy['telemetry_days']} d ({preview['plan_bounds']['plan']} plan)"
        )
        out.write(
            f"  would delete {preview['session_count']} sessions ({preview['bytes']} bytes), "
            f"{preview['spans']} spans, {preview['logs']} log records"
        )
        for row in preview["sessions"]:
            out.write(
                f"  {row['session_id']}  user={row['user_id'] or '-'}  "
                f"last={row['last_seen_at']:%Y-%m-%d}  {row['retention_class']}: {row['reason']}"
            )
        if preview["session_count"] > len(preview["sessions"]):
            out.write(f"  … {preview['session_count'] - len(preview['sessions'])} more")

    def _run(self, organization, as_of):
        result = services.retention_run(organization=organization, as_of=as_of)
        if result.locked_out:
            self.stdout.write(f"{organization.slug}: another retention run is in progress")
            return
        self.stdout.write(
            f"{organization.slug}: deleted {result.sessions} sessions ({result.blobs} blobs, "
            f"{result.bytes} bytes), {result.spans} spans, {result.logs} log records"
        )


def _parse(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise CommandError("--as-of takes an ISO 8601 date and time.") from None
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)
