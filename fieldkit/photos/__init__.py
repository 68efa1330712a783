"""Photos as evidence: checked by content, re-encoded, stored by hash, served only to who may see them.

The photo pipeline is a domain package; its one page, the photo view, is ``views`` with its own blueprint.
"""
