"""The site's gunicorn settings (deploy/gunicorn.conf.py), serving the hello-world
project: same workers, worker class, keep-alive and recycling."""

import runpy
from pathlib import Path

_site = runpy.run_path(str(Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"))
globals().update({name: value for name, value in _site.items() if not name.startswith("_")})
wsgi_app = "bench.hello_world.wsgi:application"
# The site's hook writes its view counts; this project has none.
globals().pop("worker_exit")
