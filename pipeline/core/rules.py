"""The catalogue of validation rules: what each one means and how an officer fixes it."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.findings import Finding, Severity


@dataclass(frozen=True)
class Rule:
    """A validation rule: its code, a plain description and the fix to suggest."""

    code: str
    description: str
    fix: str


RULES: dict[str, Rule] = {
    r.code: r
    for r in [
        # Whole-file problems: the file is refused.
        Rule("empty-file", "The file is empty.", "Export the table again from Excel as CSV."),
        Rule(
            "no-data-rows",
            "The file has a header but no data rows.",
            "Add one row per territory below the header.",
        ),
        Rule(
            "no-header",
            "No header row naming the expected columns was found.",
            "Add the header row described in the README.",
        ),
        Rule(
            "workbook-not-csv",
            "An Excel workbook was saved under a .csv name.",
            'Use "Save as" > "CSV UTF-8" in Excel.',
        ),
        Rule(
            "bad-workbook",
            "The .xlsx file cannot be read as a workbook.",
            "Save it again from Excel.",
        ),
        Rule("binary-file", "The file holds binary data, not text.", "Export it as CSV UTF-8."),
        Rule(
            "unknown-encoding",
            "The text encoding could not be recognised.",
            "Save it as CSV UTF-8.",
        ),
        Rule(
            "unsure-encoding",
            "The file is not UTF-8, and read as Windows-1252 a word holds a character that an "
            "accented letter of a file saved on a Mac or in DOS becomes (é read as Ž or ‚).",
            'Open it in Excel or LibreOffice, save it as "CSV UTF-8 (Comma delimited)", and '
            "check that the names read as they should.",
        ),
        Rule("file-too-large", "The file is over the size limit.", "Split the file."),
        Rule(
            "mixed-encoding",
            "The file is UTF-8 except for a few bytes written in another encoding.",
            'Open it in Excel and save it as "CSV UTF-8 (Comma delimited)"; check the '
            "characters on the lines named.",
        ),
        Rule(
            "ambiguous-number",
            "A figure such as 12.000 reads as 12 with a decimal point, or as 12,000 with a "
            "point separating thousands, and nothing else in the file says which.",
            "Write the figure without a thousands separator (12000, or 12 if that is what it "
            "is), or save the table as .xlsx, whose number cells carry no such doubt.",
        ),
        Rule(
            "mixed-number-formats",
            "Two cells are written in different number formats (a thousands comma in one, a "
            "decimal comma in another), so no figure of the file can be read for sure.",
            "Write every number the same way: e.g. 13103 and 3.5, or save the table as .xlsx, "
            "whose number cells carry no such doubt.",
        ),
        Rule(
            "unclassified-row",
            "A row is neither a territory, a Totals row, a subtotal, a repeated header, a "
            "units row, a note nor blank (e.g. a note with figures, or text only in a column "
            "the tool does not read).",
            "Delete the row, or write it as a territory with its name, or as a note starting "
            'with "Note:" and no figures.',
        ),
        Rule(
            "header-differs",
            "The header is repeated further down with other columns or units, so the rows "
            "below it would be read in the wrong places.",
            "Make the repeated header the same as the first, or delete it; put another table "
            "in a file of its own.",
        ),
        Rule(
            "unit-conflict",
            "Two places in the file (the header, a units row, a title line) give different "
            "units, scales or currencies for the same figures.",
            'Keep one statement, in the header (e.g. "Value (KES)", or "Value (\'000) (KES)" '
            "for figures in thousands), and make the other agree or delete it.",
        ),
        Rule(
            "other-country",
            "A Country column names another country than the file's on some rows.",
            "Move those rows to the other country's file, or correct the Country column.",
        ),
        Rule(
            "sheet-choice",
            "The workbook has several visible sheets and none is named after the country.",
            "Name the country's sheet after the country (e.g. Kenya), or hide or delete the "
            "other sheets.",
        ),
        Rule(
            "other-sheet-table",
            "Another visible sheet of the workbook also holds a table with the expected "
            "columns; only the country's sheet is read, so its rows would be left out.",
            "Move its rows into the country's sheet (a Period column tells periods apart) and "
            "delete the other sheet, or hide it if it is not part of this report.",
        ),
        Rule(
            "sheet-too-large",
            "A workbook sheet is larger than the row or column limit.",
            "Delete the cells far below or to the right of the table, or export the table as CSV.",
        ),
        Rule("too-many-rows", "The file has more data rows than the limit.", "Split the file."),
        Rule(
            "unknown-country",
            "The file name names no country.",
            "Rename the file after the country, e.g. kenya.csv or KE.csv.",
        ),
        Rule("missing-column", "A required column is missing.", "Add or rename the column."),
        Rule("duplicate-column", "Two columns name the same field.", "Delete or rename one."),
        Rule(
            "header-token",
            "A header names a column but also says something this tool does not understand "
            "(a unit, scale, currency or word), so its figures could be read wrongly.",
            "Write only the column's name with its unit, scale and currency, e.g. "
            '"Value (\'000) (KES)" or "Volume sold (kg)"; put remarks in a Notes column.',
        ),
        Rule(
            "conflicting-header",
            'A header gives two units, scales or currencies (e.g. "Value (US$/KES)").',
            "Keep the one the figures are in.",
        ),
        Rule(
            "currency-conflict",
            "The header's currency and the currency column disagree on some lines.",
            'Give the currency in one place: the header ("Value (KES)") or the currency '
            "column, and make the other agree or remove it.",
        ),
        # Row errors: the country's brief is not built.
        Rule(
            "extra-cell",
            "The row has more cells than the header.",
            'Quote numbers written with a comma, e.g. "13,103", or remove the extra cells.',
        ),
        Rule(
            "missing-cell",
            "The row has fewer cells than the header.",
            "Fill in the missing cells; leave a cell blank for not reported.",
        ),
        Rule(
            "type-error",
            "A numeric cell holds something that is not a number.",
            "Write a plain number, or leave the cell blank (or -, n/a) if not reported.",
        ),
        Rule(
            "error-value",
            "A cell holds a spreadsheet error (#N/A, #DIV/0!, #REF!, #VALUE!, #NAME?, #NUM!, "
            "#NULL!): a formula failed, so the figure is unknown. It is never read as not "
            "reported.",
            "Correct the formula, or type the figure; leave the cell blank (or -, n/a) if it "
            "was not reported.",
        ),
        Rule(
            "cell-too-long",
            "A cell is longer than any name or figure can be.",
            "Check the cell: text may have been pasted into it by mistake.",
        ),
        Rule(
            "cell-format",
            "A figure's cell has a number format that adds a currency, a scale, a percent or "
            'a unit to the number it shows ([$€-2] #,##0; #,##0,; 0%; 0 "kg"): the tool '
            "reads the stored number, so the brief could state another figure than the sheet "
            "shows.",
            "Give the column a plain number format (Format Cells > Number, or General), check "
            "that each cell then shows the figure you mean, and write the unit, scale or "
            "currency in the header instead: Value (EUR), Value ('000) (US$), Volume sold (kg).",
        ),
        Rule(
            "merged-cells",
            "Cells of the table are merged: a merged cell's value is held by its first cell "
            "only, so the cells it covers are read as blank or as what they held before.",
            "Unmerge the cells (Merge and Center, or Format > Merge Cells, again) and write "
            "each cell's own figure, or n/a where it was not reported; write a heading over "
            "several territories as Subtotal with its sums, or delete it.",
        ),
        Rule(
            "hidden-row",
            "A row holding values is hidden (or filtered out) in the workbook. Every row is "
            "read, hidden or not, so whether it belongs in the figures must be said.",
            "Unhide it (select the rows around it, right-click, Unhide; or clear the filter); "
            "delete it if it is not part of the table, then save.",
        ),
        Rule(
            "hidden-column",
            "A column holding values is hidden in the workbook. Every column is read, hidden "
            "or not, so whether it belongs in the figures must be said.",
            "Unhide it (select the columns around it, right-click, Unhide); delete it if it is "
            "not part of the table, then save.",
        ),
        Rule(
            "formula-without-value",
            "A workbook cell holds a formula whose value was never stored.",
            "Open and save the file in Excel so its values are stored.",
        ),
        Rule(
            "number-out-of-range",
            "A number is too large or too small to be held exactly (overflow or underflow).",
            "Check the units: write the figure as a plain number of the column's unit.",
        ),
        Rule(
            "above-ceiling",
            "A figure is above the largest one a territory can report (pipeline/config.py).",
            "Check the units: the figure may be in cents, kilograms or another currency.",
        ),
        Rule(
            "negative-number",
            "A number is below zero.",
            "Correct the figure; it cannot be negative.",
        ),
        Rule(
            "whole-number",
            "A count (households, PMGs, members) has a fraction.",
            "Write a whole number.",
        ),
        Rule(
            "sales-without-sellers",
            "Sales are reported with 0 PMGs, 0 members, or a value with 0 tonnes sold.",
            "Check the row with the field office: write the PMGs, members and volume behind "
            "the sales, or leave a figure blank if it was not reported (0 means none).",
        ),
        Rule(
            "members-below-pmgs",
            "Fewer members than PMGs: every group has at least one member.",
            "Check the PMGs and members figures; they may be in the wrong columns.",
        ),
        Rule(
            "part-above-members",
            "More women (or youth) members than members on the same row.",
            "Check the two figures: the part may be in the wrong column, or members may leave "
            "some out.",
        ),
        Rule(
            "part-without-members",
            "Women (or youth) members are reported on a row whose members are not.",
            "Give the row's members too, or leave the women (or youth) cell blank.",
        ),
        Rule(
            "duplicate-territory",
            "A territory appears more than once in the same period.",
            "Merge the rows into one, or name the territories apart.",
        ),
        Rule(
            "bad-period",
            "The period is not in a form the pipeline can order.",
            "Write the period as 2004, 2003-2004, 2005-Q2 or 2005-H1.",
        ),
        Rule(
            "missing-period",
            "Some rows give a period and this one does not.",
            "Give every row its period, or leave the period column out.",
        ),
        Rule(
            "missing-territory",
            "A data row has no territory name.",
            "Write the territory's name in the first column.",
        ),
        Rule(
            "summary-row",
            "A row's label says it summarises the others (an average, a target, a percentage) "
            "without being their sum: read as a territory, its figures would be added to every "
            "total.",
            "Delete the row: the brief computes its own totals and averages, and targets go in "
            "targets.csv. If it really is a territory, write its full name.",
        ),
        Rule(
            "label-only-row",
            'A row holds only a label that reads as a heading ("Eastern Region", '
            '"Nyanza:") or a sentence, not a territory\'s name: read as a territory that '
            'has not reported, it would make "3 of 3 reporting" read "3 of 4".',
            "Delete a heading row (or write Subtotal and the name, with its sums), and start a "
            "note with Note: or move it below the Totals row. If it is a territory that has "
            "not reported, write n/a in its figure cells.",
        ),
        Rule(
            "two-row-header",
            'The line under the header continues it ("Men", "Women" under a merged '
            '"Members"): a header over two rows cannot be read column by column.',
            'Write the header on one row, one name per column ("Members" for all members, '
            '"Women members" for women), then delete the second row.',
        ),
        Rule(
            "row-above-header",
            "A line above the header reads as a territory's row: rows above the header are "
            "not read, so its figures would be left out (a sheet sorted with its header row).",
            "Move the header back to the top of the table, above every territory (undo the "
            "sort, or sort without the header row).",
        ),
        Rule(
            "unlabelled-column",
            "A column with no header holds values: often the second half of a merged header "
            '("Members" over men and women), whose figures would otherwise be lost.',
            "Write a header for the column (Women members, Notes), or delete the column if it "
            "is not part of the table.",
        ),
        Rule(
            "unprintable-text",
            "A territory's name or products hold letters that none of the briefs' fonts has: "
            "each would print as an empty box.",
            "Write the name in Latin letters, as on the country's maps, or ask "
            "the maintainers to add a font for the script to templates/fonts.",
        ),
        Rule(
            "totals-mismatch",
            "The Totals row disagrees with the sum of the territories.",
            "Correct the Totals row or the territory figures so that they agree.",
        ),
        Rule(
            "unknown-currency",
            "The currency column holds something that is not a currency.",
            "Write the ISO 4217 code of the currency, e.g. KES, TZS or USD (blank means US$).",
        ),
        Rule(
            "missing-exchange-rate",
            "A value is in a currency with no exchange rate for its period.",
            "Add a row currency,period,units_per_usd to data/raw/exchange_rates.csv.",
        ),
        Rule(
            "bad-exchange-rates",
            "exchange_rates.csv cannot be read.",
            "Use the columns currency, period, units_per_usd, one rate per currency and period.",
        ),
        Rule(
            "unreadable-format",
            "A country's file is in a format this tool cannot read (e.g. .numbers, .pdf).",
            'Open it and save it as .xlsx or .csv ("CSV UTF-8") under the same name.',
        ),
        Rule(
            "file-not-used",
            "A file in data/raw is neither a country's table, a content or settings file, "
            "nor a file an editor left behind: it was not read.",
            "Move it out of data/raw if it is not needed; save a country's table as "
            "<country>.xlsx or <country>.csv.",
        ),
        Rule(
            "duplicate-country",
            "Two files name the same country.",
            "Keep one file per country; merge the others into it.",
        ),
        Rule(
            "bad-narrative",
            "The data is valid, but the country's narrative (its .md file beside the table) "
            "cannot be printed in the brief.",
            "Correct the narrative file as the message says, then run make report again.",
        ),
        Rule(
            "no-programme",
            "The data is valid, but no brief can be written without the programme's content: "
            "programme.yaml could not be read.",
            "Fix programme.yaml as the run's message says, then run make report again.",
        ),
        Rule(
            "unreadable-file",
            "The file could not be read (permission denied, or a folder under a file's name).",
            "Give your user read access to the file (or save it again), then run make report.",
        ),
        Rule(
            "render-failed",
            "The brief could not be rendered.",
            "Report this to the maintainers with the file.",
        ),
        Rule(
            "internal-error",
            "A bug in the pipeline stopped this country's build; the other countries were built.",
            "Report this to the maintainers with the file and the error log named in the message.",
        ),
        Rule(
            "worker-crashed",
            "The process building this country stopped abruptly (out of memory, or a crash "
            "in a library); the other countries were built.",
            "Run make report again; if it recurs, report it to the maintainers with the file.",
        ),
        Rule(
            "worker-lost",
            "The cluster workers building this country stopped twice (out of memory, a crash, "
            "or a machine that left the cluster); the other countries were built.",
            "Run the build again; if it recurs, build this country without --scheduler and "
            "report it to the maintainers with the file.",
        ),
        Rule(
            "worker-code-differs",
            "A cluster worker refused this country: its installed Impact Briefs or package "
            "versions differ from the computer that started the build, so its brief could differ.",
            "Install the same Impact Briefs and the same locked packages on every worker "
            "(make setup and make dask), then run again.",
        ),
        Rule(
            "probable-totals-row",
            "Every figure of a row equals the sum of all the other rows: it looks like a "
            "Totals row without a Totals label, and would count every figure twice.",
            'Label the row "Total" if it is the Totals row; if it really is a territory, '
            "check its figures with the field office.",
        ),
        Rule(
            "probable-subtotal-row",
            "Every figure of a row equals the sum of the rows just above or below it: it looks "
            "like a region's subtotal without the word, and would count those rows twice.",
            'Write "Subtotal" in its name if it is a subtotal; if it really is a territory, '
            "check its figures with the field office.",
        ),
        # targets.csv: a bad row is left out; the briefs are built without that target.
        Rule(
            "target-unknown-country",
            "A target names no country.",
            "Write the country's name or ISO code, as in the country file's name.",
        ),
        Rule(
            "target-unknown-territory",
            "A target names a territory the country file does not report in that period.",
            "Write the territory as the country file does, or leave it blank for a country "
            "target.",
        ),
        Rule(
            "target-unknown-indicator",
            "A target names an indicator that is not on the list.",
            "Use one of: target_households, pmgs, members, volume_sold_t, value_usd, "
            "value_per_member_usd, reach.",
        ),
        Rule(
            "duplicate-target",
            "Two targets are set for the same country, territory, indicator and period.",
            "Keep one row per country, territory, indicator and period.",
        ),
        Rule(
            "negative-target",
            "A target or baseline is below zero.",
            "Correct the figure; a target cannot be negative.",
        ),
        Rule(
            "share-above-one",
            "A reach target or baseline is above 100%.",
            "Write reach as a percentage (45%) or a share (0.45).",
        ),
        Rule(
            "target-not-a-number",
            "A target is blank or not a number, or a baseline is not a number.",
            "Write the target as a plain number; leave the baseline blank if there is none.",
        ),
        Rule(
            "target-column-not-given",
            "A target is set for women or youth members, and the country file has no such column.",
            "Add the Women members (or Youth members) column to the country file, or remove "
            "the target.",
        ),
        Rule(
            "target-period-not-reported",
            "A target is set for a period the country file does not report.",
            "Correct the period, or add that period's figures to the country file.",
        ),
        # Warnings: the brief is built and the flag is shown in its data notes.
        Rule(
            "not-reported",
            "A cell is blank: the figure was not reported.",
            "Fill it in if the figure is known; it stays out of totals until then.",
        ),
        Rule(
            "unread-sheet",
            "Another sheet of the workbook holds values and is not read: only the country's "
            "sheet is.",
            "Check that nothing on that sheet belongs in the brief; move what does into the "
            "country's sheet.",
        ),
        Rule(
            "unknown-column",
            "A column is not one the brief uses; it is ignored.",
            "Rename it if it should be used, or remove it.",
        ),
        Rule(
            "renamed-headers",
            "Headers were matched to the data dictionary's column names.",
            "Check that each header was read as the column you meant; writing the names of the "
            "data dictionary (README) instead leaves nothing to check.",
        ),
        Rule(
            "converted",
            "Figures were converted to tonnes, from thousands or millions, or to US$.",
            "Check the unit or scale the header states, or, for a currency, the exchange rate.",
        ),
        Rule(
            "subtotal-row",
            "A subtotal row (e.g. a region's) was found; it is not a territory.",
            "Check that the row is a subtotal and not a territory: it is left out of the sums.",
        ),
        Rule(
            "note-row",
            "A row was read as a note or footnote (Source:, Note:, a leading * or †, or text "
            "below the Totals row with no figures), not as a territory.",
            "Check that the row is a note and not a territory: it is not counted.",
        ),
        Rule(
            "repeated-header",
            "The header row appears again below the first (as at a page break); it is not a "
            "territory.",
            "Check that the rows below it continue the same table; deleting the repeated header "
            "leaves nothing to check.",
        ),
        Rule(
            "units-row",
            "A row under the header gives the columns' units; they were read with the header.",
            "Check that each column's unit was read as the field office meant; writing it in the "
            'header instead, e.g. "Volume sold (t)", leaves nothing to check.',
        ),
        Rule(
            "totals-by-name",
            "A row named after the country, the programme or all its territories holds the "
            "sums of the other rows: it was read as the Totals row.",
            "Check that the row is the Totals row and not a territory of that name; labelling it "
            '"Total" leaves nothing to check.',
        ),
        Rule(
            "trimmed-spaces",
            "Spaces around or inside cells were removed.",
            "Check that the names read as the field office meant them (they are matched to "
            "targets and exchange rates without the spaces).",
        ),
        Rule(
            "part-share-extreme",
            "Women (or youth) are 0% or 100% of a whole country's members.",
            "Check the column with the field office: a programme of only men or only women "
            "is rare, a column left at 0 or copied from members is not.",
        ),
        Rule(
            "members-per-pmg-outlier",
            "Members per PMG is far from the country's other territories.",
            "Check the members and PMGs figures with the field office.",
        ),
        Rule(
            "price-outlier",
            "Price per tonne is far from the country's other territories.",
            "Check the volume and value figures, and their units.",
        ),
        Rule(
            "members-above-target",
            "More members than target households.",
            "Check the members and target households figures.",
        ),
        Rule(
            "members-per-pmg-implausible",
            "More members per PMG than one group could hold and still sell as one.",
            "Check that members and PMGs are not swapped, and that a union is not counted "
            "as one group.",
        ),
        Rule(
            "price-implausible",
            "A price per tonne outside the range farm produce sells for.",
            "Check the volume's unit (tonnes, not kg) and the value's currency.",
        ),
        Rule(
            "value-per-member-implausible",
            "Sales per member above what any member farmer earns in a year.",
            "Check that the value is in US$ and that members counts people, not groups.",
        ),
    ]
}


def file_error(
    file: str, rule: str, message: str | None = None, value: str = "", fix: str | None = None
) -> Finding:
    """An error about a whole file, worded from the catalogue unless told otherwise."""
    spec = RULES[rule]
    return Finding(
        Severity.ERROR, file, None, "", value, rule, message or spec.description, fix or spec.fix
    )
