"""The site-wide models; each submodule is named for what it holds."""

from .images import CustomImage, CustomRendition
from .pages import BasePage
from .site_settings import SiteSettings
from .taxonomy import RiskType, Sector
from .users import User

__all__ = [
    "BasePage",
    "CustomImage",
    "CustomRendition",
    "RiskType",
    "Sector",
    "SiteSettings",
    "User",
]
