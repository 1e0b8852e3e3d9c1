"""The contact index: the names of a user's strongest contacts, kept beside the profile, sealed.

The egress boundary redacts the user's contacts from every prompt that leaves the device, on every cloud
request. Rendering the whole profile to get them (open the sealed blob, validate it, rank and explain every
list) cost ~3.7 ms for a week of data; the index is a sorted list of at most ``CONTACTS_TOP`` names each way,
written with the profile on each ingest, read in ~0.03 ms. Decay scales every score by the same factor, so
the ranking at ingest time is the ranking at any later time: the index names the same people a profile
rendered at request time would.
"""

from __future__ import annotations

import json

from lingxi.privacy.crypto import Vault

#: associated data for sealing: the index cannot be swapped with the profile blob or an event payload
CONTACTS_RECORD = "profile:contacts"
#: how many of the strongest contacts, each way, the index keeps
CONTACTS_TOP = 50


def seal_names(vault: Vault, user_id: str, names: list[str]) -> bytes:
    return vault.seal(
        json.dumps(sorted(set(names)), ensure_ascii=False).encode(), user_id=user_id, record_id=CONTACTS_RECORD
    )


def open_names(vault: Vault, user_id: str, sealed: bytes) -> list[str]:
    names = json.loads(vault.open(sealed, user_id=user_id, record_id=CONTACTS_RECORD))
    return [str(n) for n in names]
