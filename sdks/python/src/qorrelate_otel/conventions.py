"""Generated from sdks/conventions.json by sdks/generate_conventions.py: do not edit."""

SESSION_HEADER = "X-Session-ID"
SESSION_ID_ATTRIBUTE = "session.id"
PREVIOUS_SESSION_ID_ATTRIBUTE = "session.previous_id"
SESSION_ID_PATTERN = "^[A-Za-z0-9._:\\-]{1,128}$"
ERROR_HEADER = "X-Qorrelate-Error"
ERROR_HEADER_VALUE = "1"
