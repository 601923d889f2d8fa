"""Reading and writing the user's files: YAML with places, schemas, atomic writes.

This is the only package that imports yaml; the core gets plain objects from it.
"""
