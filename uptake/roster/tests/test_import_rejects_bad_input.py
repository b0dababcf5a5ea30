"""Malformed OneRoster zips: each gets a precise error and leaves the database unchanged."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from uptake.audit.models import AuditAction, AuditEvent
from uptake.roster.actions import do_apply_import, do_preview_import
from uptake.roster.models import RosterImport
from uptake.roster.tests.conftest import build_zip, fixture_files, roster_snapshot

pytestmark = pytest.mark.django_db


def _replace(name: str, old: str, new: str) -> Callable[[dict[str, Any]], None]:
    def edit(files: dict[str, Any]) -> None:
        text = files[name].decode("utf-8")
        assert old in text, f"{old!r} not in {name}"
        files[name] = text.replace(old, new, 1).encode("utf-8")

    return edit


def _errors(ri: RosterImport) -> list[str]:
    from uptake.roster.oneroster import RosterError

    return [str(RosterError(**e)) for e in ri.report["errors"]]


def _rejected(district: Any, actor: Any, path: Any) -> list[str]:
    before = roster_snapshot()
    ri = do_preview_import(district, path, actor=actor)
    assert ri.status == RosterImport.Status.REJECTED
    assert not ri.stored_file  # a rejected zip's student data is not kept
    assert roster_snapshot() == before
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT_REJECTED).exists()
    return _errors(ri)


CASES = [
    ("a misspelt header", _replace("users.csv", "givenName", "givenname"),
     "users.csv:1:givenname: unexpected column 'givenname' (did you mean givenName?)"),
    ("a missing column", _replace("classes.csv", ",periods\n", "\n"),
     "classes.csv:1:periods: required column 'periods' is missing"),
    ("columns out of order", _replace("orgs.csv", "name,type", "type,name"),
     "orgs.csv:1: columns are in the wrong order; expected sourcedId,status,"),
    ("a dangling class reference", _replace("enrollments.csv", "enr-7,,,cls-m7-p2",
                                            "enr-7,,,cls-m7-p9"),
     "enrollments.csv:8:classSourcedId: refers to class 'cls-m7-p9', which is neither in "
     "classes.csv nor already in Uptake"),
    ("a dangling term", _replace("classes.csv", "as-sy2027,English", "as-sy2099,English"),
     "classes.csv:2:termSourcedIds: refers to academic session 'as-sy2099'"),
    ("a duplicate sourcedId", _replace("users.csv", "usr-s6,", "usr-s5,"),
     "users.csv:11:sourcedId: duplicate sourcedId 'usr-s5' (first used on row 10)"),
    ("a bad date", _replace("academicSessions.csv", "2026-12-18", "2026-13-18"),
     "academicSessions.csv:3:endDate: '2026-13-18' is not a real date"),
    ("a date in another format", _replace("enrollments.csv", "2026-09-08", "09/08/2026"),
     "enrollments.csv:6:beginDate: '09/08/2026' is not a date written YYYY-MM-DD"),
    ("a bad boolean", _replace("users.csv", "usr-s7,,,false", "usr-s7,,,no"),
     "users.csv:12:enabledUser: 'no' is not true or false"),
    ("a bad enum", _replace("classes.csv", "homeroom", "home room"),
     "classes.csv:2:classType: 'home room' is not one of: homeroom, scheduled"),
    ("a bad role", _replace("users.csv", ",teacher,jnguyen", ",instructor,jnguyen"),
     "users.csv:3:role: 'instructor' is not one of: administrator, aide"),
    ("a bad sex", _replace("demographics.csv", "2018-03-14,female", "2018-03-14,F"),
     "demographics.csv:2:sex: 'F' is not one of: female, male, other, unspecified"),
    ("an empty required cell", _replace("users.csv", "Ava,Brooks", ",Brooks"),
     "users.csv:6:givenName: must not be empty"),
    ("an unquoted comma", _replace("orgs.csv", '"Birch Middle School, Campus A"',
                                   "Birch Middle School, Campus A"),
     "orgs.csv:4: has 8 cells but the header has 7 columns (an unquoted comma?)"),
    ("a student enrolled as teacher", _replace("enrollments.csv", "usr-s1,student",
                                               "usr-s1,teacher"),
     "enrollments.csv:4:role: enrolls 'usr-s1' as a teacher, but they are not staff"),
    ("a twice-enrolled student", _replace("enrollments.csv", "enr-4,,,cls-3a,org-s1,usr-s2",
                                          "enr-4,,,cls-3a,org-s1,usr-s1"),
     "enrollments.csv:5:userSourcedId: 'usr-s1' is enrolled in class 'cls-3a' twice "
     "(also on row 4)"),
    ("tobedeleted in a bulk file", _replace("users.csv", "usr-s6,,,", "usr-s6,tobedeleted,,"),
     "users.csv:11:status: tobedeleted rows belong in delta files"),
    ("another district", _replace("orgs.csv", "Maple Valley Unified School District",
                                  "Oak Ridge Schools"),
     "orgs.csv:2:name: this export is for 'Oak Ridge Schools', not 'Maple Valley Unified'"),
    ("a manifest listing a missing file", lambda f: f.pop("courses.csv"),
     "courses.csv: is missing: manifest.csv lists file.courses as bulk"),
    ("a file the manifest calls absent", _replace("manifest.csv", "file.courses,bulk",
                                                  "file.courses,absent"),
     "courses.csv: is in the zip but manifest.csv says file.courses is absent"),
    ("no manifest", lambda f: f.pop("manifest.csv"), "manifest.csv: is missing"),
    ("OneRoster 1.0", _replace("manifest.csv", "oneroster.version,1.1", "oneroster.version,1.0"),
     "manifest.csv::oneroster.version: OneRoster version 1.0 is not supported"),
    ("an empty file", lambda f: f.update({"courses.csv": b""}),
     "courses.csv: is empty (not even a header row)"),
    ("Latin-1 bytes", lambda f: f.update({"users.csv": f["users.csv"].replace(
        b"Okafor", "Okaför".encode("latin-1"))}),
     "users.csv:2: is not valid UTF-8 (byte 0xf6"),
    ("UTF-16", lambda f: f.update({"orgs.csv": f["orgs.csv"].decode().encode("utf-16")}),
     "orgs.csv:1: is saved as UTF-16; save it as CSV UTF-8"),
    ("a teacher's email used by someone else", _replace(
        "users.csv", "apatel@maplevalley.example.org", "jnguyen@maplevalley.example.org"),
     "users.csv:5:email: jnguyen@maplevalley.example.org is also the email of the person on "
     "row 3"),
]


@pytest.mark.parametrize(("case", "edit", "expected"), CASES, ids=[c[0] for c in CASES])
def test_it_rejects_with_a_precise_message(maple, importer, make_zip, case, edit, expected):
    errors = _rejected(maple, importer, make_zip(edit=edit))

    assert any(e.startswith(expected) for e in errors), errors


def test_it_accepts_a_bom_crlf_vendor_columns_and_other_case_file_names(maple, importer,
                                                                         make_zip):
    def messy(files: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for name, data in files.items():
            data = data.replace(b"\n", b"\r\n")
            if name == "users.csv":
                lines = data.split(b"\r\n")
                lines[0] += b",metadata.favouriteColour,ext_district_code"
                lines[1:] = [line + b",blue,7" if line else line for line in lines[1:]]
                data = b"\r\n".join(lines)
            out[name.lower()] = b"\xef\xbb\xbf" + data
        return out

    ri = do_preview_import(maple, make_zip(edit=messy), actor=importer)

    assert ri.status == RosterImport.Status.PREVIEWED, _errors(ri)
    do_apply_import(ri, actor=importer)
    assert maple.students.count() == 7


def test_it_ignores_a_trailing_comma_on_every_line(maple, importer, make_zip):
    def trailing(files: dict[str, Any]) -> None:
        lines = files["orgs.csv"].rstrip(b"\n").split(b"\n")
        files["orgs.csv"] = b"\n".join(line + b"," for line in lines) + b"\n"

    ri = do_preview_import(maple, make_zip(edit=trailing), actor=importer)

    assert ri.status == RosterImport.Status.PREVIEWED, _errors(ri)


def test_it_rejects_csvs_in_a_sub_folder(maple, importer, make_zip):
    files = {f"export-2026/{name}": data for name, data in fixture_files("v1p1-bulk").items()}

    errors = _rejected(maple, importer, make_zip(raw=build_zip(files)))

    assert "export-2026/manifest.csv: is inside the folder 'export-2026/'; the CSV files " \
        "must sit at the top of the zip — select the files themselves (not their folder) " \
        "and compress them" in errors


def test_it_rejects_a_file_that_is_not_a_zip(maple, importer, make_zip):
    errors = _rejected(maple, importer, make_zip(raw=b"sourcedId,status\nx,\n"))

    assert errors == ["(zip): this is not a zip file; export OneRoster CSV as a .zip and "
                      "upload that"]


def test_it_rejects_path_traversal_names(maple, importer, make_zip):
    files: dict[str, Any] = dict(fixture_files("v1p1-bulk"))
    files["../../etc/cron.d/evil.csv"] = b"x"

    errors = _rejected(maple, importer, make_zip(raw=build_zip(files)))

    assert errors[0].startswith("../../etc/cron.d/evil.csv: has an unsafe path")


def test_it_rejects_a_zip_bigger_than_the_limit(maple, importer, make_zip, settings):
    settings.ROSTER_MAX_UNCOMPRESSED_BYTES = 4000

    errors = _rejected(maple, importer, make_zip("v1p1-bulk"))

    assert "more than the 4,000 this server accepts" in errors[0]


def test_it_counts_real_bytes_not_the_headers_claims(maple, importer, make_zip, settings):
    """A member whose header understates its size is caught while streaming."""
    settings.ROSTER_MAX_UNCOMPRESSED_BYTES = 6000
    files = fixture_files("v1p1-bulk")
    files["users.csv"] += b"".join(
        b"usr-x%d,,,true,org-s1,student,x,,A,B,,,,,,,,03,\n" % i for i in range(200))
    raw = bytearray(build_zip(files))
    _understate_sizes(raw, b"users.csv", 10)

    errors = _rejected(maple, importer, make_zip(raw=bytes(raw)))

    # zipfile stops at the declared size, so the checksum no longer matches.
    assert errors == ["users.csv: the zip is damaged (Bad CRC-32 for file 'users.csv')"]


def _understate_sizes(raw: bytearray, name: bytes, fake: int) -> None:
    """Rewrite the uncompressed size of ``name`` in its local and central headers."""
    zf = zipfile.ZipFile(io.BytesIO(bytes(raw)))
    info = zf.getinfo(name.decode())
    local = info.header_offset
    raw[local + 22:local + 26] = fake.to_bytes(4, "little")
    central = raw.find(b"PK\x01\x02")
    while central != -1:
        name_len = int.from_bytes(raw[central + 28:central + 30], "little")
        if raw[central + 46:central + 46 + name_len] == name:
            raw[central + 24:central + 28] = fake.to_bytes(4, "little")
        central = raw.find(b"PK\x01\x02", central + 4)


def test_it_refuses_a_zip_bomb(maple, importer, make_zip):
    files: dict[str, Any] = dict(fixture_files("v1p1-bulk"))
    header = files["users.csv"].split(b"\n")[0] + b"\n"
    files["users.csv"] = header + b"a" * (8 * 1024 * 1024)

    errors = _rejected(maple, importer, make_zip(raw=build_zip(files)))

    assert any(e.startswith("users.csv: is compressed more than 200 to 1") for e in errors), \
        errors


def test_it_refuses_too_many_members(maple, importer, make_zip):
    files: dict[str, Any] = dict(fixture_files("v1p1-bulk"))
    files.update({f"extra{i}.txt": b"x" for i in range(70)})

    errors = _rejected(maple, importer, make_zip(raw=build_zip(files)))

    assert errors[0].startswith("(zip): the zip holds 78 entries")


def test_it_stops_listing_after_the_error_cap(maple, importer, make_zip):
    def many_bad(files: dict[str, Any]) -> None:
        rows = [files["users.csv"].split(b"\n")[0]] + [
            b"usr-z%d,,,maybe,org-s1,student,z,,Z,Z,,,,,,,03," % i for i in range(500)]
        files["users.csv"] = b"\n".join(rows)

    ri = do_preview_import(maple, make_zip(edit=many_bad), actor=importer)

    assert ri.status == RosterImport.Status.REJECTED
    assert len(ri.report["errors"]) == 200
    assert ri.report["errors_truncated"] is True


def test_it_rejects_at_apply_time_when_the_district_changed(maple, importer, make_zip):
    from uptake.accounts.models import District, User

    ri = do_preview_import(maple, make_zip("v1p1-bulk"), actor=importer)
    other = District.objects.create(name="Oak Ridge", slug="oak")
    User.objects.create_user(email="mgarcia@maplevalley.example.org", district=other)
    before = roster_snapshot()

    from uptake.roster.oneroster import RosterInvalid

    with pytest.raises(RosterInvalid):
        do_apply_import(ri, actor=importer)

    ri.refresh_from_db()
    assert ri.status == RosterImport.Status.REJECTED
    assert _errors(ri) == ["users.csv:4:email: mgarcia@maplevalley.example.org already "
                           "belongs to an account outside this district"]
    assert roster_snapshot() == before


def test_it_rejects_an_upload_over_the_size_limit(maple, importer, make_zip, settings):
    settings.ROSTER_MAX_UPLOAD_BYTES = 1000
    path = make_zip("v1p1-bulk")

    errors = _rejected(maple, importer, path)

    assert errors == [f"{path.name}: is {path.stat().st_size:,} bytes; the most this server "
                      "accepts is 1,000 (ROSTER_MAX_UPLOAD_BYTES)"]
