"""Printable booklets: press PDF with bleed, A4 saddle-stitch imposition, job ticket, preflight.

Entry point: :func:`generators.booklet.build.render_booklets`.
"""
