"""The site layer's place in the Wagtail admin: the two-factor pages, an "Account → Two-factor
authentication" entry for every editor and a Settings entry for superusers; and the story
editor's link suggestions, which only this layer can make, seeing stories, episodes and
incidents together."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from articles.link_suggestions import HOOK as STORY_LINK_SUGGESTIONS
from cirsite.site import two_factor_views
from cirsite.site.link_suggestions import story_link_suggestions
from cirsite.site.two_factor import MANAGE_URL_NAME, USERS_URL_NAME

hooks.register(STORY_LINK_SUGGESTIONS, story_link_suggestions)


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [path("", include(two_factor_views.urlpatterns))]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse(MANAGE_URL_NAME),
        "label": "Two-factor authentication",
        "help_text": "Set up, replace or remove the authenticator app for your log-in codes.",
    }


class SuperusersMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def two_factor_settings_item():
    return SuperusersMenuItem(
        "Two-factor authentication",
        reverse(USERS_URL_NAME),
        name="two-factor",
        icon_name="key",
        order=650,
    )
