import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Prepare and serve the demo site: migrate, load the demo content, create an "
        "administrator on first run (its password is printed once), then serve on "
        "127.0.0.1:8000."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare everything but do not serve."
        )

    def handle(self, *args, addrport, no_serve=False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", verbosity=1, stdout=self.stdout)
        self.ensure_administrator()
        if not no_serve:
            # The reloader would run this whole command again in a child process.
            call_command("runserver", addrport, use_reloader=False)

    def ensure_administrator(self):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An administrator already exists; log in at /admin/ as before.")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "", password)
        self.stdout.write(
            self.style.SUCCESS(
                "Administrator created. Log in at http://127.0.0.1:8000/admin/ with\n"
                f"    username: admin\n    password: {password}\n"
                "This password is shown only once."
            )
        )
