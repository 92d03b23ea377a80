"""Catalog import: rows per second against a plain SQLite insert of the same rows, and the peak memory of 200 MB.

Figures:

- ``catalog_import_rows_per_s``: ``CatalogFileService.import_file`` of a
  generated catalog CSV (``ROWS`` products, GBK like a spreadsheet saved by
  Excel in China) into a fresh store, from opening the file to the commit:
  decoding, checking every cell, pinyin keys, the product, store price,
  quality document and price history rows, their outbox entries;
- ``catalog_import_plain_sqlite_rows_per_s``: baseline, the very rows that
  import wrote to those four tables (read back from its database) inserted
  by plain ``sqlite3`` ``executemany`` into another fresh store, in one
  transaction, per product; bar: the import at least a third of it. Both
  are the best of ``ROUNDS`` rounds taken in turn;
- ``catalog_import_peak_mb``: peak resident memory (``ru_maxrss``) of a child
  process that imports a generated ~200 MB CSV into a fresh store; bar under
  400 MB. ``catalog_import_big_rows_per_s`` is that child's throughput.

Names are built the way a department store's are (brand, series, item, model
code, colour), so their Chinese runs repeat across sizes and colours as real
ones do; the pinyin of a run not met before costs about 0.2 ms, which would
dominate a catalog of all-different names. The files are kept in
``bench/.data/`` (git-ignored) and made once.

Run: ``python -m bench catalog_import``.
"""

from __future__ import annotations

import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._data import DATA
from console.domain.enums import AuditVia
from console.services.auth import AuthService
from console.services.catalog_io import CatalogFileService
from console.storage.db import open_database

ROWS = 100_000
ROUNDS = 3
BIG_BYTES = 200 * 2**20
SEED = 20261125
_TABLES = ("product", "store_product", "quality_document", "price_history")

_CATEGORIES = {
    "美妆护肤": (("雅诗兰黛", "兰蔻", "资生堂", "欧莱雅", "娇韵诗", "自然堂", "百雀羚"),
             ("特润", "小棕瓶", "菁纯", "红腰子", "臻白", "水光", "多效"),
             ("精华液", "面霜", "眼霜", "爽肤水", "乳液", "面膜", "洁面乳", "防晒霜"),
             ("30ml", "50ml", "100ml", "75ml")),
    "服装": (("波司登", "雅戈尔", "太平鸟", "江南布衣", "鄂尔多斯", "海澜之家"),
           ("经典", "轻薄", "商务", "休闲", "新款", "羊绒"),
           ("羽绒服", "大衣", "衬衫", "西装", "针织衫", "连衣裙", "卫衣", "风衣"),
           ("S", "M", "L", "XL", "XXL")),
    "家电": (("格力", "美的", "海尔", "小米", "苏泊尔", "九阳", "方太"),
           ("智能", "变频", "静音", "家用", "旗舰", "节能"),
           ("空调", "冰箱", "洗衣机", "电饭煲", "豆浆机", "油烟机", "空气净化器", "扫地机器人"),
           ("1.5匹", "3L", "5L", "10kg", "标准版", "尊享版")),
    "珠宝首饰": (("周大福", "老凤祥", "周生生", "六福珠宝", "潘多拉"),
             ("传承", "古法", "简约", "心形", "星空"),
             ("黄金项链", "手镯", "戒指", "耳钉", "吊坠", "手链"),
             ("足金", "18K", "925银", "PT950")),
    "食品": (("良品铺子", "三只松鼠", "百草味", "五芳斋", "稻香村"),
           ("每日", "礼盒", "经典", "家庭装", "鲜"),
           ("坚果", "月饼", "粽子", "糕点", "肉脯", "茶叶"),
           ("500g", "750g", "1kg", "12袋")),
}
_COLOURS = ("黑色", "白色", "雾霾蓝", "燕麦色", "酒红", "墨绿", "米白", "深灰", "藏青", "玫瑰金", "")
_POLICIES = ("七天无理由退货", "七天无理由退货，质量问题三十天包换", "非质量问题不退换", "一年质保，三十天包换", "")


def _paper(rng: random.Random, category: str) -> str:
    if category == "食品":
        return f"SC{rng.randrange(10**13, 10**14)}"
    if category == "美妆护肤":
        return f"国妆特字G{rng.randrange(2018, 2026)}{rng.randrange(10**5, 10**6)}"
    if category == "家电":
        return f"{rng.randrange(2018, 2026)}{rng.randrange(10**11, 10**12)}"
    return f"检{rng.randrange(2020, 2026)}-{rng.randrange(10**6, 10**7)}"


def _rows(rng: random.Random):  # type: ignore[no-untyped-def]
    serial = 0
    categories = list(_CATEGORIES.items())
    while True:
        category, (brands, series, items, specs) = rng.choice(categories)
        brand, line, item = rng.choice(brands), rng.choice(series), rng.choice(items)
        model = f"{rng.choice('ABCDKLMNRSTX')}{rng.randrange(100, 10000)}"
        for spec in rng.sample(specs, rng.randint(1, len(specs))):
            serial += 1
            colour = rng.choice(_COLOURS)
            name = f"{brand}{line}{item} {model} {colour}".strip()
            yuan = rng.choice((99, 199, 299, 599, 899, 1299, 2680, 5999, 12999)) + rng.choice((0, 0, 0.5))
            price = rng.choice((f"{yuan:,.2f}", f"￥{yuan:g}", f"{yuan:g}", f"￥{yuan:,.2f}"))
            papers = _paper(rng, category) if rng.random() < 0.95 else ""
            yield (f"SKU{serial:09d}", name, brand, category, spec, price, str(rng.randrange(0, 600)),
                   f"69{rng.randrange(10**10, 10**11)}", papers, rng.choice(_POLICIES))


def make_csv(path: Path, *, rows: int | None = None, size: int | None = None) -> int:
    """A catalog CSV in GBK with Chinese headers, of ``rows`` rows or about ``size`` bytes; returns its rows."""
    done = path.with_suffix(".complete")
    if done.exists():
        return int(done.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    header = "商品编码,商品名称,品牌,类目,规格,专柜价,库存,条码,资质编号,售后政策\r\n"
    written = 0
    with path.open("w", encoding="gbk", newline="") as out:
        out.write(header)
        for count, row in enumerate(_rows(rng), start=1):
            out.write(",".join(f'"{v}"' if "," in v else v for v in row) + "\r\n")
            if rows is not None and count >= rows or size is not None and out.tell() >= size:
                written = count
                break
    done.write_text(str(written))
    return written


def _fresh_store(folder: Path) -> CatalogFileService:
    db = open_database(folder)
    auth = AuthService(db)
    auth.create_store(code="SH01", name="Bench Department Store", manager_name="Manager", manager_login="manager",
                      pin="2468")
    return CatalogFileService(db, auth.actor_for_login(None, via=AuditVia.CLI))


def _plain_insert(source: Path, target: Path) -> float:
    """Seconds for sqlite3 executemany of the source's catalog rows into the target, one transaction."""
    read = sqlite3.connect(source)
    tables = {t: read.execute(f"SELECT * FROM {t}").fetchall() for t in _TABLES}  # noqa: S608
    columns = {t: [c[1] for c in read.execute(f"PRAGMA table_info({t})")] for t in _TABLES}
    read.close()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    started = time.perf_counter()
    conn.execute("BEGIN")
    for table in _TABLES:
        names = columns[table]
        conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",  # noqa: S608
                         tables[table])
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def _copy_store(source_db: Path, folder: Path) -> Path:
    """A fresh store with the source's store row (the rows' store_id), and nothing of its catalog."""
    service = _fresh_store(folder)
    target = service._db.path  # noqa: SLF001 (the bench reads the file it made)
    service._db.close()  # noqa: SLF001
    read = sqlite3.connect(source_db)
    store = read.execute("SELECT id FROM store").fetchone()[0]
    read.close()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE store SET id = ?", (store,))
    conn.close()
    return target


def _one_round(path: Path, rows: int, scratch: Path) -> tuple[float, float]:
    """Seconds of the import into a fresh store, and of the plain insert of the rows it wrote."""
    service = _fresh_store(scratch / "imported")
    started = time.perf_counter()
    result = service.import_file(path)
    elapsed = time.perf_counter() - started
    assert result.added == rows, result.summary()
    source = service._db.path  # noqa: SLF001 (the bench reads the file it made)
    service._db.close()  # noqa: SLF001
    return elapsed, _plain_insert(source, _copy_store(source, scratch / "plain"))


def throughput() -> None:
    path = DATA / "catalog-import" / f"catalog-{ROWS}.csv"
    rows = make_csv(path, rows=ROWS)
    ours, theirs = [], []
    # Rounds in turn, the best of each: other work on the machine slows one or the other at random.
    for _ in range(ROUNDS):
        with tempfile.TemporaryDirectory(prefix="bench-catalog-import-") as scratch:
            import_seconds, plain_seconds = _one_round(path, rows, Path(scratch))
        ours.append(rows / import_seconds)
        theirs.append(rows / plain_seconds)
    print(f"BENCH catalog_import_rows_per_s {max(ours):.0f} rows/s")
    print(f"BENCH catalog_import_plain_sqlite_rows_per_s {max(theirs):.0f} rows/s")
    print(f"# import at {max(ours) / max(theirs):.2f} of plain sqlite3 (bar: 0.33), best of {ROUNDS} rounds of "
          f"{rows:,} rows; each round: {', '.join(f'{a / b:.2f}' for a, b in zip(ours, theirs, strict=True))}")


def peak_memory() -> None:
    path = DATA / "catalog-import" / "catalog-200mb.csv"
    rows = make_csv(path, size=BIG_BYTES)
    with tempfile.TemporaryDirectory(prefix="bench-catalog-import-") as scratch:
        out = subprocess.run([sys.executable, "-m", "bench.catalog_import", "--child", str(path), scratch],
                             check=True, capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert figures["added"] == rows, figures
    print(f"BENCH catalog_import_peak_mb {figures['peak_mb']:.0f} MB")
    print(f"BENCH catalog_import_big_rows_per_s {rows / figures['seconds']:.0f} rows/s")
    print(f"# {path.stat().st_size / 2**20:.0f} MB, {rows:,} rows (bar: under 400 MB)")


def child(path: Path, scratch: Path) -> None:
    service = _fresh_store(scratch / "big")
    started = time.perf_counter()
    result = service.import_file(path)
    seconds = time.perf_counter() - started
    service._db.close()  # noqa: SLF001
    # Linux reports kilobytes.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"added": result.added, "seconds": seconds, "peak_mb": peak}))


def main() -> None:
    throughput()
    peak_memory()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
