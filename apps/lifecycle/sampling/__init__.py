"""Tail-based sampling: deciding finished sessions, purging dropped ones, rescuing late links."""
