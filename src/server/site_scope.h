#pragma once
// The sites a user may see, as the registry views take them: every site for
// roles that see all sites (admin, monitor), else the user's own sites.

#include "registry/patient_view.h"
#include "server/identity_store.h"

namespace sirtkit::server {

registry::SiteScope site_scope(const User& user);

}  // namespace sirtkit::server
