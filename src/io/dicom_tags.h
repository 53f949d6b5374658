#pragma once
// Small DCMTK accessors shared by the DICOM readers and writers of this layer:
// trimmed strings, multi-valued decimals, sequence items, and the
// "Keyword (gggg,eeee)" naming used in every error message. Internal to io.

#include <dcmtk/dcmdata/dctk.h>

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

// "YYYYMMDD"/"HHMMSS.frac" helpers shared by readers that need times.
std::string join(const std::vector<std::string>& parts, const std::string& sep);

}  // namespace sirtkit::io::dicom
