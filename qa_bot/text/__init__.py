"""Chinese text rules shared by the parser, the query side and the tests: widths, notation, headings, units."""
