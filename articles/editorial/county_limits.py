"""What a county site's staff may do outside their articles (docs/sites.md, "Roles per
site").

A county's 管理员 runs that site: its settings, its footer links, its own channels and
its own staff. What the group shares — the sites themselves (host names, who works for
which site), the shared channels, slots, roles, the 繁體 corrections, the inspection
rules — stays with the group's administrators: a county's staff may look at it where
their role lets them, never change it. Each admin reads through ``get_queryset`` and
asks ``has_*_permission``, so a forged request for another site's row finds nothing.
"""

from articles.models.sites import SiteStaff, county_site_of


class GroupWideMixin:
    """For the admin of something the whole group shares: read-only to county staff.

    ``county_may_add`` keeps adding open (a 来源 typed on the article form).
    """

    county_may_add = False

    def has_add_permission(self, request, *args, **kwargs):
        if county_site_of(request.user) is not None and not self.county_may_add:
            return False
        return super().has_add_permission(request, *args, **kwargs)

    def has_change_permission(self, request, obj=None):
        if county_site_of(request.user) is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if county_site_of(request.user) is not None:
            return False
        return super().has_delete_permission(request, obj)


class OwnSiteMixin:
    """For the admin of rows that belong to one site (``site_field``): county staff see
    and change their site's only, and what they add is their site's whatever the form
    sent (the field is not on their form)."""

    site_field = "site"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        county = county_site_of(request.user)
        return rows if county is None else rows.filter(**{self.site_field: county})

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if county_site_of(request.user) is not None:
            exclude.append(self.site_field)
        return exclude

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if county_site_of(request.user) is None:
            return fieldsets
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f != self.site_field]})
            for name, opts in fieldsets
        ]

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if county_site_of(request.user) is None:
            return filters
        return [f for f in filters if f != self.site_field]

    def save_model(self, request, obj, form, change):
        county = county_site_of(request.user)
        if county is not None:
            setattr(obj, self.site_field, county)
        super().save_model(request, obj, form, change)


class OwnStaffMixin:
    """For the admin of accounts: county staff manage their site's accounts only, and an
    account they create works for their site."""

    def get_queryset(self, request):
        users = super().get_queryset(request)
        county = county_site_of(request.user)
        return users if county is None else users.filter(site_staff__site=county)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        county = county_site_of(request.user)
        if county is not None and not change:
            SiteStaff.objects.get_or_create(user=obj, defaults={"site": county})


class OwnStaffLocksMixin:
    """For the list of login locks: who tried to log in as whom, and from where, is
    a site's own business. County staff see, and may lift, the locks on their site's
    accounts only; attempts on names nobody has are the group's to watch."""

    def get_queryset(self, request):
        locks = super().get_queryset(request)
        county = county_site_of(request.user)
        if county is None:
            return locks
        names = SiteStaff.objects.filter(site=county).values("user__username")
        return locks.filter(username__in=names)
