"""Lamplight (一盏灯): validate the content catalogue and generate the site and booklets."""

__version__ = "0.1.0"
