"""The overlay and remote control for streaming software, served on loopback while a show runs.

OBS shows ``/overlay`` as a browser source (the product on air, its link number
and live price, pushed by server-sent events); a Stream Deck or Companion
button POSTs ``/next``, ``/previous``, ``/jump/<link>``, ``/sold_out``,
``/pause`` and ``/resume`` with the data folder's token. Qt-free: the GUI hands
the app a ``state()`` and a ``perform()`` of its own (:mod:`ui.overlay_host`).

:mod:`console.overlay.token` is kept apart so reading the token does not load
the web stack.
"""
