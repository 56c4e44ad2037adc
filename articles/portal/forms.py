from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.hant.conversion import hant_if_active
from articles.search import query as search


class SearchForm(forms.Form):
    """The search page's query and filters; a value that does not make sense is ignored."""

    q = forms.CharField(label=_("关键词"), required=False)
    channel = forms.ChoiceField(label=_("栏目"), required=False)
    start = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data, tree):
        super().__init__(data)
        self.tree = tree
        self.fields["channel"].choices = [("", _("全部栏目"))] + [
            (channel.slug, "\u3000" * depth + hant_if_active(channel.name))
            for channel, depth in tree.walk()
        ]

    def search_params(self):
        """The parsed query and the filters, from whatever validated."""
        self.is_valid()
        data = self.cleaned_data
        channel = self.tree.by_slug(data.get("channel") or "")
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            start, end = end, start
        filters = search.Filters(
            channel_ids=tuple(self.tree.descendant_ids(channel)) if channel else None,
            start=_midnight(start) if start else None,
            end=_midnight(end, next_day=True) if end else None,
        )
        return search.parse(data.get("q") or self.data.get("q", "")), filters


def _midnight(day, next_day=False):
    """The start of ``day`` in the site's time zone; None far from any article's date,
    where converting to UTC could overflow the calendar."""
    if not 1900 <= day.year <= 2999:
        return None
    if next_day:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min))
