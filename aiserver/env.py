"""Tiny helpers that read settings from the environment with a working default."""

from __future__ import annotations

import os


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


RATE_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int] | None:
    """A request rate, "30/min" -> (30, 60 seconds) (periods s, min, hour, day); None for no limit
    ("", "off", "none", "0")."""
    text = rate.strip().lower()
    if text in ("", "off", "none", "0"):
        return None
    count, _, period = text.partition("/")
    seconds = RATE_PERIODS.get(period.strip()[:1])
    if not count.strip().isdigit() or seconds is None:
        raise ValueError(f"rate {rate!r}: expected N/s, N/min, N/hour, N/day, or off")
    return (int(count), seconds) if int(count) > 0 else None


def env_rate(name: str, default: str) -> str:
    """A rate setting, checked when settings load: a mistyped rate stops the start, not every request."""
    value = env_str(name, default)
    try:
        parse_rate(value)
    except ValueError as exc:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"{name}: {exc}") from None
    return value
