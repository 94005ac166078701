"""The repository contract, one Protocol per aggregate; ``storage.base.Repository`` joins them.

A backend (SQLite today, PostgreSQL later) implements every Protocol here, and
``tests/storage_contract`` runs it through the same cases. Nothing in these signatures
belongs to one database: no SQL, no connection objects, no dialect's ways of doing things.
"""
