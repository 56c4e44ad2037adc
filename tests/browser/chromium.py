"""Where the browser tests find Chromium, and what they say when they cannot.

The tests drive Debian's Chromium (``apt-get install chromium``) through Playwright;
Playwright's own browser download is never used. ``CHROMIUM`` names another binary.
Without one the browser tests are skipped with that reason, except in CI (``CI=true``),
where a missing browser fails the run instead: CI must never pass by skipping them.
"""

import os
import shutil
from pathlib import Path

DEFAULT = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
INSTALL_HINT = "apt-get install chromium fonts-noto-cjk, or set CHROMIUM to a Chromium binary"


def path():
    """The Chromium binary to use, or None when there is none."""
    wanted = os.environ.get("CHROMIUM") or DEFAULT
    if Path(wanted).is_file() and os.access(wanted, os.X_OK):
        return wanted
    if not os.environ.get("CHROMIUM"):
        return shutil.which("chromium")
    return None


def playwright_missing():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return True
    return False


def unavailable_reason():
    """Why the browser tests cannot run here, or None when they can."""
    if playwright_missing():
        return 'Playwright is not installed (pip install -e ".[test]")'
    if path() is None:
        wanted = os.environ.get("CHROMIUM") or DEFAULT
        return f"Chromium not found at {wanted} ({INSTALL_HINT})"
    return None


def must_run():
    """In CI the browser tests must run: a missing browser is a failure, not a skip."""
    return os.environ.get("CI", "").lower() == "true"


def status_line():
    reason = unavailable_reason()
    if reason is None:
        return f"browser tests: Chromium at {path()}"
    if must_run():
        return f"browser tests: WILL FAIL (CI=true): {reason}"
    return f"browser tests: SKIPPED: {reason}"
