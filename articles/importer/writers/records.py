"""The import's memory: which PHPCMS row became which object here."""

import hashlib
import json

from articles.importer.models import ImportedRecord

# Bumped when the mapping changes, so that a run after an upgrade rewrites every row.
MAPPING_VERSION = "2"


def fingerprint(*values):
    data = json.dumps([MAPPING_VERSION, *values], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


class Records:
    """ImportedRecord rows, read per prefix once and kept in memory."""

    def __init__(self):
        self._rows = {}

    def load(self, prefix):
        for record in ImportedRecord.objects.filter(key__startswith=prefix):
            self._rows[record.key] = record

    def get(self, key):
        return self._rows.get(key)

    def target(self, key):
        record = self._rows.get(key)
        return record.target_id if record else None

    def targets(self, prefix):
        return {r.target_id for k, r in self._rows.items() if k.startswith(prefix)}

    def keep(self, key, target_id, fingerprint="", facts=None, target=""):
        record = self._rows.get(key) or ImportedRecord(key=key)
        record.target_id = target_id
        record.fingerprint = fingerprint
        record.facts = facts or {}
        record.target = target
        record.save()
        self._rows[key] = record
        return record

    def keep_many(self, entries):
        """``entries``: (key, target_id, fingerprint, facts); one upsert."""
        rows = [
            ImportedRecord(key=k, target_id=t, fingerprint=f, facts=facts or {})
            for k, t, f, facts in entries
        ]
        if not rows:
            return
        ImportedRecord.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["target_id", "fingerprint", "facts", "imported_at"],
        )
        for row in rows:
            self._rows[row.key] = row
