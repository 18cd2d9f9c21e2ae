"""offboard: end client relationships well."""

__version__ = "0.1.0"
