"""来源: the copyfrom list and the free text typed beside it → Source."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from articles.importer.phpcms import text
from articles.models import Source

_url = URLValidator(schemes=["http", "https"])


def _valid_url(value):
    try:
        _url(value)
    except ValidationError:
        return ""
    return value[:200]


class Sources:
    """Finds or makes the Source of an article's copyfrom value, one query per new name."""

    def __init__(self, entries, report, dry_run=False):
        self.entries = entries  # {copyfrom id: tables.CopyFrom}
        self.report = report
        self.ids = dict(Source.objects.values_list("name", "pk"))
        self.dangling = set()
        self.counted = set()  # names this run has counted in the report

    def _count(self, name, outcome):
        if name not in self.counted:
            self.counted.add(name)
            self.report.count("source", outcome)

    def _named(self, name, url=""):
        name = text.title(name)[:100]
        if not name:
            return None
        if name in self.ids:
            # Listed or typed, a source found again is counted once, as it was made.
            self._count(name, "unchanged")
        else:
            source = Source.objects.create(name=name, url=_valid_url(url))
            self.ids[name] = source.pk
            self._count(name, "created")
        return self.ids[name]

    def write_list(self, progress):
        """The copyfrom list itself, so that entries no article names yet are kept too."""
        for entry in progress(list(self.entries.values()), "来源"):
            self._named(entry.sitename, entry.siteurl)

    def source_id(self, value, where):
        """The source of a stored copyfrom value (reference §6.4: the list entry's name
        wins; the typed text is its link; a deleted entry falls back to the text)."""
        parsed = text.copyfrom(value)
        if parsed.entry_id:
            entry = self.entries.get(parsed.entry_id)
            if entry is not None and entry.sitename.strip():
                return self._named(entry.sitename, entry.siteurl)
            if parsed.entry_id not in self.dangling:
                self.dangling.add(parsed.entry_id)
                self.report.problem(
                    "source", f"来源编号 {parsed.entry_id} 已不存在（{where}），改用填写的文字"
                )
        if not parsed.text or text.looks_like_url(parsed.text):
            if parsed.text:
                self.report.problem(
                    "source", f"{where} 的来源只有网址 {parsed.text[:80]}，未设来源"
                )
            return None
        return self._named(parsed.text)
