"""Errors raised by gonghui-kg.

The command line catches :class:`KgError` and prints its message on one line;
anything else escaping is a bug.

    KgError
    ├── InputError            a path, file or option the user gave is unusable
    │   └── DecodeError       bytes that are not text in any supported encoding
    ├── OutputError           the output location cannot be written safely
    ├── BuildDirError         OUT is not a gonghui-kg build (or is missing)
    ├── QueryError            a SPARQL query failed to parse or run
    ├── RulesError            a user rules file is malformed
    ├── ValidationError       a graph does not conform to the shapes
    ├── ClusterError          the Dask cluster cannot be reached or used
    └── PushError             a SPARQL store refused what was pushed, or cannot be reached
"""

from __future__ import annotations

__all__ = [
    "BuildDirError",
    "ClusterError",
    "DecodeError",
    "InputError",
    "KgError",
    "OutputError",
    "PushError",
    "QueryError",
    "RulesError",
    "ValidationError",
]


class KgError(Exception):
    """Base class of every error gonghui-kg reports to users."""

    exit_code = 1


class InputError(KgError):
    """An input path, file or option cannot be used."""

    exit_code = 2


class DecodeError(InputError):
    """A file's bytes are not text in UTF-8, GB18030/GBK or BIG5."""


class OutputError(KgError):
    """The output location cannot be written without losing the user's files."""

    exit_code = 2


class BuildDirError(KgError):
    """A directory given as a build output is missing or is not a build."""

    exit_code = 2


class QueryError(KgError):
    """A SPARQL query could not be parsed or evaluated."""

    exit_code = 2


class RulesError(InputError):
    """A user rules file could not be read."""


class ValidationError(KgError):
    """A graph does not conform to the SHACL shapes."""


class ClusterError(KgError):
    """The Dask cluster cannot be reached or used (no scheduler, no workers, no Dask)."""


class PushError(KgError):
    """The store could not be reached, or it refused what was sent."""
