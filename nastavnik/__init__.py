"""nastavnik: a rules platform for the mentorship of newly hired staff in public bodies."""

__version__ = "0.1.0"
