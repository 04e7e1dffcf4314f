"""`fnlint server`: a Language Server over standard input and output (pygls) for Python files,
Jupyter notebooks and Markdown: diagnostics, fixes as code actions, tensor shapes on hover and
as inlay hints, and the static `model.summary()` of the model under the cursor.

Modules: `store` (documents and where their lines go), `checker` (checks while typing),
`diagnostics`, `shapes` (hover, inlay hints, summary), `actions` (code actions), `settings`,
and `protocol` (the LSP glue).
"""
