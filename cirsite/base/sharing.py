"""Plain share links for a page (no third-party script runs on our pages)."""

from urllib.parse import urlencode


def share_links(url, title, summary=""):
    body = f"{summary}\n\n{url}" if summary else url
    return [
        {
            "name": "LinkedIn",
            "url": "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        },
        {
            "name": "X",
            "url": "https://x.com/intent/tweet?" + urlencode({"url": url, "text": title}),
        },
        {
            "name": "Facebook",
            "url": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        },
        {
            "name": "Email",
            "url": "mailto:?" + urlencode({"subject": title, "body": body}).replace("+", "%20"),
        },
    ]
