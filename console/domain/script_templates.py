"""The templates a new script starts from: a product's selling points and talk track, and each segment of a show.

Bodies use the script markup (its braces doubled, as in every message template) (:mod:`console.domain.scripts`): variables the
prompter fills in and cue marks. They are messages, so a template reads in
the user's language; what is saved is the text as the writer then edits it.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.domain.enums import ScriptKind, ScriptSegment
from console.domain.errors import NotFound
from console.i18n import Message, msg


@dataclass(frozen=True, slots=True)
class ScriptTemplate:
    key: str
    kind: ScriptKind
    segment: ScriptSegment | None
    title: Message
    body: Message


TEMPLATES: tuple[ScriptTemplate, ...] = (
    ScriptTemplate(
        "product_talk_track", ScriptKind.PRODUCT, None,
        msg("script_templates.product_title", "Product talk track"),
        msg("script_templates.product_body",
            "Link {{link_number}}: {{product}}. [show]\n"
            "Selling point one: ... Selling point two: ... Selling point three: ...\n"
            "The counter price is {{counter_price}}; in the live room today it is {{live_price}}. {{deal}} [pause]\n"
            "{{stock}} left in stock; order through the shopping cart below. "
            "{{{{note: check the size chart and the after-sales policy before air}}}}")),
    ScriptTemplate(
        "product_selling_points", ScriptKind.PRODUCT, None,
        msg("script_templates.selling_points_title", "Selling points only"),
        msg("script_templates.selling_points_body",
            "{{product}}: [show: the material up close] ...\n[show: how it is used] ...\n"
            "{{{{note: one sentence per point; what the quality papers say, nothing more}}}}")),
    ScriptTemplate(
        "segment_opening", ScriptKind.SEGMENT, ScriptSegment.OPENING,
        msg("script_templates.opening_title", "Opening"),
        msg("script_templates.opening_body",
            "Welcome to our live room! Everything today is genuine counter stock and can be checked at our "
            "counter. [pause]\nPlease order only through the shopping cart; we never take payment in private. "
            "{{{{note: greet the viewers coming in by name}}}}")),
    ScriptTemplate(
        "segment_interaction", ScriptKind.SEGMENT, ScriptSegment.INTERACTION,
        msg("script_templates.interaction_title", "Interaction"),
        msg("script_templates.interaction_body",
            "Follow the room so you do not miss the next show. [pause]\n"
            "Ask in the comments and the room assistant will answer each of you. "
            "{{{{note: the giveaway draw is on the hour}}}}")),
    ScriptTemplate(
        "segment_closing", ScriptKind.SEGMENT, ScriptSegment.CLOSING,
        msg("script_templates.closing_title", "Closing"),
        msg("script_templates.closing_body",
            "That is all for today; thank you for your company! [pause]\n"
            "After-sales is handled by our counter; contact the platform's customer service with any question. "
            "See you next show.")),
)
BY_KEY = {t.key: t for t in TEMPLATES}


def template(key: str) -> ScriptTemplate:
    try:
        return BY_KEY[key]
    except KeyError:
        raise NotFound(msg("script_templates.unknown", "There is no script template {key}; the templates are "
                           "{keys}.", key=key, keys=", ".join(BY_KEY))) from None


def templates_for(kind: ScriptKind | None = None, segment: ScriptSegment | None = None) -> list[ScriptTemplate]:
    return [t for t in TEMPLATES if (kind is None or t.kind is kind) and (segment is None or t.segment is segment)]
