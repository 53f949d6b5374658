#pragma once
// Small DCMTK accessors shared by the DICOM readers and writers of this layer:
// trimmed strings, multi-valued decimals, sequence items, and the
// "Keyword (gggg,eeee)" naming used in every error message. Internal to io,
// except the shown_* functions, which pipelines use to quote a file's values.

#include <dcmtk/dcmdata/dctk.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace sirtkit::io::dicom {

// "ImagePositionPatient (0020,0032)" — the name and tag of an attribute.
std::string tag_name(const DcmTagKey& key);

// Value of a string attribute with padding removed; "" when absent or empty.
std::string get_string(DcmItem& item, const DcmTagKey& key, bool search_into_sub = false);
// All values of a numeric string (DS/IS) or binary numeric attribute; empty when absent.
std::vector<double> get_doubles(DcmItem& item, const DcmTagKey& key);
// First value, if present.
std::optional<double> get_double(DcmItem& item, const DcmTagKey& key);
// Item `index` of a sequence, or nullptr.
DcmItem* get_item(DcmItem& item, const DcmTagKey& sequence, int index = 0);
// Number of items in a sequence (0 when absent).
int item_count(DcmItem& item, const DcmTagKey& sequence);

// A coded value read from a file, for a message: itself when it is one of
// `known` (the attribute's defined terms), else "(not a defined term)". A
// hostile file can put a name in any attribute; messages never repeat it.
std::string shown_term(const std::string& value, std::initializer_list<const char*> known);
// A modality for a message: itself when it is a DICOM modality (PS3.3 C.7.3.1.1.1), else "(another value)".
std::string shown_modality(const std::string& value);
// A UID for a message or a listing: itself when it is a UID (digits and dots,
// at most 64 characters, PS3.5 9.1), else "(not a UID)".
std::string shown_uid(const std::string& value);
// A numeric string (IS/DS) for a message: itself when made of digits, signs,
// dots, exponents and backslashes (at most 64 characters), else "(not a number)".
std::string shown_number(const std::string& value);

// "YYYYMMDD"/"HHMMSS.frac" helpers shared by readers that need times.
std::string join(const std::vector<std::string>& parts, const std::string& sep);

}  // namespace sirtkit::io::dicom
