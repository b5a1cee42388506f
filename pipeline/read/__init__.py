"""Read: raw files as typed, to lines, cells, columns and periods; and the programme's content files."""
