"""Default configuration: the embedded profile (SQLite in instance/, mail kept locally).

Order of precedence: these defaults, then instance/config.py, then environment variables
prefixed APPELS_ (and DATABASE_URL, REDIS_URL), then the test config.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def defaults(instance_path: str) -> dict:
    return {
        "SECRET_KEY": None,  # generated into instance/secret_key on first start when unset
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'appels.sqlite3'}",
        # test each pooled connection before use: the first request after a database restart succeeds
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "WORKFLOWS_FOLDER": str(ROOT / "workflows"),
        "DOC_TEMPLATES_FOLDER": str(ROOT / "doc_templates"),
        "FILES_FOLDER": str(Path(instance_path) / "files"),
        "MAIL_FOLDER": str(Path(instance_path) / "mail"),
        "LEDGER_FOLDER": None,  # references and mail given out, never restored over; unset: beside FILES_FOLDER
        "DSFR_FOLDER": str(ROOT / "node_modules" / "@gouvfr" / "dsfr" / "dist"),
        "PUBLIC_URL": "http://127.0.0.1:5000",
        "MAIL_SERVER": None,  # no SMTP: messages are kept as .eml files under instance/mail
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_DEFAULT_SENDER": "Appels à projets <ne-pas-repondre@appels.localhost>",
        "PROGRAMME_MAILBOX": None,  # defaults to the edition's contact_email
        "LOGIN_LINK_MINUTES": 30,
        "UPLOAD_MAX_MB": 20,
        "UPLOAD_MAX_PAGES": 200,
        "UPLOAD_MAX_FILES": 5,  # files per file field when the YAML gives no max_files
        "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_LOGIN": "5 per minute;30 per hour",  # per visitor (see TRUSTED_PROXIES)
        "RATELIMIT_WORKSHOP": "5 per minute;30 per hour",  # workshop sign-ups per visitor
        "TRUSTED_PROXIES": 0,  # reverse proxies in front of the app whose X-Forwarded-For is believed
        "LINKS_PER_ADDRESS_PER_HOUR": 3,  # sign-in and workshop links mailed to one address; more send nothing
        "STAFF_IDLE_MINUTES": 60,  # a staff or jury session ends after this long without a request
        "APPLICANT_IDLE_HOURS": 24,  # an applicant's session ends after this long without a request
        "LOG_SIGN_IN_LINKS": None,  # sign-in links in the log of kept mail; None: yes unless LOG_JSON (production)
        "HEALTHZ_TOKEN": None,  # a probe sending "Authorization: Bearer <token>" reads /healthz details
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,  # Redis of the limits down: count in memory, log it
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,  # True in production (HTTPS); see docs/production.md
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_I18N_ENABLED": False,  # WTForms messages come from its own French catalogue (forms.builder)
        "WTF_CSRF_TIME_LIMIT": None,  # a step may stay open for hours; the token is tied to the session
        "FROZEN_NOW": None,  # ISO date-time: freeze the app clock (tests, previews)
        "BACKGROUND_MAIL": True,  # the embedded default delivers mail from a thread of the app
        "SOFFICE": None,  # path of LibreOffice; found on PATH when unset
        "LOG_JSON": False,  # one JSON object per log line (production)
        "REDIS_URL": None,  # set: documents and mail go through RQ workers (`flask --app app jobs worker`)
        "JOBS_EAGER": False,  # run after-commit tasks at once, in the committing thread (tests)
        "JOBS_IN_THREADS": True,  # without Redis, run them in a thread of the app (off in tests: made on demand)
        "JOBS_TIMEOUT": 600,  # seconds a job may run before RQ stops it (a failure, retried)
        "JOBS_LOST_SECONDS": 30,  # a running job whose heartbeat stopped this long lost its worker: run again
        "JOBS_RETRY_DELAYS": (10, 60, 300),  # seconds before each new try of a failed job (RQ)
        "JOBS_RELAY_SECONDS": 5,  # how often `jobs worker` hands over the jobs Redis missed
        "REDIS_TIMEOUT_SECONDS": 0.5,  # per Redis call from a request: a frozen Redis never hangs a page
        "MAIL_POLL_SECONDS": 2,  # a pass of the mail sender; during an outage, each pass probes the server
        "MAIL_TIMEOUT": 30,  # seconds per SMTP call
        "MAIL_PREPARE_TIMEOUT": 30,  # a message "preparing" without a heartbeat this long lost its sender: requeued
        "MAIL_SENDING_TIMEOUT": 600,  # a message "sending" longer lost its sender mid-hand-over: failed, shown
        "MAIL_LINK_MIN_MINUTES": 5,  # a sign-in link with less validity left is replaced by « redemandez-en un »
        "FAULT_INJECTION": False,  # tests/faults only: honour APPELS_KILL_AT (kill_points.py); never in production
        "EDITIONS_REFRESH_SECONDS": 5,  # how often each worker looks for edited workflows/templates (0: never)
    }


def from_environment() -> dict:
    """Read APPELS_* variables, plus the conventional DATABASE_URL and REDIS_URL."""
    config: dict = {}
    for name, value in os.environ.items():
        if name.startswith("APPELS_"):
            key = name[len("APPELS_"):]
            config[key] = {"true": True, "false": False}.get(value.lower(), value)
    if os.environ.get("DATABASE_URL"):
        url = os.environ["DATABASE_URL"]
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        config["SQLALCHEMY_DATABASE_URI"] = url
    if os.environ.get("REDIS_URL"):
        config["REDIS_URL"] = os.environ["REDIS_URL"]
    return config
