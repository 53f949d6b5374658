#include "server/auth/identity_store.h"

#include "core/error.h"

namespace sirtkit::server {
namespace {

using registry::Params;
using registry::ResultSet;
using registry::Store;

long long to_ll(const registry::Value& v) { return v ? std::stoll(*v) : 0; }

std::string now_text(Store& store) {
  return *store.scalar(store.dialect() == registry::Dialect::sqlite
                           ? "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                           : "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')");
}

std::vector<Site> sites_of(Store& store, long long user_id) {
  const ResultSet r = store.query(
      "SELECT s.id, s.code, st.code AS study FROM user_sites us JOIN sites s ON s.id = us.site_id JOIN studies st ON st.id = s.study_id "
      "WHERE us.user_id = ? ORDER BY st.code, s.code",
      {std::to_string(user_id)});
  std::vector<Site> out;
  for (std::size_t i = 0; i < r.size(); ++i) out.push_back({to_ll(r.at(i, "id")), *r.at(i, "code"), *r.at(i, "study")});
  return out;
}

User user_from(Store& store, const ResultSet& r, std::size_t i) {
  User u;
  u.id = to_ll(r.at(i, "id"));
  u.username = *r.at(i, "username");
  const auto role = parse_role(*r.at(i, "role"));
  if (!role) throw Error(ErrorCategory::internal, "users.role holds an unknown role");  // the CHECK constraint forbids it
  u.role = *role;
  u.disabled = r.at(i, "disabled") == registry::Value("1");
  u.totp = r.at(i, "totp_secret").has_value();
  u.sites = sites_of(store, u.id);
  return u;
}

const char* const user_columns = "id, username, role, password_hash, totp_secret, totp_last_step, disabled";

}  // namespace

std::optional<Credentials> find_credentials(Store& store, const std::string& username) {
  const ResultSet r = store.query(std::string("SELECT ") + user_columns + " FROM users WHERE username = ?", {username});
  if (r.empty()) return std::nullopt;
  Credentials c;
  c.user = user_from(store, r, 0);
  c.password_hash = *r.at(0, "password_hash");
  c.totp_secret_base32 = r.at(0, "totp_secret");
  if (const auto& s = r.at(0, "totp_last_step")) c.totp_last_step = std::stoll(*s);
  return c;
}

std::optional<User> find_user(Store& store, long long id) {
  const ResultSet r = store.query(std::string("SELECT ") + user_columns + " FROM users WHERE id = ?", {std::to_string(id)});
  if (r.empty()) return std::nullopt;
  return user_from(store, r, 0);
}

std::vector<User> list_users(Store& store) {
  const ResultSet r = store.query(std::string("SELECT ") + user_columns + " FROM users ORDER BY username");
  std::vector<User> out;
  for (std::size_t i = 0; i < r.size(); ++i) out.push_back(user_from(store, r, i));
  return out;
}

long long user_count(Store& store) { return store.count("users"); }

long long insert_user(Store& store, const std::string& username, Role role, const std::string& password_hash,
                      const std::vector<long long>& site_ids) {
  const long long id = store.insert_returning_id(
      "INSERT INTO users (username, role, password_hash, disabled, created_at) VALUES (?, ?, ?, 0, ?)",
      {username, std::string(role_name(role)), password_hash, now_text(store)});
  for (long long s : site_ids)
    store.execute("INSERT INTO user_sites (user_id, site_id) VALUES (?, ?)", {std::to_string(id), std::to_string(s)});
  return id;
}

void set_user_disabled(Store& store, long long id, bool disabled) {
  store.execute("UPDATE users SET disabled = ? WHERE id = ?", {std::string(disabled ? "1" : "0"), std::to_string(id)});
}

void set_totp(Store& store, long long id, const std::optional<std::string>& secret) {
  store.execute("UPDATE users SET totp_secret = ?, totp_last_step = NULL WHERE id = ?", {secret, std::to_string(id)});
}

void set_totp_last_step(Store& store, long long id, std::int64_t step) {
  store.execute("UPDATE users SET totp_last_step = ? WHERE id = ?", {std::to_string(step), std::to_string(id)});
}

std::vector<Site> sites_with_code(Store& store, const std::string& code) {
  const ResultSet r = store.query(
      "SELECT s.id, s.code, st.code AS study FROM sites s JOIN studies st ON st.id = s.study_id WHERE s.code = ? ORDER BY st.code", {code});
  std::vector<Site> out;
  for (std::size_t i = 0; i < r.size(); ++i) out.push_back({to_ll(r.at(i, "id")), *r.at(i, "code"), *r.at(i, "study")});
  return out;
}

void record_auth_event(Store& store, const std::string& username, const std::string& event, const std::string& address) {
  store.execute("INSERT INTO auth_events (at, username, event, address) VALUES (?, ?, ?, ?)",
                {now_text(store), username, event, address.empty() ? registry::Value() : registry::Value(address)});
}

void insert_session(Store& store, const std::string& token_hash, long long user_id, const std::string& csrf, std::int64_t now_s) {
  store.execute("INSERT INTO sessions (token_hash, user_id, csrf_token, created_s, last_seen_s) VALUES (?, ?, ?, ?, ?)",
                {token_hash, std::to_string(user_id), csrf, std::to_string(now_s), std::to_string(now_s)});
}

std::optional<SessionRow> find_session(Store& store, const std::string& token_hash) {
  const ResultSet r = store.query("SELECT user_id, csrf_token, created_s, last_seen_s FROM sessions WHERE token_hash = ?", {token_hash});
  if (r.empty()) return std::nullopt;
  return SessionRow{to_ll(r.at(0, "user_id")), *r.at(0, "csrf_token"), to_ll(r.at(0, "created_s")), to_ll(r.at(0, "last_seen_s"))};
}

void touch_session(Store& store, const std::string& token_hash, std::int64_t now_s) {
  store.execute("UPDATE sessions SET last_seen_s = ? WHERE token_hash = ?", {std::to_string(now_s), token_hash});
}

void delete_session(Store& store, const std::string& token_hash) {
  store.execute("DELETE FROM sessions WHERE token_hash = ?", {token_hash});
}

void delete_user_sessions(Store& store, long long user_id) {
  store.execute("DELETE FROM sessions WHERE user_id = ?", {std::to_string(user_id)});
}

void delete_sessions_before(Store& store, std::int64_t last_seen_before_s, std::int64_t created_before_s) {
  store.execute("DELETE FROM sessions WHERE last_seen_s < ? OR created_s < ?",
                {std::to_string(last_seen_before_s), std::to_string(created_before_s)});
}

std::optional<ThrottleRow> find_throttle(Store& store, const std::string& key) {
  const ResultSet r = store.query("SELECT failures, window_start_s, locked_until_s FROM login_throttle WHERE username = ?", {key});
  if (r.empty()) return std::nullopt;
  ThrottleRow t;
  t.failures = static_cast<int>(to_ll(r.at(0, "failures")));
  t.window_start_s = to_ll(r.at(0, "window_start_s"));
  if (const auto& l = r.at(0, "locked_until_s")) t.locked_until_s = std::stoll(*l);
  return t;
}

void save_throttle(Store& store, const std::string& key, const ThrottleRow& t) {
  const registry::Value locked = t.locked_until_s ? registry::Value(std::to_string(*t.locked_until_s)) : std::nullopt;
  store.execute("DELETE FROM login_throttle WHERE username = ?", {key});
  store.execute("INSERT INTO login_throttle (username, failures, window_start_s, locked_until_s) VALUES (?, ?, ?, ?)",
                {key, std::to_string(t.failures), std::to_string(t.window_start_s), locked});
}

void clear_throttle(Store& store, const std::string& key) { store.execute("DELETE FROM login_throttle WHERE username = ?", {key}); }

}  // namespace sirtkit::server
