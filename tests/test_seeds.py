"""The seed parser: both layouts, metadata, furniture, dedupe, bad input (tier 1, pure logic)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from rag.errors import SeedError
from rag.seeds import load_seeds, normalise_title, paper_id_for, parse_date, parse_text, read_seed_file
from tests.conftest import SEEDS, write_blocks, write_compact


def test_shipped_corpus_has_531_distinct_papers_in_599_listings():
    result = load_seeds(SEEDS)
    assert result.errors == []
    assert result.listings == 599
    assert len(result.papers) == 531
    assert sorted(result.files) == sorted(p.name for p in SEEDS.glob("*.txt"))


def test_compact_layout_paper_fields_exactly(corpus_papers):
    p = corpus_papers["reducing-activation-recomputation-in-large-trans-d90bd815"]
    assert p.title == "Reducing Activation Recomputation in Large Transformer Models"  # "Subscribe" was glued to it
    assert p.abstract.startswith("Training large transformer models is one of the most important computational challenges")
    assert p.abstract.endswith("Our implementation will be available in both Megatron-LM and NeMo-Megatron.")
    assert len(p.abstract) == 1306
    assert p.seed_files == ("000_ef6295aeaec3aea7.txt",)
    assert (p.authors, p.date, p.date_text, p.upvotes, p.organization) == (None, None, None, None, None)
    assert p.line == 3


def test_blank_line_layout_paper_fields_exactly(corpus_papers):
    p = corpus_papers["self-expanding-convolutional-neural-networks-8e46a6d8"]
    assert p.title == "Self Expanding Convolutional Neural Networks"
    assert p.abstract.startswith("In this paper, we present a novel method for dynamically expanding Convolutional Neural Networks")
    assert len(p.abstract) == 1464
    assert p.seed_files == ("001_5b1bb89db585afee.txt",)
    assert p.line == 11


def test_metadata_lines_authors_date_upvotes(corpus_papers):
    p = corpus_papers["parameter-efficient-sparsity-for-large-language-f504ed2f"]
    assert (p.authors, p.date, p.date_text, p.upvotes, p.organization) == (7, "2022-05-22", "May 22, 2022", None, None)
    q = corpus_papers["parameter-efficient-fine-tuning-for-large-dd6ed7df"]
    assert (q.authors, q.date, q.date_text, q.upvotes) == (5, "2024-03-21", "Mar 21, 2024", 3)


def test_organisation_line_and_date_without_year(corpus_papers):
    p = corpus_papers["longcat-flash-technical-report-236bbd18"]
    assert p.organization == "meituan-longcat LongCat"
    assert (p.authors, p.date, p.date_text, p.upvotes) == (None, None, "Sep 1", None)
    q = corpus_papers["the-art-of-scaling-reinforcement-learning-4921b794"]
    assert (q.organization, q.date_text, q.upvotes) == ("facebook AI at Meta", "Oct 15", 2)


def test_same_paper_in_several_dumps_is_one_paper_with_all_files(corpus_papers):
    p = corpus_papers["parameter-efficient-fine-tuning-for-large-dd6ed7df"]
    assert p.seed_files == (
        "001_5b1bb89db585afee.txt",
        "002_5933c7763b99bf23.txt",
        "003_f0546aa0d2b15f29.txt",
        "004_e07648739106fcc5.txt",
    )
    titles = [q.title for q in corpus_papers.values()]
    assert len(titles) == len(set(titles))


def test_page_furniture_is_never_a_paper(corpus_papers):
    furniture = {"new", "Subscribe", "Daily Papers", "byAK and the research community", "Mar 11", "Dec 12"}
    for p in corpus_papers.values():
        assert p.title not in furniture
        assert not p.title.startswith(("Subscribe", "Get trending papers"))
        assert not p.abstract.startswith(("•", "·"))


def test_paper_id_is_stable_and_normalised():
    a = paper_id_for("Scaling Laws for Neural Language Models")
    assert a == paper_id_for("  scaling laws for neural   language models ")
    assert a == paper_id_for("Scaling Laws for Neural Language Models.")
    assert a != paper_id_for("Scaling Laws for Neural Language Model")
    assert a.startswith("scaling-laws-for-neural-language-models-")
    assert normalise_title("Café—Déjà Vu!") == "cafe deja vu"


def test_both_layouts_round_trip(tmp_path, corpus_papers):
    papers = list(corpus_papers.values())[:4]
    compact = read_seed_file(write_compact(tmp_path / "a.txt", papers))
    blocks = read_seed_file(write_blocks(tmp_path / "b.txt", papers))
    for parsed in (compact, blocks):
        assert [(p.paper_id, p.title, p.abstract) for p in parsed] == [(p.paper_id, p.title, p.abstract) for p in papers]


def test_parse_date():
    assert parse_date("Jul 31, 2024 1") == {"date": "2024-07-31", "date_text": "Jul 31, 2024", "upvotes": 1}
    assert parse_date("Sep 14 2") == {"date": None, "date_text": "Sep 14", "upvotes": 2}
    assert parse_date("Sep 14") == {"date": None, "date_text": "Sep 14", "upvotes": None}
    assert parse_date("September 14") is None


@pytest.mark.parametrize(
    "content, line, fragment",
    [
        (b"", 1, "empty"),
        (b"\n\n   \n", 1, "empty"),
        (b"A Title\nAn abstract that is long enough to be an abstract here.\nSecond \xff\xfe title\n", 3, "not UTF-8"),
        (b"A Title\x00\n", 1, "binary"),
        (b"Only a title line and nothing else", 1, "no abstract"),
        (b"Title one\nshort\n", 2, "expected the abstract"),
        (b"x" * 400 + b"\n" + b"word " * 20, 1, "title missing"),
    ],
)
def test_bad_files_raise_seed_error_naming_file_and_line(tmp_path, content, line, fragment):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(SeedError) as info:
        read_seed_file(path)
    assert info.value.line == line
    assert fragment in info.value.reason
    assert str(path) in str(info.value)


def test_unreadable_file_is_reported(tmp_path):
    path = tmp_path / "dir.txt"
    path.mkdir()  # reading a directory fails like an unreadable file
    with pytest.raises(SeedError, match="cannot read"):
        read_seed_file(path)


def test_load_seeds_skips_bad_files_and_keeps_good_ones(tmp_path, corpus_papers):
    papers = list(corpus_papers.values())[:3]
    write_compact(tmp_path / "good.txt", papers)
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00garbage")
    result = load_seeds(tmp_path)
    assert set(result.papers) == {p.paper_id for p in papers}
    assert result.failed_files == {"bad.txt"}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "b c d", " ", "\n", "\n\n", "·", "•", ".", "Subscribe", "new", "  • 3 authors", "May 2", ", 2024", "word " * 9]),
        max_size=80,
    ).map("".join)
)
def test_parser_never_crashes_on_arbitrary_text(text):
    try:
        papers = parse_text(text, "fuzz.txt")
    except SeedError as exc:
        assert exc.line >= 1
        return
    for p in papers:
        assert p.title and p.abstract and p.paper_id


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_reader_never_crashes_on_arbitrary_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "f.txt"
    path.write_bytes(data)
    try:
        read_seed_file(path)
    except SeedError:
        pass


def test_shipped_seeds_match_the_shared_corpus():
    shared = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("no ../shared/seeds on this machine")
    for f in shared.glob("*.txt"):
        assert (SEEDS / f.name).read_bytes() == f.read_bytes()
