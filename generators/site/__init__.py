"""The public website: a thin MkDocs plugin over pure page, render, chart, image and QR modules."""
