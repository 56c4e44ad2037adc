"""Template tags of the editors' desk."""

from django import template
from django.urls import reverse

from articles.editorial import queue

register = template.Library()


@register.inclusion_tag("admin/desk/work_queue.html", takes_context=True)
def work_queue(context):
    request = context["request"]
    return {"shelves": queue.for_user(request.user, reverse("admin:articles_article_changelist"))}
