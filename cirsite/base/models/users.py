from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The project's own user model, so that fields can be added later without a migration
    of Django's auth tables."""

    class Meta:
        db_table = "cirsite_user"
