"""Each cleaning rule of docs/CONVENTIONS.md as a named function, tested alone."""

from __future__ import annotations

import pytest

from yddnews.extract.clean import (
    cut_teaser,
    finish_body,
    is_copyright,
    join_paragraphs,
    normalize_space,
    parse_date,
    parse_kst,
    parse_names,
    remove_copyright,
    strip_byline,
    strip_signature,
    table_rows_to_text,
)


def test_nbsp_fullwidth_tabs_and_runs_of_spaces_collapse() -> None:
    assert normalize_space("\u00a0 a\u3000\tb \n\n c\u00a0") == "a b c"


def test_text_is_nfc() -> None:
    decomposed = "\u1112\u1161\u11ab"  # 한 as conjoining jamo
    assert normalize_space(decomposed) == "한"


def test_replacement_and_zero_width_characters_vanish() -> None:
    assert normalize_space("a\u200bb\ufffd") == "ab"


def test_paragraphs_join_with_one_blank_line() -> None:
    assert join_paragraphs(["a", "", "b"]) == "a\n\nb"


def test_table_rows_become_lines_of_pipe_joined_cells() -> None:
    assert table_rows_to_text([["구분", " 기간 "], ["", ""], ["a\u00a0b", "c"]]) == "구분 | 기간\na b | c"


@pytest.mark.parametrize(
    "raw, iso",
    [
        ("등록 2025.01.30 11:54:18", "2025-01-30T11:54:18+09:00"),
        ("2025-01-30", "2025-01-30T00:00:00+09:00"),
        ("2025.01.30 11:54", "2025-01-30T11:54:00+09:00"),
        ("2025-01-30T02:54:18Z", "2025-01-30T11:54:18+09:00"),
        ("2025-01-30T11:54:18+09:00", "2025-01-30T11:54:18+09:00"),
        ("수정 2025.1.3 9:05", "2025-01-03T09:05:00+09:00"),
    ],
)
def test_timestamps_parse_as_kst(raw: str, iso: str) -> None:
    assert parse_kst(raw) == iso


def test_invalid_or_missing_timestamps_give_none() -> None:
    assert parse_kst("2025.02.30") is None
    assert parse_kst("등록") is None
    assert parse_kst(None) is None


def test_listing_dates_are_kst_days() -> None:
    assert parse_date("2025.01.30 11:54") == "2025-01-30"


@pytest.mark.parametrize(
    "para, rest, names, emails",
    [
        ("[영등포신문=나재희 기자] 비용과", "비용과", ["나재희"], []),
        ("[영등포신문=나재희기자]비용과", "비용과", ["나재희"], []),
        ("[영등포신문=김영희 편집자문위원] 본문", "본문", ["김영희"], []),
        ("[영등포신문=김영희 주부기자] 본문", "본문", ["김영희"], []),
        ("[영등포신문=김민수·박지영 기자] 본문", "본문", ["김민수", "박지영"], []),
        ("[영등포신문=나재희 기자 a.b@naver.com] 본문", "본문", ["나재희"], ["a.b@naver.com"]),
        ('"골목이 무대," [영등포신문=나재희 기자] 지난 4일', '"골목이 무대," 지난 4일', ["나재희"], []),
    ],
)
def test_byline_is_cut_and_gives_reporters(para, rest, names, emails) -> None:
    assert strip_byline(para) == (rest, names, emails)


def test_paragraph_without_byline_is_left_alone() -> None:
    assert strip_byline("영등포구가 30일 밝혔다.") is None


def test_names_never_carry_titles() -> None:
    assert parse_names("홍길동 객원기자, 김철수 기자") == (["홍길동", "김철수"], [])


@pytest.mark.parametrize(
    "para, rest, names",
    [
        ("/홍길동 기자", "", ["홍길동"]),
        ("/ 홍길동 기자", "", ["홍길동"]),
        ("참석했다. / 홍길동 기자", "참석했다.", ["홍길동"]),
        ("참석했다. /홍길동 기자 hong@ybstv.net", "참석했다.", ["홍길동"]),
    ],
)
def test_signature_is_cut_and_gives_reporters(para, rest, names) -> None:
    got = strip_signature(para)
    assert got is not None and got[0] == rest and got[1] == names


def test_a_slash_inside_a_sentence_is_no_signature() -> None:
    assert strip_signature("1/4 분기 실적이 좋았다.") is None
    assert strip_signature("찬성/반대 의견이 갈렸다") is None


@pytest.mark.parametrize(
    "para",
    [
        "Copyright @2015 영등포신문 Corp. All rights reserved.",
        "<저작권자 ⓒ 영등포신문 무단전재 및 재배포 금지>",
        "[저작권자© 영등포신문. 무단전재-재배포 금지]",
        "저작권자 © 영등포신문, 무단 전재 및 재배포 금지",
        "ⓒ 영등포신문 무단전재 및 재배포금지",
    ],
)
def test_copyright_paragraphs_are_recognized(para: str) -> None:
    assert is_copyright(para)


@pytest.mark.parametrize(
    "para",
    [
        "소방서 관계자는 저작권 보호를 위해 사진 무단 사용을 삼가 달라고 당부했다.",
        "저작권자의 허락 없이 무단 전재하면 처벌받는다고 말했다.",
        "Copyright 분쟁이 늘고 있다.",
    ],
)
def test_sentences_mentioning_copyright_stay(para: str) -> None:
    assert not is_copyright(para)
    assert remove_copyright([para]) == [para]


def test_teaser_of_next_article_is_not_body() -> None:
    paras = ["[영등포신문=나재희 기자] 본문 하나.", "본문 둘.", "다른 기사 제목 \"인용\"",
             "[영등포신문=이천용 기자] 다른 기사 리드"]
    assert cut_teaser(paras) == paras[:2]


def test_teaser_lead_without_headline_is_cut() -> None:
    paras = ["본문 하나.", "본문 둘.", "[영등포신문=이천용 기자] 다른 기사 리드"]
    assert cut_teaser(paras) == paras[:2]


def test_finish_body_applies_every_rule() -> None:
    body, reporters, emails = finish_body(
        ["[영등포신문=나재희 기자]\u00a0첫 문단.", "\u00a0", "둘째  문단.",
         "Copyright @2015 영등포신문 Corp. All rights reserved.", "/나재희 기자 x@y.kr"]
    )
    assert body == "첫 문단.\n\n둘째 문단."
    assert reporters == ["나재희"] and emails == ["x@y.kr"]


def test_signature_names_are_used_when_there_is_no_byline() -> None:
    body, reporters, _ = finish_body(["첫 문단.", "끝. / 홍길동 기자"])
    assert body == "첫 문단.\n\n끝." and reporters == ["홍길동"]


def test_article_without_byline_or_signature_has_no_reporters() -> None:
    assert finish_body(["[축사] 축하합니다.", "영등포구청장 OOO"])[1] == []


# --------------------------------------------------------------------------- forms of the CMS
from yddnews.extract.clean import (  # noqa: E402
    cut_site_footer,
    cut_trailing_boilerplate,
    is_boilerplate_line,
    is_photo_credit,
    parse_contact_line,
)


@pytest.mark.parametrize("line", ["[영등포신문 = 나재희 기자] 본문", "(영등포신문=나재희 기자) 본문",
                                  "【영등포신문=나재희 기자】본문", "<영등포신문 ＝ 나재희 기자> 본문"])
def test_bylines_with_spaces_and_other_brackets(line) -> None:
    assert strip_byline(line) == ("본문", ["나재희"], [])


def test_several_names_separated_by_middle_dot_or_comma() -> None:
    assert parse_names("이수진·박건우 기자") == (["이수진", "박건우"], [])
    assert parse_names("이수진 기자, 박건우 기자") == (["이수진", "박건우"], [])


@pytest.mark.parametrize("line,want", [
    ("홍길동 기자 hong@ydp.kr", (["홍길동"], ["hong@ydp.kr"])),
    ("(hong@ydp.kr)", ([], ["hong@ydp.kr"])),
    ("취재=홍길동 기자 hong@ydp.kr", (["홍길동"], ["hong@ydp.kr"])),
    ("김하늘·박건우 기자 sky@ydp.kr, park@ydp.kr", (["김하늘", "박건우"], ["sky@ydp.kr", "park@ydp.kr"])),
    ("문의는 hong@ydp.kr로 하면 된다.", None),
])
def test_reporter_contact_line(line, want) -> None:
    assert parse_contact_line(line) == want


def test_contact_line_at_the_end_goes_to_reporter_emails() -> None:
    body, names, emails = finish_body(["[영등포신문=홍길동 기자] 본문이다.", "둘째 문단이다.",
                                       "홍길동 기자 hong@ydp.kr"])
    assert (body, names, emails) == ("본문이다.\n\n둘째 문단이다.", ["홍길동"], ["hong@ydp.kr"])


@pytest.mark.parametrize("line", ["ⓒ 영등포신문", "© 영등포신문", "나재희 기자의 전체기사 보기", "다른기사 보기",
                                  "기사제보 ydpnews@naver.com", "▷ 제보: ydpnews@naver.com / 02-2632-8151",
                                  "보도자료 및 제보 ydpnews@naver.com", "이 기사를 공유합니다"])
def test_trailing_boilerplate_lines(line) -> None:
    assert is_boilerplate_line(line)
    assert finish_body(["본문이다.", line]) == ("본문이다.", [], [])


@pytest.mark.parametrize("line", ["구는 다른기사 보기 기능을 추가했다고 밝혔다.",
                                  "그는 ⓒ 영등포신문이라는 표시를 붙였다.",
                                  "제보는 카카오톡으로 받는다고 구는 밝혔다."])
def test_the_same_words_inside_a_sentence_stay(line) -> None:
    assert not is_boilerplate_line(line)
    assert finish_body(["본문이다.", line])[0] == f"본문이다.\n\n{line}"


def test_copyright_variants() -> None:
    for line in ("<저작권자 © 영등포신문, 무단전재 및 재배포 금지>",
                 "< 저작권자 © 영등포신문 무단전재-재배포, AI학습 및 활용 금지 >"):
        assert is_copyright(line)


def test_related_articles_box_and_everything_after_it_go() -> None:
    paras = ["본문이다.", "관련기사", "구, 하천 정비 시작", "구의회 예산 심사"]
    assert cut_trailing_boilerplate(paras) == ["본문이다."]


@pytest.mark.parametrize("line,credit", [("▲ 구청 전경", True), ("(사진=영등포구 제공)", True),
                                         ("사진 제공=영등포구", True), ("<사진=영등포구청>", True),
                                         ("구는 사진을 공개했다.(사진)", False)])
def test_photo_credit_lines(line, credit) -> None:
    assert is_photo_credit(line) is credit


def test_site_footer_is_not_body() -> None:
    lines = ["본문이다.", "사업자등록번호 : 107-00-00000 | 발행처 : 영등포신문", "주소 : 서울 영등포구",
             "전화 : 02-000-0000", "이메일 : ydpnews@naver.com",
             "Copyright @2015 영등포신문 Corp. All rights reserved."]
    assert cut_site_footer(lines) == ["본문이다."]
    assert cut_site_footer(["주소를 옮긴다고 밝혔다.", "본문이다."]) == ["주소를 옮긴다고 밝혔다.", "본문이다."]
