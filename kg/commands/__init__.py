"""One module per ``kg`` command; each parses options and makes one library call."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import KgError

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["reports_errors"]


def reports_errors(fn: F) -> F:
    """Turn a :class:`KgError` into a one-line message and its exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KgError as e:
            click.echo(f"kg: error: {e}", err=True)
            raise SystemExit(e.exit_code) from None

    return wrapper  # type: ignore[return-value]
