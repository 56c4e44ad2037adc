"""Realistic generated articles for benchmarks, built from the demo content's words."""

import random
import re
from datetime import timedelta

from django.utils import timezone

from articles.ops.demo.loader import load_content
from articles.sanitize import html_to_blocks

PLACES = [
    "秀峰区",
    "叠彩区",
    "象山区",
    "七星区",
    "雁山区",
    "临桂区",
    "阳朔县",
    "灵川县",
    "全州县",
    "兴安县",
    "永福县",
    "灌阳县",
    "龙胜",
    "资源县",
    "平乐县",
    "荔浦市",
    "恭城",
]
TOPICS = [
    "开展专项监督",
    "推进清廉村居建设",
    "紧盯节日“四风”",
    "压实全面从严治党责任",
    "深化以案促改",
    "召开警示教育大会",
    "整治群众身边不正之风",
    "推动巡察整改落地见效",
    "强化“一把手”监督",
    "护航乡村振兴",
]


def sentences():
    """Every sentence of the demo articles, the raw material of generated bodies."""
    found = []
    for item in load_content()["articles"]:
        for block in html_to_blocks(item["body"]):
            found.extend(s + "。" for s in re.split(r"。", block) if len(s) > 8)
    return found


def generate(count, channels, sources, seed=20261125):
    """Yield ``count`` unsaved-article field dicts spread over ``channels``."""
    rng = random.Random(seed)
    pool = sentences()
    now = timezone.now()
    for i in range(count):
        paragraphs = []
        length = 0
        target = rng.randint(800, 1500)
        while length < target:
            text = "".join(rng.choice(pool) for _ in range(rng.randint(2, 4)))
            paragraphs.append(f"<p>\u3000\u3000{text}</p>")
            length += len(text)
        first = re.sub(r"<[^>]+>", "", paragraphs[0]).strip("\u3000")
        yield {
            "title": f"{rng.choice(PLACES)}：{rng.choice(TOPICS)}（{i + 1}）",
            "channel": rng.choice(channels),
            "source": rng.choice(sources),
            "summary": first[:150],
            "body": "\n".join(paragraphs),
            "published_at": now - timedelta(minutes=10 * (count - i)),
        }
