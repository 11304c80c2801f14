"""Does the cost of a build grow linearly with the length of one article?

Writes one article without a single line break (a headline, a lead, then
sentences drawn at random from templates of union news whose names, places
and figures vary, so that the article keeps naming new unions, enterprises,
programs and people as it grows) and times ``kg build`` of it, each in a
process of its own, against a build of ordinary articles (:mod:`corpus`).
Reports characters, wall time, microseconds per character, the ratio to the
ordinary articles and the peak resident memory of the build's process tree.

    python benchmarks/long_article.py                    # 20 MB against 2,000 ordinary articles
    python benchmarks/long_article.py --mb 2 4 --ordinary 500
    python benchmarks/long_article.py --write /tmp/long.txt --mb 2   # only write the article
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from run import _tree_rss_kb  # noqa: E402

#: Slots of the templates.
PLACES = ("江宁区", "秦淮区", "鼓楼区", "浦口区", "六合区", "溧水区", "高淳区", "玄武区", "建邺区", "栖霞区",
          "雨花台区", "江北新区")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英海燕志强晓东丽华文斌春梅振宇红霞"
BRAND = "恒安瑞丰鑫达华信宏远金通顺捷永盛嘉和德泰"
TRADES = ("物流", "建材", "食品", "纺织", "电子", "物业", "餐饮", "运输")
SKILLS = ("焊工", "电工", "叉车", "育婴", "茶艺", "维修", "烹饪", "快递")
GROUPS = ("货车司机", "快递员", "外卖骑手", "网约车司机", "环卫工人", "家政服务员")

TEMPLATES = (
    "{place}总工会主席{person}在座谈会上介绍，今年以来全区新建基层工会{n}家，发展会员{big}人。",
    "{place}总工会联合区人社局开展“技能提升月”活动，为{big}名{group}提供免费培训。",
    "{person}是{firm}的一名{group}，他说：“加入工会以后，遇到困难有了娘家人。”",
    "截至10月底，{place}累计发放困难职工帮扶资金{n}万元，惠及职工{big}户。",
    "{firm}成立工会，{n}名{group}当天加入工会。",
    "据了解，该项目已覆盖全区{n}个街道、{small}个社区，服务职工超过{big}人次。",
    "{place}总工会主办的第{small}届{place}职工{skill}技能大赛日前落幕，{n}名选手参加比赛。",
    "{person}、{person2}荣获全国五一劳动奖章，二人分别来自一线生产和科研岗位。",
    "下一步，{place}总工会将继续推进“暖心驿站”建设，计划再建成{n}座户外劳动者服务站点。",
    "{firm}工会主席{person}表示，企业与职工签订集体合同{small}份，职工工资平均增长{pct}%。",
)


def _firm(rnd: random.Random) -> str:
    return f"{rnd.choice(PLACES)}{rnd.choice(BRAND)}{rnd.choice(BRAND)}{rnd.choice(TRADES)}有限公司"


def _person(rnd: random.Random) -> str:
    return rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN)


def long_article(nbytes: int, seed: int = 0) -> str:
    """An article of about ``nbytes`` bytes of UTF-8 with no line break at all."""
    rnd = random.Random(seed)
    parts = [f"{PLACES[0]}总工会多措并举服务新就业形态劳动者", "本报讯（记者张明 通讯员李华）"]
    size = sum(len(p.encode()) for p in parts)
    while size < nbytes:
        s = rnd.choice(TEMPLATES).format(
            place=rnd.choice(PLACES), person=_person(rnd), person2=_person(rnd), firm=_firm(rnd),
            group=rnd.choice(GROUPS), skill=rnd.choice(SKILLS), n=rnd.randint(2, 999),
            small=rnd.randint(1, 30), big=rnd.randint(100, 99999), pct=rnd.randint(2, 15))
        parts.append(s)
        size += len(s.encode())
    return "".join(parts)


def timed_build(inputs: list[str], out: Path) -> dict[str, float]:
    """``kg build`` in a process of its own: wall seconds and the peak RSS (MB) of its process tree."""
    cmd = [sys.executable, "-m", "kg", "build", *inputs, "-o", str(out), "-q", "--no-viewer", "--jobs", "1"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=HERE.parent)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.05)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"kg build {' '.join(inputs)} failed with exit code {os.waitstatus_to_exitcode(status)}")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": peak / 1024,
            "chars": sum(d["chars"] for d in manifest["document_list"])}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, nargs="+", default=[20.0], help="sizes of the long article, MB of UTF-8")
    ap.add_argument("--ordinary", type=int, default=2000, help="ordinary synthetic articles to compare with")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--write", metavar="FILE", help="write the article (first --mb) to FILE and stop")
    ap.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    args = ap.parse_args(argv)
    if args.write:
        Path(args.write).write_text(long_article(int(args.mb[0] * 1e6), args.seed), "utf-8")
        return 0
    from corpus import write_corpus

    work = Path(tempfile.mkdtemp(prefix="long-article-"))
    rows = []
    try:
        write_corpus(args.ordinary, work / "ordinary", seed=args.seed)
        r = timed_build([str(work / "ordinary")], work / "out-ordinary")
        rows.append({"input": f"{args.ordinary} ordinary articles", **r})
        for mb in args.mb:
            path = work / f"long-{mb:g}mb.txt"
            path.write_text(long_article(int(mb * 1e6), args.seed), "utf-8")
            r = timed_build([str(path)], work / f"out-{mb:g}")
            rows.append({"input": f"one {mb:g} MB article, no line break", **r})
            shutil.rmtree(work / f"out-{mb:g}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    base = rows[0]["wall_s"] / rows[0]["chars"]
    cpu_base = rows[0]["cpu_s"] / rows[0]["chars"]
    print("| input | characters | wall s | µs per character | ratio | CPU µs per character | ratio | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        per, cpu = row["wall_s"] / row["chars"], row["cpu_s"] / row["chars"]
        row.update(us_per_char=per * 1e6, ratio=per / base, cpu_us_per_char=cpu * 1e6, cpu_ratio=cpu / cpu_base)
        print(f"| {row['input']} | {row['chars']:,} | {row['wall_s']:.1f} | {per * 1e6:.1f} | {per / base:.2f} | "
              f"{cpu * 1e6:.1f} | {cpu / cpu_base:.2f} | {row['peak_rss_mb']:,.0f} |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
