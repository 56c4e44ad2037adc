"""What an import did, counted per kind, and everything skipped with the reason."""

from collections import Counter, defaultdict

KINDS = {
    "setting": "设置",
    "site": "站点",
    "channel": "栏目",
    "source": "来源",
    "attachment": "附件",
    "article": "文章",
    "page": "单网页",
    "related": "相关文章",
    "also_in": "同时发布",
    "placement": "推荐位",
    "address": "旧网址",
}
OUTCOMES = {
    "created": "新增",
    "updated": "更新",
    "unchanged": "未变",
    "skipped": "跳过",
}


class Report:
    def __init__(self, dry_run=False):
        self.dry_run = dry_run
        self.counts = defaultdict(Counter)
        self.problems = []  # (kind, message)

    def count(self, kind, outcome, n=1):
        self.counts[kind][outcome] += n

    def problem(self, kind, message):
        self.problems.append((kind, message))

    def skip(self, kind, message):
        self.count(kind, "skipped")
        self.problem(kind, message)

    def lines(self):
        head = "PHPCMS 导入预演（未写入任何数据）" if self.dry_run else "PHPCMS 导入结果"
        yield head
        yield "=" * len(head)
        for kind, label in KINDS.items():
            counts = self.counts.get(kind)
            if not counts:
                continue
            parts = [f"{OUTCOMES[o]} {counts[o]}" for o in OUTCOMES if counts[o]]
            yield f"{label}：" + "，".join(parts)
        if self.problems:
            yield ""
            yield f"问题与跳过（{len(self.problems)} 条）："
            for kind, message in self.problems:
                yield f"  [{KINDS.get(kind, kind)}] {message}"

    def text(self):
        return "\n".join(self.lines()) + "\n"
