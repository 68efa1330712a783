"""Photos as evidence: checked by content, kept or re-encoded without metadata, stored by hash, shown to viewers.

The photo pipeline is a domain package; its one page, the photo view, is ``views`` with its own blueprint.
"""
