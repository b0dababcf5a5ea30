"""Every new district starts with the seeded frameworks (however it was created)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from uptake.accounts.models import District


@receiver(post_save, sender=District, dispatch_uid="learning_seed_frameworks")
def seed_frameworks_for_new_district(sender: Any, instance: District, created: bool,
                                     raw: bool = False, **kwargs: Any) -> None:
    # Fixtures (raw) carry their own rows; only a district created by the product is seeded.
    if created and not raw:
        from uptake.learning.actions import do_seed_frameworks

        do_seed_frameworks(instance)
