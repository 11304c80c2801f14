"""The ``kg`` command line: a thin click layer over the library.

Each command lives in its own module under :mod:`kg.commands` and is imported
only when it runs, so ``kg --help`` stays fast.  Commands translate
:class:`kg.errors.KgError` into a one-line message and a non-zero exit.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from ._version import __version__

__all__ = ["cli"]

#: command name → (module under kg.commands, short help shown by ``kg --help``)
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("build", "Build a knowledge graph from newspaper text."),
    "validate": ("validate", "Check a build against the SHACL shapes."),
    "export": ("export", "Export a build as Turtle, TriG, N-Quads, JSON-LD, GraphML, GEXF or CSV."),
    "query": ("query", "Run a SPARQL query against a build."),
    "serve": ("serve", "Serve a build as a read-only SPARQL endpoint."),
    "analyze": ("analyze", "Network analysis: hubs, brokers, communities."),
    "path": ("analyze", "Shortest connection between two named entities."),
    "viz": ("viz", "Write the interactive offline viewer (or a PNG/SVG picture)."),
    "eval": ("evaluate", "Score a build against gold annotations."),
    "push": ("push", "Push a build into a SPARQL 1.1 store."),
    "schema": ("schema", "List the classes and properties, with labels and example queries."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module = importlib.import_module(f"kg.commands.{COMMANDS[name][0]}")
        cmd: click.Command = getattr(module, name.replace("-", "_") + "_cmd")
        return cmd

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="kg")
def cli(**_: Any) -> None:
    """gonghui-kg: a knowledge graph of Chinese trade-union news (工会新闻知识图谱).

    \b
    Typical session:
      kg build examples/workers-daily-2022-11-11-p3.md -o out
      kg query out 'SELECT ?u WHERE { ?u a gh:TradeUnion }'
      kg analyze out
      kg viz out            # then open out/graph.html
    """
