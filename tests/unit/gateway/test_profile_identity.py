"""Partner identity: ids unique across profiles, the partner id rule, hostile files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from gateway.errors import ProfileError
from gateway.profiles import ProfileRegistry, check_partner_id, load_profile, validate_folder

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "a" * 64


def _profile(folder: Path, pid: str, body: str) -> Path:
    path = folder / f"{pid}.toml"
    path.write_text(f'id = "{pid}"\n{body}')
    return path


@pytest.mark.parametrize(
    ("first", "second", "key", "shown"),
    [
        ('[x12]\nid = "SAME"\n', '[x12]\nid = "SAME"\n', "x12.id", "ZZ/SAME"),
        ('[x12]\nid = "A"\ngs_id = "SAME"\n', '[x12]\nid = "SAME"\n', "x12.id", "ZZ/SAME"),
        ('[edifact]\nid = "541"\nqualifier = "14"\n', '[edifact]\nid = "541"\n', "edifact.id", "5"),
        ('[as2]\nid = "ACME"\n', '[as2]\nid = "ACME"\n', "as2.id", "ACME"),
        ('[sftp]\nusername = "acme"\n', '[sftp]\nusername = "acme"\n', "sftp.username", "acme"),
        ('[xml]\nids = { gln = "73" }\n', 'gln = "73"\n', "gln", "73"),
        (
            f'[http]\ntoken_sha256 = "{TOKEN}"\n',
            f'[http]\ntoken_sha256 = "{TOKEN}"\n',
            "http.token_sha256",
            "HTTP token",
        ),
    ],
)
def test_an_id_claimed_by_two_profiles_is_a_located_error(
    tmp_path: Path, first: str, second: str, key: str, shown: str
) -> None:
    a = _profile(tmp_path, "a", first)
    b = _profile(tmp_path, "b", second)
    reg = ProfileRegistry(tmp_path)
    assert reg.get("a") is not None and reg.get("b") is None  # the first keeps the id
    (problem,) = reg.problems.values()
    assert str(b) in problem and str(a) in problem and f": {key}: " in problem and shown in problem
    good, problems = validate_folder(tmp_path)
    assert [p.id for p in good] == ["a"]
    (err,) = problems
    assert isinstance(err, ProfileError) and err.key == key and err.path == str(b)


def test_different_ids_do_not_clash(tmp_path: Path) -> None:
    for name in ("acme", "eurofoods", "nordbuild"):
        shutil.copy(ROOT / "partners" / f"{name}.toml", tmp_path)
    _profile(tmp_path, "other", '[x12]\nqualifier = "01"\nid = "ACMERETAIL"\n')  # other qualifier
    reg = ProfileRegistry(tmp_path)
    assert reg.problems == {} and len(reg) == 4
    assert validate_folder(tmp_path)[1] == []


def test_fixing_either_file_clears_a_clash(tmp_path: Path) -> None:
    _profile(tmp_path, "a", '[x12]\nid = "SAME"\n')
    b = _profile(tmp_path, "b", '[x12]\nid = "SAME"\n')
    reg = ProfileRegistry(tmp_path)
    assert reg.get("b") is None
    assert reg.refresh() == []  # a standing problem is reported once, not on every pass
    b.write_text('id = "b"\n[x12]\nid = "OTHER"\n')
    os.utime(b, (9, 9))
    assert reg.refresh() == [] and reg.problems == {} and reg.get("b") is not None


def test_validating_one_file_checks_it_against_its_folder(tmp_path: Path) -> None:
    a = _profile(tmp_path, "a", '[as2]\nid = "X"\n')
    b = _profile(tmp_path, "b", '[as2]\nid = "X"\n')
    (tmp_path / "broken.toml").write_bytes(b"\xff\xfe")  # not b's problem
    good, problems = validate_folder(tmp_path, only=a)
    assert good == [] and [e.key for e in problems] == ["as2.id"]  # type: ignore[attr-defined]
    assert str(b) in str(problems[0])


@pytest.mark.parametrize("pid", ["acme", "a", "eu-foods_2", "0" * 64])
def test_partner_id_rule_accepts(pid: str) -> None:
    assert check_partner_id(pid) is None


@pytest.mark.parametrize(
    "pid", ["", "a/b", "../../t/evil", "Acme", "-a", "a.b", "acme\n", "a b", "0" * 65, "é"]
)
def test_partner_id_rule_refuses(pid: str) -> None:
    assert check_partner_id(pid) is not None


def test_an_id_with_a_trailing_newline_is_refused_on_load(tmp_path: Path) -> None:
    path = tmp_path / "acme\n.toml"
    path.write_text('id = "acme\\n"\n')
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    assert err.value.key == "id"


@pytest.mark.parametrize(
    "data",
    [os.urandom(4096) + b"\xff", b"a = " + b"[" * 100_000, b"x = 1\n" * 300_000],
    ids=["random", "deep", "huge"],
)
def test_a_hostile_profile_file_is_a_problem_not_a_crash(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "evil.toml").write_bytes(data)
    _profile(tmp_path, "good", "")
    reg = ProfileRegistry(tmp_path)
    assert reg.get("good") is not None
    (problem,) = reg.problems.values()
    assert problem.startswith(f"{tmp_path / 'evil.toml'}: ")
    with pytest.raises(ProfileError):
        load_profile(tmp_path / "evil.toml")


def test_a_fifo_in_the_partners_folder_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.toml")
    reg = ProfileRegistry(tmp_path)
    (problem,) = reg.problems.values()
    assert "not a regular file" in problem
