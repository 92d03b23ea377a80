"""The dashboard over HTTP against the real service on loopback: sign-in, the session cookie, CSRF,
sign-out, roles, accounts limited to some stores, languages and bad input (never a 5xx).

The browser tests (tests/sync/test_dashboard_browser.py) drive the same pages in Chromium.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from console.headoffice import admin, db
from console.headoffice.app import Settings, create_app
from console.headoffice.dashboard.words import WORDS
from tests.headoffice.helpers import LiveService

PASSWORD = "correct horse battery"
TEMPLATES = Path(__file__).resolve().parents[2] / "console" / "headoffice" / "dashboard" / "templates"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveService]:
    url = f"sqlite:///{tmp_path / 'headoffice.sqlite3'}"
    engine = db.make_engine(url)
    db.migrate(engine)
    with db.session_factory(engine).begin() as session:
        for code, name in (("SH01", "上海旗舰店"), ("BJ02", "北京王府井店"), ("HZ03", "杭州武林店")):
            admin.add_store(session, code, name)
        admin.add_user(session, "boss", "总部管理员", "admin", PASSWORD)
        admin.add_user(session, "ana", "数据分析", "analyst", PASSWORD)
        admin.add_user(session, "east", "华东区经理", "catalog_manager", PASSWORD, stores=["SH01", "HZ03"])
    service = LiveService.start(create_app(Settings(database_url=url), engine=engine), engine)
    try:
        yield service
    finally:
        service.stop()
        engine.dispose()


def browser(live: LiveService) -> httpx.Client:
    client = httpx.Client(base_url=live.base_url, timeout=30)
    live.clients.append(client)
    return client


def with_cookies(live: LiveService, cookies: dict[str, str]) -> httpx.Client:
    client = browser(live)
    for name, value in cookies.items():
        client.cookies.set(name, value, path="/dashboard")
    return client


def sign_in_token(client: httpx.Client) -> str:
    page = client.get("/dashboard/sign-in")
    assert page.status_code == 200
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def signed_in(live: LiveService, login: str) -> httpx.Client:
    client = browser(live)
    answer = client.post("/dashboard/sign-in", data={"csrf": sign_in_token(client), "login": login,
                                                     "password": PASSWORD})
    assert answer.status_code == 303, answer.text
    return client


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def refusal(page: httpx.Response) -> str:
    found = re.search(r'id="refusal"[^>]*>([^<]*)<', page.text)
    assert found, page.text
    return found.group(1)


def test_every_page_without_a_session_redirects_to_sign_in_and_comes_back_after(live: LiveService) -> None:
    client = browser(live)
    for path in ("/dashboard", "/dashboard/", "/dashboard/wall", "/dashboard/stores", "/dashboard/stores/SH01",
                 "/dashboard/reports?kind=anchors", "/dashboard/reports/export?format=csv"):
        answer = client.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/dashboard/sign-in?next=%2Fdashboard"), path
    assert with_cookies(live, {"ho_session": "made-up"}).get("/dashboard/wall").status_code == 303
    stream = client.get("/dashboard/wall/events")
    assert stream.status_code == 401 and "sign in" in stream.text.lower() or "登录" in stream.text

    token = sign_in_token(client)
    answer = client.post("/dashboard/sign-in", data={"csrf": token, "login": "boss", "password": PASSWORD,
                                                     "next": "/dashboard/stores"})
    assert answer.status_code == 303 and answer.headers["location"] == "/dashboard/stores"
    cookie = next(v for k, v in answer.headers.multi_items() if k == "set-cookie" and v.startswith("ho_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/dashboard" in cookie
    assert client.get("/dashboard/stores").status_code == 200
    # Never off to another site after signing in.
    other = signed_in(live, "boss")
    token = sign_in_token(other)
    answer = other.post("/dashboard/sign-in", data={"csrf": token, "login": "boss", "password": PASSWORD,
                                                    "next": "https://evil.example/dashboard"})
    assert answer.headers["location"] == "/dashboard/"


def test_a_wrong_password_and_a_forged_sign_in_form_are_refused_with_a_sentence(live: LiveService) -> None:
    client = browser(live)
    token = sign_in_token(client)
    wrong = client.post("/dashboard/sign-in", data={"csrf": token, "login": "boss", "password": "nope-nope-nope"})
    assert wrong.status_code == 401 and 'id="problem"' in wrong.text
    assert "ho_session" not in client.cookies
    empty = client.post("/dashboard/sign-in", data={"csrf": token, "login": "", "password": ""})
    assert empty.status_code == 422
    # A form posted from elsewhere carries no token, or one that is not this browser's.
    forged = client.post("/dashboard/sign-in", data={"csrf": "guessed", "login": "boss", "password": PASSWORD})
    assert forged.status_code == 403 and refusal(forged)
    assert "ho_session" not in client.cookies
    stranger = browser(live)
    replayed = stranger.post("/dashboard/sign-in", data={"csrf": token, "login": "boss", "password": PASSWORD})
    assert replayed.status_code == 403


def test_sign_out_needs_the_sessions_token_and_ends_the_session(live: LiveService) -> None:
    client = signed_in(live, "boss")
    page = client.get("/dashboard/stores")
    forged = client.post("/dashboard/sign-out", data={"csrf": "0" * 64})
    assert forged.status_code == 403 and "html" in forged.headers["content-type"]
    assert client.get("/dashboard/stores").status_code == 200, "a forged sign-out must change nothing"
    kept = dict(client.cookies)
    out = client.post("/dashboard/sign-out", data={"csrf": csrf_of(page)})
    assert out.status_code == 303 and out.headers["location"] == "/dashboard/sign-in?out=1"
    # The old cookie, replayed, opens nothing: the session is ended at head office too.
    assert with_cookies(live, kept).get("/dashboard/stores").status_code == 303


def test_an_analyst_sees_the_reports_only(live: LiveService) -> None:
    client = signed_in(live, "ana")
    assert client.get("/dashboard/").headers["location"] == "/dashboard/reports"
    reports = client.get("/dashboard/reports")
    assert reports.status_code == 200 and 'id="nav-wall"' not in reports.text and 'id="nav-stores"' not in reports.text
    for path in ("/dashboard/wall", "/dashboard/stores", "/dashboard/stores/SH01"):
        refused = client.get(path)
        assert refused.status_code == 403, path
        assert refusal(refused)
    assert client.get("/dashboard/wall/events").status_code == 403


def test_a_regional_managers_account_sees_only_its_stores(live: LiveService) -> None:
    client = signed_in(live, "east")
    stores = client.get("/dashboard/stores")
    assert stores.status_code == 200
    assert "SH01" in stores.text and "HZ03" in stores.text
    assert "BJ02" not in stores.text and "北京王府井店" not in stores.text
    assert client.get("/dashboard/stores/SH01").status_code == 200
    for code in ("BJ02", "NOPE"):     # another store's page, and one that does not exist, alike
        refused = client.get(f"/dashboard/stores/{code}")
        assert refused.status_code == 403
        assert "北京王府井店" not in refused.text
    reports = client.get("/dashboard/reports")
    assert "BJ02" not in reports.text
    assert client.get("/dashboard/reports?store=BJ02").status_code == 403
    assert client.get("/dashboard/reports/export?store=BJ02&format=csv").status_code == 403
    # The whole group's account sees them all, and is told of an unknown code.
    boss = signed_in(live, "boss")
    assert "BJ02" in boss.get("/dashboard/stores").text
    assert boss.get("/dashboard/stores/NOPE").status_code == 404


def test_chinese_by_default_english_on_request(live: LiveService) -> None:
    client = signed_in(live, "boss")
    page = client.get("/dashboard/stores")
    assert '<html lang="zh-CN">' in page.text
    switched = client.get("/dashboard/language", params={"lang": "en", "next": "/dashboard/stores"})
    assert switched.status_code == 303 and switched.headers["location"] == "/dashboard/stores"
    page = client.get("/dashboard/stores")
    assert '<html lang="en">' in page.text and ">Stores<" in page.text
    # An unknown language changes nothing; a foreign next is not followed.
    odd = client.get("/dashboard/language", params={"lang": "xx", "next": "//evil.example/"})
    assert odd.headers["location"] == "/dashboard/"
    assert '<html lang="en">' in client.get("/dashboard/stores").text


def test_bad_input_gets_a_page_never_a_5xx(live: LiveService) -> None:
    client = signed_in(live, "boss")
    answers = [
        client.post("/dashboard/sign-in", content=b"\xff\xfe{not a form", headers={"Content-Type": "multipart/form-data"}),
        client.post("/dashboard/sign-in", json={"login": "boss"}),
        client.post("/dashboard/sign-out", content=b"%%%", headers={"Content-Type": "application/x-www-form-urlencoded"}),
        client.get("/dashboard/stores/" + "X" * 500),
        client.get("/dashboard/stores/%E4%B8%8A%00"),
        client.get("/dashboard/reports", params={"kind": "../etc", "from": "2026-13-45", "to": "x" * 300}),
        client.get("/dashboard/no-such-page"),
        client.put("/dashboard/wall"),
        with_cookies(live, {"ho_session": "x" * 5000}).get("/dashboard/wall"),
    ]
    for answer in answers:
        assert answer.status_code < 500, (answer.request.url, answer.status_code, answer.text[:300])
    assert answers[6].status_code == 404 and "html" in answers[6].headers["content-type"]


def test_every_word_a_template_names_is_in_the_catalog() -> None:
    named = set()
    for template in TEMPLATES.glob("*.html"):
        named |= set(re.findall(r'\bt\("([\w.]+)"\s*[,)]', template.read_text(encoding="utf-8")))
        for prefix in re.findall(r'\bt\("([\w.]+_)" \+', template.read_text(encoding="utf-8")):
            named |= {key for key in WORDS if key.startswith(prefix)}
    assert named, "no words found in the templates"
    assert named - set(WORDS) == set()


def _first_wall_event(client: httpx.Client) -> list[dict[str, object]]:
    import json

    with client.stream("GET", "/dashboard/wall/events") as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        kind = None
        for line in stream.iter_lines():
            if line.startswith("event:"):
                kind = line.removeprefix("event:").strip()
            elif line.startswith("data:") and kind == "wall":
                return json.loads(line.removeprefix("data:"))["shows"]  # type: ignore[no-any-return]
    raise AssertionError("the stream ended without a wall event")


def test_the_wall_stream_holds_only_the_accounts_stores(live: LiveService) -> None:
    from tests.headoffice.helpers import now_wire

    for code, title in (("SH01", "上海专场"), ("BJ02", "北京专场")):
        console = live.enroll(code)
        room = console.insert("live_room", code="R1", name=f"{code} 一号直播间")
        show = console.insert("broadcast", room_id=room, title=title, planned_start=now_wire(),
                              planned_end=now_wire(), status="live")
        run = console.insert("show_run", broadcast_id=show, room_id=room, started_at=now_wire())
        console.insert("metric_snapshot", broadcast_id=show, run_id=run, at=now_wire(), viewers=321, orders=4,
                       gmv_fen=12_300)
        console.push()
    everyone = {s["store_code"]: s for s in _first_wall_event(signed_in(live, "boss"))}
    assert set(everyone) == {"SH01", "BJ02"}
    assert (everyone["BJ02"]["title"], everyone["BJ02"]["viewers"], everyone["BJ02"]["gmv_fen"]) == ("北京专场", 321,
                                                                                                    12_300)
    east = _first_wall_event(signed_in(live, "east"))
    assert [s["store_code"] for s in east] == ["SH01"]
    page = signed_in(live, "east").get("/dashboard/wall")
    assert "上海专场" in page.text and "北京专场" not in page.text


def test_a_report_of_a_bad_range_says_why_and_an_empty_range_is_an_empty_report(live: LiveService) -> None:
    client = signed_in(live, "boss")
    for query in ({"from": "2026-03-10", "to": "2026-03-01"}, {"from": "2016-01-01", "to": "2026-01-01"},
                  {"from": "2026-02-30"}):
        answer = client.get("/dashboard/reports", params={"kind": "broadcasts", **query})
        assert answer.status_code == 422, query
        assert 'id="problem"' in answer.text, query
        export = client.get("/dashboard/reports/export", params={"kind": "broadcasts", "format": "csv", **query})
        assert export.status_code == 422 and 'id="refusal"' in export.text, query
    empty = client.get("/dashboard/reports", params={"kind": "broadcasts", "from": "2020-01-01", "to": "2020-01-31"})
    assert empty.status_code == 200 and 'id="empty-report"' in empty.text
    csv = client.get("/dashboard/reports/export", params={"kind": "broadcasts", "from": "2020-01-01",
                                                          "to": "2020-01-31", "format": "csv"})
    assert csv.status_code == 200 and csv.text.lstrip("\ufeff").startswith("broadcast_id,title,room_code,room")
    assert len(csv.text.strip().splitlines()) == 1
    assert client.get("/dashboard/reports/export", params={"format": "pdf"}).status_code == 400


def _shows_on_platforms(live: LiveService) -> dict[str, str]:
    """An ended show in SH01 on its Douyin account and one in BJ02 on its Taobao one, a product sold in each."""
    from sqlalchemy import select

    from console.headoffice.models import Store
    from console.headoffice.sync import write_rows
    from tests.headoffice.helpers import full_row
    from tests.headoffice.test_reports import _facts, _product, _show

    found: dict[str, str] = {}
    with live.sessions().begin() as session:
        stores = {s.code: s.id for s in session.scalars(select(Store))}
        coat = _product(session, "JH-001")
        for code, title, platform, readings in (("SH01", "上海冬装专场", "douyin", (100, 10, 3, 5_000)),
                                                ("BJ02", "北京冬装专场", "taobao", (100, 40, 2, 2_000))):
            account = full_row("platform_account", {"store_id": stores[code], "platform": platform,
                                                    "handle": f"h-{code}", "display_name": code})
            write_rows(session, "platform_account", [account], store_id=stores[code])
            show = _show(session, stores[code], title)
            write_rows(session, "broadcast", [{**show, "platform_account_ids": [account["id"]], "row_version": 2}],
                       store_id=stores[code])
            _facts(session, stores[code], show, coat, [readings])
            found[code] = show["id"]
    return found


def test_the_reports_filter_by_platform_and_a_broadcast_drills_down_to_its_products(live: LiveService) -> None:
    shows = _shows_on_platforms(live)
    client = signed_in(live, "boss")
    client.get("/dashboard/language", params={"lang": "en", "next": "/dashboard/reports"})
    day = {"from": "2026-11-20", "to": "2026-11-20"}

    page = client.get("/dashboard/reports", params={"kind": "broadcasts", **day})
    assert page.status_code == 200
    form = re.search(r'<select name="platform" id="platform">(.*?)</select>', page.text, re.S)
    assert form and '<option value="">All platforms</option>' in form.group(1)
    assert re.findall(r'<option value="(\w+)"', form.group(1)) == ["douyin", "kuaishou", "taobao", "pinduoduo",
                                                                    "jd", "wechat"]
    assert "上海冬装专场" in page.text and "北京冬装专场" in page.text
    douyin = client.get("/dashboard/reports", params={"kind": "broadcasts", "platform": "douyin", **day})
    assert "上海冬装专场" in douyin.text and "北京冬装专场" not in douyin.text
    assert '<option value="douyin" selected>' in douyin.text
    assert 'id="empty-report"' in client.get("/dashboard/reports", params={
        "kind": "stores", "platform": "kuaishou", **day}).text
    unknown = client.get("/dashboard/reports", params={"kind": "broadcasts", "platform": "myspace", **day})
    assert unknown.status_code == 422 and "no platform &#39;myspace&#39;" in unknown.text
    exported = client.get("/dashboard/reports/export", params={"kind": "stores", "platform": "taobao",
                                                               "format": "csv", **day})
    assert exported.status_code == 200 and [line.split(",")[1] for line in exported.text.splitlines()[1:]] == [
        "BJ02"]

    # The broadcast row links to its products; the link keeps the filters to come back with.
    links = re.findall(r'<a href="([^"]+)" class="drill">its products</a>', douyin.text)
    assert len(links) == 1 and f"broadcast={shows['SH01']}" in links[0] and "kind=products" in links[0]
    drill = client.get(links[0].replace("&amp;", "&"))
    assert drill.status_code == 200, drill.text
    assert re.search(r'<h2 id="drill-title">Products of 上海冬装专场</h2>', drill.text)
    assert ">Link<" in drill.text and "JH-001" in drill.text and "北京冬装专场" not in drill.text
    assert "¥50.00" in drill.text and "¥300.00" in drill.text            # ¥50.00 in 600 s on air
    assert 'id="back-to-broadcasts"' in drill.text
    csv = client.get("/dashboard/reports/export", params={"kind": "products", "broadcast": shows["SH01"],
                                                          "format": "csv"})
    assert csv.status_code == 200 and csv.text.lstrip("\ufeff").startswith("link_number,product_id,sku")
    assert f'broadcast_products_{shows["SH01"]}.csv' in csv.headers["content-disposition"]

    # An account of SH01 and HZ03: BJ02's broadcast is refused, nothing of it on the page or in an export.
    east = signed_in(live, "east")
    for path in ("/dashboard/reports", "/dashboard/reports/export"):
        refused = east.get(path, params={"kind": "products", "broadcast": shows["BJ02"], "format": "csv"})
        assert refused.status_code == 403, path
        assert "北京" not in refused.text and "JH-001" not in refused.text and "20.00" not in refused.text
    assert east.get("/dashboard/reports", params={"kind": "products", "broadcast": shows["SH01"]}).status_code == 200
    gone = client.get("/dashboard/reports", params={"kind": "products",
                                                    "broadcast": "0190b6a0-0000-7000-8000-000000000000"})
    assert gone.status_code == 404
    bad = client.get("/dashboard/reports", params={"kind": "products", "broadcast": "x" * 80})
    assert bad.status_code == 422 and 'id="problem"' in bad.text
