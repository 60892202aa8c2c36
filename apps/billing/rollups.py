"""Adding to the daily rollup table with one upsert (PostgreSQL and SQLite speak the same one)."""

from datetime import date

from django.db import connection

from .models import DailyUsage


def add(*, organization_id: int, day: date, amounts: dict[str, int]) -> None:
    """quantity += amount for each metric, creating the rows as needed, in one statement."""
    items = sorted((metric, int(amount)) for metric, amount in amounts.items() if int(amount))
    if not items:
        return
    table = connection.ops.quote_name(DailyUsage._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s)"] * len(items))
    params: list = []
    for metric, amount in items:
        params += [organization_id, day, metric, amount]
    # Sorted rows lock in the same order in every transaction, so concurrent upserts never
    # deadlock; "quantity + excluded.quantity" makes the write an addition, not a replacement.
    # Only the model's table name is formatted in; every value is a parameter.
    sql = (
        f"INSERT INTO {table} (organization_id, day, metric, quantity) VALUES {values} "  # noqa: S608
        f"ON CONFLICT (organization_id, day, metric) "
        f"DO UPDATE SET quantity = {table}.quantity + excluded.quantity"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
