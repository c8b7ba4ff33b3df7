"""Deterministic, lazy generator of the replica's articles, served days, weather and truth.

Article i (0 = oldest) depends only on (seed, i): a replica with N+k articles holds the same N
articles plus k newer ones. Articles are generated on demand and kept in an LRU cache, so a
20,000-article replica starts instantly.

The truth (`truth_records`) is built from the same structured data the HTML is rendered from
(`replica.render`), by the rules of docs/CONVENTIONS.md.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from replica import words as W

KST = timezone(timedelta(hours=9))

DEFAULT_ARTICLES = 300
DEFAULT_SEED = 1
FIRST_NO = 67650  # article 0's number; with 300 articles the newest is around 68,000
ANCHOR_INDEX = 299  # article 299 is published at ANCHOR_TIME (late December 2025)
ANCHOR_TIME = datetime(2025, 12, 30, 17, 42, 10, tzinfo=KST)
SERVED_FIRST_DAY = date(2025, 12, 31)  # header dates: 4 consecutive days from here
SERVED_DAYS = 4
SNAPSHOT_OF_DAY = (0, 1, 1, 2)  # days 1 and 2 share one weather snapshot (the shared cache)
PER_PAGE = 12
JS_MODES = ("load", "delayed", "fetched", "mixed")

SKINS = ("arv_001", "arv_001_01", "arv_005_01", "arv_008", "arv_003", "arv_006")
# Two more skins of the CMS (replica/skins.py), each taking a quarter of the pages that would
# be arv_001 (an independent hash: every other fact of an article stays as it was). arv_003
# shows times to the minute (`입력 2025-10-02 09:30`): its articles' times have no seconds.
NEW_SKINS = {"arv_003": (0.0, 0.25), "arv_006": (0.25, 0.5)}
MINUTE_SKINS = ("arv_003",)
# the byline brackets the new skins print (the e-mail is never inside: a contact line or the
# reporter box carries it); picked per article by a hash
BRACKET_FORMS = {
    "arv_003": ("[영등포신문 = {names}{sep}{title}]", "【영등포신문={names}{sep}{title}】",
                "(영등포신문={names}{sep}{title})", "<영등포신문={names}{sep}{title}>"),
    "arv_006": ("〔영등포신문={names}{sep}{title}〕", "[영등포신문={names}{sep}{title}]",
                "[영등포신문 ={names}{sep}{title}]"),
}
COPYRIGHT_EN = "Copyright @2015 영등포신문 Corp. All rights reserved."
COPYRIGHT_KO = "<저작권자 ⓒ 영등포신문 무단전재 및 재배포 금지>"

# fault name -> (default modulus, reject reason or None when the article stays a normal record)
FAULTS: dict[str, tuple[int, str | None]] = {
    "transient": (37, None),
    "timeout": (53, None),
    "gone": (41, "http 404"),
    "soft404": (43, "soft-404"),
    "drop": (47, "dropped connection"),
    "empty": (59, "empty page"),
    "slow": (31, None),
    "charset": (29, None),
    "dupes": (23, None),
    "large": (61, None),
    "redirect": (19, None),
    "noarticle": (67, "no article"),
    # a layout change of one skin (arv_001_01): a series label takes the title's <h2>, the
    # title moves to an <h3>. The pages still serve the article; the extraction's cross-checks
    # must notice (ydd/disagree/title). Modulus 1: every arv_001_01 page without another fault.
    "relabel": (1, None),
}


def parse_faults(faults) -> dict[str, int]:
    """`"transient,gone:5"` or an iterable of such names -> {name: modulus}.

    `name:M` makes the fault hit every M-th article (M=1: all of them).
    """
    if not faults:
        return {}
    if isinstance(faults, str):
        faults = [f for f in faults.split(",")]
    out: dict[str, int] = {}
    for spec in faults:
        spec = spec.strip()
        if not spec:
            continue
        name, _, mod = spec.partition(":")
        if name not in FAULTS:
            raise ValueError(f"unknown fault {name!r}; known: {', '.join(FAULTS)}")
        out[name] = int(mod) if mod else FAULTS[name][0]
        if out[name] < 1:
            raise ValueError(f"fault modulus must be >= 1: {spec!r}")
    return out


def _h(*parts) -> int:
    data = ":".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def _u(*parts) -> float:
    """A deterministic float in [0, 1) from the parts."""
    return _h(*parts) / 2**64


def _rng(*parts) -> random.Random:
    return random.Random(":".join(str(p) for p in parts))


# ---------------------------------------------------------------------------------------------
# text helpers
_JOSA = {"은": ("은", "는"), "는": ("은", "는"), "이": ("이", "가"), "가": ("이", "가"),
         "을": ("을", "를"), "를": ("을", "를"), "과": ("과", "와"), "와": ("과", "와")}
_SLOT_RE = re.compile(r"\{(\w+)\}(은|는|이|가|을|를|과|와)?")


def _batchim(word: str) -> bool:
    for ch in reversed(word):
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            return code % 28 != 0
        if ch == "%":
            return False  # 퍼센트
        if ch.isdigit():
            return ch in "013678"  # 영, 일, 삼, 육, 칠, 팔
    return False


def fill(template: str, slots: dict) -> str:
    """Fill `{slot}` fields, fixing the particle glued to a slot (은/는, 이/가, 을/를, 과/와)."""

    def rep(m: re.Match) -> str:
        value = str(slots[m.group(1)])
        josa = m.group(2)
        if josa:
            end = m.end()
            nxt = m.string[end:end + 1]
            if nxt and not (nxt.isspace() or nxt in ",.\"'…)"):
                return value + josa  # not a particle (e.g. 이며)
            pair = _JOSA[josa]
            return value + (pair[0] if _batchim(value) else pair[1])
        return value

    return _SLOT_RE.sub(rep, template)


def normalize_text(s: str) -> str:
    """Rule 2 of CONVENTIONS.md for already-decoded text."""
    s = s.replace("\u00a0", " ").replace("\u3000", " ").replace("\t", " ").replace("\n", " ")
    s = re.sub(r" {2,}", " ", s).strip()
    return unicodedata.normalize("NFC", s)


# ---------------------------------------------------------------------------------------------
@dataclass
class Byline:
    style: str  # std nospace advisor housewife two quoted email sig none
    names: list[str]
    title: str = "기자"
    email: str | None = None
    sig_form: str = ""  # sig only: "own" (whole paragraph) or "append"
    sig_space: bool = False  # sig only: "/ NAME" instead of "/NAME"

    @property
    def bracket(self) -> str:
        """`[영등포신문=NAME 기자]` as shown in the body (bracket styles only)."""
        names = "·".join(self.names)
        sep = "" if self.style == "nospace" else " "
        email = f" {self.email}" if self.email else ""
        return f"[영등포신문={names}{sep}{self.title}{email}]"

    def bracket_on(self, skin: str, no: int, seed) -> str:
        """The byline as the skin `skin` prints it in article `no`'s body."""
        forms = BRACKET_FORMS.get(skin)
        if not forms:
            return self.bracket
        form = forms[_h(seed, "bracket", no) % len(forms)]
        joint = ", " if skin == "arv_006" and _h(seed, "names", no) % 2 else "·"
        return form.format(names=joint.join(self.names),
                           sep="" if self.style == "nospace" else " ", title=self.title)

    @property
    def signature(self) -> str:
        email = f" {self.email}" if self.email else ""
        return f"/{' ' if self.sig_space else ''}{self.names[0]} {self.title}{email}"

    @property
    def writer(self) -> str | None:
        """The writer shown in the info line and listings (None: no writer)."""
        if not self.names:
            return None
        return f"{'·'.join(self.names)} {self.title}"


@dataclass
class Meta:
    """The cheap facts of article i (no body): enough for listings and indexes."""

    index: int
    no: int
    published: datetime
    sec_no: int
    skin: str
    byline: Byline
    writer_in_info: bool
    column: bool
    fault: str | None
    js_body: bool


@dataclass
class Article:
    meta: Meta
    title: str
    subtitle: str | None
    modified: datetime | None
    blocks: list[dict]  # structured body, see _blocks()
    copyright: str
    has_meta_time: bool
    quoted_lead: tuple[str, str] | None = None  # (lead, rest) of the first paragraph
    body_script_at: int = -1  # index of the block before which a <script> sits (-1: none)
    seed: int | str = DEFAULT_SEED

    @property
    def bracket(self) -> str:
        """The byline bracket as this article's skin prints it."""
        return self.meta.byline.bracket_on(self.meta.skin, self.no, self.seed)

    @property
    def no(self) -> int:
        return self.meta.no

    # --- truth ---------------------------------------------------------------------------
    def paragraphs(self) -> list[str]:
        out: list[str] = []
        for b in self.blocks:
            k = b["k"]
            if k == "p":
                out.append(b["t"])
            elif k == "brs":
                out.extend(p for p in b["parts"] if p)
            elif k == "table":
                out.append("\n".join(" | ".join(r) for r in b["rows"]))
        return [p for p in out if p]

    def body(self) -> str:
        return "\n\n".join(self.paragraphs())

    def raw_text(self) -> str:
        """Body text with tags stripped as the CMS does for listing summaries (byline kept)."""
        parts = []
        by = self.meta.byline
        for i, b in enumerate(self.blocks):
            if b["k"] == "p":
                t = b["t"]
                if i == self.first_text_block() and by.style not in ("sig", "none"):
                    if self.quoted_lead:
                        t = f"{self.quoted_lead[0]} {self.bracket} {self.quoted_lead[1]}"
                    else:
                        t = f"{self.bracket} {t}"
                parts.append(t)
            elif b["k"] == "img" and b["form"] == "credit" and b["cap"]:
                parts.append(f"▲ {b['cap']}" if self.meta.skin == "arv_003" else b["cap"])
            elif b["k"] == "brs":
                parts.extend(b["parts"])
        if by.style == "sig":
            parts.append(by.signature)
        return " ".join(parts)

    def first_text_block(self) -> int:
        for i, b in enumerate(self.blocks):
            if b["k"] in ("p", "brs"):
                return i
        return -1

    def last_text_block(self) -> int:
        for i in range(len(self.blocks) - 1, -1, -1):
            if self.blocks[i]["k"] in ("p", "brs", "table"):
                return i
        return -1

    def images(self, site_url: str) -> list[dict]:
        root = site_url.rstrip("/")
        return [
            {"url": root + b["src"], "caption": b["cap"]}
            for b in self.blocks
            if b["k"] == "img"
        ]

    def record(self, site_url: str) -> dict:
        m = self.meta
        by = m.byline
        return {
            "type": "article",
            "article_no": m.no,
            "url": f"{site_url.rstrip('/')}/news/article.html?no={m.no}",
            "section": W.SECTIONS[m.sec_no],
            "title": self.title,
            "subtitle": self.subtitle,
            "published_at": m.published.isoformat(),
            "modified_at": self.modified.isoformat() if self.modified else None,
            "reporters": list(by.names),
            "reporter_emails": [by.email] if by.email else [],
            "body": self.body(),
            "images": self.images(site_url),
            "fetched_at": None,
        }


# ---------------------------------------------------------------------------------------------
class Replica:
    """The generated site: `Replica(articles=300, seed=1, faults="transient,gone", js_bodies=0.1)`."""

    def __init__(
        self,
        articles: int = DEFAULT_ARTICLES,
        seed: int = DEFAULT_SEED,
        faults=None,
        js_bodies: float = 0.0,
        timeout_seconds: float = 10.0,
        slow_seconds: float = 0.5,
        js_mode: str = "load",
        variety: bool = False,
        legacy: int = 0,
        mobile_only: float = 0.0,
        rss: bool = True,
        first_no: int = FIRST_NO,
        edits: int = 0,
        deletions: int = 0,
    ) -> None:
        if articles < 1:
            raise ValueError("articles must be >= 1")
        self.n = int(articles)
        self.seed = seed
        from replica import layout_faults  # page-wide faults: the site's layout changed

        article_faults, self.layout_faults = layout_faults.split(faults)
        self.faults = parse_faults(article_faults)
        self.js_bodies = float(js_bodies)
        if js_mode not in JS_MODES:
            raise ValueError(f"js_mode {js_mode!r}: expected one of {', '.join(JS_MODES)}")
        # how a script writes a JS body: at DOMContentLoaded, by a timer 1.5 s later, from a
        # fetch() of /news/ajax.php, or each of them in turn
        self.js_mode = js_mode
        # more forms of the CMS: the real 2018 widget skin on some pages (replica/skins.py)
        self.variety = bool(variety)
        self.timeout_seconds = float(timeout_seconds)
        self.slow_seconds = float(slow_seconds)
        # replica/archive.py: legacy /ezview/ articles, mobile-only share, RSS feeds on/off
        self.legacy = int(legacy)
        self.mobile_only = float(mobile_only)
        self.rss = bool(rss)
        self.first_no = int(first_no)  # article 0's number (1: a site whose numbers start at 1)
        # The site later: the newest articles edited (body changed, `수정` time shown) or
        # deleted (404 on every page). Among the newest, edits take every other article from
        # the newest down, deletions the ones between, so both fall in a refresh window.
        if edits < 0 or deletions < 0:
            raise ValueError("edits and deletions must be >= 0")
        self.edited = {self.n - 1 - 2 * k for k in range(edits) if self.n - 1 - 2 * k >= 0}
        self.deleted = {self.n - 2 - 2 * k for k in range(deletions) if self.n - 2 - 2 * k >= 0}
        self._numbers = self._compute_numbers(self.n)
        self._by_no = {no: i for i, no in enumerate(self._numbers)}
        self._times = self._compute_times(self.n)
        self._meta: dict[int, Meta] = {}
        self._pool = self._reporter_pool()
        self._section_index: dict[int, list[int]] | None = None
        self._writer_index: dict[str, list[int]] | None = None
        self.article = lru_cache(maxsize=4096)(self._article)

    # --- numbering and time ----------------------------------------------------------------
    def _compute_numbers(self, n: int) -> list[int]:
        nums = [self.first_no]
        for i in range(1, n):
            u = _u(self.seed, "gap", i)
            step = 1 + (1 + _h(self.seed, "gapsize", i) % 3 if u < 0.06 else 0)
            nums.append(nums[-1] + step)
        return nums

    def _time_step(self, i: int) -> timedelta:
        """Time between article i-1 and article i."""
        u = _u(self.seed, "dt", i)
        v = _u(self.seed, "dt2", i)
        if i <= ANCHOR_INDEX:
            if u < 0.55:  # same or next day: a few an afternoon
                return timedelta(seconds=int(1200 + v * 17000))
            return timedelta(seconds=int(86400 + v * 6 * 86400))
        return timedelta(seconds=int(180 + v * 2200))  # newer articles: a busy stream

    def _compute_times(self, n: int) -> list[datetime]:
        last = max(n, ANCHOR_INDEX + 1)
        times: list[datetime] = [ANCHOR_TIME] * last
        for i in range(ANCHOR_INDEX - 1, -1, -1):
            times[i] = times[i + 1] - self._time_step(i + 1)
        for i in range(ANCHOR_INDEX + 1, last):
            times[i] = times[i - 1] + self._time_step(i)
        return times[:n]

    @property
    def numbers(self) -> list[int]:
        """Article numbers, oldest first."""
        return list(self._numbers)

    def index_of(self, no: int) -> int | None:
        return self._by_no.get(no)

    def gaps(self) -> list[int]:
        """Numbers between the oldest and the newest article that have no article."""
        have = self._by_no
        return [n for n in range(self._numbers[0], self._numbers[-1] + 1) if n not in have]

    def gap_is_soft404(self, no: int) -> bool:
        return _h(self.seed, "gapkind", no) % 3 == 0

    # --- faults ----------------------------------------------------------------------------
    def fault_of(self, i: int) -> str | None:
        if i in self.deleted:
            return "gone"  # deleted by the newsroom: gone from the site like a 404 article
        for name in FAULTS:  # fixed priority order: one fault per article
            mod = self.faults.get(name)
            if mod and (i + _h(self.seed, "fault", name)) % mod == 0:
                return name
        return None

    def reject_reason(self, i: int) -> str | None:
        f = self.fault_of(i)
        return FAULTS[f][1] if f else None

    # --- people ----------------------------------------------------------------------------
    def _reporter_pool(self) -> list[str]:
        rng = _rng(self.seed, "pool")
        pool: list[str] = []
        while len(pool) < 24:
            name = self._person_name(rng)
            if name not in pool and name not in W.AVOID_NAMES:
                pool.append(name)
        return pool

    @staticmethod
    def _person_name(rng: random.Random) -> str:
        sur = rng.choice(W.SURNAMES)
        if len(sur) == 2 or rng.random() < 0.08:
            return sur + rng.choice(W.GIVEN)
        return sur + rng.choice(W.GIVEN) + rng.choice(W.GIVEN)

    def _email(self, rng: random.Random) -> str:
        letters = "".join(rng.choice("abcdefghijklmnoprstuwy") for _ in range(rng.randint(4, 7)))
        return f"{letters}{rng.randint(1, 99)}@{rng.choice(W.EMAIL_DOMAINS)}"

    # --- meta ------------------------------------------------------------------------------
    def meta(self, i: int) -> Meta:
        m = self._meta.get(i)
        if m is None:
            m = self._meta[i] = self._make_meta(i)
        return m

    def _make_meta(self, i: int) -> Meta:
        rng = _rng(self.seed, "meta", i)
        old = i < 40
        r = rng.random()
        if old and r < 0.6:
            skin = "arv_008"
        else:
            r = rng.random()
            skin = ("arv_001" if r < 0.45 else "arv_001_01" if r < 0.67
                    else "arv_005_01" if r < 0.87 else "arv_008")
        r = rng.random()
        if skin == "arv_008" and r < 0.45:
            style = "sig"
        else:
            r = rng.random()
            table = [(0.035, "none"), (0.08, "sig"), (0.14, "nospace"), (0.18, "advisor"),
                     (0.23, "housewife"), (0.29, "two"), (0.34, "quoted"), (0.39, "email")]
            style = next((s for p, s in table if r < p), "std")
        column = style == "none"
        sec_no = 83 if column and rng.random() < 0.7 else rng.choice(list(W.SECTIONS))
        names: list[str] = []
        title = "기자"
        email = None
        if style != "none":
            names = [rng.choice(self._pool)]
            if style == "two":
                other = rng.choice(self._pool)
                while other == names[0]:
                    other = rng.choice(self._pool)
                names.append(other)
            if style == "advisor":
                title = "편집자문위원"
            elif style == "housewife":
                title = "주부기자"
            if style == "email" or (style == "sig" and rng.random() < 0.2):
                email = self._email(rng)
        by = Byline(style=style, names=names, title=title, email=email)
        if style == "sig":
            by.sig_form = "own" if rng.random() < 0.5 else "append"
            by.sig_space = rng.random() < 0.5
        published = self._times[i]
        if skin == "arv_001":
            u = _u(self.seed, "skin2", i)
            skin = next((s for s, (lo, hi) in NEW_SKINS.items() if lo <= u < hi), skin)
        if skin in MINUTE_SKINS:
            published = published.replace(second=0)
        return Meta(
            index=i,
            no=self._numbers[i],
            published=published,
            sec_no=sec_no,
            skin=skin,
            byline=by,
            writer_in_info=bool(names) and rng.random() < 0.7,
            column=column,
            fault=self.fault_of(i),
            js_body=_u(self.seed, "js", i) < self.js_bodies,
        )

    # --- indexes ---------------------------------------------------------------------------
    def newest_first(self) -> list[int]:
        return list(range(self.n - 1, -1, -1))

    def section_indexes(self, sec_no: int) -> list[int]:
        if self._section_index is None:
            idx: dict[int, list[int]] = {s: [] for s in W.SECTIONS}
            for i in range(self.n - 1, -1, -1):
                idx[self.meta(i).sec_no].append(i)
            self._section_index = idx
        return self._section_index.get(sec_no, [])

    def writer_indexes(self, name: str) -> list[int]:
        if self._writer_index is None:
            idx: dict[str, list[int]] = {}
            for i in range(self.n - 1, -1, -1):
                for nm in self.meta(i).byline.names:
                    idx.setdefault(nm, []).append(i)
            self._writer_index = idx
        return self._writer_index.get(name, [])

    def reporters(self) -> list[str]:
        return list(self._pool)

    # --- slots and text --------------------------------------------------------------------
    def _slots(self, rng: random.Random, when: datetime) -> dict:
        org, org2 = rng.sample(W.ORGS, 2)
        person = self._person_name(rng)
        while person in W.AVOID_NAMES:
            person = self._person_name(rng)
        money = rng.choice([
            f"{rng.randint(2, 90)}억 원",
            f"{rng.randint(1, 9)}억 {rng.randint(1, 9)}천만 원",
            f"{rng.randint(2, 9)}천만 원",
        ])
        d = when + timedelta(days=rng.choice([-6, -4, -3, -2, -1, 2, 5]))
        day = rng.choice([f"지난 {d.day}일", f"{d.month}월 {d.day}일", f"지난 {d.day}일 오후"])
        return {
            "org": org, "org2": org2,
            "person": f"{person} {rng.choice(W.ROLES)}",
            "place": rng.choice(W.PLACES), "spot": rng.choice(W.SPOTS),
            "event": rng.choice(W.EVENTS), "topic": rng.choice(W.TOPICS),
            "facility": rng.choice(W.FACILITIES), "groups": rng.choice(W.GROUPS),
            "committee": rng.choice(W.COMMITTEES),
            "n": rng.randint(2, 60), "n2": rng.choice([120, 350, 800, 1200, 3000, 15000]),
            "n3": rng.randint(1, 9),
            "money": money, "pct": f"{rng.randint(3, 60)}.{rng.randint(0, 9)}%",
            "month": rng.randint(1, 12), "day": day,
            "t": f"{rng.randint(1, 15)}.{rng.randint(0, 9)}",
            "t2": f"{rng.randint(30, 36)}.{rng.randint(0, 9)}",
        }

    def _sentence(self, rng: random.Random, slots: dict, pool: list[str]) -> str:
        # a per-article deck: templates are not repeated before the pool is used up
        deck = slots.setdefault("_deck", {}).setdefault(id(pool), [])
        if not deck:
            deck.extend(rng.sample(pool, len(pool)))
        template = deck.pop()
        # re-draw a few slots so one article is not the same person and place throughout
        local = dict(slots)
        if rng.random() < 0.4:
            local["place"] = rng.choice(W.PLACES)
        if rng.random() < 0.3:
            local["groups"] = rng.choice(W.GROUPS)
        local["n"] = rng.randint(2, 60)
        return fill(template, local)

    # --- the article -----------------------------------------------------------------------
    def _article(self, i: int) -> Article:
        m = self.meta(i)
        rng = _rng(self.seed, "art", i)
        slots = self._slots(rng, m.published)
        if m.column:
            title = fill(rng.choice(W.COLUMN_TITLES), slots)
        else:
            title = fill(rng.choice(W.TITLES), slots)
        subtitle = fill(rng.choice(W.SUBTITLES), slots) if rng.random() < 0.2 else None
        modified = None
        if rng.random() < 0.1:
            modified = m.published + timedelta(seconds=rng.randint(600, 3 * 86400))
        blocks, quoted = self._blocks(rng, m, slots)
        copyright = COPYRIGHT_KO if rng.random() < 0.15 else COPYRIGHT_EN
        art = Article(
            meta=m,
            title=title,
            subtitle=subtitle,
            modified=modified,
            blocks=blocks,
            copyright=copyright,
            has_meta_time=m.skin in ("arv_001", "arv_005_01"),
            quoted_lead=quoted,
        )
        if rng.random() < 0.3:
            # a <script> between two body blocks (never text)
            art.body_script_at = rng.randint(1, max(1, len(blocks) - 1))
        art.seed = self.seed
        if m.skin in NEW_SKINS:
            self._new_skin_forms(art)
        if i in self.edited:
            self._edit(art)
        return art

    @staticmethod
    def _edit(art: Article) -> None:
        """The newsroom's correction: a sentence added to the last paragraph and the `수정`
        time of five hours after publication (or later, if already edited)."""
        for b in reversed(art.blocks):
            if b["k"] == "p":
                b["t"] += " 독자 제보에 따라 일부 내용을 바로잡았습니다."
                break
        later = art.meta.published + timedelta(hours=5)
        art.modified = max(art.modified, later) if art.modified else later

    def _new_skin_forms(self, art: Article) -> None:
        """What the new skins print differently (their own copyright notices, times to the
        minute, photo credits): decided by hashes, so the rest of the article is unchanged."""
        from replica.skins import COPYRIGHTS

        m = art.meta
        forms = COPYRIGHTS[m.skin]
        art.copyright = forms[_h(self.seed, "copy2", m.no) % len(forms)]
        if m.skin in MINUTE_SKINS and art.modified:
            art.modified = art.modified.replace(second=0)
        for k, b in enumerate(art.blocks):
            if b["k"] != "img":
                continue
            if m.skin == "arv_003" and b["cap"]:
                b["form"] = "credit"  # `▲ caption` on its own line under the photo
            elif m.skin == "arv_006" and not b["cap"] and _h(self.seed, "credit", m.no, k) % 2:
                org = W.ORGS[_h(self.seed, "creditorg", m.no, k) % len(W.ORGS)]
                b["cap"], b["form"] = f"(사진={org} 제공)", "credit"

    def _blocks(self, rng: random.Random, m: Meta, slots: dict):
        by = m.byline
        pool = W.COLUMN_SENTENCES if m.column else W.SENTENCES
        n_par = rng.randint(4, 11)
        paras: list[str] = []
        for _ in range(n_par):
            k = rng.choice([1, 1, 2, 2, 2, 3])
            paras.append(" ".join(self._sentence(rng, slots, pool) for _ in range(k)))
        # special sentences, inserted inside normal prose
        if not m.column and rng.random() < 0.12:
            j = rng.randrange(1, len(paras)) if len(paras) > 1 else 0
            paras[j] += " " + fill(rng.choice(W.COPYRIGHT_MENTIONS), slots)
        if rng.random() < 0.12:
            j = rng.randrange(len(paras))
            paras[j] = fill(rng.choice(W.TEMPERATURE_SENTENCES), slots) + " " + paras[j]
        quoted = None
        if by.style == "quoted":
            lead = fill(rng.choice(W.QUOTED_LEADS), slots)
            rest = fill(rng.choice(W.QUOTED_RESTS), slots)
            quoted = (lead, rest)
            paras[0] = f"{lead} {rest}"

        blocks: list[dict] = []
        if rng.random() < 0.4:
            blocks.append({"k": "empty"})
        old = m.skin == "arv_008"
        n_img = rng.choice([0, 0, 1, 1, 1, 2, 3])
        img_slots = sorted(rng.sample(range(1, len(paras) + 1), min(n_img, len(paras))))
        if n_img and rng.random() < 0.15:
            img_slots[0] = 0  # a photo above the first paragraph
        table_at = rng.randrange(2, len(paras) + 1) if rng.random() < 0.1 and len(paras) > 2 else -1
        brs_at = set()
        if len(paras) > 2 and rng.random() < (0.5 if old else 0.1):
            brs_at = {rng.randrange(1, len(paras) - 1)}
        img_count = 0
        for pi, text in enumerate(paras):
            while img_count < len(img_slots) and img_slots[img_count] == pi:
                blocks.append(self._image(rng, m, img_count, slots))
                img_count += 1
            if pi == table_at:
                blocks.append(self._table(rng, slots))
            if pi in brs_at:
                sentences = [s for s in re.split(r"(?<=다\.) ", text) if s]
                extra = self._sentence(rng, slots, pool)
                blocks.append({"k": "brs", "parts": sentences + [extra],
                               "double": rng.random() < 0.5})
            else:
                blocks.append({"k": "p", "t": text})
            if rng.random() < 0.35:
                blocks.append({"k": "empty"})
        while img_count < len(img_slots):
            blocks.append(self._image(rng, m, img_count, slots))
            img_count += 1
        if by.style == "sig":
            # the signature closes the last text block: make sure that one is a paragraph
            last = max(k for k, b in enumerate(blocks) if b["k"] in ("p", "brs", "table"))
            if blocks[last]["k"] != "p":
                blocks.append({"k": "p", "t": self._sentence(rng, slots, pool)})
        elif rng.random() < 0.1:
            blocks.append({"k": "copy", "t": COPYRIGHT_EN if rng.random() < 0.5 else COPYRIGHT_KO})
        first = next(k for k, b in enumerate(blocks) if b["k"] in ("p", "brs", "table"))
        assert blocks[first]["k"] == "p"  # the byline goes there
        return blocks, quoted

    def _image(self, rng: random.Random, m: Meta, k: int, slots: dict) -> dict:
        when = m.published
        week = (when.day - 1) // 7 + 1
        stamp = int(when.timestamp()) + k
        src = f"/data/photos/{when:%Y%m}{week:02d}/art_{stamp}_{_h(self.seed, m.no, k) % 16**6:06x}.jpg"
        cap = None
        if rng.random() < 0.65:
            cap = fill(rng.choice(W.CAPTIONS), slots)
        form = "figure" if cap is not None or rng.random() < 0.5 else "p"
        return {"k": "img", "src": src, "cap": cap, "form": form}

    def _table(self, rng: random.Random, slots: dict) -> dict:
        head = rng.choice(W.TABLE_HEADERS)
        rows = [list(head)]
        for _ in range(rng.randint(2, 4)):
            row = []
            for h in head:
                if h in ("구분", "사업명"):
                    row.append(rng.choice(W.TOPICS))
                elif h == "동":
                    row.append(rng.choice(W.PLACES))
                elif h == "기간":
                    row.append(f"{rng.randint(1, 12)}월 {rng.randint(1, 28)}일~{rng.randint(1, 28)}일")
                elif h == "장소":
                    row.append(rng.choice(W.SPOTS))
                elif h == "대상":
                    row.append(rng.choice(W.GROUPS))
                elif h == "예산":
                    row.append(f"{rng.randint(1, 99)}억 원")
                elif h == "비고":
                    row.append(rng.choice(["신규", "계속", "확대", "R&D 연계"]))
                else:
                    row.append(f"{rng.randint(1, 400)}건")
            rows.append(row)
        return {"k": "table", "rows": rows}

    # --- served days and weather -----------------------------------------------------------
    def served_day_index(self, key: str) -> int:
        return _h(self.seed, "day", key) % SERVED_DAYS

    def served_day(self, key: str) -> date:
        return SERVED_FIRST_DAY + timedelta(days=self.served_day_index(key))

    @staticmethod
    def article_key(no: int) -> str:
        """Page key of an article (desktop and mobile pages of article N share one day)."""
        return f"article:{no}"

    def weather_snapshot(self, day_index: int) -> list[tuple[str, str | None, float]]:
        return _snapshot(self.seed, SNAPSHOT_OF_DAY[day_index])

    # --- truth -----------------------------------------------------------------------------
    def truth_records(self, site_url: str) -> list[dict]:
        """Article, reject and weather records (see the module doc and CONVENTIONS.md)."""
        root = site_url.rstrip("/")
        out: list[dict] = []
        days: set[int] = set()
        for i in range(self.n):
            m = self.meta(i)
            reason = self.reject_reason(i)
            if reason:
                out.append({"type": "reject", "url": f"{root}/news/article.html?no={m.no}",
                            "article_no": m.no, "reason": reason})
                continue
            out.append(self.article(i).record(root))
            days.add(self.served_day_index(self.article_key(m.no)))
        if self.legacy:
            from replica.archive import legacy_of

            out.extend(legacy_of(self).truth(root))
        for d in sorted(days):
            observed = (SERVED_FIRST_DAY + timedelta(days=d)).isoformat()
            seen = set()
            for station, cond, temp in self.weather_snapshot(d):
                key = (observed, station, cond, temp)
                if key in seen:
                    continue
                seen.add(key)
                out.append({"type": "weather", "observed_on": observed, "station": station,
                            "condition": cond, "temperature_c": temp, "provider": "기상청",
                            "source_url": None, "fetched_at": None})
        return out


@lru_cache(maxsize=16)
def _snapshot(seed, sid: int) -> list[tuple[str, str | None, float]]:
    rng = _rng(seed, "weather", sid)
    base = rng.uniform(-4.0, 1.5)
    zero_at = rng.randrange(len(W.STATIONS))
    out = []
    for k, station in enumerate(W.STATIONS):
        south = station in ("부산", "제주", "거제", "강진군", "울산", "경주시")
        t = base + rng.uniform(-3.5, 2.5) + (2.5 if south else 0.0)
        t = round(t, 1)
        if k == zero_at:
            t = 0.0
        if t == 0:
            t = 0.0  # never -0.0
        cond = None if rng.random() < 0.12 else rng.choices(W.CONDITIONS, (8, 4, 5, 4, 2, 2, 1))[0]
        out.append((station, cond, t))
    return out


def truth_records(site_url: str, articles: int = DEFAULT_ARTICLES, seed: int = DEFAULT_SEED,
                  faults=None, **archive) -> list[dict]:
    """The exact records a perfect crawl of `Replica(articles, seed, faults)` yields."""
    return Replica(articles=articles, seed=seed, faults=faults, **archive).truth_records(site_url)
