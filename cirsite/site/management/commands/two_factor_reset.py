from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cirsite.site.two_factor import is_required_without_device, remove_devices


class Command(BaseCommand):
    help = (
        "Remove the two-factor authenticator of USERNAME (lost phone, lock-out after wrong "
        "codes). Their sessions lose their verification at once; if two-factor is required of "
        "them they set up a new authenticator at their next log-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        removed = remove_devices(user, removed_by="manage.py two_factor_reset")
        if not removed:
            self.stdout.write(f"{username} has no two-factor authenticator; nothing to reset.")
            return
        then = (
            "they must set up a new one at their next log-in"
            if is_required_without_device(user)
            else "they log in with their password alone until they set up a new one"
        )
        self.stdout.write(
            self.style.SUCCESS(f"Removed the two-factor authenticator of {username}; {then}.")
        )
