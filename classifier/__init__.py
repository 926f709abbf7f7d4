"""pump-coder: explainable CPT suggestions for intrathecal/epidural drug pump notes."""

__version__ = "0.1.0"
