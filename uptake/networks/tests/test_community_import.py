"""The background read of an online-community export: end to end, progress, failure that
leaves nothing half-saved, a worker that died, reading again, deleting (file and all)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from uptake.audit.models import AuditEvent
from uptake.networks.actions import community as actions
from uptake.networks.models import CodingItem, CommunityImport
from uptake.networks.tests.examples_community import AUTHORS, EXPORT, done, started

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _stored(ci: CommunityImport) -> Path:
    return Path(ci.upload.path)


def test_it_queues_an_upload_with_its_file_under_a_name_of_its_own(world: Any) -> None:
    ci = started(world, file_name="r-Teachers SecretAuthorAlpha.csv")
    assert ci.status == "queued" and ci.progress == 0
    assert ci.file_name == "r-Teachers SecretAuthorAlpha.csv"
    assert _stored(ci).read_bytes() == EXPORT
    # The stored name says nothing of the community or its people.
    assert "Secret" not in ci.upload.name and "Teachers" not in ci.upload.name
    assert len(ci.salt) == 32
    assert not CodingItem.objects.exists() and ci.result == {}


def test_it_reads_the_export_into_measures_per_period_and_a_sample(world: Any) -> None:
    ci = done(world)
    assert (ci.status, ci.progress, ci.error) == ("done", 1.0, "")
    # Six rows: one deleted comment is left out, five are measured.
    assert (ci.contributions, ci.dropped) == (5, 1)
    assert ci.finished_at is not None
    periods = ci.result["periods"]
    # Half-years of 2024: January to June holds p1, c1, c2; July to December p2, c4.
    assert [(p["start"], p["contributions"], p["posts"], p["comments"]) for p in periods] == [
        ("2024-01-01", 3, 1, 2), ("2024-07-01", 2, 1, 1)]
    items = list(ci.coding_items.order_by("position"))
    assert len(items) == 5  # fewer contributions than the sample size: all of them
    assert [i.position for i in items] == [1, 2, 3, 4, 5]
    assert all(i.pseudonym.startswith("Contributor ") for i in items)


def test_no_author_name_is_kept_anywhere_in_what_the_read_saved(world: Any) -> None:
    ci = done(world)
    saved = str(ci.result) + "".join(
        f"{i.pseudonym} {i.text}" for i in ci.coding_items.all())
    for author in AUTHORS:
        assert author not in saved
        assert author.lower() not in saved.lower()


def test_the_same_person_is_the_same_pseudonym_within_an_import_only(world: Any) -> None:
    first, second = done(world), done(world, name="r/Teachers again")
    assert first.salt != second.salt
    # Beta wrote two of the five; within one import both carry one pseudonym.
    by_text = {i.text: i.pseudonym for i in first.coding_items.all()}
    betas = [p for t, p in by_text.items() if "single-point" in t
             or "Random seats" in t]
    assert len(betas) == 2 and len(set(betas)) == 1


def test_it_records_the_upload_and_the_import_in_the_audit_log(world: Any) -> None:
    ci = done(world)
    events = AuditEvent.objects.filter(action="community_imported", object_id=str(ci.pk))
    assert events.count() == 2
    assert all(e.actor_id == world.people["teacher"].pk for e in events)


def test_it_moves_the_progress_bar_every_ten_thousand_rows(world: Any, monkeypatch: Any
                                                           ) -> None:
    rows = ["id,author,created_utc,title,body,parent_id"]
    rows += [f"p{i},a{i % 50},2024-02-0{1 + i % 9}T10:00:00Z,T,Body {i}," for i in range(25_000)]
    ci = started(world, content=("\n".join(rows) + "\n").encode())
    seen: list[tuple[int, float]] = []
    real = actions._reporter

    def watching(import_id: int, stream: Any, size: int) -> Any:
        report = real(import_id, stream, size)

        def spy(n: int) -> None:
            report(n)
            row = CommunityImport.objects.get(pk=import_id)
            seen.append((row.rows_read, row.progress))

        return spy

    monkeypatch.setattr(actions, "_reporter", watching)
    actions.run_import(ci.pk)
    moved = [(n, p) for n, p in seen if n]
    assert [n for n, _ in moved][:2] == [10_000, 20_000]
    assert 0 < moved[0][1] < moved[1][1] <= actions.READING_SHARE
    ci.refresh_from_db()
    assert (ci.status, ci.progress, ci.contributions) == ("done", 1.0, 25_000)


def test_a_row_the_reader_refuses_fails_the_import_and_saves_nothing(world: Any) -> None:
    # Over the size read whole at upload, so the problem is found in the background.
    padding = "x" * 1000
    rows = [f"p{i},ann,2024-01-05T10:00:00Z,T,{padding}," for i in range(3000)]
    rows.insert(3, "zz,bob,not a date,T,B,")
    content = ("id,author,created_utc,title,body,parent_id\n" + "\n".join(rows)
               + "\n").encode()
    assert len(content) > actions.WHOLE_CHECK_BYTES
    ci = started(world, content=content)
    path = _stored(ci)
    assert actions.run_import(ci.pk) is not None
    ci.refresh_from_db()
    assert ci.status == "failed"
    assert ci.error.startswith("export.csv, row 4, column created_utc: "), ci.error
    assert ci.result == {} and not ci.coding_items.exists()
    assert ci.contributions == 0
    # Other people's posts that will never be read are not kept; reading again is refused.
    assert not ci.upload and not path.exists()
    with pytest.raises(actions.Conflict):
        actions.do_retry_import(ci, actor=world.people["teacher"])


def test_a_crash_at_the_end_saves_no_sample_and_no_measures(world: Any, monkeypatch: Any
                                                            ) -> None:
    ci = started(world)

    real = actions.record

    def broken(kind: str, **kwargs: Any) -> Any:
        if kwargs.get("summary", "").startswith("Imported"):
            raise RuntimeError("disk full")  # after the sample rows were written
        return real(kind, **kwargs)

    monkeypatch.setattr(actions, "record", broken)
    with pytest.raises(RuntimeError):
        actions.run_import(ci.pk)
    ci.refresh_from_db()
    assert ci.status == "failed" and ci.error == actions.BROKE
    assert ci.result == {} and not CodingItem.objects.exists()
    assert ci.upload  # kept: nothing was wrong with the file


def test_a_worker_that_died_fails_the_import_and_it_can_be_read_again(world: Any) -> None:
    from uptake.networks.tasks import community_read_lost

    ci = started(world)
    CommunityImport.objects.filter(pk=ci.pk).update(status="running", rows_read=20_000,
                                                     progress=0.4)
    community_read_lost([ci.pk], {})
    ci.refresh_from_db()
    assert ci.status == "failed" and ci.error == actions.WORKER_LOST and ci.upload
    again = actions.do_retry_import(ci, actor=world.people["teacher"])
    assert (again.status, again.progress, again.rows_read, again.error) == ("queued", 0, 0, "")
    actions.run_import(ci.pk)
    ci.refresh_from_db()
    assert ci.status == "done" and ci.coding_items.count() == 5


def test_a_lost_worker_leaves_a_finished_import_alone(world: Any) -> None:
    from uptake.networks.tasks import community_read_lost

    ci = done(world)
    community_read_lost([ci.pk], {})
    ci.refresh_from_db()
    assert ci.status == "done" and ci.coding_items.count() == 5


def test_it_reads_a_queued_import_once(world: Any) -> None:
    ci = done(world)
    assert actions.run_import(ci.pk) is None  # already read: nothing happens again
    assert ci.coding_items.count() == 5


def test_the_task_reads_the_import_and_says_how_it_ended(world: Any) -> None:
    from uptake.networks.tasks import read_community_import

    ci = started(world)
    assert read_community_import.call(ci.pk) == "done"
    assert read_community_import.call(ci.pk) == "not queued"


def test_a_successful_read_deletes_the_export_with_its_usernames(
        world: Any, django_capture_on_commit_callbacks: Any) -> None:
    ci = started(world)
    path = _stored(ci)
    with django_capture_on_commit_callbacks(execute=True):
        actions.run_import(ci.pk)
    ci.refresh_from_db()
    assert ci.status == "done"
    assert not ci.upload and not path.exists()
    assert not any(path.parent.iterdir())  # nothing else of it stored either


def test_deleting_takes_the_file_the_sample_and_the_codes(
        world: Any, django_capture_on_commit_callbacks: Any) -> None:
    ci = started(world)
    path = _stored(ci)
    with django_capture_on_commit_callbacks(execute=True):
        actions.run_import(ci.pk)
    ci.refresh_from_db()
    item = ci.coding_items.first()
    assert item is not None
    actions.do_code_item(item, actor=world.people["teacher"],
                         code="question" if item.is_post else "advice")
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_delete_import(ci, actor=world.people["teacher"])
    assert not CommunityImport.objects.filter(pk=ci.pk).exists()
    assert not CodingItem.objects.exists()
    assert not path.exists()
    assert AuditEvent.objects.filter(action="community_deleted").count() == 1


def test_an_import_deleted_while_it_is_read_saves_nothing(world: Any, monkeypatch: Any
                                                          ) -> None:
    ci = started(world)
    real = actions._save_result

    def deleted_first(import_id: int, result: Any) -> Any:
        CommunityImport.objects.filter(pk=import_id).delete()
        return real(import_id, result)

    monkeypatch.setattr(actions, "_save_result", deleted_first)
    assert actions.run_import(ci.pk) is None
    assert not CodingItem.objects.exists()
