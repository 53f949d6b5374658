#pragma once
// A table of a report as data — header and rows of text cells with a tone —
// so the HTML and the PDF of one report show the same rows and numbers.

#include <string>
#include <vector>

namespace sirtkit::report {

enum class Tone { plain, good, bad };

struct Cell {
  std::string text;
  Tone tone = Tone::plain;
  bool left = false;  // text column (numbers are right-aligned)
};

struct ReportTable {
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
  std::vector<double> widths;  // relative column widths for the PDF; empty: equal
};

// A left-aligned text cell, and a number cell with `digits` decimals.
Cell text_cell(const std::string& text);
Cell number_cell(double value, int digits);

// <table> with escaped text; tones become the classes "met" and "no".
std::string html_table(const ReportTable& table);

}  // namespace sirtkit::report
