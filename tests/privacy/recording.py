from apps.replay.models import Session
from apps.replay.services import IncomingBatch, batch_store
from tests.privacy import events as ev
from tests.replay import rrweb


def record_leaky(organization, *, session_id=None, extra_batches=1) -> Session:
    """A session whose first batch leaks a card (text node), a password (input event), a
    private text and an e-mail (console); later batches are harmless mouse moves."""
    session_id = session_id or rrweb.new_session_id()
    batches = [ev.leaky_page()] + [
        [rrweb.mouse_move(rrweb.T0 + 2000 + i), rrweb.click(rrweb.T0 + 2100 + i)]
        for i in range(extra_batches)
    ]
    for seq, events in enumerate(batches):
        batch_store(
            organization=organization,
            incoming=IncomingBatch(session_id=session_id, seq=seq, events=events),
        )
    return Session.objects.get(organization=organization, session_id=session_id)
