"""anchor-headoffice in the user's language: --lang, else the locale, else Chinese.

Every refusal is checked in both languages (Chinese by default, English with
``--lang en``) with its exit status; the help is Chinese; listings, codes and
files are the same in both languages. The staff API keeps answering in English.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from console.cli_language import columns
from console.compliance import default_pack
from console.demo import GROUP_STORES
from console.headoffice import admin, cli, db
from console.i18n import active, use_language
from tests.headoffice.helpers import LiveService

PASSWORD = "correct horse battery"
ZH_PREFIX = "anchor-headoffice："
EN_PREFIX = "anchor-headoffice: "


@pytest.fixture(autouse=True)
def no_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """No locale at all: the command's own default (Chinese) decides, unless a test sets one."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A head-office SQLite file with store SH01, user wang.li, product JH-001 and rule pack 锦华合规 v1."""
    folder = tmp_path_factory.mktemp("seeded")
    url = f"sqlite:///{folder / 'ho.sqlite3'}"
    engine = db.make_engine(url)
    db.migrate(engine)
    try:
        with db.session_factory(engine).begin() as session:
            admin.add_store(session, "SH01", "上海店")
            admin.add_user(session, "wang.li", "王丽", "analyst", PASSWORD)
    finally:
        engine.dispose()
    catalog_file = folder / "catalog.csv"
    catalog_file.write_text("商品编码,商品名称,品牌\nJH-001,羊绒大衣,锦华\n", encoding="utf-8")
    assert cli.main(["catalog", "import", str(catalog_file), "--database-url", url]) == 0
    assert cli.main(["rulepack", "import", str(pack_file(folder, 1)), "--database-url", url]) == 0
    return folder / "ho.sqlite3"


@pytest.fixture
def url(seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A copy of the seeded database for one test."""
    copy = tmp_path / "ho.sqlite3"
    shutil.copyfile(seeded, copy)
    capsys.readouterr()
    return f"sqlite:///{copy}"


def pack_file(folder: Path, version: int, name: str = "pack.json", **changes: object) -> Path:
    path = folder / name
    path.write_text(json.dumps({**default_pack().as_data(), "name": "锦华合规", "version": version, **changes},
                               ensure_ascii=False), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:   # argparse refusing the arguments, as it always has: status 2
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# --- every refusal, in both languages -------------------------------------------------------------------

# (arguments, exit status, English words, Chinese words); {dir} is the test's folder.
REFUSALS: list[tuple[list[str], int, str, str]] = [
    (["store", "add", "--code", "SH01", "--name", "again"], 1, "Store SH01 already exists.", "门店 SH01 已存在。"),
    (["store", "add", "--code", "bad code!", "--name", "x"], 1, "Store code 'bad code!' must be 1 to 32 letters",
     "门店代码「bad code!」须为 1 到 32 个字母"),
    (["store", "add", "--code", "HZ01", "--name", " "], 1, "A store needs a name.", "门店需要一个名称。"),
    (["enrollment-code", "--store", "XX99"], 1, "There is no store XX99; `anchor-headoffice store list` shows",
     "没有门店 XX99；用 `anchor-headoffice store list` 查看门店。"),
    (["enrollment-code", "--store", "SH01", "--hours", "0"], 1, "--hours must be a positive number of hours.",
     "--hours 必须是正的小时数。"),
    (["console", "list", "--store", "XX99"], 1, "There is no store XX99;", "没有门店 XX99；"),
    (["console", "revoke", str(uuid.UUID(int=7))], 1, f"There is no console {uuid.UUID(int=7)}.",
     f"没有控制台 {uuid.UUID(int=7)}。"),
    (["console", "revoke", "seven"], 1, "'seven' is not a console id", "「seven」不是控制台编号"),
    (["user", "add", "--login", "X", "--name", "x", "--role", "analyst", "--password-stdin"], 1,
     "Login 'x' must be 2 to 64 lower-case letters", "登录名「x」须为 2 到 64 个小写字母"),
    (["user", "add", "--login", "li.na", "--name", " ", "--role", "analyst", "--password-stdin"], 1,
     "A head-office user needs a name.", "总部用户需要一个姓名。"),
    (["user", "add", "--login", "li.na", "--name", "李娜", "--role", "analyst", "--password-stdin", "--stores",
      "NOPE"], 1, "There is no store NOPE;", "没有门店 NOPE；"),
    (["user", "add", "--login", "li.na", "--name", "李娜", "--role", "admin", "--password-stdin", "--stores",
      "SH01"], 1, "An admin account sees every store", "管理员账号可查看所有门店"),
    (["user", "add", "--login", "wang.li", "--name", "王丽", "--role", "analyst", "--password-stdin"], 1,
     "There is already a head-office user wang.li.", "已有总部用户 wang.li。"),
    (["user", "add", "--login", "li.na", "--name", "李娜", "--role", "analyst"], 1,
     "There is no terminal to ask for the password", "没有终端可用来询问密码"),
    (["user", "add", "--login", "li.na", "--name", "李娜", "--role", "boss", "--password-stdin"], 2,
     "argument --role: invalid choice: 'boss'", "参数 --role："),
    (["prune", "--days", "0"], 1, "--days must be a positive number of days.", "--days 必须是正的天数。"),
    (["prune", "--days", "0.5"], 1, "Keep push answers for a day at least", "推送应答至少要保留一天"),
    (["serve", "--token-days", "0"], 1, "--token-days must be a positive number of days.",
     "--token-days 必须是正的天数。"),
    (["catalog", "withdraw", "JH-404", "JH-001"], 1,
     "No product in the catalog has the SKU JH-404; nothing was withdrawn.",
     "商品目录中没有商品编码为 JH-404 的商品；未撤下任何商品。"),
    (["catalog", "export", "--output", "{dir}/no/such/folder/catalog.csv"], 1, "Cannot write ", "无法写入 "),
    (["catalog", "import", "{dir}/missing.csv"], 1, "missing.csv", "missing.csv"),
    (["rulepack", "import", "{dir}/pack.json"], 1, "Rule pack 锦华合规 version 1 has already been issued",
     "规则包 锦华合规 的版本 1 已经发布过"),
    (["rulepack", "import", "{dir}/bad.json"], 1, "Nothing was imported; the rule pack in force stays in force.",
     "未导入任何内容；现行规则包继续有效。"),
    (["report", "stores", "--format", "xlsx"], 2, "An Excel report needs a file to go to; give --output FILE.",
     "Excel 报表需要写入文件；请加 --output FILE。"),
    (["report", "stores", "--store", "SH01", "--all"], 2, "Give --store CODE or --all, not both.",
     "请给出 --store CODE 或 --all，不能同时给出。"),
    (["report", "stores", "--from", "2026-13-01"], 2, "'2026-13-01' is not a date", "「2026-13-01」不是日期"),
    (["report", "stores", "--from", "2026-12-01", "--to", "2026-11-01"], 2, "2026-11-01", "2026-11-01"),
    (["report", "stores", "--store", "XX99"], 2, "There is no store XX99;", "没有门店 XX99；"),
    (["store", "list", "--lang", "fr"], 2, "argument --lang: invalid choice: 'fr'", "参数 --lang：无效的取值"),
    (["demo"], 1, f"The database already holds demo store {GROUP_STORES[0][0]}; use an empty database.",
     f"数据库中已有演示门店 {GROUP_STORES[0][0]}；请使用空数据库。"),
]


def _argv(argv: list[str], folder: Path) -> list[str]:
    return [a.replace("{dir}", str(folder)) for a in argv]


@pytest.fixture
def refusal_setup(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    pack_file(tmp_path, 1)
    pack_file(tmp_path, 2, "bad.json", rules=[{"id": "price.bad", "category": "price"}])
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    engine = db.make_engine(url)   # a demo store already there: `demo` refuses before building anything
    try:
        with db.session_factory(engine).begin() as session:
            admin.add_store(session, GROUP_STORES[0][0], GROUP_STORES[0][1])
    finally:
        engine.dispose()
    return tmp_path


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize(("argv", "status", "english", "chinese"), REFUSALS,
                         ids=[" ".join(r[0][:3]) for r in REFUSALS])
def test_each_refusal_is_one_sentence_in_the_users_language_with_its_exit_status(
        url: str, refusal_setup: Path, capsys: pytest.CaptureFixture[str], language: str,
        argv: list[str], status: int, english: str, chinese: str) -> None:
    lang = [] if language == "zh_CN" else ["--lang", "en"]   # Chinese is the default without a locale

    code, out, err = run(capsys, *_argv(argv, refusal_setup), "--database-url", url, *lang)

    assert code == status and out == ""
    last = err.splitlines()[-1]
    if err.startswith(("用法：", "usage: ")):
        # argparse's own refusal: the usage, then "PROG ACTION: error: ..." in the language.
        assert status == 2 and err.startswith("用法：" if language == "zh_CN" else "usage: ")
        assert ("错误：" if language == "zh_CN" else ": error: ") in last
    else:
        assert last.startswith(ZH_PREFIX if language == "zh_CN" else EN_PREFIX), err
    assert (chinese if language == "zh_CN" else english) in err, err
    if language == "zh_CN" and english and english != chinese:
        assert english not in err


def test_the_catalog_import_refusal_names_each_problem_in_the_language(
        url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "坏.csv"
    bad.write_text("商品编码,商品名称,品牌\nJH-001,羊绒大衣（新）,锦华\nJH-009,,锦华\n", encoding="utf-8")

    code, out, err = run(capsys, "catalog", "import", str(bad), "--dry-run", "--database-url", url)
    assert code == 1 and "坏.csv" in out and "dry run" not in out
    assert err.splitlines()[-1] == f"{ZH_PREFIX}坏.csv 不会导入任何内容：有 1 个问题需要先修正。"
    assert all(line.startswith(ZH_PREFIX) for line in err.splitlines()) and "JH-009" in err.splitlines()[0]

    code, out, err = run(capsys, "catalog", "import", str(bad), "--dry-run", "--database-url", url, "--lang", "en")
    assert code == 1 and out.splitlines() == [
        "坏.csv would add 0, update 1 and leave 0 unchanged; nothing was written (dry run)."]
    assert err.splitlines()[-1] == f"{EN_PREFIX}Nothing would be imported from 坏.csv: 1 problem to fix first."

    code, out, err = run(capsys, "catalog", "import", str(bad), "--database-url", url)
    assert code == 1 and out == "" and err.count("\n") == 2 and "JH-009" in err
    assert all(line.startswith(ZH_PREFIX) for line in err.splitlines())
    assert "Nothing" not in err and "row 3" not in err


def test_an_unusable_database_is_one_sentence_in_the_language(
        tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(capsys, "store", "list", "--database-url", "mysql://nobody@nowhere/db")
    assert (code, out) == (1, "")
    assert err == f"{ZH_PREFIX}数据库地址「mysql://nobody@nowhere/db」既不是 SQLite 也不是 PostgreSQL。\n"
    code, _, err = run(capsys, "store", "list", "--database-url", "mysql://nobody@nowhere/db", "--lang", "en")
    assert code == 1 and err == f"{EN_PREFIX}The database URL 'mysql://nobody@nowhere/db' is neither SQLite nor " \
                                "PostgreSQL.\n"

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE {db.VERSION_TABLE} SET version_num = 'ffff9999'"))
    engine.dispose()
    code, _, err = run(capsys, "migrate", "--database-url", url)
    assert code == 1 and err.startswith(f"{ZH_PREFIX}数据库的结构版本为 ffff9999，比本服务所知的更新")
    code, _, err = run(capsys, "migrate", "--database-url", url, "--lang", "en")
    assert code == 1 and "newer than this service knows; upgrade anchor-headoffice." in err

    def broken(_session: object) -> list[object]:
        raise OperationalError("SELECT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(admin, "list_stores", broken)
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    code, _, err = run(capsys, "store", "list", "--database-url", fresh)
    assert (code, err) == (1, f"{ZH_PREFIX}无法使用数据库：disk I/O error\n")
    code, _, err = run(capsys, "store", "list", "--database-url", fresh, "--lang", "en")
    assert (code, err) == (1, f"{EN_PREFIX}the database cannot be used: disk I/O error\n")


def test_admin_refusals_on_either_database(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "store", "add", "--code", "SH01", "--name", "上海店", "--database-url", database_url)[0] == 0

    code, out, err = run(capsys, "store", "add", "--code", "SH01", "--name", "又一家", "--database-url", database_url)
    assert (code, out, err) == (1, "", f"{ZH_PREFIX}门店 SH01 已存在。\n")
    code, out, err = run(capsys, "console", "list", "--store", "XX99", "--database-url", database_url, "--lang", "en")
    assert (code, out, err) == (1, "", f"{EN_PREFIX}There is no store XX99; `anchor-headoffice store list` shows "
                                       "the stores.\n")


# --- help and the choice of language --------------------------------------------------------------------


def test_help_is_chinese_by_default_and_english_with_lang_en(capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert out.startswith("用法：anchor-headoffice") and "位置参数：" in out and "选项：" in out
    assert "运行服务（先迁移数据库）" in out and "显示此帮助信息并退出" in out and "消息的语言" in out
    assert "run the service" not in out

    with pytest.raises(SystemExit):
        cli.main(["user", "add", "--help"])
    out = capsys.readouterr().out
    assert "从标准输入读取密码" in out and "账号只能查看这些门店" in out
    assert all(columns(line) <= 80 for line in out.splitlines()), out

    with pytest.raises(SystemExit):
        cli.main(["--lang", "en", "report", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: anchor-headoffice report") and "drill down to this" in out


@pytest.mark.parametrize(("environment", "argv", "chinese"), [
    ({}, [], True),
    ({"LANG": "en_US.UTF-8"}, [], False),
    ({"LANG": "C.UTF-8"}, [], False),
    ({"LANG": "zh_CN.UTF-8"}, [], True),
    ({"LANG": "en_US.UTF-8"}, ["--lang", "zh_CN"], True),
    ({"LC_ALL": "zh_CN.UTF-8"}, ["--lang", "en"], False),
    ({}, ["--lang=en"], False),
])
def test_the_language_is_lang_else_the_locale_else_chinese(
        url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        environment: dict[str, str], argv: list[str], chinese: bool) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    code, _, err = run(capsys, *argv, "console", "list", "--store", "XX99", "--database-url", url)

    assert code == 1 and ("没有门店 XX99" in err) is chinese and ("There is no store XX99" in err) is not chinese


def test_lang_before_or_after_the_command_and_the_callers_language_is_put_back(
        url: str, capsys: pytest.CaptureFixture[str]) -> None:
    use_language("en")
    try:
        assert "没有门店" in run(capsys, "--lang", "zh_CN", "console", "list", "--store", "XX99",
                                 "--database-url", url)[2]
        assert active().language == "en"
        assert "There is no store" in run(capsys, "console", "list", "--lang", "en", "--store", "XX99",
                                          "--database-url", url)[2]
    finally:
        use_language("en")


# --- results: sentences translated, listings and files the same ---------------------------------------


def test_result_sentences_are_chinese(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "migrate", "--database-url", url)
    assert code == 0 and out.startswith("总部数据库的结构版本：") and out.endswith("。\n")

    code, out, _ = run(capsys, "enrollment-code", "--store", "SH01", "--database-url", url)
    enrollment, expiry = out.splitlines()
    assert code == 0 and len(enrollment.replace("-", "")) == 20
    assert expiry.startswith("有效期至 ") and expiry.endswith("只能使用一次，供门店 SH01 的一台控制台接入。")

    code, out, _ = run(capsys, "prune", "--database-url", url)
    assert code == 0 and out.splitlines() == ["已删除 0 条超过 30 天的推送应答。",
                                               "已删除 0 条超过 30 天、已被后续更改取代的更改记录。"]

    code, out, _ = run(capsys, "rulepack", "import", str(pack_file(tmp_path, 2)), "--database-url", url)
    assert code == 0 and out.startswith("已发布规则包 锦华合规 版本 2（") and "重新检查已通过的话术" in out

    more = tmp_path / "more.csv"
    more.write_text("商品编码,商品名称,品牌,颜色\nJH-002,围巾,锦华,红\n", encoding="utf-8")
    code, out, _ = run(capsys, "catalog", "import", str(more), "--database-url", url)
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("警告：") and "颜色" in lines[0]
    assert lines[-1].startswith("商品目录版本 ") and lines[-1].endswith("；各门店在下次同步时获取。")

    code, out, _ = run(capsys, "catalog", "withdraw", "JH-002", "--database-url", url)
    assert (code, out) == (0, "已撤下 1 件商品（JH-002）；各门店在下次同步时将其移出商品目录。\n")

    code, out, _ = run(capsys, "reports", "rebuild", "--database-url", url)
    assert code == 0 and out.startswith("已根据 ") and out.endswith("行同步数据重建报表投影。\n")


def test_english_results_count_in_the_right_number(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "withdraw", "JH-001", "--database-url", url, "--lang", "en")
    assert (code, out) == (0, "Withdrew 1 product (JH-001); it leaves every store's catalog on its next sync.\n")
    code, out, _ = run(capsys, "prune", "--days", "2", "--database-url", url, "--lang", "en")
    assert out.splitlines() == ["Dropped 0 stored push answers older than 2 days.",
                                "Dropped 0 records of superseded mutations older than 2 days."]


@pytest.mark.parametrize("argv", [
    ["store", "list"],
    ["console", "list", "--store", "SH01"],
    ["rulepack", "list"],
    ["catalog", "export"],
    ["catalog", "export", "--format", "xlsx", "--output", "{dir}/catalog.xlsx"],
    ["report", "stores", "--format", "csv"],
    ["report", "stores", "--format", "json"],
])
def test_listings_and_files_are_the_same_in_both_languages(
        url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert cli.main(["console", "list", "--store", "SH01", "--database-url", url]) == 0   # (no consoles yet)
    capsys.readouterr()
    shown = []
    for lang in ([], ["--lang", "en"]):
        written = tmp_path / "catalog.xlsx"
        code, out, err = run(capsys, *[a.replace("{dir}", str(tmp_path)) for a in argv], "--database-url", url,
                             *lang)
        assert (code, err) == (0, "")
        shown.append((out, _sheet_rows(written) if written.exists() else None))
        written.unlink(missing_ok=True)
    assert shown[0] == shown[1]
    if argv == ["store", "list"]:
        assert shown[0][0].startswith("SH01\t上海店\t")
    if argv == ["rulepack", "list"]:
        assert shown[0][0].split("\t")[:3] == ["锦华合规", "1", f"{len(default_pack().rules)} rules"]


def _sheet_rows(path: Path) -> list[tuple[object, ...]]:
    from openpyxl import load_workbook

    return [tuple(row) for row in load_workbook(path).active.iter_rows(values_only=True)]


def test_user_add_prints_its_line_the_same_in_both_languages(
        url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    lines = []
    for login, lang in (("li.na", []), ("wu.bo", ["--lang", "en"])):
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
        code, out, _ = run(capsys, "user", "add", "--login", login, "--name", "李娜", "--role", "analyst",
                           "--password-stdin", "--database-url", url, *lang)
        assert code == 0
        fields = out.rstrip("\n").split("\t")
        lines.append((fields[1], fields[3]))
        uuid.UUID(fields[2])
    assert lines == [("analyst", "all stores"), ("analyst", "all stores")]


# --- the staff API still answers in English -------------------------------------------------------------


def test_the_staff_api_answers_an_admin_refusal_in_english_whatever_the_process_language(
        service: LiveService) -> None:
    from tests.headoffice.test_staff_api import _refusal, _signed_in

    staff = _signed_in(service, "admin")
    use_language("zh_CN")
    try:
        answer = staff.post("/v1/staff/stores", json={"code": "HZ09", "name": "   "},
                            headers={"Accept-Language": "zh-CN"})
    finally:
        use_language("en")
    assert _refusal(answer, 422, "invalid_request") == "A store needs a name."

