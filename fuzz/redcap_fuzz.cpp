// The REDCap data dictionary reader, and a REDCap export validated against the
// demo cohort's dictionary in a fresh SQLite registry (validation reads every
// field as import does, without writing). The last byte chooses the reader.
#include "fuzz_support.h"
#include "io/text_formats/csv_table.h"
#include "registry/demo_cohort.h"
#include "registry/import/pseudonym.h"
#include "registry/redcap/redcap_dictionary.h"
#include "registry/redcap/redcap_import.h"
#include "registry/store/store.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sirtkit;
  if (size == 0) return 0;
  static const registry::DemoCohort demo = registry::make_demo_cohort();
  static const registry::DataDictionary dictionary =
      registry::DataDictionary::from_table(io::CsvTable::parse(demo.dictionary_csv, "demo_dictionary.csv"));
  static const registry::PseudonymKey key = registry::PseudonymKey::from_bytes(demo.key, "demo key");
  const auto text = fuzz::as_text(data, size - 1);
  fuzz::expect_clean_refusal([&] {
    const auto table = io::CsvTable::parse(text, "fuzz.csv");
    if (data[size - 1] % 2 == 0) {
      registry::DataDictionary::from_table(table);
    } else {
      const auto db = fuzz::scratch_dir() / "registry.sqlite";
      std::filesystem::remove(db);
      auto store = registry::open_store(db.string(), true);
      registry::validate_redcap(*store, table, dictionary, key);
    }
  });
  return 0;
}
