"""Two-factor authentication for the admin: who must use a second factor, the middleware that
holds everyone else at the door of ``/admin/``, and the enrolment QR code.

The factor is a time-based one-time code (TOTP, RFC 6238) from an authenticator app, kept by
django-otp (``django_otp.plugins.otp_totp``). After the password (throttled by django-axes) an
admin request is let through only when the session has been verified with a code:

- a user with a confirmed device must give a code once per session;
- a user without one must enrol first when the policy requires it of them: superusers always;
  with ``TWO_FACTOR_REQUIRED_FOR=editors`` everyone who may use the admin;
- anyone else may enrol voluntarily from their account, and is then held to it like the rest.

Outside the admin such a half-logged-in session is anonymous: the password alone opens no
private document and no page with a "logged-in users" privacy (``UnverifiedIsAnonymousMiddleware``).

Wrong codes are throttled by django-otp per device: after n wrong codes in a row the next is
not even checked for ``OTP_TOTP_THROTTLE_FACTOR * 2**(n-1)`` seconds.
"""

import logging
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.safestring import mark_safe
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from cirsite.site.security import is_admin_path, keep_private

logger = logging.getLogger(__name__)

SETUP_URL_NAME = "cirsite_two_factor_setup"
VERIFY_URL_NAME = "cirsite_two_factor_verify"
MANAGE_URL_NAME = "cirsite_two_factor"
USERS_URL_NAME = "cirsite_two_factor_users"
RESET_URL_NAME = "cirsite_two_factor_reset"

# Admin URLs a half-logged-in user may still reach: leaving, the two doors themselves, and what
# those pages load (the icon sprite and the translation catalogue). Password reset is for
# anonymous users and ends in a fresh log-in, which asks for the code again.
OPEN_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    SETUP_URL_NAME,
    VERIFY_URL_NAME,
}


def is_required_without_device(user):
    """Whether ``user`` must enrol before using the admin (a device, once there, is always
    required)."""
    if user.is_superuser:
        return True
    if settings.TWO_FACTOR_REQUIRED_FOR == "editors":
        return user.has_perm("wagtailadmin.access_admin")
    return False


def confirmed_device(user):
    """The user's authenticator, or None. One per user: enrolling again means a reset first."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_device(user):
    """The unconfirmed device an enrolment in progress shows, created on first need so that a
    reload keeps the secret the user may already have scanned."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def remove_devices(user, removed_by=None):
    """Forget every second factor of ``user`` (lost phone, new phone, lock-out). Their current
    sessions lose their verification at once: OTPMiddleware finds the device gone. Returns how
    many devices were removed."""
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    logger.warning(
        "Two-factor devices of %s removed (%d) by %s",
        user.get_username(),
        len(devices),
        removed_by or "a management command",
    )
    return len(devices)


def qr_code_svg(device):
    """The device's otpauth:// address as an inline SVG QR code: made here, never by an
    external service, and nothing for the admin's Content-Security-Policy to load."""
    image = qrcode.make(
        device.config_url,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        box_size=10,
        border=4,
    )
    root = image.get_image()
    root.set("width", "220")
    root.set("height", "220")
    root.set("role", "img")
    root.set("aria-label", "QR code for your authenticator app")
    return mark_safe(image.to_string(encoding="unicode"))  # made here from our own data


def is_open_path(path):
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name in OPEN_URL_NAMES


# The front-end log-in page Wagtail sends readers to from a private page or document.
FRONTEND_LOGIN_URL_NAME = "wagtailcore_login"


def door_for(request):
    """Where an admin request must go first, or None if it may proceed."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    if user_has_device(user):
        return VERIFY_URL_NAME
    if is_required_without_device(user):
        return SETUP_URL_NAME
    return None


class TwoFactorMiddleware:
    """Sends an admin request that needs a second factor to the verify or enrolment page,
    keeping where it was going in ``next``. Needs OTPMiddleware above it (``is_verified``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_admin_path(request.path_info):
            # The door first: for a verified editor it costs no URL resolving at all.
            door = door_for(request)
            if door is not None and not is_open_path(request.path_info):
                target = reverse(door)
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return redirect(target)
        return self.get_response(request)


def anonymous_user():
    """An AnonymousUser as OTPMiddleware leaves one, so code below it may ask ``is_verified``."""
    user = AnonymousUser()
    user.otp_device = None
    user.is_verified = lambda: False
    return user


async def anonymous_auser():
    return anonymous_user()


class UnverifiedIsAnonymousMiddleware:
    """Outside the admin, a session that gave the password but still owes its second factor is
    anonymous for the whole request, as if the password had not been given: otherwise the
    password alone would open private documents and pages, which is what the second factor
    is there to prevent.

    Right below OTPMiddleware, so that every middleware and view after it (the anonymous body
    limit, Wagtail's privacy checks, the userbar) sees the anonymous user. The session is left
    as it is, so that the code can still be given in the admin (and CSRF, which does not depend
    on the user, works as for any reader). The page cache above never stores or answers a
    request carrying a session cookie, and these responses are marked private all the same.
    The front-end log-in page, where Wagtail sends a reader to a private page, sends such a
    session on to the code it owes instead of asking for the password again, in a loop."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_admin_path(request.path_info):
            return self.get_response(request)
        door = door_for(request)
        if door is None:
            return self.get_response(request)
        if is_frontend_login(request.path_info):
            target = reverse(door)
            if request.GET.get("next"):
                # The code page checks that ``next`` stays on this site.
                target += "?" + urlencode({"next": request.GET["next"]})
            return keep_private(redirect(target))
        request.user = anonymous_user()
        request.auser = anonymous_auser
        return keep_private(self.get_response(request))


def is_frontend_login(path):
    try:
        return resolve(path).url_name == FRONTEND_LOGIN_URL_NAME
    except Resolver404:
        return False
