"""Query parameters that only say where a reader came from (ad clicks, newsletters,
analytics). They never change what a page shows, so the page cache ignores them and ingest
drops them from the canonical address of a feed item."""

TRACKING_PARAMETERS = frozenset(
    {
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "dclid",
        "fbclid",
        "gbraid",
        "gclid",
        "hsctatracking",
        "igshid",
        "li_fat_id",
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "msclkid",
        "oly_anon_id",
        "oly_enc_id",
        "rb_clickid",
        "ref_src",
        "s_cid",
        "twclid",
        "vero_id",
        "wbraid",
        "yclid",
    }
)
TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "mtm_", "ga_")


def is_tracking_parameter(name):
    name = name.lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)
