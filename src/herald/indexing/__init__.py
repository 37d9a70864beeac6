"""Keeping a store in step with the content folder, whatever the backend: scan, diff,
prepare on every core, and the deferred excerpt pass.  Writes go through
`herald.core.ports.ContentIndex`."""
