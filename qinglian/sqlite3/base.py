"""Django's SQLite backend, keeping the query planner's statistics current.

Without statistics SQLite guesses that an index on ``status`` is selective and walks
it past every article instead of looking up a page's twenty ids. ``PRAGMA optimize``
before a connection closes is SQLite's own advice: it runs ANALYZE, bounded by
``analysis_limit``, only on tables the connection used whose statistics are missing
or out of date, and costs next to nothing otherwise.
"""

import contextlib

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        conn.execute("PRAGMA analysis_limit = 1000")
        return conn

    def _close(self):
        if self.connection is not None and not self.in_atomic_block:
            # Statistics are an optimization: closing must not fail on them.
            with contextlib.suppress(base.Database.Error):
                self.connection.execute("PRAGMA optimize")
        super()._close()
