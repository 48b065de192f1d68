"""The admin's two-factor pages: enrolment (secret, QR code and a first code), the code asked
for after the password, each editor's own page (status, remove or replace their authenticator)
and the superusers' overview, where another editor's authenticator can be reset.

The policy and the middleware that sends people here are in ``cirsite.site.two_factor``."""

from base64 import b32encode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from cirsite.site.two_factor import (
    MANAGE_URL_NAME,
    RESET_URL_NAME,
    SETUP_URL_NAME,
    USERS_URL_NAME,
    VERIFY_URL_NAME,
    confirmed_device,
    is_required_without_device,
    pending_device,
    qr_code_svg,
    remove_devices,
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from your authenticator app",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self):
        # Apps show the code as "123 456"; people type it that way too.
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the 6 digits your authenticator app shows.")
        return code


def next_url(request):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def seconds_until_allowed(device):
    """How long a throttled device refuses every code, or 0 if it takes one now."""
    allowed, details = device.verify_is_allowed()
    if allowed or not details or "locked_until" not in details:
        return 0
    return max(1, int((details["locked_until"] - timezone.now()).total_seconds() + 0.999))


def plural_seconds(count):
    return f"{count} second" if count == 1 else f"{count} seconds"


def check_code(request, device, form):
    """Checks the form's code against ``device``; returns the device on success, or None with
    the reason added to the form. A throttled device is not asked at all (``form.throttled``)."""
    wait = seconds_until_allowed(device)
    form.throttled = bool(wait)
    if wait:
        form.add_error(
            "code",
            f"Too many wrong codes. Wait {plural_seconds(wait)}, then enter the newest code. "
            "Each wrong code doubles the wait.",
        )
        return None
    verified = verify_token(request.user, device.persistent_id, form.cleaned_data["code"])
    if verified is None:
        device.refresh_from_db()
        wait = seconds_until_allowed(device)
        form.add_error(
            "code",
            "That code is not right. Check that your phone's clock is correct and use the "
            f"newest code; you can try again in {plural_seconds(wait)}.",
        )
    return verified


def mark_verified(request, device):
    # A new session key for the now fully logged-in session, as Django gives one at log-in.
    request.session.cycle_key()
    otp_login(request, device)


def setup(request):
    """Enrolment: scan the QR code (or type the secret), then prove it with a first code."""
    user = request.user
    if confirmed_device(user) is not None:
        if not user.is_verified():
            return redirect(reverse(VERIFY_URL_NAME) + "?" + request.GET.urlencode())
        return redirect(MANAGE_URL_NAME)
    device = pending_device(user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if check_code(request, device, form) is not None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            mark_verified(request, device)
            messages.success(
                request,
                "Two-factor authentication is on: you will be asked for a code each time you "
                "log in.",
            )
            return redirect(next_url(request))
        status = 429 if form.throttled else 200
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "site/two_factor/setup.html",
        {
            "form": form,
            "qr_code": qr_code_svg(device),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": is_required_without_device(user),
            "next": next_url(request),
        },
        status=status,
    )


def verify(request):
    """The code asked for after the password, once per session."""
    user = request.user
    device = confirmed_device(user)
    if device is None:
        return redirect(reverse(SETUP_URL_NAME) + "?" + request.GET.urlencode())
    if user.is_verified():
        return redirect(next_url(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        verified = check_code(request, device, form)
        if verified is not None:
            mark_verified(request, verified)
            return redirect(next_url(request))
        status = 429 if form.throttled else 200
    return render(
        request,
        "site/two_factor/verify.html",
        {"form": form, "next": next_url(request)},
        status=status,
    )


def manage(request):
    """An editor's own two-factor page: whether it is on, and removing or replacing it."""
    user = request.user
    if request.method == "POST":
        remove_devices(user, removed_by=user.get_username())
        if is_required_without_device(user):
            messages.warning(request, "Your authenticator was removed. Set up a new one now.")
            return redirect(SETUP_URL_NAME)
        messages.success(request, "Two-factor authentication is off for your account.")
        return redirect(MANAGE_URL_NAME)
    return render(
        request,
        "site/two_factor/manage.html",
        {
            "device": confirmed_device(user),
            "required": is_required_without_device(user),
            "page_title": "Two-factor authentication",
            "header_icon": "key",
        },
    )


def admin_users():
    """Everyone who can open the admin, directly or through a group."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__codename="access_admin")
            | Q(groups__permissions__codename="access_admin")
        )
        .distinct()
        .order_by("username")
    )


def users(request):
    """Superusers' overview: who has enrolled, who must, and a reset for each."""
    if not request.user.is_superuser:
        raise PermissionDenied
    enrolled = dict(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", "created_at"))
    rows = [
        {
            "user": user,
            "enrolled_at": enrolled.get(user.pk),
            "enrolled": user.pk in enrolled,
            "required": is_required_without_device(user),
        }
        for user in admin_users()
    ]
    return render(
        request,
        "site/two_factor/users.html",
        {"rows": rows, "page_title": "Two-factor authentication", "header_icon": "key"},
    )


@require_POST
def reset(request, user_id):
    """A superuser removes another editor's authenticator (lost phone): at their next request
    they are asked to enrol again, if they must."""
    if not request.user.is_superuser:
        raise PermissionDenied
    target = get_object_or_404(get_user_model(), pk=user_id)
    removed = remove_devices(target, removed_by=request.user.get_username())
    if removed:
        messages.success(
            request,
            f"Two-factor authentication of {target.get_username()} was reset; they set up "
            "a new authenticator at their next log-in.",
        )
    else:
        messages.info(request, f"{target.get_username()} had no authenticator.")
    return redirect(USERS_URL_NAME)


urlpatterns = [
    path("two-factor/", manage, name=MANAGE_URL_NAME),
    path("two-factor/setup/", setup, name=SETUP_URL_NAME),
    path("two-factor/verify/", verify, name=VERIFY_URL_NAME),
    path("two-factor/users/", users, name=USERS_URL_NAME),
    path("two-factor/users/<int:user_id>/reset/", reset, name=RESET_URL_NAME),
]
