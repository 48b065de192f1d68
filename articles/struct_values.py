"""Values of the story body's blocks, carrying the small decisions templates should not make."""

from django.utils.text import slugify
from wagtail.blocks import StructValue


class HeadingValue(StructValue):
    def tag(self):
        return "h3" if self.get("level") == "h3" else "h2"

    def anchor(self):
        return slugify(self.get("text") or "")


class CaptionedImageValue(StructValue):
    def alt(self):
        """The editor's alt text for this use, else the library's; never missing."""
        image = self.get("image")
        return (self.get("alt_text") or "").strip() or (image.default_alt_text if image else "")

    def credit(self):
        image = self.get("image")
        return image.credit if image else ""


class PullQuoteValue(StructValue):
    def has_attribution(self):
        return bool((self.get("attribution") or "").strip())


class FactBoxValue(StructValue):
    def fact_list(self):
        return [fact.strip() for fact in self.get("facts") or [] if fact and fact.strip()]

    def heading_id(self):
        return "fact-box-" + slugify(self.get("title") or "facts")
