# Copy to instance/config.py and adapt: read by create_app() after the defaults of settings.py,
# before the APPELS_* environment variables. Nothing here is needed for `make run`.

# SECRET_KEY = "a long random string"          # else generated once into instance/secret_key
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://appels@127.0.0.1:5432/appels"
# PUBLIC_URL = "https://appels.numerique.gouv.fr"   # the address used in emailed links
# SESSION_COOKIE_SECURE = True                  # behind HTTPS
# TRUSTED_PROXIES = 1                           # reverse proxies in front: the limits then see each visitor
# HEALTHZ_TOKEN = "…"                           # a probe outside the local network reads /healthz details
# LOG_SIGN_IN_LINKS = False                     # sign-in links out of the log (already so with LOG_JSON)
# STAFF_IDLE_MINUTES = 60                       # staff and jury sessions end after this long idle

# Mail: without MAIL_SERVER, messages are kept as .eml files in instance/mail/.
# MAIL_SERVER = "smtp.example.gouv.fr"
# MAIL_PORT = 587
# MAIL_USE_TLS = True
# MAIL_USERNAME = "appels"
# MAIL_PASSWORD = "…"
# MAIL_DEFAULT_SENDER = "Appels à projets <ne-pas-repondre@numerique.gouv.fr>"
# PROGRAMME_MAILBOX = "etna.dinsic@modernisation.gouv.fr"

# Background jobs (production): documents and mail through RQ on Redis.
# REDIS_URL = "redis://127.0.0.1:6379/0"
# RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/1"

# SOFFICE = "/usr/bin/soffice"                  # LibreOffice, for the PDF documents
# SOFFICE_WARM = False                          # one soffice per document instead of one kept running
