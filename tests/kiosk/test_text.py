"""The text cleaners every service uses on what people type."""

from __future__ import annotations

import pytest

from kiosk.errors import InvalidInput
from kiosk.text import (
    LIKE_ESCAPE,
    PHONE_NUMBER_MAX,
    clean_line,
    clean_note,
    clean_phone_number,
    escape_like,
    has_every_word,
    name_key,
    word_keys,
)

MARKUP = "& < > ' \""
EMOJI = "Zoë 👩‍👩‍👧 🇬🇧"
ARABIC = "مريم  العلي"
CHINESE = "王 小明"
E_ACUTE_COMBINING = "Rene\u0301e"  # "Renée" typed as e + combining acute


# --- one line ------------------------------------------------------------------------------


def test_one_line_keeps_markup_characters_as_typed() -> None:
    # Escaping is for the PDF or CSV that shows the text, not for what is stored.
    assert clean_line(f"  {MARKUP}  ") == MARKUP


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (EMOJI, EMOJI),
        (ARABIC, "مريم العلي"),
        (CHINESE, CHINESE),
        ("Ama\tMensah\r\nJones", "Ama Mensah Jones"),
        ("Ama\x00Mensah\x1b[0m", "Ama Mensah [0m"),
        ("\u2028Ama\u00a0 Mensah\u2029", "Ama Mensah"),
    ],
)
def test_one_line_collapses_spacing_and_control_characters(typed: str, stored: str) -> None:
    assert clean_line(typed) == stored


def test_one_line_stores_combining_accents_as_one_character() -> None:
    cleaned = clean_line(E_ACUTE_COMBINING)
    assert cleaned == "Renée"
    assert len(cleaned) == 5


def test_one_line_refuses_text_over_the_limit_with_the_callers_words() -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_line("x" * 1001, limit=1000, too_long="The place is {length:,} long; {limit:,} max.")
    assert caught.value.message == "The place is 1,001 long; 1,000 max."


def test_one_line_counts_characters_after_cleaning() -> None:
    assert clean_line("  " + "a  " * 5, limit=9) == "a a a a a"
    assert clean_line("😀" * 200, limit=200) == "😀" * 200


def test_one_line_very_long_text_is_cleaned_in_full_without_a_limit() -> None:
    typed = "word \t" * 100_000
    assert clean_line(typed) == " ".join(["word"] * 100_000)


@pytest.mark.parametrize("typed", ["", "   ", "\t\n\x00", None])
def test_one_line_empty_is_empty_unless_required(typed: str | None) -> None:
    assert clean_line(typed) == ""
    with pytest.raises(InvalidInput) as caught:
        clean_line(typed, required="Enter the officer's name.")
    assert caught.value.message == "Enter the officer's name."


def test_one_line_too_long_message_does_not_format_the_typed_text() -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_line("{limit}" * 10, limit=5)
    assert caught.value.message == "That is too long: please keep it to 5 characters or fewer."


# --- note ----------------------------------------------------------------------------------


def test_note_keeps_lines_and_markup() -> None:
    typed = f"\r\n  First line {MARKUP}  \r\nSecond\rThird\n\n\nAfter a gap  \n\n"
    assert clean_note(typed) == f"First line {MARKUP}\nSecond\nThird\n\n\nAfter a gap"


def test_note_keeps_tabs_and_drops_other_control_characters() -> None:
    assert clean_note("Bag\t12\x00\x07 sealed\x0cby JB") == "Bag\t12   sealed\nby JB"


@pytest.mark.parametrize("typed", [EMOJI, ARABIC, CHINESE])
def test_note_keeps_every_script_and_emoji(typed: str) -> None:
    assert clean_note(f"{typed}\n{typed}") == f"{typed}\n{typed}"


def test_note_stores_combining_accents_as_one_character() -> None:
    assert clean_note(E_ACUTE_COMBINING + "\n") == "Renée"


def test_note_limit_and_required() -> None:
    assert clean_note("x" * 2000, limit=2000) == "x" * 2000
    with pytest.raises(InvalidInput) as caught:
        clean_note("x" * 2001, limit=2000, too_long="Keep the note under {limit:,} characters.")
    assert caught.value.message == "Keep the note under 2,000 characters."
    assert clean_note(" \n\t\n ") == ""
    with pytest.raises(InvalidInput, match="Say what was deleted."):
        clean_note(" \n\x00\n ", required="Say what was deleted.")


# --- telephone numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (" 01632  960\t123 ", "01632 960 123"),
        ("+44 (0)7700 900-101", "+44 (0)7700 900-101"),
        ("", ""),
        ("  \x00 ", ""),
    ],
)
def test_phone_number_keeps_the_number_as_people_read_it(typed: str, stored: str) -> None:
    assert clean_phone_number(typed) == stored


@pytest.mark.parametrize(
    "typed", [MARKUP, "07700 ext. 12", "٠٧٧٠٠ ٩٠٠١٠١", "０７７００", EMOJI, CHINESE, ARABIC]
)
def test_phone_number_refuses_anything_but_digits_and_separators(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_phone_number(typed, "mobile number")
    assert caught.value.message == (
        "The mobile number can only have digits, spaces and + ( ) -; please check it."
    )


def test_phone_number_has_a_length_limit() -> None:
    assert clean_phone_number("1" * PHONE_NUMBER_MAX) == "1" * PHONE_NUMBER_MAX
    with pytest.raises(InvalidInput) as caught:
        clean_phone_number("1" * 10_000)
    assert caught.value.message == "The telephone number is too long (40 characters at most)."


# --- name keys -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Siobhán O'Neill", "siobhan oneill"),
        (E_ACUTE_COMBINING, "RENÉE"),
        ("Anne-Marie\tSMITH", "annemarie smith"),
        ("ZOË  ȘTEFAN", "zoe stefan"),
        ("Straße", "strasse"),
        ("Ama\x00Mensah", "ama mensah"),
        ("Phạm Thị", "pham thi"),
        ("Seán", "sean"),
        ("Łukasz", "lukasz"),
        ("Øyvind", "oyvind"),
        ("Đorđe", "dorde"),
        ("Þóra Ægisdóttir", "thora aegisdottir"),
        ("Hawaiʻi Keʼala", "hawaii keala"),
    ],
)
def test_name_key_matches_names_however_typed(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_key_keeps_scripts_without_case() -> None:
    assert name_key(ARABIC) == "مريم العلي"
    assert name_key(CHINESE) == CHINESE


@pytest.mark.parametrize("name", ["محمد", "王", "Иван", "Ἀθηνᾶ"])
def test_name_key_never_transliterates_other_scripts_into_latin_letters(name: str) -> None:
    # "محمد" would be "mhmd" and "王" "wang": a search for an unrelated Latin name must not
    # find them.
    key = name_key(name)
    assert key and not any("a" <= ch <= "z" for ch in key)


def test_has_every_word_folds_both_sides() -> None:
    assert has_every_word("sean ocon", "Seán O'Connor · Head of Year 9")
    assert has_every_word("LUKASZ", "Mr Łukasz Nowak")
    assert has_every_word("", "anyone")
    assert not has_every_word("sean smith", "Seán O'Connor")


def test_word_keys_start_at_every_word() -> None:
    assert word_keys("mary ann smith") == ["mary ann smith", "ann smith", "smith"]
    assert word_keys("ann ann") == ["ann ann", "ann"]
    assert word_keys("") == []


def test_name_key_drops_markup_punctuation_but_keeps_symbols() -> None:
    assert name_key(MARKUP) == "< >"
    assert name_key("Jo 😀") == "jo 😀"


def test_name_key_of_empty_and_very_long_names() -> None:
    assert name_key("") == ""
    assert name_key(" \t\n") == ""
    assert name_key("Ámá " * 50_000) == " ".join(["ama"] * 50_000)


# --- LIKE escaping -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "pattern"),
    [
        ("100%", "100\\%"),
        ("o_neill", "o\\_neill"),
        ("back\\slash", "back\\\\slash"),
        (MARKUP, MARKUP),
        (EMOJI, EMOJI),
        (ARABIC, ARABIC),
        (CHINESE, CHINESE),
        ("", ""),
    ],
)
def test_escape_like_escapes_only_wildcards_and_the_escape(typed: str, pattern: str) -> None:
    assert LIKE_ESCAPE == "\\"
    assert escape_like(typed) == pattern


def test_escaped_text_matches_itself_and_nothing_else_in_sqlite() -> None:
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.execute("create table t (name text)")
    names = ["100%", "1000", "o_neill", "oxneill", "a\\b", "ab", MARKUP, EMOJI]
    db.executemany("insert into t values (?)", [(n,) for n in names])
    for name in names:
        found = db.execute(
            "select name from t where name like ? escape ?",
            (escape_like(name) + "%", LIKE_ESCAPE),
        ).fetchall()
        assert [row[0] for row in found] == [name]


def test_staff_sort_key_orders_by_surname_passing_over_titles() -> None:
    from kiosk.text import staff_sort_key

    names = ["Mrs Rhian Bevan", "Dr. Zara Ahmed", "Mr Tom Baker", "Miss Ama Owusu", "Mx Sam Ede"]
    assert sorted(names, key=staff_sort_key) == [
        "Dr. Zara Ahmed",
        "Mr Tom Baker",
        "Mrs Rhian Bevan",
        "Mx Sam Ede",
        "Miss Ama Owusu",
    ]
    assert staff_sort_key("Mrs Ćwik") < staff_sort_key("Mr Davies")  # accents fold, no title
    assert staff_sort_key("Miss")[0] == "miss"  # a lone word is a surname, never dropped
