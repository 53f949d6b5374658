#include "registry/import/pseudonym.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/input_file.h"
#include "core/text.h"

namespace sirtkit::registry {
namespace {


}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
            message.size(), out, &len))
    throw Error(ErrorCategory::internal, "OpenSSL HMAC-SHA256 failed");
  static const char* hex = "0123456789abcdef";
  std::string s;
  s.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    s += hex[out[i] >> 4];
    s += hex[out[i] & 15];
  }
  return s;
}

PseudonymKey PseudonymKey::from_bytes(std::string bytes, const std::string& source) {
  if (!bytes.empty() && bytes.back() == '\n') bytes.pop_back();
  if (!bytes.empty() && bytes.back() == '\r') bytes.pop_back();
  if (bytes.size() < 32)
    fail_input(source, "key length", std::to_string(bytes.size()) + " bytes",
               "at least 32 bytes (e.g. openssl rand -hex 32 > registry.key)");
  return PseudonymKey(std::move(bytes));
}

PseudonymKey PseudonymKey::from_file(const std::filesystem::path& path) {
  require_input_file(path, "key file");
  return from_bytes(read_text_file(path), path.string());
}

std::filesystem::path PseudonymKey::resolve_path(const std::string& option) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("SIRTKIT_REGISTRY_KEY"); env && *env) return env;
  fail_input("registry import", "--key", "(missing)", "a key file, given by --key or $SIRTKIT_REGISTRY_KEY");
}

std::string PseudonymKey::pseudonym(std::string_view patient_id) const {
  // Appended, not "literal" + string: GCC 12 warns falsely (-Wrestrict) on the latter.
  std::string message = "sirtkit/patient/v1:";
  message += trim(patient_id);
  std::string pseudonym = "P";
  pseudonym += hmac_sha256_hex(key_, message).substr(0, 20);
  return pseudonym;
}

int PseudonymKey::date_shift_days(std::string_view patient_id) const {
  std::string message = "sirtkit/date-shift/v1:";
  message += trim(patient_id);
  const std::string h = hmac_sha256_hex(key_, message);
  const unsigned long v = std::stoul(h.substr(0, 8), nullptr, 16);
  const int r = static_cast<int>(v % 730);  // 0..729
  return r < 365 ? r - 365 : r - 364;       // -365..-1, 1..365
}

std::string PseudonymKey::fingerprint() const {
  return hmac_sha256_hex(key_, "sirtkit/key-fingerprint/v1").substr(0, 16);
}

}  // namespace sirtkit::registry
