"""The teleprompter's frames: paint time per frame while it scrolls at reading speed, offscreen.

A full-HD :class:`ui.prompter.PrompterView` at its default type size and
speed, a long script of the demo's kind (its ``{{...}}`` values rendered),
moved by the time really passed each frame and painted synchronously
(``repaint``) every 16 ms, as its timer does: ``prompter_frame_p50`` /
``_p99`` are the paint times (``PrompterView.frame_ms``). A 60 Hz display
leaves 16.7 ms a frame for everything. Run: ``python -m bench._onair_prompter``.
"""

from __future__ import annotations

import os
import sys
import time

SCRIPT = ("【开场】\n{{link_number}}号链接，羊绒混纺围巾，规格180×70cm。柔软亲肤，不扎脖子，通勤约会都能搭。"
          "专柜价{{counter_price}}，今天直播间到手{{live_price}}，买一送一。\n"
          "【卖点】\n内蒙古阿拉善白山羊绒，含绒量30%，手感细腻。双面可用，一条顶两条。\n"
          "【库存】\n现在库存{{stock}}件，大家在小黄车里下单就可以。\n售后：7天无理由退货，运费险已买好。\n")
VALUES = {"link_number": "3", "counter_price": "¥399.00", "live_price": "¥199.00", "stock": "50"}


def _ms(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def prompter_frames(seconds: float = 5.0) -> list[str]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.prompter import PrompterView, paragraphs, render

    app = QApplication.instance() or QApplication(sys.argv[:1])
    view = PrompterView()
    view.resize(1920, 1080)
    view.set_paragraphs(paragraphs(render(SCRIPT * 12, VALUES)))
    view.show()
    app.processEvents()
    view.frame_ms.clear()
    last = started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        now = time.perf_counter()
        view.advance(now - last)
        last = now
        view.repaint()
        app.processEvents()
        time.sleep(max(0.0, 0.016 - (time.perf_counter() - now)))
    frames = list(view.frame_ms)[5:]   # the first frames lay the text out
    view.close()
    return [f"BENCH prompter_frame_p50 {_ms(frames, 0.50):.2f} ms",
            f"BENCH prompter_frame_p99 {_ms(frames, 0.99):.2f} ms"]


if __name__ == "__main__":
    for line in prompter_frames():
        print(line, flush=True)
