"""The article's preview: its public page, marked as a preview, never cached.

Opened from the form, the preview shows what is on the screen: the form is posted here
(in a new tab) and the article is rendered with what was typed, without saving. Opened
by its address (or from a read-only form), it shows the saved version, and says so.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from articles.models import Article
from articles.portal.views import for_article_page, render_article


class PreviewAdminMixin:
    """For the article ModelAdmin: ``preview_view`` at <id>/preview/."""

    def has_preview_permission(self, request):
        return self.has_change_permission(request)

    def preview_view(self, request, object_id):
        if not self.has_preview_permission(request):
            raise PermissionDenied
        published = Article.objects.published()
        try:
            article = for_article_page(self.get_queryset(request), published).get(
                pk=unquote(object_id)
            )
        except (Article.DoesNotExist, ValueError, ValidationError):
            raise Http404("没有这篇文章") from None
        typed = request.method == "POST"
        if typed:
            if not self.has_change_permission(request, article):
                raise PermissionDenied
            article = self.typed_article(request, article)
        context = {"preview": True, "preview_typed": typed}
        response = render_article(request, article, published, context)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def typed_article(self, request, article):
        """``article`` as the posted form has it, cleaned as a save would, not saved.

        A field the form refuses keeps its saved value; so does the cover (a file chosen
        but not uploaded yet has no address to show).
        """
        form_class = self.get_form(request, article, change=True)
        form = form_class(request.POST, instance=article)
        form.is_valid()  # fills form.instance with every field that is valid
        article = form.instance
        article.prepare_for_save()
        return article
