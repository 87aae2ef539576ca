"""Number and word formatting shared by the Markdown and HTML reports."""

from __future__ import annotations


def format_number(value: float) -> str:
    """Whole numbers with thousands separators, others to at most three decimals: 1,330, 0.5."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def plural(count: int, noun: str, nouns: str = "") -> str:
    """`1 service`, `4 services`; pass `nouns` for irregular plurals."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"
