"""``anchor-console compliance check``: JSON and text output, exit codes, bad input, product facts from the store."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest

from console.cli import main
from console.domain.permissions import Actor
from console.domain.values import StoreInfo
from console.services.compliance_facts import ProductFactsService
from console.services.prices import record_price
from console.storage.db import Database
from console.storage.models import Product, StoreProduct
from console.storage.types import utcnow

KEYS = {"category", "severity", "start", "end", "text", "rule", "message", "reference", "suggestion"}


def run(capsys: pytest.CaptureFixture[str], *args: str, lang: str = "en") -> tuple[int, str, str]:
    code = main(["compliance", "check", *args, "--lang", lang])
    out, err = capsys.readouterr()
    return code, out, err


def script(tmp_path: Path, content: str | bytes, name: str = "script.txt") -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def test_json_lists_the_findings_and_a_block_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "家人们，这款面霜是全网最好用的！\n加我微信 anna_0823，私聊下单。"
    code, out, err = run(capsys, "--json", script(tmp_path, text))
    assert code == 1 and err == ""
    findings = json.loads(out)
    assert findings and all(set(f) == KEYS for f in findings)
    assert [f["start"] for f in findings] == sorted(f["start"] for f in findings)
    for f in findings:
        assert text[f["start"]:f["end"]] == f["text"]
    assert {f["category"] for f in findings} == {"absolute", "off_platform"}
    assert any("steers viewers off the platform" in f["message"] for f in findings)


def test_json_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--json", script(tmp_path, "销量第一的精华"), lang="zh_CN")
    [finding] = json.loads(out)
    assert code == 1 and "排名第一" in finding["message"] and finding["reference"].startswith("《广告法》")


def test_warnings_only_exit_0_and_a_clean_script_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--json", script(tmp_path, "专柜价899，今天只要599。"))
    assert code == 0 and {f["severity"] for f in json.loads(out)} == {"warn"}
    code, out, _ = run(capsys, script(tmp_path, "第一次用的姐妹先试一下，点击小黄车下单。"))
    assert code == 0 and "No findings" in out


def test_text_output_names_line_column_and_suggestion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, script(tmp_path, "第一行没问题。\n这个能治疗湿疹。"))
    assert code == 1
    assert "2:4: blocks [medical] “治疗”" in out and "suggestion:" in out and "block approval" in out


def test_standard_input_is_read_with_a_dash(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "console", "compliance", "check", "--json", "-", "--lang", "en"],
                            input="加我VX".encode(), capture_output=True, check=False)
    assert result.returncode == 1, result.stderr.decode()
    assert json.loads(result.stdout)[0]["category"] == "off_platform"


@pytest.mark.parametrize(("content", "says"), [
    (b"", "is empty"),
    (b"  \n\t\n", "is empty"),
    ("第一行\n".encode() + b"\xff\xfe bad", "is not UTF-8 text: line 2"),
])
def test_bad_input_exits_2_with_one_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes,
                                             says: str) -> None:
    path = script(tmp_path, content)
    code, out, err = run(capsys, path)
    assert code == 2 and out == ""
    assert path in err and says in err and "Traceback" not in err


def test_a_missing_file_or_a_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(tmp_path / "nowhere.txt"))
    assert code == 2 and "There is no file" in err
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2 and "is a folder" in err


def test_a_bad_pack_exits_2_naming_file_and_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "pack.json"
    pack.write_text(json.dumps({"name": "x", "version": 1, "rules": [
        {"id": "absolute.slow", "category": "absolute", "severity": "block", "patterns": ["(a+)+$"],
         "reference": "x", "message": {"zh": "x", "en": "x"}}]}), encoding="utf-8")
    code, _, err = run(capsys, "--pack", str(pack), script(tmp_path, "aaaa"))
    assert code == 2 and str(pack) in err and "absolute.slow" in err and "exponential" in err


def test_a_good_pack_is_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "pack.json"
    pack.write_text(json.dumps({"name": "x", "version": 1, "rules": [
        {"id": "price.word", "category": "price", "severity": "block", "words": ["便宜"],
         "reference": "x", "message": {"zh": "便宜", "en": "cheap"}}]}), encoding="utf-8")
    code, out, _ = run(capsys, "--json", "--pack", str(pack), script(tmp_path, "这个很便宜，全网最好"))
    assert code == 1 and [f["rule"] for f in json.loads(out)] == ["price.word"]


def test_a_one_megabyte_script_with_emoji_and_mixed_scripts(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    line = "🔥姐妹们 this lotion 很清爽 эта серия, 点击小黄车🛒。\n"
    text = line * (1_000_000 // len(line.encode())) + "最后：扣扣 12345678"
    code, out, _ = run(capsys, "--json", script(tmp_path, text))
    [finding] = json.loads(out)
    assert code == 1 and finding["text"] == "扣扣 12345678" and text[finding["start"]:finding["end"]] == finding["text"]


# --- --product: the store's own data ------------------------------------------------------------

@pytest.fixture
def cream(db: Database, store: StoreInfo) -> UUID:
    now = utcnow()
    with db.begin() as s:
        product = Product(sku="MZ-TEST-1", name="保湿面霜", brand="锦华", category="美妆", after_sales_policy="七天无理由")
        s.add(product)
        s.flush()
        s.add(StoreProduct(store_id=store.id, product_id=product.id, counter_price_fen=79_900,
                           counter_price_evidence="价签照片 2026-11", stock=120))
        record_price(s, store_id=store.id, product_id=product.id, counter_price_fen=69_900,
                     at=now - timedelta(days=3))
        record_price(s, store_id=store.id, product_id=product.id, counter_price_fen=79_900,
                     at=now - timedelta(days=1))
        return product.id


def test_product_facts_come_from_catalog_price_history_and_stock(db: Database, manager_actor: Actor,
                                                                 cream: UUID) -> None:
    facts = ProductFactsService(db, manager_actor).facts_for_sku("MZ-TEST-1")
    assert (facts.category, facts.counter_price_fen, facts.lowest_7d_fen, facts.stock, facts.medical_allowed) == (
        "美妆", 79_900, 69_900, 120, False)


def test_product_option_checks_prices_stock_and_medical_claims(data_dir: Path, cream: UUID, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    text = "专柜价899。原价799。只剩最后3件了。这款面霜能治疗湿疹。"
    code, out, _ = run(capsys, "--json", "--product", "MZ-TEST-1", "--data-dir", str(data_dir),
                       script(tmp_path, text))
    by_text = {f["text"]: f for f in json.loads(out)}
    assert code == 1
    assert "evidenced counter price is ¥799.00" in by_text["专柜价899"]["message"]
    assert "lowest price of the last 7 days was ¥699.00" in by_text["原价799"]["message"]
    assert "the stock shows 120" in by_text["只剩最后3件了"]["message"]
    assert "美妆" in by_text["治疗"]["message"] and by_text["治疗"]["severity"] == "block"
    code, out, _ = run(capsys, "--json", "--product", "MZ-TEST-1", "--data-dir", str(data_dir),
                       script(tmp_path, "专柜价799，原价699。", "fair.txt"))
    assert code == 0 and json.loads(out) == []


def test_an_unknown_sku_exits_2(data_dir: Path, cream: UUID, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--product", "NOPE-1", "--data-dir", str(data_dir), script(tmp_path, "你好"))
    assert code == 2 and "NOPE-1" in err
