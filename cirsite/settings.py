"""cirsite settings: one module, every deployment choice read from the environment.

The embedded default (no variables set but SECRET_KEY) is SQLite plus on-disk media under
``var/``; production sets DATABASE_URL, REDIS_URL, BASE_URL and ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CIRSITE_VAR_DIR", BASE_DIR / "var"))


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}.")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


DEBUG = env_flag("DEBUG", default=False)

SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    # The key `make run` generated: management commands in a set-up checkout find it too.
    SECRET_KEY = SECRET_KEY_FILE.read_text().strip()
if not SECRET_KEY:
    if DEBUG:
        # Only a developer's DEBUG session may run on a throwaway key.
        SECRET_KEY = "insecure-debug-only-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development. `make run` generates one in var/secret_key, "
            "which is read when SECRET_KEY is unset."
        )

# Absolute base for links that leave the site: feeds, sitemaps, share links, emails.
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").strip().rstrip("/")
_base = urlsplit(BASE_URL)
if _base.scheme not in {"http", "https"} or not _base.hostname:
    raise ImproperlyConfigured(
        f"BASE_URL must be an absolute http(s) URL such as https://example.org, not {BASE_URL!r}."
    )
BASE_URL_IS_HTTPS = _base.scheme == "https"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [_base.hostname, "127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = [f"{_base.scheme}://{_base.netloc}"]

INSTALLED_APPS = [
    "cirsite.base",
    "cirsite.site",
    "articles",
    "podcasts",
    "ingest",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Health probes first: they must report a broken cache, not fail inside the page cache.
    "cirsite.site.health.HealthCheckMiddleware",
    # Then a stored page for an anonymous reader is answered before any other work.
    "cirsite.site.page_cache.AnonymousPageCacheMiddleware",
    # Above the middlewares that add document-only headers, which it leaves off feeds.
    "cirsite.site.security.DataResponsesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cirsite.site.security.AreaCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session gave a second-factor code.
    "django_otp.middleware.OTPMiddleware",
    # Outside the admin, a session still owing its code is anonymous to everything below.
    "cirsite.site.two_factor.UnverifiedIsAnonymousMiddleware",
    # Before any view or CSRF check reads a body (those run after every middleware's call).
    "cirsite.site.security.AnonymousBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cirsite.site.security.PrivateResponsesForEditorsMiddleware",
    # Below the private-responses middleware, so that its redirects are never stored either.
    "cirsite.site.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # The site and the page route, found with few queries, before Wagtail looks for them.
    "cirsite.site.routing.RememberedRoutingMiddleware",
    # django-axes wants to be last: it turns a throttled login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "cirsite.urls"
# The site's path prefix comes from here, never from a SCRIPT_NAME a client or proxy sends
# (which would otherwise prefix every link of a page stored for other readers).
FORCE_SCRIPT_NAME = os.environ.get("FORCE_SCRIPT_NAME", "").strip().rstrip("/")
WSGI_APPLICATION = "cirsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{VAR_DIR / 'cirsite.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while ingest writes; the busy timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Connections are kept like PostgreSQL's (DATABASE_CONN_MAX_AGE): opening one (the file,
    # the pragmas, Django's SQL functions) cost about a tenth of a page render. A gevent worker
    # keeps one per client connection, closed when the client goes.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "cirsite"),
        }
    }
else:
    # Local memory in each process, not the database: a cache that writes to SQLite on every
    # view is slower than no cache at all. The page cache keeps it coherent across processes
    # through generations in the database (cirsite.site.page_cache). Stored pages are about
    # 45 KB (plain and gzip), so the entry cap bounds a worker's memory.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 1000)},
        }
    }

AUTH_USER_MODEL = "cirsite.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if not DEBUG else 0

# Uploaded media on S3-compatible object storage (django-storages), so that several machines
# share one library: set AWS_STORAGE_BUCKET_NAME (and AWS_S3_ENDPOINT_URL for a provider other
# than AWS); boto3 reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY itself. Readers fetch
# images and audio from the bucket (or AWS_S3_CUSTOM_DOMAIN, a CDN in front of it) directly;
# the bucket must grant public reads only under original_images/, images/ and podcast-audio/,
# never documents/ (see the README's Deploying section).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
MEDIA_ORIGINS = env_list("MEDIA_ORIGIN")
if AWS_STORAGE_BUCKET_NAME:
    _endpoint = os.environ.get("AWS_S3_ENDPOINT_URL", "").strip() or None
    _custom_domain = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip() or None
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": _endpoint,
            "region_name": os.environ.get("AWS_S3_REGION_NAME", "").strip() or None,
            "custom_domain": _custom_domain,
            # Public media have stable, unsigned URLs that pages and podcast apps can keep.
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    if _custom_domain:
        MEDIA_ORIGINS.append(f"https://{_custom_domain}")
    elif _endpoint:
        MEDIA_ORIGINS.append(_endpoint.rstrip("/"))
    else:
        MEDIA_ORIGINS.append(f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com")

# Security: follows BASE_URL so that plain http://127.0.0.1 works and an https site is strict.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Wagtail marks its own preview views SAMEORIGIN, so the rest of the site can refuse framing.
X_FRAME_OPTIONS = "DENY"
if BASE_URL_IS_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Readers send only small forms (search is a GET; logging in is a few hundred bytes); a bigger
# body from anyone not logged in is refused before Django reads it (413).
ANONYMOUS_MAX_BODY_BYTES = env_int("ANONYMOUS_MAX_BODY_BYTES", 64 * 1024)
if os.environ.get("FILE_UPLOAD_TEMP_DIR", "").strip():
    FILE_UPLOAD_TEMP_DIR = os.environ["FILE_UPLOAD_TEMP_DIR"].strip()

# Content-Security-Policy (django-csp). Public pages run no inline or evaluated script; one
# chart bar width is an inline style. Media may come from object storage (MEDIA_ORIGINS).
_media_sources = [SELF, *MEDIA_ORIGINS]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [*_media_sources, "data:"],
        "media-src": _media_sources,
        "font-src": [SELF],
        "connect-src": [SELF],
        # Stories may embed a video player (Wagtail embeds), always over https.
        "frame-src": ["https:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Wagtail's admin still relies on inline scripts and styles (wagtail/wagtail#1288); it is
# behind a login, so it gets its own looser policy (see cirsite.site.security).
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE, UNSAFE_EVAL],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [*_media_sources, "data:", "blob:"],
        "media-src": [*_media_sources, "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF, "https:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # Wagtail's live preview frames the site's own pages.
        "frame-ancestors": [SELF],
    }
}
# Feeds, sitemaps and JSON (cirsite.site.security.is_data_response): nothing loads or runs.
# Inline styles and data: images only: a browser's own XML viewer draws its tree with them
# (Chromium's fold arrows are data: SVGs), and without them a sitemap shows as one run of text.
DATA_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "style-src": [UNSAFE_INLINE],
        "img-src": ["data:"],
        "frame-ancestors": [NONE],
    }
}
if BASE_URL_IS_HTTPS:
    for _policy in (CONTENT_SECURITY_POLICY, ADMIN_CONTENT_SECURITY_POLICY):
        _policy["DIRECTIVES"]["upgrade-insecure-requests"] = True

# Features no page uses are turned off for the page and anything it embeds.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
    "fullscreen": ["self"],
}

# Login throttling (django-axes): per account and, separately, per address. After
# LOGIN_FAILURE_LIMIT wrong passwords the account (or address) is refused for
# LOGIN_COOLOFF_MINUTES, or until an admin runs `manage.py axes_reset_username NAME`.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The cool-off runs from the lockout; an attacker's further guesses do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "cirsite.site.security.login_locked_out"
AXES_VERBOSE = False
# Behind a reverse proxy every client has the proxy's address; TRUSTED_PROXY_COUNT proxies'
# X-Forwarded-For entries are then trusted to name the client.
_trusted_proxies = env_int("TRUSTED_PROXY_COUNT", 0)
if _trusted_proxies:
    AXES_IPWARE_PROXY_COUNT = _trusted_proxies
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "cirsite": {"level": os.environ.get("LOG_LEVEL", "INFO")},
        "ingest": {"level": os.environ.get("LOG_LEVEL", "INFO")},
    },
}

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "cirsite")
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAILIMAGES_IMAGE_MODEL = "cirsite.CustomImage"
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
# English stemming on PostgreSQL whatever the server's default_text_search_config ("simple" on
# many hosts); SQLite's index stems with FTS5's porter tokenizer (site migration 0005).
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "english"}
}
WAGTAIL_I18N_ENABLED = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
# Decoding an image costs about 4 bytes a pixel, several times over while renditions are
# made: 40 megapixels (e.g. 8000 x 5000) keeps one upload within a web worker's memory budget.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("WAGTAILIMAGES_MAX_IMAGE_PIXELS", 40_000_000)
# Documents are served only through Wagtail's view, which checks collection privacy; never
# as files under /media/ (see cirsite.site.media_serving).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# No external avatar service: the admin shows its own default avatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILMEDIA = {"MEDIA_MODEL": "podcasts.EpisodeAudio", "AUDIO_EXTENSIONS": ["mp3", "m4a"]}

# Two-factor authentication for the admin (django-otp, time-based codes from an authenticator
# app; see cirsite.site.two_factor). Superusers must always use it; TWO_FACTOR_REQUIRED_FOR=editors
# requires it of everyone who can open the admin. Whoever has enrolled is always asked.
TWO_FACTOR_REQUIRED_FOR = os.environ.get("TWO_FACTOR_REQUIRED_FOR", "").strip() or "superusers"
if TWO_FACTOR_REQUIRED_FOR not in {"superusers", "editors"}:
    raise ImproperlyConfigured(
        f"TWO_FACTOR_REQUIRED_FOR must be superusers or editors, not {TWO_FACTOR_REQUIRED_FOR!r}."
    )
# The name an authenticator app lists the account under.
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
# After n wrong codes in a row a device refuses every code for 2**(n-1) seconds (1, 2, 4 ...;
# about 17 minutes after 11), so guessing six digits is hopeless; a right code resets it.
OTP_TOTP_THROTTLE_FACTOR = 1

# Full-page cache lifetime for anonymous readers and CDNs (seconds). A change invalidates the
# site's own page cache at once and purges a configured CDN (see below).
CACHE_PAGE_SECONDS = env_int("CACHE_PAGE_SECONDS", 300)
CACHE_STALE_WHILE_REVALIDATE = env_int("CACHE_STALE_WHILE_REVALIDATE", 60)
# How often a serving process reads the generations other processes moved: the longest a
# change made elsewhere (ingest, scheduled publishing, another worker) can take to show.
PAGE_CACHE_POLL_SECONDS = float(os.environ.get("PAGE_CACHE_POLL_SECONDS", "0.5"))
# How long the site's own store keeps a page. Changes invalidate it at once, so this only
# bounds memory churn; pages that move with the clock (the tracker's "last 30 days", the
# news sitemap's two days) are kept PAGE_CACHE_CLOCK_SECONDS.
PAGE_CACHE_STORE_SECONDS = env_int("PAGE_CACHE_STORE_SECONDS", 24 * 3600)
PAGE_CACHE_CLOCK_SECONDS = env_int("PAGE_CACHE_CLOCK_SECONDS", 3600)
PAGE_CACHE_BYPASS_PREFIXES = ("/admin/", "/documents/", STATIC_URL, MEDIA_URL)

# CDN purging through wagtail.contrib.frontend_cache, chosen by environment: an HTTP cache
# that accepts PURGE (Varnish, nginx), Cloudflare, or CloudFront.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_PURGE_URL", "").strip():
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"].strip(),
    }
if os.environ.get("CLOUDFLARE_ZONE_ID", "").strip():
    if not os.environ.get("CLOUDFLARE_API_TOKEN", "").strip():
        raise ImproperlyConfigured("CLOUDFLARE_ZONE_ID needs CLOUDFLARE_API_TOKEN as well.")
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ["CLOUDFLARE_API_TOKEN"].strip(),
        "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"].strip(),
    }
if os.environ.get("CLOUDFRONT_DISTRIBUTION_ID", "").strip():
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": os.environ["CLOUDFRONT_DISTRIBUTION_ID"].strip(),
    }

# Background tasks. Wagtail's own small tasks (reference index) run inline; ingest goes to
# the queue named by INGEST_TASK_BACKEND: the database by default, RQ on Redis for many workers.
_task_backend = os.environ.get("INGEST_TASK_BACKEND", "database").strip()
if _task_backend == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("INGEST_TASK_BACKEND=rq needs REDIS_URL to point at Redis.")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    _ingest_backend = {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
elif _task_backend == "database":
    _ingest_backend = {"BACKEND": "django_tasks_db.DatabaseBackend"}
elif _task_backend == "immediate":
    _ingest_backend = {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
else:
    raise ImproperlyConfigured(
        f"INGEST_TASK_BACKEND must be database, rq or immediate, not {_task_backend!r}."
    )
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "ingest": _ingest_backend,
}

# Ingest
INGEST_ALLOWED_PRIVATE_HOSTS = env_list("INGEST_ALLOWED_PRIVATE_HOSTS")
INGEST_USER_AGENT = os.environ.get(
    "INGEST_USER_AGENT", f"{WAGTAIL_SITE_NAME}-ingest/1.0 (+{BASE_URL})"
)
# A full spaCy model package name (e.g. en_core_web_sm) adds entity recognition when installed.
TAGGER_SPACY_MODEL = os.environ.get("TAGGER_SPACY_MODEL", "").strip()
# The public tracker shows a label no editor has reviewed only at this confidence or above:
# the lowest score from which labels are right at least 85% of the time at every score
# (out-of-fold on the development lines, `bench/tagging.py --fit 5`); below it, about one
# label in three is wrong. An incident's best sector is shown whatever its score.
TAGS_PUBLIC_MIN_SCORE = float(os.environ.get("TAGS_PUBLIC_MIN_SCORE", "0.96"))

# Demo editor account created by `make run` (local only).
CIRSITE_EDITOR_PASSWORD = os.environ.get("CIRSITE_EDITOR_PASSWORD", "")
