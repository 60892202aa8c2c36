"""Ticket-aware retention: policies, expiry, the daily deletion run, telemetry and orphans."""
