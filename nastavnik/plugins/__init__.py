"""The built-in regime plugins. Each registers through the ``nastavnik.regimes`` entry point."""
