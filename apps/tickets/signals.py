"""Signals other domains listen to (the tickets app imports none of them).

``session_linked`` is sent once a session-to-ticket link has committed, with the keyword
arguments ``organization_id``, ``session_pk`` and ``ticket_pk``: sampling and retention
(``apps.lifecycle``) use it to keep a session whose link arrives after their decision.
"""

from django.dispatch import Signal

session_linked = Signal()
