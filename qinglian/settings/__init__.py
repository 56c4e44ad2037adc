"""Settings, one module per environment: dev (manage.py), test (pytest), prod (wsgi, asgi,
gunicorn). Importing this package alone configures nothing."""
