"""Money and byte formatting for billing pages."""

from decimal import Decimal

from django import template

from ..chart import short_number

register = template.Library()

SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£"}


@register.filter
def money(cents, currency="usd") -> str:
    """1234 → $12.34"""
    symbol = SYMBOLS.get(str(currency).lower(), "")
    value = Decimal(int(cents or 0)) / 100
    text = f"{value:,.2f}"
    return f"{symbol}{text}" if symbol else f"{text} {str(currency).upper()}"


@register.filter
def unit_price(value, currency="usd") -> str:
    """Per-unit prices keep their significant decimals: 0.0000005 → $0.0000005, 99 → $99.00"""
    symbol = SYMBOLS.get(str(currency).lower(), "")
    number = Decimal(value or 0).normalize()
    exponent = number.as_tuple().exponent
    decimals = max(2, -exponent if isinstance(exponent, int) else 2)
    return f"{symbol}{number:,.{decimals}f}"


@register.filter
def per_unit_block(value, block=1000) -> str:
    """A per-unit price shown per block of units: 0.004 per session → $4.00 / 1k"""
    total = Decimal(value or 0) * int(block)
    return f"${total:,.2f}"


@register.filter
def short(value) -> str:
    return short_number(int(value or 0))


@register.filter
def bytes_human(value) -> str:
    size = float(value or 0)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"


@register.filter
def clamp_percent(value) -> int:
    return max(0, min(100, int(value or 0)))
