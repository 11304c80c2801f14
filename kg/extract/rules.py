"""User rules: extend the lexicons without code (``kg build --rules FILE``).

A TOML file such as::

    # names with their class and aliases
    [[entity]]
    name = "陕西工人报"
    class = "OtherOrganization"
    aliases = ["陕工报"]

    [[entity]]
    name = "网约配送员"
    class = "WorkerGroup"
    aliases = ["外卖小哥"]

    # an organisation suffix and the class it gives
    [[suffix]]
    suffix = "驿站"
    class = "OtherOrganization"

    # a role word before a person's name (office, occupation or press)
    [[role]]
    role = "网格员"
    kind = "occupation"

    award = ["最美快递员"]          # honour heads (need a level prefix: 全国, a place)
    program_head = ["服务季"]        # words that end a program name
    drop = ["普惠卡", "和企业"]       # false names: never an entity, whatever rule finds them

A name or alias given under ``[[entity]]`` is also forced to its class
wherever the text uses it: a rule that types 蓝海鲸 as a person is overruled.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ..errors import RulesError
from ..model import CLASSES

__all__ = ["load_rules"]

ROLE_KINDS = ("office", "occupation", "press")


def load_rules(path: str | Path) -> dict[str, Any]:
    """Read and check a rules file; :class:`RulesError` says what is wrong and where."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text("utf-8"))
    except OSError as e:
        raise RulesError(f"{p}: cannot read rules file ({e.strerror})") from None
    except UnicodeDecodeError:
        raise RulesError(f"{p}: rules file is not UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        raise RulesError(f"{p}: not valid TOML ({e})") from None
    known = {"entity", "suffix", "role", "award", "program_head", "drop"}
    extra = sorted(set(data) - known)
    if extra:
        raise RulesError(f"{p}: unknown section {extra[0]!r} (expected one of {', '.join(sorted(known))})")
    for i, ent in enumerate(data.get("entity", []), 1):
        if not isinstance(ent, dict) or not isinstance(ent.get("name"), str) or not ent["name"].strip():
            raise RulesError(f"{p}: entity #{i} needs a name")
        if ent.get("class") not in CLASSES:
            raise RulesError(f"{p}: entity {ent['name']!r} has class {ent.get('class')!r}; "
                             f"expected one of {', '.join(CLASSES)}")
        if not all(isinstance(a, str) and a for a in ent.get("aliases", [])):
            raise RulesError(f"{p}: entity {ent['name']!r}: aliases must be a list of names")
    for i, suf in enumerate(data.get("suffix", []), 1):
        if not isinstance(suf, dict) or not suf.get("suffix") or suf.get("class") not in CLASSES:
            raise RulesError(f"{p}: suffix #{i} needs a suffix and a class")
    for i, role in enumerate(data.get("role", []), 1):
        if not isinstance(role, dict) or not role.get("role") or role.get("kind", "office") not in ROLE_KINDS:
            raise RulesError(f"{p}: role #{i} needs a role and a kind of {', '.join(ROLE_KINDS)}")
    for key in ("award", "program_head", "drop"):
        if not all(isinstance(x, str) and x for x in data.get(key, [])):
            raise RulesError(f"{p}: {key} must be a list of words")
    return data
