"""Signed inbound helpdesk webhooks: ``POST /webhooks/helpdesk/<integration public id>``.

``signatures`` checks who sent a delivery and when, ``adapters`` turn the generic, Zendesk and
Jira payload shapes into one ``TicketEvent``, and ``deliver`` applies it through the services.
"""
