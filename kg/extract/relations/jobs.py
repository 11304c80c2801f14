"""Jobs: who works for which enterprise or institution, beyond titles before the name.

A rider or driver who works through a platform is not thereby employed by
it: only the platform's own title before the name (美团外卖骑手徐昌顺) links
them, and at a lower confidence (see :mod:`.posts`).
"""

from __future__ import annotations

from .base import SentenceView, family
from .posts import top_unit


@family("employed-de", ("employedBy",), examples=[
    ("中国航天科技集团有限公司第五研究院529厂的郑兴是一名技师。",
     {("郑兴", "employedBy", "中国航天科技集团有限公司")}),
])
def employed_de(v: SentenceView) -> None:
    """ENTERPRISE(…)的PERSON."""
    for p in v.persons:
        ps = v.s(p)
        if ps == 0 or v.text[ps - 1] != "的":
            continue
        org = next((o for o in v.top_orgs if v.e(o) <= ps - 1 and ps - 1 - v.e(o) <= 6 and o.cls == "Enterprise"
                    and not any(c in v.text[v.e(o):ps] for c in "，。、；：")), None)
        if org is not None:
            v.relate(p, "employedBy", top_unit(org, v), 0.8, "employedBy:de")
