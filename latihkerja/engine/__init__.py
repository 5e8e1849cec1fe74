"""Framework-free algorithms (allocation, planning, NIK rules).

Nothing in this package imports Django or the apps: an import-linter contract in pyproject.toml keeps it so.
The apps call it with plain dataclasses and store what it returns.
"""
