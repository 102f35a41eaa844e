from __future__ import annotations

from pathlib import Path

import pytest

from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings, SettingsError
from shipcaptaincrew.domain.keys import Keys, WeakSecret

SECRET = b"0123456789abcdef0123456789abcdef"


def test_each_purpose_gets_its_own_key() -> None:
    keys = Keys.derive(SECRET)
    values = [keys.sign_in, keys.form, keys.guest_link, keys.seal, keys.calendar, keys.day_sheet, keys.password_tag]

    assert len(set(values)) == len(values)
    assert all(len(value) == 32 and value != SECRET for value in values)


def test_the_same_secret_derives_the_same_keys_and_another_secret_other_keys() -> None:
    assert Keys.derive(SECRET) == Keys.derive(SECRET)
    assert Keys.derive(SECRET).seal != Keys.derive(SECRET[:-1] + b"X").seal


def test_a_secret_shorter_than_32_bytes_derives_nothing() -> None:
    with pytest.raises(WeakSecret, match="at least 32 bytes"):
        Keys.derive(SECRET[:31])


def test_printing_the_keys_shows_none_of_them() -> None:
    keys = Keys.derive(SECRET)

    assert repr(keys) == str(keys) == "Keys(<derived, not shown>)"


def test_a_short_secret_key_setting_is_refused_by_name() -> None:
    with pytest.raises(SettingsError, match="SCC_SECRET_KEY must be at least 32 bytes"):
        Settings.from_env({"SCC_SECRET_KEY": "short-but-not-empty"})


def test_a_short_key_file_is_refused_with_the_fix(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_text("too-short\n")

    with pytest.raises(SettingsError, match="openssl rand -hex 32"):
        build_context(Settings.from_env({"SCC_DATA_DIR": str(tmp_path)}))


def test_a_generated_key_file_is_long_enough_and_private(tmp_path: Path) -> None:
    ctx = build_context(Settings.from_env({"SCC_DATA_DIR": str(tmp_path)}))
    ctx.store.close()

    key = tmp_path / "secret.key"
    assert len(key.read_text().strip()) >= 32
    assert key.stat().st_mode & 0o777 == 0o600
