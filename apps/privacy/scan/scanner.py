"""Scanning a list of events: every finding with its location and redacted excerpt, and the
redaction of those findings in place (same structure, same string lengths, masked with '*')."""

from dataclasses import dataclass

from apps.core import sensitive as detectors

from .dom import DomState
from .excerpt import excerpt, masked_value_excerpt
from .walker import Site, iter_sites


@dataclass
class Hit:
    kind: str
    event_index: int
    location: str
    selector: str
    excerpt: str
    site: Site
    span: tuple[int, int] | None  # None: the whole value


def scan_events(
    events: list[dict], state: DomState, denied_headers: frozenset[str] = frozenset()
) -> list[Hit]:
    """``denied_headers``: network header names whose values must never be stored."""
    hits: list[Hit] = []
    for site in iter_sites(events, state, denied_headers):
        value = site.value
        if not value or value.isspace():
            continue

        def selector(site=site) -> str:
            # Built only for hits, while the DOM state is as it was at this event.
            return "" if site.element_id is None else state.selector(site.element_id)

        if site.must_mask and not detectors.is_masked(value):
            label = detectors.LABELS[site.must_mask]
            hits.append(
                Hit(
                    site.must_mask,
                    site.event_index,
                    site.location,
                    selector(),
                    masked_value_excerpt(label, value),
                    site,
                    None,
                )
            )
            continue  # the whole value is the finding (and is masked whole on redaction)
        matches = detectors.find(value)
        for match in matches:
            hits.append(
                Hit(
                    match.kind,
                    site.event_index,
                    site.location,
                    selector(),
                    excerpt(value, matches, match),
                    site,
                    (match.start, match.end),
                )
            )
    return hits


def redact(hits: list[Hit]) -> set[int]:
    """Mask every hit in its event (in place); returns the indexes of the changed events."""
    by_site: dict[int, tuple[Site, list[Hit]]] = {}
    for hit in hits:
        by_site.setdefault(id(hit.site), (hit.site, []))[1].append(hit)
    changed = set()
    for site, site_hits in by_site.values():
        value = site.container[site.key]
        if not isinstance(value, str):
            continue
        if any(h.span is None for h in site_hits):
            masked = detectors.mask(value)
        else:
            chars = list(value)
            for hit in site_hits:
                start, end = hit.span
                for i in range(start, end):
                    if not chars[i].isspace():
                        chars[i] = "*"
            masked = "".join(chars)
        if masked != value:
            site.container[site.key] = masked
            changed.add(site.event_index)
    return changed
