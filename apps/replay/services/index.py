"""Keeping a session's index row current: create it from its first batch, merge each batch in.

Runs inside ``batch_store``'s transaction with the session row locked, so merging in Python is
safe under concurrent batches of one session.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone

from apps.core.clip import clip
from apps.orgs.models import Organization

from ..analysis import Digest
from ..models import DeviceType, Session

MAX_URLS = 200
MAX_ERROR_TEXT = 16 * 1024
MAX_MARKS_PER_SESSION = 2000
MAX_TRAITS_KEYS = 50
MAX_TRAIT_DEPTH = 3
MAX_TRAIT_CHARS = 1000


# What merging a batch may change. Saving only these leaves the fields other workers own
# (sampling, retention) to them.
BATCH_FIELDS = (
    "start_ms",
    "started_at",
    "end_ms",
    "last_seen_at",
    "duration_ms",
    "active_ms",
    "ended_at",
    "previous_session_id",
    "user_id",
    "user_traits",
    "entry_url",
    "urls",
    "url_text",
    "page_count",
    "viewport_width",
    "viewport_height",
    "click_count",
    "rage_click_count",
    "dead_click_count",
    "console_error_count",
    "uncaught_error_count",
    "failed_request_count",
    "error_count",
    "error_text",
    "event_count",
    "batch_count",
    "bytes_stored",
    "raw_bytes",
    "mark_count",
    "updated_at",
)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def _span(incoming, digest: Digest) -> tuple[int, int]:
    if digest.first_ms is not None:
        return digest.first_ms, digest.last_ms
    now = incoming.sent_at or int(timezone.now().timestamp() * 1000)
    return now, now


def new_session(*, organization: Organization, incoming, digest: Digest) -> Session:
    start, _end = _span(incoming, digest)
    meta = incoming.meta
    session = Session(
        organization=organization,
        session_id=incoming.session_id,
        previous_session_id=incoming.previous_session_id or "",
        started_at=from_ms(start),
        last_seen_at=from_ms(start),
        start_ms=start,
        end_ms=start,
        sdk=_str(meta.get("sdk"), 64),
        privacy_mode=_str(meta.get("privacy_mode"), 20),
    )
    _set_user_agent(session, _str(meta.get("user_agent"), 1000))
    viewport = meta.get("viewport")
    if isinstance(viewport, dict):
        width, height = viewport.get("width"), viewport.get("height")
        if _positive(width) and _positive(height):
            session.viewport_width, session.viewport_height = width, height
    return session


def apply_batch(
    session: Session, *, incoming, digest: Digest, size: int, raw_size: int, marks: int
) -> None:
    start, end = _span(incoming, digest)
    if start < session.start_ms:
        session.start_ms = start
        session.started_at = from_ms(start)
    if end > session.end_ms:
        session.end_ms = end
        session.last_seen_at = from_ms(end)
    session.duration_ms = session.end_ms - session.start_ms
    session.active_ms += digest.active_ms

    if incoming.previous_session_id and not session.previous_session_id:
        session.previous_session_id = incoming.previous_session_id
    _merge_user(session, incoming.user, digest.user)
    _merge_urls(session, incoming, digest)

    session.click_count += digest.clicks
    session.rage_click_count += digest.rage_clicks
    session.dead_click_count += digest.dead_clicks
    session.console_error_count += digest.console_errors
    session.uncaught_error_count += digest.uncaught_errors
    session.failed_request_count += digest.failed_requests
    session.error_count = (
        session.console_error_count + session.uncaught_error_count + session.failed_request_count
    )
    _merge_error_text(session, digest.error_messages)

    if digest.viewport and session.viewport_width is None:
        session.viewport_width, session.viewport_height = digest.viewport
    session.event_count += digest.event_count
    session.batch_count += 1
    session.bytes_stored += size
    session.raw_bytes += raw_size
    session.mark_count += marks
    if incoming.ended and session.ended_at is None:
        session.ended_at = from_ms(session.end_ms)


def _merge_user(session: Session, envelope_user, event_user) -> None:
    # The envelope carries the last identify() at the time the batch was cut: it wins.
    user_id, traits = None, None
    if event_user:
        user_id, traits = event_user
    if isinstance(envelope_user, dict) and envelope_user.get("id") is not None:
        user_id = _str(envelope_user.get("id"), 255)
        traits = envelope_user.get("traits")
    if user_id:
        session.user_id = user_id
    if isinstance(traits, dict) and traits:
        merged = {**session.user_traits, **clean_json(traits)}
        session.user_traits = dict(list(merged.items())[:MAX_TRAITS_KEYS])


def _merge_urls(session: Session, incoming, digest: Digest) -> None:
    page_url = _url(incoming.page.get("url"))
    batch_urls = list(digest.urls) or ([page_url] if page_url else [])
    if batch_urls and (not session.entry_url or incoming.seq == 0):
        session.entry_url = batch_urls[0]
    urls = list(session.urls)
    changed = False
    for url in batch_urls:
        if url not in urls and len(urls) < MAX_URLS:
            urls.append(url)
            changed = True
    if changed:
        session.urls = urls
        session.url_text = "\n".join(urls)
    if digest.nav_page_views or session.sdk.startswith("qorrelate"):
        session.page_count += digest.nav_page_views
    else:
        session.page_count += digest.meta_page_views
    if session.page_count == 0 and urls:
        session.page_count = 1


def _merge_error_text(session: Session, messages: list[str]) -> None:
    if not messages or len(session.error_text) >= MAX_ERROR_TEXT:
        return
    known = set(session.error_text.split("\n")) if session.error_text else set()
    lines = [session.error_text] if session.error_text else []
    size = len(session.error_text)
    for message in messages:
        if message in known or size + len(message) + 1 > MAX_ERROR_TEXT:
            continue
        known.add(message)
        lines.append(message)
        size += len(message) + 1
    session.error_text = "\n".join(lines)


def _set_user_agent(session: Session, user_agent: str) -> None:
    session.user_agent = user_agent
    if not user_agent:
        return
    from user_agents import parse

    parsed = parse(user_agent)
    session.browser = parsed.browser.family[:64]
    session.browser_version = parsed.browser.version_string[:32]
    session.os = parsed.os.family[:64]
    session.os_version = parsed.os.version_string[:32]
    session.device = (parsed.device.family or "")[:64]
    if parsed.is_bot:
        session.device_type = DeviceType.BOT
    elif parsed.is_tablet:
        session.device_type = DeviceType.TABLET
    elif parsed.is_mobile:
        session.device_type = DeviceType.MOBILE
    elif parsed.is_pc:
        session.device_type = DeviceType.DESKTOP
    else:
        session.device_type = DeviceType.OTHER


def _url(value) -> str:
    # Cut visibly: a 5 MB URL is stored, searched and rendered as its first 2048 characters.
    if isinstance(value, str):
        return clip(value.replace("\x00", ""), settings.REPLAY_URL_LENGTH_LIMIT)
    return ""


def _str(value, limit: int) -> str:
    # PostgreSQL text cannot hold NUL characters; they never mean anything in these fields.
    if isinstance(value, str):
        return value.replace("\x00", "")[:limit]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)[:limit]
    return ""


def clean_json(value, depth: int = 0):
    """A JSON value safe for a jsonb column: no NUL characters, bounded depth and size."""
    if isinstance(value, str):
        return value.replace("\x00", "")[:MAX_TRAIT_CHARS]
    if isinstance(value, dict):
        if depth >= MAX_TRAIT_DEPTH:
            return None
        return {
            _str(k, 100): clean_json(v, depth + 1) for k, v in list(value.items())[:MAX_TRAITS_KEYS]
        }
    if isinstance(value, list):
        if depth >= MAX_TRAIT_DEPTH:
            return None
        return [clean_json(v, depth + 1) for v in value[:MAX_TRAITS_KEYS]]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53:
        return str(value)
    return value


def _positive(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 100_000
