"""What readers and editors get when part of the site fails.

- The database cannot be reached: readers get the branded 503 page "暂时无法访问"
  (``templates/503.html``, rendered without the database), staff in the admin a plain
  message saying what happened and what to do; both with Retry-After. Pages still in
  the page cache go on being served.
- A save fails in the database: the admin form comes back with everything typed in it
  and a message, instead of an error page that loses the editor's work.

The cache server being down is handled by the cache itself (articles/cache.py).
"""

import logging
import sys
from contextvars import ContextVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils import translation
from django.views.defaults import server_error as default_server_error

from articles.images import STORAGE_ERRORS
from articles.ops.security import is_admin_path

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 60
# The message of a save that just failed, while a ModelAdmin shows its form again (below).
_failed_save = ContextVar("failed_save", default=None)
# Errors that say the database is out of reach, not that a query was wrong.
UNREACHABLE = (OperationalError, InterfaceError)

STAFF_MESSAGE = (
    "数据库暂时无法连接，刚才的操作没有完成；如果是在保存，内容没有保存。\n"
    "请用浏览器的“后退”回到编辑页（填写的内容一般仍在），过一两分钟再保存。\n"
    "如果一直出现这个提示，请联系网站的系统管理员。\n"
)


def server_error(request, template_name="500.html"):
    """handler500: the 503 page when the database is unreachable, else the 500 page,
    each in the script of the address asked for."""
    if isinstance(sys.exc_info()[1], UNREACHABLE):
        return database_unavailable(request)
    with translation.override(_language_of(request)):
        return default_server_error(request, template_name)


def database_unavailable(request):
    if request is not None and is_admin_path(request.path):
        response = HttpResponse(STAFF_MESSAGE, content_type="text/plain; charset=utf-8")
    else:
        # No request and no context processors: nothing here may touch the database.
        # The Traditional strings come from the compiled catalogue, not from OpenCC.
        with translation.override(_language_of(request)):
            response = HttpResponse(loader.get_template("503.html").render())
    response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _language_of(request):
    """The language of the address itself: the failure may come before LocaleMiddleware
    has activated it, or after something else changed it."""
    if request is None:
        return settings.LANGUAGE_CODE
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


class KeepTypedOnFailureMixin:
    """For a ModelAdmin: a save that fails in the database or in the media storage (a
    full disk under a cover image) shows the form again, filled.

    The failed attempt is rolled back whole (the admin saves in one transaction, and the
    storage removes a file it could not finish); the form is then rendered once more
    from the same POST, refused with a message, so that the editor loses nothing and can
    simply save again. A second failure (the database is really gone) ends in the 503
    message above.
    """

    save_failed_message = (
        "保存时数据库出错，这次没有保存。你填写的内容都还在下面（如果选择过图片文件，"
        "请重新选择），请稍后再点保存。"
    )
    storage_failed_message = (
        "保存时图片没有存进去：服务器的存储空间已满或无法写入，这次没有保存。你填写的内容"
        "都还在下面，请重新选择图片文件，稍后再点保存；如果一直这样，请告诉网站的系统管理员。"
    )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (DatabaseError, *STORAGE_ERRORS) as exc:
            if request.method != "POST" or _failed_save.get():
                raise
            logger.exception("Saving %s failed; the form is shown again", self.model._meta.label)
            message = (
                self.save_failed_message
                if isinstance(exc, DatabaseError)
                else self.storage_failed_message
            )
            # Messages queued by the failed attempt ("…已保存") are not true: drop them.
            list(messages.get_messages(request))
            showing = _failed_save.set(message)
            try:
                return super().changeform_view(request, object_id, form_url, extra_context)
            finally:
                _failed_save.reset(showing)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        message = _failed_save.get()
        if not message:
            return form

        def clean(self):
            super(refused, self).clean()
            raise ValidationError(message, code="save_failed")

        refused = type(form.__name__, (form,), {"clean": clean})
        return refused
