"""A council's decisions and commissioning portal, generated as a static site."""

__version__ = "0.1.0"
