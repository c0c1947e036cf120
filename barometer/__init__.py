"""Barometer of social integration: static site generator for POD MI / SPP IS beneficiary statistics."""

__version__ = "0.1.0"
