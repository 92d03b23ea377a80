"""The command line speaks the user's language: --lang, else the console's setting, else the locale, else Chinese.

The real command runs in a subprocess with a chosen environment, so that the
locale variables and the settings file are read exactly as a user's shell
gives them. The Chinese sentences are the catalog's (console/i18n/locale).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from console.cli import EXIT_OK, main
from console.cli_language import choose_language
from console.cli_language import columns as _columns
from console.cli_language import wrap_by_columns as _wrap_by_columns
from console.demo import DemoReport, DemoUser
from console.domain.enums import Affiliation, AuditVia, Role
from console.i18n import ENGLISH, active, load_catalog
from console.services.auth import AuthService
from console.services.roster import RosterService
from console.services.roster_io import ImportResult
from console.storage.db import open_database

HEADER = "anchor,room,start,end,role\n"
BAD_FILE = (HEADER + "A001,R01,2027-03-01 10:00,2027-03-01 12:00,host\n"
                     "Nobody,R01,2027-03-01 10:00,2027-03-01 12:00,host\n"
                     "A002,R01,2027-03-01 10:00,soon,host\n")

ENGLISH_PROBLEMS = [
    "anchor-console: f.csv row 3, column anchor: no anchor with the code or name 'Nobody' in this store.",
    ("anchor-console: f.csv row 4, column end: 'soon' is not a time; write it as YYYY-MM-DD HH:MM "
     "(for example 2026-11-25 19:30)."),
    "anchor-console: Nothing was imported from f.csv: 2 problems to fix first.",
]
CHINESE_PROBLEMS = [
    "anchor-console：f.csv 第 3 行「anchor」列：本店没有代码或姓名为「Nobody」的主播。",
    "anchor-console：f.csv 第 4 行「end」列：「soon」不是时间，请写成 YYYY-MM-DD HH:MM（例如 2026-11-25 19:30）。",
    "anchor-console：未从 f.csv 导入任何班次：请先修正 2 个问题。",
]
PROBLEMS = {"en": ENGLISH_PROBLEMS, "zh_CN": CHINESE_PROBLEMS}
LOCALES = {"en": "en_US.UTF-8", "zh_CN": "zh_CN.UTF-8"}
OTHER = {"en": "zh_CN", "zh_CN": "en"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with two anchors and two rooms; the tests here only import files it refuses or read it."""
    path = tmp_path_factory.mktemp("lang") / "store"
    db = open_database(path)
    try:
        AuthService(db).create_store(code="SH01", name="测试百货", manager_name="王经理",
                                     manager_login="manager", pin="2468")
        roster = RosterService(db, AuthService(db).actor_for_login(None, via=AuditVia.GUI))
        roster.add_anchor(code="A001", name="王芳", affiliation=Affiliation.STAFF)
        roster.add_anchor(code="A002", name="李娜", affiliation=Affiliation.STAFF)
        roster.add_room(code="R01", name="1号直播间")
        roster.add_room(code="R02", name="2号直播间")
    finally:
        db.close()
    return path


@pytest.fixture
def fresh_store(tmp_path: Path, folder: Path) -> Path:
    """A copy of the store that a test may import into."""
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(folder, copy)
    return copy


def run(*args: str, cwd: Path, lang_env: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, with LANG set to ``lang_env`` (and no LC_ALL/LC_MESSAGES) or no locale at all."""
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    if lang_env is not None:
        env["LANG"] = lang_env
    env["PYTHONIOENCODING"] = "utf-8"
    env["COLUMNS"] = "80"   # argparse wraps help to the terminal; a pipe has none
    return subprocess.run([sys.executable, "-m", "console.cli", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env=env, timeout=120, check=False)


def write(folder: Path, text: str, name: str = "f.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- which language ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("where", ["before", "after"])
def test_import_errors_follow_lang_before_or_after_the_subcommand(
        folder: Path, tmp_path: Path, lang: str, where: str) -> None:
    path = write(tmp_path, BAD_FILE)
    common = ["--lang", lang, "--data-dir", str(folder)]
    args = ([*common, "roster", "import", str(path)] if where == "before"
            else ["roster", "import", str(path), *common])

    # The locale says the other language: --lang wins.
    result = run(*args, cwd=tmp_path, lang_env=LOCALES[OTHER[lang]])

    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == PROBLEMS[lang]


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_locale_chooses_without_lang(folder: Path, tmp_path: Path, lang: str) -> None:
    path = write(tmp_path, BAD_FILE)

    result = run("roster", "import", str(path), "--data-dir", str(folder), cwd=tmp_path, lang_env=LOCALES[lang])

    assert result.stderr.splitlines() == PROBLEMS[lang]


def test_without_any_locale_the_console_speaks_chinese(folder: Path, tmp_path: Path) -> None:
    path = write(tmp_path, BAD_FILE)

    result = run("roster", "import", str(path), "--data-dir", str(folder), cwd=tmp_path)

    assert result.stderr.splitlines() == CHINESE_PROBLEMS


def test_the_consoles_setting_beats_the_locale_and_lang_beats_both(fresh_store: Path, tmp_path: Path) -> None:
    (fresh_store / "settings.ini").write_text("[ui]\nlanguage = en\n", encoding="utf-8")
    path = write(tmp_path, BAD_FILE)

    by_setting = run("roster", "import", str(path), "--data-dir", str(fresh_store), cwd=tmp_path,
                     lang_env="zh_CN.UTF-8")
    by_option = run("roster", "import", str(path), "--data-dir", str(fresh_store), "--lang", "zh_CN",
                    cwd=tmp_path, lang_env="en_US.UTF-8")

    assert by_setting.stderr.splitlines() == ENGLISH_PROBLEMS
    assert by_option.stderr.splitlines() == CHINESE_PROBLEMS


def test_choose_language_reads_the_command_line_before_the_parser(tmp_path: Path) -> None:
    (tmp_path / "settings.ini").write_text("[ui]\nlanguage = en\n", encoding="utf-8")
    chinese = {"LANG": "zh_CN.UTF-8"}

    assert choose_language(["roster", "import", "--lang", "en", "f.csv"], chinese) == "en"
    assert choose_language(["--lang=en", "info"], chinese) == "en"
    assert choose_language(["info", "--data-dir", str(tmp_path)], chinese) == "en"            # the setting
    assert choose_language(["info", f"--data-dir={tmp_path}", "--lang", "zh_CN"], {"LANG": "C"}) == "zh_CN"
    assert choose_language(["info"], {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert choose_language(["info", "--data-dir", str(tmp_path / "none")], {}) == "zh_CN"
    # A malformed option does not hide the other one: the complaint is in the language asked for.
    assert choose_language(["--lang", "en", "info", "--data-dir"], chinese) == "en"
    # A language the console does not offer is left to the parser to refuse.
    assert choose_language(["--lang", "fr", "info"], {"LANG": "en_US.UTF-8"}) == "en"


def test_main_leaves_the_callers_language_as_it_was(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = active().language

    assert main(["--lang", "zh_CN", "info", "--data-dir", str(folder)]) == EXIT_OK

    assert active().language == before
    assert capsys.readouterr().out.startswith("SH01\t测试百货\t")


# --- what is said ------------------------------------------------------------------------------


def test_help_in_chinese(tmp_path: Path) -> None:
    top = run("--lang", "zh_CN", "--help", cwd=tmp_path, lang_env="en_US.UTF-8")
    sub = run("roster", "import", "--help", cwd=tmp_path, lang_env="zh_CN.UTF-8")

    assert top.returncode == sub.returncode == 0
    assert top.stdout.startswith("用法：anchor-console ")
    for words in ("百货商场直播带货控制台。", "位置参数：", "选项：", "显示此帮助信息并退出", "导入或导出班次",
                  "本地门店的数据文件夹", "显示程序版本号并退出"):
        assert words in top.stdout, words
    assert "usage" not in top.stdout and "options:" not in top.stdout
    assert "列：主播、直播间、开始、结束、角色" in sub.stdout
    # Chinese characters take two columns: no help line is wider than the terminal argparse assumes.
    assert max(_columns(line) for line in top.stdout.splitlines() if "{" not in line) <= 80


def test_help_in_english(tmp_path: Path) -> None:
    top = run("--help", cwd=tmp_path, lang_env="en_US.UTF-8")

    assert top.stdout.startswith("usage: anchor-console ")
    assert "Control console for department-store live commerce." in top.stdout
    assert "show this help message and exit" in top.stdout and "\noptions:\n" in top.stdout


@pytest.mark.parametrize(("lang", "usage", "expected"), [
    ("en", "usage: anchor-console roster [-h] ",
     "anchor-console roster: error: the following arguments are required: ACTION"),
    ("zh_CN", "用法：anchor-console roster [-h] ", "anchor-console roster：错误：缺少以下必需的参数：ACTION"),
])
def test_usage_errors_in_the_users_language(tmp_path: Path, lang: str, usage: str, expected: str) -> None:
    result = run("roster", "--lang", lang, cwd=tmp_path)

    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(usage) and lines[-1] == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "anchor-console roster export: error: argument --format: invalid choice: 'pdf' (choose from 'csv', 'xlsx', 'ics')"),
    ("zh_CN", "anchor-console roster export：错误：参数 --format：无效的取值：'pdf'（可选值：'csv', 'xlsx', 'ics'）"),
])
def test_invalid_choice_in_the_users_language(tmp_path: Path, lang: str, expected: str) -> None:
    result = run("roster", "export", "--format", "pdf", cwd=tmp_path, lang_env=LOCALES[lang])

    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "anchor-console roster export: error: argument --from: '3/1' is not a date; write it as YYYY-MM-DD"),
    ("zh_CN", "anchor-console roster export：错误：参数 --from：「3/1」不是日期；请写成 YYYY-MM-DD"),
])
def test_a_bad_date_in_the_users_language(folder: Path, tmp_path: Path, lang: str, expected: str) -> None:
    result = run("roster", "export", "--format", "csv", "--from", "3/1", "--data-dir", str(folder),
                 cwd=tmp_path, lang_env=LOCALES[lang])

    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "anchor-console: error: unrecognized arguments: --bogus"),
    ("zh_CN", "anchor-console：错误：无法识别的参数：--bogus"),
])
def test_unrecognized_arguments_in_the_users_language(tmp_path: Path, lang: str, expected: str) -> None:
    result = run("info", "--bogus", "--lang", lang, cwd=tmp_path)

    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == expected


def shifts_file(folder: Path, name: str, count: int) -> Path:
    rows = [f"A00{1 + i % 2},R0{1 + i % 2},2027-03-0{1 + i // 2} 10:00,2027-03-0{1 + i // 2} 12:00,host\n"
            for i in range(count)]
    return write(folder, HEADER + "".join(rows), name)


@pytest.mark.parametrize(("lang", "count", "expected"), [
    ("en", 1, "imported 1 shift (0 with warnings) from shifts.csv"),
    ("en", 3, "imported 3 shifts (0 with warnings) from shifts.csv"),
    ("zh_CN", 3, "已从 shifts.csv 导入 3 个班次（其中 0 个有警告）"),
])
def test_the_summary_counts_in_the_users_language(fresh_store: Path, tmp_path: Path, lang: str, count: int,
                                                   expected: str) -> None:
    path = shifts_file(tmp_path, "shifts.csv", count)

    result = run("--lang", lang, "roster", "import", str(path), "--data-dir", str(fresh_store), cwd=tmp_path)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[-1] == expected


def test_the_summary_is_a_message_with_its_plural() -> None:
    one = ImportResult(file_name="a.csv", imported=1, with_warnings=0).summary()
    many = ImportResult(file_name="a.csv", imported=1234, with_warnings=2).summary()

    assert str(one) == "imported 1 shift (0 with warnings) from a.csv"
    assert many.render(ENGLISH) == "imported 1,234 shifts (2 with warnings) from a.csv"
    assert many.render(load_catalog("zh_CN")) == "已从 a.csv 导入 1,234 个班次（其中 2 个有警告）"


def test_demo_report_in_chinese(tmp_path: Path) -> None:
    result = run("--lang", "zh_CN", "demo", "--data-dir", str(tmp_path / "demo"), cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("演示门店 JH01 ")
    assert any(line.strip().startswith("班次") for line in lines)
    assert "用户（用登录名和 PIN 码登录）：" in lines


# --- Chinese help lines --------------------------------------------------------------------


@pytest.mark.parametrize("width", [10, 24, 54])
def test_chinese_help_wraps_by_columns(width: int) -> None:
    text = "按排班规则导入 CSV 或 XLSX 文件中的班次，要么全部导入，要么一个不导入（默认：--from 之后 7 天）"

    lines = _wrap_by_columns(text, width)

    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(_columns(line) <= width + 2 for line in lines)          # + a comma kept off the next line
    assert not any(line[0] in "，。）" for line in lines)
    for word in ("CSV", "XLSX", "--from"):
        assert any(word in line for line in lines), word                # Latin words are never split


def test_dates_echo_as_typed(folder: Path, tmp_path: Path) -> None:
    result = run("roster", "export", "--format", "csv", "--from", "2027-03-08", "--to", "2027-03-01",
                 "--data-dir", str(folder), cwd=tmp_path, lang_env="zh_CN.UTF-8")

    assert (result.returncode, result.stderr) == (1, "anchor-console：--to 2027-03-01 早于 --from 2027-03-08。\n")


def test_demo_report_counts_with_separators_and_shows_the_seed_as_given() -> None:
    report = DemoReport(data_dir=Path("/d"), scale="small", seed=20261125, group_name="锦华", store_code="JH01",
                        store_name="锦华百货", group_store_codes=("JH01", "JH02"), anchors=1234, rooms=1,
                        products=1, quality_documents=1, shifts=1, broadcasts=1, queue_items=1, onair_events=1,
                        metric_snapshots=1, scripts=1, elapsed_seconds=1.25,
                        users=(DemoUser("manager", "王经理", Role.STORE_MANAGER, "2468"),))

    lines = report.describe().splitlines()   # in the active language: English in tests

    assert lines[:3] == ["Demo store JH01 锦华百货 (锦华) in /d", "Group stores: JH01, JH02",
                         "Scale small, seed 20261125, built in 1.2 s"]
    assert "  anchors                 1,234" in lines
    assert lines[-1] == "  manager  PIN 2468  store manager    王经理"
