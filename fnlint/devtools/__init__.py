"""Tools for fnlint's own development (layering checks); not used by `fnlint` itself."""
