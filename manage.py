#!/usr/bin/env python
import os
import sys


def main():
    # Development unless told otherwise; an environment that says DEBUG=false (a
    # production .env) gets the production settings.
    production = os.environ.get("DEBUG", "").strip().lower() in {"0", "false", "no", "off"}
    settings = "qinglian.settings.prod" if production else "qinglian.settings.dev"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
