"""The career glossary that lets keyword search cross languages (documents.glossary): what it finds
in a question, what it keeps as names, and what it leaves alone."""

from __future__ import annotations

import pytest

from documents import glossary, lexical


def test_a_korean_question_s_terms_come_out_in_english_with_its_names():
    found = glossary.translate("쿠버네티스 관리자 자격증(CKA)을 보유한 플랫폼 엔지니어")
    assert found is not None and found.language == "en"
    flat = {form for group in found.groups for form in group}
    assert {"kubernetes", "administrator", "certified", "platform", "engineer", "cka"} <= flat
    # 22 syllables, 18 of them in terms (보유한 and the particle 을 are not), and the name CKA.
    assert found.reach == pytest.approx(19 / 23)


def test_particles_spaces_and_compounds_do_not_hide_a_term():
    for query in ("의료영상", "의료 영상", "의료 영상을"):
        found = glossary.translate(query)
        assert found is not None and found.groups[0] == ["medical imaging"], query
    longest = glossary.translate("데이터 분석가")
    assert longest is not None and longest.groups == [["data analyst"]]  # the longest term, not 데이터 + 분석가


def test_an_english_question_keeps_its_names_in_latin_and_drops_common_words():
    found = glossary.translate("Backend lead who built a real-time fraud detection system on a Kafka stream")
    assert found is not None and found.language == "ko"
    flat = {form for group in found.groups for form in group}
    assert {"백엔드", "실시간", "사기 탐지", "카프카", "kafka"} <= flat  # Korean documents write Kafka in Latin too
    assert not flat & {"who", "a", "on"}
    names = glossary.translate("Certified public accountant who led an SAP S/4HANA migration")
    assert names is not None and ["sap"] in names.groups and ["s/4hana"] in names.groups
    assert ["공인회계사", "certified public accountant"] in names.groups  # the longest phrase
    plural = glossary.translate("nurses")
    assert plural is not None and "간호사" in plural.groups[0]


def test_a_question_the_glossary_does_not_know_is_left_alone():
    assert glossary.translate("해오름") is None
    assert glossary.translate("MICCAI CVPR") is None  # names alone: nothing to translate
    assert glossary.translate("") is None
    hostile = glossary.translate("\x00 \ud800 ((( 데이터 ''' 🚀")
    assert hostile is not None and hostile.groups[0][0] == "data"


def test_the_query_carries_the_translation_as_terms(settings):
    parsed = lexical.parse_query("React 프론트엔드 경력")
    assert parsed.translated_language == "en"
    forms = [form for group in parsed.translated for form, _ in group]
    assert "frontend" in forms and "react" in forms
    assert all(terms for group in parsed.translated for _, terms in group)
    assert set(parsed.terms) < set(parsed.all_terms)
    settings.SEARCH_GLOSSARY = False
    assert lexical.parse_query("React 프론트엔드 경력").translated == []


def test_every_glossary_line_is_a_korean_term_and_english_forms():
    lines = [line for line in glossary.GLOSSARY.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]
    assert len(lines) > 400
    for line in lines:
        korean, tab, forms = line.partition("\t")
        hangul = all(ch == " " or "\uac00" <= ch <= "\ud7a3" or ch.isdigit() for ch in korean)
        assert tab and korean.strip() and hangul, line
        assert all(form.strip() and form.isascii() for form in forms.split("|")), line


def test_a_whole_document_s_forms_in_the_other_language():
    korean = "통계학 학사\n- SQL로 로그 데이터를 추출하고 Tableau 대시보드 구축"
    assert {"statistics", "bachelor", "dashboards", "data", "built"} <= glossary.forms_in(korean)
    english = "B.S. in Statistics. Built Tableau dashboards for the payments team."
    assert {"통계", "대시보드", "결제"} <= glossary.forms_in(english)
    assert glossary.forms_in(korean) is glossary.forms_in(korean)  # read once per text
    assert glossary.forms_in("해오름") == frozenset()


def test_a_chunk_holds_a_group_through_any_one_of_its_forms_whole():
    import numpy as np

    from documents.retrieval import _TranslatedCoverage

    terms = ["medical", "imaging", "deep", "learning", "researcher"]
    index = {t: i for i, t in enumerate(terms)}
    groups = [
        [("medical imaging", ["medical", "imaging"])],
        [("deep learning", ["deep", "learning"])],
        [("researcher", ["researcher"]), ("deep", ["deep"])],  # held through its second form
    ]
    held = np.array(
        [
            [True, True, True, True, True],  # every group
            [True, False, True, False, False],  # half of two phrases: no group but the third's second form
            [False, False, False, False, False],
        ]
    )
    idf = np.ones(len(terms))
    coverage = _TranslatedCoverage(groups, index, idf, held)
    assert list(coverage.shares) == [1.0, 1 / 3, 0.0]
    assert coverage.forms(0) == ["medical imaging", "deep learning", "researcher"]
    assert coverage.forms(1) == ["deep"] and coverage.forms(2) == []
