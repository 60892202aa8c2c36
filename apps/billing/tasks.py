"""Billing's Celery tasks; thin: they call the flush and invoicing code, which are idempotent."""

from celery import shared_task

from .flush import flush_usage_counters, prune_flush_memory
from .invoicing import invoices_generate
from .periods import current_period


@shared_task(name="billing.flush_usage", ignore_result=True)
def flush_usage() -> int:
    return flush_usage_counters()


@shared_task(name="billing.generate_invoices", ignore_result=True)
def generate_invoices() -> dict:
    """Issue last month's invoices (once each) and refresh this month's drafts."""
    flush_usage_counters()  # the last day's counters belong on last month's invoice
    this_month = current_period()
    issued = invoices_generate(period=this_month.previous(), finalize=True)
    drafts = invoices_generate(period=this_month, finalize=False)
    pruned = prune_flush_memory()
    return {"issued": issued, "drafts": drafts, "pruned_flush_records": pruned}
