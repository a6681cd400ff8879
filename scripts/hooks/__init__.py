"""MkDocs hooks of the handbook (loaded through ``hooks:`` in mkdocs.yml)."""
