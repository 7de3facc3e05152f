"""An audience CSV as marketers export it from a spreadsheet: Excel's BOM, semicolons (Excel's
separator where the decimal mark is a comma, as in France), a ``Phone`` header, numbers in
their national form; and the header problem naming the column it lacks."""

from __future__ import annotations

from operations.launch import HeaderProblem, header_problem, parse_audience, read_audience

NEEDS = {"due_at": "step 'wait' waits until trigger.due_at"}


def test_a_french_excel_export_is_read_as_its_author_sees_it() -> None:
    text = (
        "\ufeffPhone;first_name;due_at\r\n"
        "06 12 34 56 78;Alex;2026-12-20\r\n"
        "+33 6 98 76 54 32;Sam;2026-12-21\r\n"
        "0033 6 11 22 33 44;Bo;2026-12-22\r\n"
        "not a number;Chloe;2026-12-23\r\n"
    )
    members, rejected = parse_audience(text, NEEDS, region="FR")
    assert [(m.e164, m.variables) for m in members] == [
        ("+33612345678", {"first_name": "Alex", "due_at": "2026-12-20"}),
        ("+33698765432", {"first_name": "Sam", "due_at": "2026-12-21"}),
        ("+33611223344", {"first_name": "Bo", "due_at": "2026-12-22"}),
    ]
    assert [row for row, _ in rejected] == [4]


def test_without_a_region_a_number_needs_its_country_code() -> None:
    members, rejected = parse_audience("phone\n06 12 34 56 78\n+33612345679\n")
    assert [m.e164 for m in members] == ["+33612345679"]
    assert rejected == [(1, rejected[0][1])] and "country code" in rejected[0][1]


def test_the_header_problem_names_the_column_it_lacks() -> None:
    fields = read_audience("phone;first_name\n+33612345678;Alex\n").fieldnames or []
    assert header_problem(fields, NEEDS) == HeaderProblem(
        "due_at", "the header needs a 'due_at' column (step 'wait' waits until trigger.due_at)"
    )
    assert header_problem(["number", "due_at"], NEEDS) == HeaderProblem(
        "phone", "the header needs a 'phone' column"
    )
    assert header_problem([" E164 ", "due_at"], NEEDS) is None
    problem = header_problem(["phone", "first_name"], NEEDS)
    assert problem is not None
    assert parse_audience("phone,first_name\n+33612345678,Alex\n", NEEDS) == (
        [],
        [(0, problem.reason)],
    )


def test_a_quoted_value_keeps_its_quotes_and_separators() -> None:
    text = 'phone;note\n+33612345678;"Rex ""the dog""; shy"\n'
    [member], rejected = parse_audience(text)
    assert rejected == [] and member.variables == {"note": 'Rex "the dog"; shy'}
