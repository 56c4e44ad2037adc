import secrets
import shlex

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.models import Site
from articles.ops.demo.serving import DEFAULT_ADDRPORT, origin, serve_as_the_site

LOST_PASSWORD = (
    "Lost the password? Set a new one with: .venv/bin/python manage.py changepassword {}"
)


class Command(BaseCommand):
    help = (
        "Prepare and serve the demo site: migrate, load the demo content (once, into a "
        "site without content), create an administrator on first run (its password is "
        f"printed once), then serve on the address given ({DEFAULT_ADDRPORT} by default; "
        "e.g. 8001 or 0.0.0.0:8001)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport",
            nargs="?",
            default=DEFAULT_ADDRPORT,
            help=f"Port or address:port to serve on, as for runserver ({DEFAULT_ADDRPORT}).",
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare everything but do not serve."
        )

    def handle(self, *args, addrport, no_serve=False, **options):
        url = origin(addrport)  # a wrong address fails before anything is done
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", verbosity=1, stdout=self.stdout)
        self.ensure_administrator(f"{url}/admin/")
        if no_serve:
            self.county_sites()
        else:
            serve_as_the_site(url)
            self.stdout.write(f"The site: {url}/    Its administration: {url}/admin/")
            self.county_sites()
            # The reloader would run this whole command again in a child process.
            call_command("runserver", addrport, use_reloader=False)

    def county_sites(self):
        """The site group's other sites and their addresses (docs/sites.md)."""
        for site in Site.objects.filter(is_main=False):
            # Names under .localhost resolve to this machine (RFC 6761).
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, *site.host_list]
            self.stdout.write(f"    {site.name}: {site.origin}/")

    def ensure_administrator(self, login_url):
        User = get_user_model()
        admins = User.objects.filter(is_superuser=True).order_by("pk")
        if admins.exists():
            name = admins.values_list(User.USERNAME_FIELD, flat=True).first()
            self.stdout.write(
                f"An administrator already exists; log in at {login_url} as before.\n"
                + LOST_PASSWORD.format(shlex.quote(name))
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "", password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Administrator created. Log in at {login_url} with\n"
                f"    username: admin\n    password: {password}\n"
                "This password is shown only once. " + LOST_PASSWORD.format("admin")
            )
        )
