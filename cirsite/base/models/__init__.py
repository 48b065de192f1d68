"""The site-wide models; each submodule is named for what it holds."""

from .images import CustomImage, CustomRendition
from .pages import BasePage
from .site_settings import SiteSettings
from .taxonomy import TOPIC_KINDS, RiskType, Sector, TopicKind
from .users import User

__all__ = [
    "TOPIC_KINDS",
    "BasePage",
    "CustomImage",
    "CustomRendition",
    "RiskType",
    "Sector",
    "SiteSettings",
    "TopicKind",
    "User",
]
