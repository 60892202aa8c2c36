"""The intake pipeline shared by the replay and OTLP intakes (see ``stages``).

``stages`` — the ``Intake`` stages and ``receive``/``process`` that run them;
``errors`` — ``IntakeError``, the one error type; ``body`` — the one body reader;
``throttle`` — the one rate limiter; ``limits`` — every limit, from settings;
``responses`` — the one JSON error shape.
"""
