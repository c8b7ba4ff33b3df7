from yddnews.outputs.store import DatasetStore


def article(no, **kw):
    base = dict(article_no=no, url=f"https://www.ybstv.net/news/article.html?no={no}",
                section="종합", title=f"제목 {no}", subtitle=None,
                published_at="2025-01-30T11:54:18+09:00", modified_at=None,
                reporters=["나재희"], reporter_emails=[], body="본문", images=[],
                fetched_at="2026-01-01T00:00:00+00:00")
    base.update(kw)
    return base


def test_article_upsert_is_keyed_by_number(tmp_path):
    store = DatasetStore(tmp_path / "s.sqlite")
    assert store.upsert_article(article(1)) == "new"
    assert store.upsert_article(article(1, fetched_at="2026-01-02T00:00:00+00:00")) == "unchanged"
    assert store.upsert_article(article(1, title="고친 제목")) == "updated"
    # the same number under another site root updates the same row
    assert store.upsert_article(article(1, title="고친 제목", url="http://127.0.0.1:9/x")) == "updated"
    assert store.article_count() == 1
    assert store.known_article_nos() == {1}
    [row] = store.iter_articles()
    assert row["title"] == "고친 제목" and row["reporters"] == ["나재희"]


def test_articles_without_number_are_keyed_by_url(tmp_path):
    store = DatasetStore(tmp_path / "s.sqlite")
    assert store.upsert_article(article(None, url="file:///a.txt")) == "new"
    assert store.upsert_article(article(None, url="file:///b.txt")) == "new"
    assert store.upsert_article(article(None, url="file:///a.txt")) == "unchanged"
    assert store.article_count() == 2


def test_weather_reading_identity_includes_missing_condition(tmp_path):
    store = DatasetStore(tmp_path / "s.sqlite")
    r = dict(observed_on="2026-01-01", station="서울", condition=None, temperature_c=-0.9,
             provider="기상청", source_url="u", fetched_at="t")
    assert store.add_weather(r) is True
    assert store.add_weather(dict(r, source_url="other")) is False
    assert store.add_weather(dict(r, condition="맑음")) is True
    rows = list(store.iter_weather())
    assert [x["condition"] for x in rows] == [None, "맑음"]


def test_export_window_is_inclusive_kst_days(tmp_path):
    store = DatasetStore(tmp_path / "s.sqlite")
    for no, day in [(1, "2025-01-01"), (2, "2025-01-02"), (3, "2025-01-03")]:
        store.upsert_article(article(no, published_at=f"{day}T23:59:59+09:00"))
    got = [r["article_no"] for r in store.iter_articles(since="2025-01-02", until="2025-01-03")]
    assert got == [3, 2]


def test_runs_are_recorded(tmp_path):
    store = DatasetStore(tmp_path / "s.sqlite")
    run = store.start_run("articles")
    store.finish_run(run, "finished", {"articles": 3})
    [r] = store.runs()
    assert r["finish_reason"] == "finished" and '"articles": 3' in r["counts"]
