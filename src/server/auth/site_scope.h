#pragma once
// The sites a user may see, as the registry views take them: every site for
// roles that see all sites (admin, monitor), else the user's own sites. The
// same rule for the studies of the data root, which are filed under a site
// code or none (io/dicom_network/dicom_instance_store.h).

#include <string>

#include "registry/derived/patient_view.h"
#include "server/auth/identity_store.h"

namespace sirtkit::server {

registry::SiteScope site_scope(const User& user);

// May `user` see a study filed under `site_code`? A study without a site ("")
// is the whole server's: everyone sees it.
bool sees_site(const User& user, const std::string& site_code);

// The site a study uploaded by `user` is filed under, from the request's
// `site` query parameter (`requested`, "" when absent): one of the user's
// sites, or any registry site for a role that sees all sites. Without one,
// the user's only site; none ("") for a role that sees all sites. A user of
// several sites must name one (ApiError 400 naming the choices).
std::string upload_site(registry::Store& store, const User& user, const std::string& requested);

}  // namespace sirtkit::server
