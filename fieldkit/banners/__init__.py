"""Banners as things that stand: made from banner entries, inspected in the field, found by a QR label.

``services.follow`` keeps an entry's banners in step with it (called by the activities write surface only);
``inspections`` records what officers find; ``queries`` lists them with what is due; ``labels`` signs the
label's link and draws its QR code.
"""
