"""StreamField blocks for a story's body."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from .body_images import PRELOADED_IMAGES
from .struct_values import CaptionedImageValue, FactBoxValue, HeadingValue, PullQuoteValue


class StoryImageChooserBlock(ImageChooserBlock):
    """Takes its images from a batch loaded ahead (see articles.body_images) when there is
    one, instead of one query per story."""

    def bulk_to_python(self, values):
        values = list(values)
        preloaded = PRELOADED_IMAGES.get()
        if preloaded is not None and all(v is None or v in preloaded for v in values):
            return [preloaded.get(v) if v is not None else None for v in values]
        return super().bulk_to_python(values)


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(choices=[("h2", "Heading"), ("h3", "Subheading")], default="h2")

    class Meta:
        value_class = HeadingValue
        icon = "title"
        template = "articles/blocks/heading.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = StoryImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False, help_text="Leave empty to use the image library's alt text."
    )
    caption = blocks.CharBlock(required=False)

    class Meta:
        value_class = CaptionedImageValue
        icon = "image"
        template = "articles/blocks/image.html"


class PullQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        value_class = PullQuoteValue
        icon = "openquote"
        template = "articles/blocks/pull_quote.html"


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(default="Key facts")
    facts = blocks.ListBlock(blocks.CharBlock(label="Fact"))

    class Meta:
        value_class = FactBoxValue
        icon = "list-ul"
        template = "articles/blocks/fact_box.html"


class StoryBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h2", "h3", "blockquote"]
    )
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    pull_quote = PullQuoteBlock()
    embed = EmbedBlock(help_text="A YouTube, Vimeo or other oEmbed URL.", icon="media")
    fact_box = FactBoxBlock()
