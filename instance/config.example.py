# Copy to instance/config.py and adjust. Environment variables FIELDKIT_<NAME> override these,
# and DATABASE_URL overrides the database.

# A long random value; generate one with: python -c "import secrets; print(secrets.token_hex(32))"
SECRET_KEY = "replace-me"

# PostgreSQL instead of the default SQLite file in instance/:
# SQLALCHEMY_DATABASE_URI = "postgresql://fieldkit@127.0.0.1:5432/fieldkit"

# Flag entries whose GPS accuracy is worse than this (metres); the phone also waits for a fix this good.
# FIELDKIT_GPS_ACCURACY_M = 100
# A point this close (metres) to a commune, though outside every polygon, is placed in the nearest one.
# FIELDKIT_AREA_TOLERANCE_M = 200
# A printed sign-in QR code works once, for this many hours after printing.
# FIELDKIT_SIGNIN_CODE_HOURS = 24

# Behind HTTPS, send the session cookie only over HTTPS:
# SESSION_COOKIE_SECURE = True
