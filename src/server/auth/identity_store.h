#pragma once
// SQL over the identity tables of registry migration 5 (users, user_sites,
// sessions, login_throttle, auth_events), written once for SQLite and
// PostgreSQL through registry::Store. Writes that must be audited run inside
// a registry::Transaction whose actor is the user responsible.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "registry/store/store.h"
#include "server/auth/role.h"

namespace sirtkit::server {

struct Site {
  long long id = 0;
  std::string code;
  std::string study;
};

struct User {
  long long id = 0;
  std::string username;
  Role role = Role::statistician;
  bool disabled = false;
  bool totp = false;
  std::vector<Site> sites;
  bool all_sites() const { return sees_all_sites(role); }
};

struct Credentials {  // what login needs; never leaves the server
  User user;
  std::string password_hash;
  std::optional<std::string> totp_secret_base32;
  std::optional<std::int64_t> totp_last_step;
};

std::optional<Credentials> find_credentials(registry::Store& store, const std::string& username);
std::optional<User> find_user(registry::Store& store, long long id);
std::vector<User> list_users(registry::Store& store);
long long user_count(registry::Store& store);

// Inside a transaction. Site codes must exist (the caller checked); returns the new id.
long long insert_user(registry::Store& store, const std::string& username, Role role, const std::string& password_hash,
                      const std::vector<long long>& site_ids);
void set_user_disabled(registry::Store& store, long long id, bool disabled);
void set_totp(registry::Store& store, long long id, const std::optional<std::string>& secret_base32);
void set_totp_last_step(registry::Store& store, long long id, std::int64_t step);
// Sites whose code is `code` (one per study that has it).
std::vector<Site> sites_with_code(registry::Store& store, const std::string& code);

// auth_events: login, login_failed, lockout, logout, user_created, user_disabled, user_enabled, totp_enabled.
void record_auth_event(registry::Store& store, const std::string& username, const std::string& event, const std::string& address);

struct SessionRow {
  long long user_id = 0;
  std::string csrf_token;
  std::int64_t created_s = 0;
  std::int64_t last_seen_s = 0;
};
void insert_session(registry::Store& store, const std::string& token_hash, long long user_id, const std::string& csrf_token, std::int64_t now_s);
std::optional<SessionRow> find_session(registry::Store& store, const std::string& token_hash);
void touch_session(registry::Store& store, const std::string& token_hash, std::int64_t now_s);
void delete_session(registry::Store& store, const std::string& token_hash);
void delete_user_sessions(registry::Store& store, long long user_id);
void delete_sessions_before(registry::Store& store, std::int64_t last_seen_before_s, std::int64_t created_before_s);

struct ThrottleRow {
  int failures = 0;
  std::int64_t window_start_s = 0;
  std::optional<std::int64_t> locked_until_s;
};
// Keyed by the SHA-256 of the submitted user name, so a password typed into
// the user-name field is never stored.
std::optional<ThrottleRow> find_throttle(registry::Store& store, const std::string& key);
void save_throttle(registry::Store& store, const std::string& key, const ThrottleRow& row);
void clear_throttle(registry::Store& store, const std::string& key);

}  // namespace sirtkit::server
