"""Domain knowledge loaded once from ``kg/data``: places, organisations, roles,
worker groups, awards and program words, plus what a user's rules file adds.

Everything is matched with one Aho-Corasick automaton over the sentence, so a
sentence is scanned once however large the lexicons grow.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

__all__ = ["Lexicon", "Place", "lexicon"]

#: Endings of occupation words that stand before a name (驾驶员王建国, 检修工李强, 列车长张华).
OCCUPATION_ENDS = ("员", "师", "工", "长", "手")
#: Words with those endings that are not a title before a name.
NOT_ROLES = frozenset({"成员", "人员", "会员", "党员", "职员", "学员", "队员", "委员长", "增长", "成长", "家长",
                       "师傅", "老师", "工人", "员工", "职工", "选手", "对手", "高手", "能手", "新手", "助手", "延长",
                       "擅长", "特长", "专长", "部长们", "技工", "民工", "用工", "务工", "复工", "开工", "施工",
                       "竣工", "员", "师", "动员", "人工", "分工", "加工", "童工", "女工", "罢工", "打工"})


def occupation_word(w: str) -> bool:
    """A dictionary noun shaped like an occupation (驾驶员, 检修工, 列车长)."""
    if not 2 <= len(w) <= 4 or not w.endswith(OCCUPATION_ENDS) or w in NOT_ROLES:
        return False
    from ..read.tokenize import tag_of

    return tag_of(w) in ("n", "nz")


PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")
CITY_SUFFIXES = ("自治州", "地区", "盟", "市")


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str
    parent: str | None
    level: str  # province, city, county

    @property
    def rank(self) -> int:
        return {"province": 1, "city": 2, "county": 3}.get(self.level, 4)


def _lines(name: str) -> Iterator[list[str]]:
    text = resources.files("kg").joinpath("data", name).read_text("utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def _short_province(name: str) -> str | None:
    if name == "内蒙古自治区":
        return "内蒙古"
    for suf in PROVINCE_SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return None


def _short_city(name: str) -> str | None:
    for suf in CITY_SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            stem = name[: -len(suf)]
            if suf == "自治州":  # 延边朝鲜族自治州 → 延边
                for i in range(2, len(stem)):
                    if stem[i:].endswith("族"):
                        return stem[:i] if i >= 2 else None
            return stem
    return None


@dataclass
class Lexicon:
    """Domain lexicons and the automaton that finds them."""

    places: dict[str, Place] = field(default_factory=dict)  # code → Place
    place_names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # name → codes
    place_short: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # short → codes
    #: short forms of counties (江都, 鄂前旗): places only beside their parent or before a suffix
    county_short: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    orgs: dict[str, tuple[str, str]] = field(default_factory=dict)  # surface → (canonical, class)
    org_suffixes: dict[str, str] = field(default_factory=dict)  # suffix → class
    roles: dict[str, str] = field(default_factory=dict)  # role → kind
    groups: dict[str, str] = field(default_factory=dict)  # surface → canonical worker group
    award_heads: set[str] = field(default_factory=set)
    programs: dict[str, str] = field(default_factory=dict)  # surface → canonical program
    program_heads: dict[str, frozenset[str]] = field(default_factory=dict)  # head → grammars
    surnames: frozenset[str] = frozenset()
    #: surname → its place in the file, commonest first
    surname_rank: dict[str, int] = field(default_factory=dict)
    extra_entities: dict[str, tuple[str, str]] = field(default_factory=dict)  # surface → (canonical, class)
    #: from a user's rules: surface → (canonical, class) that no other rule may change
    forced: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: from a user's rules: names never taken as entities
    dropped: frozenset[str] = frozenset()
    _automaton: Any = None

    # -- places -------------------------------------------------------
    def ancestors(self, code: str) -> list[str]:
        out = []
        p = self.places.get(code)
        while p is not None and p.parent:
            out.append(p.parent)
            p = self.places.get(p.parent)
        return out

    def is_ancestor(self, anc: str, code: str) -> bool:
        return anc in self.ancestors(code)

    def suffix_of(self, name: str) -> str | None:
        """The longest organisation suffix ``name`` ends with, or None."""
        best = None
        for i in range(len(name)):
            if name[i:] in self.org_suffixes:
                return name[i:]
        return best

    @property
    def award_heads_tuple(self) -> tuple[str, ...]:
        return tuple(sorted(self.award_heads))

    # -- matching -----------------------------------------------------
    def automaton(self) -> Any:
        if self._automaton is None:
            self._automaton = self._build()
        return self._automaton

    def _build(self) -> Any:
        import ahocorasick

        table: dict[str, list[tuple[str, Any]]] = defaultdict(list)
        for name, codes in self.place_names.items():
            table[name].append(("place", tuple(codes)))
        for short, codes in self.place_short.items():
            if short not in self.place_names:
                table[short].append(("place_short", tuple(codes)))
        for short, codes in self.county_short.items():
            if short not in self.place_names and short not in self.place_short:
                table[short].append(("county_short", tuple(codes)))
        for surface, (canon, cls) in self.orgs.items():
            table[surface].append(("org", (canon, cls)))
        for surface, (canon, cls) in self.extra_entities.items():
            table[surface].append(("extra", (canon, cls)))
        for suf, cls in self.org_suffixes.items():
            table[suf].append(("suffix", cls))
        for role, kind in self.roles.items():
            table[role].append(("role", kind))
        for surface, canon in self.groups.items():
            table[surface].append(("group", canon))
        for head in self.award_heads:
            table[head].append(("award_head", head))
        for surface, canon in self.programs.items():
            table[surface].append(("program", canon))
        for head, kinds in self.program_heads.items():
            table[head].append(("program_head", kinds))
        a = ahocorasick.Automaton()
        for key, entries in table.items():
            a.add_word(key, (key, tuple(entries)))
        a.make_automaton()
        return a

    def scan(self, text: str) -> list[tuple[int, int, str, tuple[tuple[str, Any], ...]]]:
        """Every lexicon hit in ``text`` as ``(start, end, surface, entries)``, overlaps included."""
        a = self.automaton()
        if len(a) == 0:
            return []
        out = []
        for end, (key, entries) in a.iter(text):
            out.append((end - len(key) + 1, end + 1, key, entries))
        out.sort(key=lambda h: (h[0], -h[1]))
        return out

    def add_rules(self, rules: dict[str, Any]) -> None:
        """Merge a user's rules (see :mod:`kg.extract.rules`) into the lexicons."""
        self.dropped = self.dropped | frozenset(rules.get("drop", []))
        for ent in rules.get("entity", []):
            canon, cls = ent["name"], ent["class"]
            for surface in [canon, *ent.get("aliases", [])]:
                self.forced[surface] = (canon, cls)
                if cls == "WorkerGroup":
                    self.groups[surface] = canon
                elif cls == "Program":
                    self.programs[surface] = canon
                else:
                    self.extra_entities[surface] = (canon, cls)
        for suf in rules.get("suffix", []):
            self.org_suffixes[suf["suffix"]] = suf["class"]
        for role in rules.get("role", []):
            self.roles[role["role"]] = role.get("kind", "office")
        for head in rules.get("award", []):
            self.award_heads.add(head)
        for head in rules.get("program_head", []):
            self.program_heads[head] = frozenset({"quoted", "titled"})
        self._automaton = None


def load_lexicon() -> Lexicon:
    """Read the bundled data files into a fresh :class:`Lexicon`."""
    lx = Lexicon()
    rows = [r for r in _lines("divisions.tsv") if "直辖" not in r[1]]  # 省直辖行政区划 is no place
    codes = {r[0] for r in rows}
    for code, name, parent, level, *rest in rows:
        if parent and parent not in codes:
            parent = code[:2] + "0000"  # directly administered counties (石河子市): under the province
        lx.places[code] = Place(code, name, parent or None, level)
        lx.place_names[name].append(code)
        if level == "county" and rest and len(rest[0]) >= 2 and rest[0] != name:
            lx.county_short[rest[0]].append(code)
        for former in (rest[1].split("|") if len(rest) > 1 and rest[1] else []):
            if former not in lx.place_names:
                lx.place_names[former].append(code)
    for p in lx.places.values():
        short = None
        if p.level == "province":
            short = _short_province(p.name)
        elif p.level == "city":
            short = _short_city(p.name)
        if short and short != p.name:
            lx.place_short[short].append(p.code)
    for row in _lines("known_orgs.tsv"):
        canon, cls = row[0], row[1]
        aliases = [a for a in (row[2].split("|") if len(row) > 2 else []) if a]
        for surface in [canon, *aliases]:
            lx.orgs[surface] = (canon, cls)
    for suf, cls in _lines("org_suffixes.tsv"):
        lx.org_suffixes[suf] = cls
    for role, kind in _lines("roles.tsv"):
        lx.roles[role] = kind
    for row in _lines("worker_groups.tsv"):
        canon = row[0]
        for surface in [canon, *[a for a in (row[1].split("|") if len(row) > 1 else []) if a]]:
            lx.groups[surface] = canon
    for row in _lines("awards.tsv"):
        lx.award_heads.add(row[0])
    for row in _lines("programs.tsv"):
        canon = row[0]
        for surface in [canon, *[a for a in (row[1].split("|") if len(row) > 1 else []) if a]]:
            lx.programs[surface] = canon
    for row in _lines("program_heads.tsv"):
        lx.program_heads[row[0]] = frozenset(row[1].split())
    ranked = [r[0] for r in _lines("surnames.txt")]
    lx.surnames = frozenset(ranked)
    lx.surname_rank = {name: i for i, name in reversed(list(enumerate(ranked)))}
    return lx


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shared bundled lexicon (built once per process)."""
    return load_lexicon()
