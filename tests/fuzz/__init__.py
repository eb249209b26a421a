"""Random valid stream bodies, and a fuzz harness that breaks them.

``bodies`` builds complete Messages API streams (the final message, its
events, their SSE bytes in varied but valid spellings) from a
``random.Random``, so hypothesis and the standalone harness share one
generator.  ``harness`` mutates those bodies and checks what comes out of the
stream core; ``run`` is its command line::

    python -m tests.fuzz.run --seconds 60
"""
