"""Item pipelines, one per module, in the order of ``ITEM_PIPELINES``."""
