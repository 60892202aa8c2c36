// Generated from sdks/conventions.json by sdks/generate_conventions.py: do not edit.
export const SESSION_HEADER = "X-Session-ID";
export const SESSION_ID_ATTRIBUTE = "session.id";
export const PREVIOUS_SESSION_ID_ATTRIBUTE = "session.previous_id";
export const SESSION_ID_PATTERN = "^[A-Za-z0-9._:\\-]{1,128}$";
export const ERROR_HEADER = "X-Qorrelate-Error";
export const ERROR_HEADER_VALUE = "1";
