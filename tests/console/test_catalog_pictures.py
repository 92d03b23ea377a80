"""A product's pictures: a copy of each file kept in the data folder's media/, refused when it is not a picture."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from console.domain.errors import NotFound, PermissionDenied, ValidationError
from console.domain.permissions import Actor
from console.i18n import load_catalog
from console.services.base import write_setting
from console.services.catalog_detail import MAX_IMAGES, CatalogDetailService
from console.services.sync import SERVER_URL_SETTING
from console.storage.db import Database
from console.storage.models import Product


def _product(db: Database) -> Product:
    with db.begin() as s:
        product = Product(sku="JH-PIC-1", barcode="", name="羊绒大衣", brand="锦华", category="服饰", spec="M",
                          after_sales_policy="7天无理由退货")
        s.add(product)
    return product


def picture(path: Path, colour: str = "red", kind: str = "PNG", size: tuple[int, int] = (64, 48)) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, kind)
    path.write_bytes(buffer.getvalue())
    return path


def media_files(db: Database) -> list[str]:
    media = db.path.parent / "media"
    return sorted(p.name for p in media.iterdir()) if media.exists() else []


@pytest.fixture
def detail(db: Database, manager_actor: Actor) -> CatalogDetailService:
    return CatalogDetailService(db, manager_actor)


def test_a_picture_is_kept_in_media_under_its_content_and_listed_on_the_product(
        db: Database, detail: CatalogDetailService, tmp_path: Path) -> None:
    product = _product(db)
    shown = detail.add_image(product.id, picture(tmp_path / "coat.png"))
    (image,) = shown.images
    assert image.path is not None and image.path.read_bytes() == (tmp_path / "coat.png").read_bytes()
    assert image.path.parent == db.path.parent / "media" and image.name.endswith(".png")
    # A JPEG saved as .jpeg and the same picture again: the JPEG added, the copy not twice.
    shown = detail.add_image(product.id, picture(tmp_path / "back.jpeg", "blue", "JPEG"))
    shown = detail.add_image(product.id, tmp_path / "coat.png")
    assert [i.name[-4:] for i in shown.images] == [".png", ".jpg"]
    assert len(media_files(db)) == 2


@pytest.mark.parametrize("name, content", [
    ("notes.jpg", "这不是图片".encode()),
    ("empty.png", b""),
    ("cut.png", None),      # a real PNG cut short
])
def test_a_file_that_is_not_a_whole_picture_is_refused_naming_it_and_nothing_is_kept(
        db: Database, detail: CatalogDetailService, tmp_path: Path, name: str, content: bytes | None) -> None:
    product = _product(db)
    path = tmp_path / name
    if content is None:
        whole = picture(tmp_path / "whole.png", size=(400, 300)).read_bytes()
        content = whole[: len(whole) // 2]
    path.write_bytes(content)
    with pytest.raises(ValidationError) as refused:
        detail.add_image(product.id, path)
    assert refused.value.message.id == "catalog_detail.not_an_image"
    assert load_catalog("zh_CN").render(refused.value.message).startswith(f"{name} 不是图片")
    assert media_files(db) == [] and detail.product_detail(product.id).images == ()


def test_a_picture_of_a_format_the_console_cannot_show_is_refused(
        db: Database, detail: CatalogDetailService, tmp_path: Path) -> None:
    product = _product(db)
    with pytest.raises(ValidationError) as refused:
        detail.add_image(product.id, picture(tmp_path / "scan.tif", kind="TIFF"))
    assert refused.value.message.id == "catalog_detail.image_format" and "TIFF" in str(refused.value)


def test_a_missing_file_an_unknown_product_and_too_many_pictures(
        db: Database, detail: CatalogDetailService, tmp_path: Path) -> None:
    product = _product(db)
    with pytest.raises(ValidationError, match="there is no such file"):
        detail.add_image(product.id, tmp_path / "gone.png")
    with pytest.raises(NotFound):
        detail.add_image(product.id.__class__(int=1), picture(tmp_path / "a.png"))
    for n in range(MAX_IMAGES):
        detail.add_image(product.id, picture(tmp_path / f"p{n}.png", size=(10 + n, 10)))
    with pytest.raises(ValidationError, match=f"at most {MAX_IMAGES} pictures"):
        detail.add_image(product.id, picture(tmp_path / "one-more.png", size=(99, 10)))


def test_an_enrolled_console_leaves_pictures_to_head_office(
        db: Database, detail: CatalogDetailService, tmp_path: Path, anchor_actor: Actor) -> None:
    product = _product(db)
    with pytest.raises(PermissionDenied):
        CatalogDetailService(db, anchor_actor).add_image(product.id, picture(tmp_path / "a.png"))
    assert detail.access().may_edit_catalog and not CatalogDetailService(db, anchor_actor).access().may_edit_catalog
    with db.begin() as s:
        write_setting(s, SERVER_URL_SETTING, "https://ho.example.cn")
    assert not detail.access().may_edit_catalog
    with pytest.raises(PermissionDenied):
        detail.add_image(product.id, picture(tmp_path / "a.png"))
    assert media_files(db) == []


def test_removing_a_picture_takes_it_off_the_product(db: Database, detail: CatalogDetailService,
                                                      tmp_path: Path) -> None:
    product = _product(db)
    shown = detail.add_image(product.id, picture(tmp_path / "a.png"))
    assert detail.remove_image(product.id, shown.images[0].name).images == ()


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    return subprocess.run([sys.executable, "-m", "console", *args], capture_output=True, cwd=cwd, env=env,
                          timeout=120)


def test_cli_adds_a_picture_and_refuses_a_file_that_is_not_one(db: Database, data_dir: Path, tmp_path: Path,
                                                             store: object) -> None:
    _product(db)
    db.close()
    done = run_cli("catalog", "picture", "JH-PIC-1", str(picture(tmp_path / "coat.png")), "--data-dir",
                   str(data_dir), "--lang", "en", cwd=tmp_path)
    assert (done.returncode, done.stderr, done.stdout) == (0, b"", b"JH-PIC-1 now has 1 picture.\n")
    (tmp_path / "notes.jpg").write_text("not a picture", encoding="utf-8")
    refused = run_cli("catalog", "picture", "JH-PIC-1", str(tmp_path / "notes.jpg"), "--data-dir", str(data_dir),
                      "--lang", "zh_CN", cwd=tmp_path)
    assert refused.returncode == 1 and refused.stdout == b""
    assert "notes.jpg 不是图片" in refused.stderr.decode()
    unknown = run_cli("catalog", "picture", "NOPE", str(tmp_path / "coat.png"), "--data-dir", str(data_dir),
                      "--lang", "en", cwd=tmp_path)
    assert unknown.returncode == 1 and "No product in the catalog has the SKU NOPE." in unknown.stderr.decode()
