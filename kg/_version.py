"""The version of gonghui-kg (also in pyproject.toml), below every stage so that any module may name it."""

__version__ = "0.1.0"
