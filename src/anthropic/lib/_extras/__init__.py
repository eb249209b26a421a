"""The official client's module path for its optional-dependency helpers; see :mod:`._common`."""
