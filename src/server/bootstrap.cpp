#include "server/bootstrap.h"

#include "server/auth/identity_store.h"

namespace sirtkit::server {

std::optional<FirstAdmin> create_first_admin(registry::Store& store, PasswordCost cost) {
  if (user_count(store) > 0) return std::nullopt;
  FirstAdmin a{"admin", random_password(20)};
  const std::string hash = hash_password(a.password, cost);
  registry::Transaction tx(store, "sirtkit serve");
  insert_user(store, a.username, Role::admin, hash, {});
  record_auth_event(store, a.username, "user_created", "");
  tx.commit();
  return a;
}

}  // namespace sirtkit::server
