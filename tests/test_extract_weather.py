"""The weather widget: text patterns + a station list, whatever the markup."""

from __future__ import annotations

from yddnews.extract import DEFAULT_STATIONS, extract_weather_html, extract_weather_text

HEAD = "2026.01.01 (목)\n\n"


def _r(readings):
    return [(r.station, r.condition, r.temperature_c) for r in readings]


def test_condition_glued_to_station_is_split() -> None:
    got = extract_weather_text(HEAD + "  • 구름많음대구 -1.2℃\n  • 구름조금강진군 -0.8℃\n기상청 제공")
    assert _r(got) == [("대구", "구름많음", -1.2), ("강진군", "구름조금", -0.8)]


def test_missing_condition_zero_and_positive_temperatures() -> None:
    got = extract_weather_text(HEAD + "서울 -0.9℃\n박무부산 0.0℃\n흐림제주 29.3℃\n기상청 제공")
    assert _r(got) == [("서울", None, -0.9), ("부산", "박무", 0.0), ("제주", "흐림", 29.3)]


def test_unknown_station_between_known_ones_is_kept() -> None:
    got = extract_weather_text(HEAD + "맑음서울 1.0℃\n구름많음목포 2.0℃\n인천 3.0℃\n맑음대전 4.0℃\n기상청 제공")
    assert _r(got) == [("서울", "맑음", 1.0), ("목포", "구름많음", 2.0), ("인천", None, 3.0),
                       ("대전", "맑음", 4.0)]


def test_station_list_is_a_parameter() -> None:
    got = extract_weather_text(HEAD + "맑음백령도 -5.0℃\n기상청 제공", stations=("백령도",))
    assert _r(got) == [("백령도", "맑음", -5.0)]
    assert "서울" in DEFAULT_STATIONS and len(DEFAULT_STATIONS) == 16


def test_readings_carry_header_date_provider_and_source() -> None:
    (r,) = extract_weather_text(HEAD + "맑음서울 -2.8℃\n기상청 제공", source_url="https://x/y")
    assert (r.observed_on, r.provider, r.source_url) == ("2026-01-01", "기상청", "https://x/y")


def test_temperatures_after_the_widget_are_not_readings() -> None:
    text = HEAD + "맑음서울 -2.8℃\n기상청 제공\n\n종합\n\n제목\n\n본문에서 기온이 -5.5℃까지 내려갔다. 서울 3.0℃"
    assert _r(extract_weather_text(text)) == [("서울", "맑음", -2.8)]


def test_widget_without_provider_caption_is_read_from_the_top_only() -> None:
    text = HEAD + "  • 맑음서울 -2.8℃\n\n제목\n\n서울 3.0℃였다."
    assert _r(extract_weather_text(text)) == [("서울", "맑음", -2.8)]


def test_icon_alt_text_is_the_condition_in_html() -> None:
    html = """<html><body><div class="date">2026.01.01 (목)</div><div class="wz"><ul>
    <li><img src="/i/01.png" alt="맑음"><span>동두천</span> <span>-3.1℃</span></li>
    <li><span>서울</span> <span>-0.9℃</span></li></ul><p>기상청 제공</p></div>
    <p>기온은 -7.0℃</p></body></html>"""
    assert _r(extract_weather_html("https://www.ybstv.net/", html)) == [
        ("동두천", "맑음", -3.1), ("서울", None, -0.9)]


def test_widget_found_by_class_when_caption_differs() -> None:
    html = """<html><body><p>2026.01.01 (목)</p><div id="weather"><span>흐림</span><span>서울</span>
    <span>1.5℃</span></div></body></html>"""
    got = extract_weather_html("https://www.ybstv.net/", html)
    assert _r(got) == [("서울", "흐림", 1.5)] and got[0].observed_on == "2026-01-01"


def test_junk_gives_no_readings() -> None:
    assert extract_weather_html("u", b"\xff\xfe\x00junk") == []
    assert extract_weather_text("") == []
