"""The first-run admin password: shown at each start until someone signs in or it is changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from shipcaptaincrew.bootstrap import build_context
from shipcaptaincrew.config import Settings
from shipcaptaincrew.domain.errors import WrongPassword
from shipcaptaincrew.services import admin


def context(data_dir: Path):  # type: ignore[no-untyped-def]
    return build_context(Settings.from_env({"SCC_DATA_DIR": str(data_dir)}))


def test_the_first_run_password_is_the_same_at_each_start_until_someone_signs_in(tmp_path: Path) -> None:
    first = admin.first_run_password(context(tmp_path))

    assert first is not None and admin.first_run_password(context(tmp_path)) == first
    admin.log_in(context(tmp_path), first, "test")
    assert admin.first_run_password(context(tmp_path)) is None


def test_a_changed_password_is_never_shown(tmp_path: Path) -> None:
    assert admin.first_run_password(context(tmp_path)) is not None

    admin.set_admin_password(context(tmp_path), "a long new password", actor="test")

    assert admin.first_run_password(context(tmp_path)) is None
    assert not (tmp_path / "first-run-password").exists()


def test_a_wrong_password_leaves_the_first_run_password_shown(tmp_path: Path) -> None:
    first = admin.first_run_password(context(tmp_path))
    ctx = context(tmp_path)

    with pytest.raises(WrongPassword):
        admin.log_in(ctx, "not the password", "test")

    assert admin.first_run_password(context(tmp_path)) == first
