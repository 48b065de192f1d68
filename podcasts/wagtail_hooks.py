"""Admin wiring for the podcast: wagtailmedia's library holds only episode audio here, so
the menu says so."""

from wagtail import hooks


@hooks.register("construct_main_menu")
def label_media_library_as_podcast_audio(request, menu_items):
    for item in menu_items:
        if item.name == "media":
            item.label = "Podcast audio"
