"""The page OBS shows: transparent, the product on air with its link number and live price.

It draws nothing of its own until the feed (``/events``) says what is on air,
and hides itself when nothing is; the words come from the feed, already in the
console's language, so the page needs no translations of its own.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from console.overlay.app import Look

_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>Anchor Console overlay</title>
<style>
  html, body {{ margin: 0; padding: 0; background: transparent; overflow: hidden; }}
  #card {{
    display: inline-block; margin: 16px; padding: 0.3em 0.6em; border-radius: 0.25em;
    background: #{bg}; color: #{color}; font-size: {size}px; line-height: 1.25;
    font-family: {font}"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
    font-weight: 600; text-shadow: 0 0.04em 0.12em rgba(0, 0, 0, 0.6);
  }}
  #card[hidden] {{ display: none; }}
  #link {{ color: #{accent}; margin-right: 0.5em; }}
  #price {{ color: #{accent}; display: block; font-size: 1.2em; }}
</style>
</head>
<body>
<div id="card" hidden><span id="link"></span><span id="product"></span><span id="price"></span></div>
<script>
  const card = document.getElementById("card");
  function show(state) {{
    const d = state.display || {{}};
    document.getElementById("link").textContent = d.link || "";
    document.getElementById("product").textContent = d.product || "";
    document.getElementById("price").textContent = d.price || "";
    card.hidden = !(state.status === "live" || state.status === "paused") || !d.product;
    document.body.dataset.status = state.status;
  }}
  // The browser reconnects by itself when the console comes back.
  new EventSource("/events").onmessage = (e) => show(JSON.parse(e.data));
</script>
</body>
</html>
"""


def page_html(look: Look, language: str) -> str:
    font = f'"{escape(look.font)}", ' if look.font else ""
    return _PAGE.format(lang="zh-CN" if language.startswith("zh") else "en", bg=look.bg, color=look.color,
                        accent=look.accent, size=look.size, font=font)
