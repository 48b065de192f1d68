import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from cirsite.site.newsroom import EDITORS

USERNAME = "editor"


class Command(BaseCommand):
    help = (
        "Create the local demo editor account (username 'editor') and print how to log in. "
        "The password comes from CIRSITE_EDITOR_PASSWORD, or is generated once and kept in "
        "var/editor_password."
    )

    def handle(self, *args, **options):
        password_file = settings.VAR_DIR / "editor_password"
        password = settings.CIRSITE_EDITOR_PASSWORD
        if not password:
            if password_file.exists():
                password = password_file.read_text().strip()
            else:
                password = secrets.token_urlsafe(12)
                password_file.parent.mkdir(parents=True, exist_ok=True)
                password_file.touch(mode=0o600)
                password_file.write_text(password + "\n")

        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=USERNAME, defaults={"email": "editor@localhost"}
        )
        if created or not user.check_password(password):
            user.set_password(password)
        user.is_staff = True
        user.is_superuser = True
        user.is_active = True
        user.save()
        editors = Group.objects.filter(name=EDITORS).first()
        if editors is not None:
            user.groups.add(editors)

        base = settings.BASE_URL
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Site:  {base}/"))
        self.stdout.write(self.style.SUCCESS(f"Admin: {base}/admin/"))
        self.stdout.write(f"Log in as '{USERNAME}' with password: {password}")
        if not settings.CIRSITE_EDITOR_PASSWORD:
            self.stdout.write(
                f"(kept in {password_file}; set CIRSITE_EDITOR_PASSWORD to choose your own)"
            )
        # A superuser, so the demo shows the whole admin; and so, as in production, held to
        # two-factor authentication: the first log-in enrols an authenticator app.
        self.stdout.write(
            "The first log-in asks you to set up two-factor authentication with an "
            "authenticator app; to start over: python manage.py two_factor_reset "
            f"{USERNAME}"
        )
        self.stdout.write("")
