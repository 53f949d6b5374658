// Studies that arrive from PACS (issue 14 item 5; docs/server.md "Studies from PACS"):
//   POST /dicomweb/studies[/{study}]             STOW-RS (PS3.18 10.5) into the data root
//   GET  /api/dicom/studies                       the received studies of the data root
//   GET  /api/dicom/studies/{study}/plan-template a plan file to start from
#include <regex>

#include "core/error.h"
#include "pipelines/planning/plan_workspace.h"
#include "server/http_server.h"
#include "server/routes/route_table.h"
#include "server/auth/site_scope.h"
#if SIRTKIT_IMAGING
#include "io/dicom_network/dicom_instance_store.h"
#include "io/dicom_network/multipart_related.h"
#include "pipelines/dicom/dicom_arrivals.h"
#include "report/dicom/plan_template.h"
#include "report/dicom/received_studies_json.h"
#endif

namespace sirtkit::server {
namespace {

pipelines::PlanWorkspace& workspace(ApiRequest& rq) {
  pipelines::PlanWorkspace* w = rq.state->plans();
  if (!w) throw ApiError(404, "no_data_root", "this server has no data root (start it with --data DIR)");
  return *w;
}

#if SIRTKIT_IMAGING

const io::ReceivedStudyInfo& received_study(ApiRequest& rq, const std::vector<io::ReceivedStudyInfo>& all) {
  const std::string folder = rq.path_params.at("study");
  static const std::regex rx("study-[0-9a-f]{16}");
  if (!std::regex_match(folder, rx)) throw ApiError(400, "bad_field", "a received study folder: study- and 16 hex digits", "study");
  for (const auto& s : all)
    if (s.folder == folder && sees_site(rq.session->user, s.site)) return s;
  // Another site's study is answered as no study: its existence is not shown either.
  throw ApiError(404, "not_found", "no received study with this folder in your sites", "study", folder);
}

#endif

}  // namespace

ApiResponse handle_received_studies(ApiRequest& rq) {
  pipelines::PlanWorkspace& w = workspace(rq);
  ApiResponse out;
#if SIRTKIT_IMAGING
  const auto plans = w.list();
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : pipelines::list_received_studies(w.root())) {
    if (!sees_site(rq.session->user, s.site)) continue;
    std::vector<report::PlanLink> links;
    for (const auto& p : plans)
      if (p.folder == s.folder) links.push_back({p.id, p.plan_file});
    list.push_back(report::received_study_json(s, links));
  }
  out.body = {{"studies", list}, {"dicom_port", rq.state->config().dicom_port}, {"dicom_ae", rq.state->config().dicom_ae}};
#else
  (void)w;
  out.body = {{"studies", nlohmann::json::array()}};
#endif
  return out;
}

ApiResponse handle_received_study_plan_template(ApiRequest& rq) {
  pipelines::PlanWorkspace& w = workspace(rq);
#if SIRTKIT_IMAGING
  const auto all = pipelines::list_received_studies(w.root());
  ApiResponse out;
  out.raw_body = report::plan_template(received_study(rq, all));
  out.content_type = "application/toml; charset=utf-8";
  return out;
#else
  (void)w;
  throw ApiError(501, "not_built", "this statistics-only build has no DICOM");
#endif
}

ApiResponse handle_stow(ApiRequest& rq) {
  pipelines::PlanWorkspace& w = workspace(rq);
#if SIRTKIT_IMAGING
  std::string study;
  if (const auto it = rq.path_params.find("study"); it != rq.path_params.end()) {
    study = it->second;
    static const std::regex uid_rx("[0-9.]{1,64}");
    if (!std::regex_match(study, uid_rx)) throw ApiError(400, "bad_field", "a Study Instance UID (digits and dots, at most 64)", "study");
  }
  // Which site the study is filed under: decided (or refused) before a byte is read.
  const std::string site = upload_site(*rq.store, rq.session->user, rq.param("site"));
  try {
    if (!site.empty()) io::check_site_code(site, "POST /dicomweb/studies", "site");
  } catch (const Error&) {
    // A registry site code with a space, a slash or an accent cannot name a study folder.
    throw ApiError(400, "bad_field", "a site whose code is 1-64 letters, digits, '.', '_' or '-' (this site's code cannot file studies: ask an administrator)",
                   "site");
  }
  // PS3.18 10.5.1.1: multipart/related; type="application/dicom"; boundary=...
  io::MediaType media;
  try {
    media = io::parse_media_type(rq.content_type);
  } catch (const Error&) {
    media = {};
  }
  const auto param = [&](const char* name) {
    const auto it = media.params.find(name);
    return it == media.params.end() ? std::string() : it->second;
  };
  if (media.type != "multipart/related" || param("type") != "application/dicom" || param("boundary").empty())
    throw ApiError(415, "unsupported_media_type",
                   "the body must be multipart/related; type=\"application/dicom\"; boundary=... (DICOM PS3.18 10.5.1.1; this server takes PS3.10 files, not the bulk-data forms)",
                   "Content-Type");
  const std::uint64_t max = rq.state->config().stow_max_bytes;
  const auto too_large = [&] {
    return ApiError(413, "too_large", "the upload exceeds the server's limit of " + std::to_string(max >> 20) + " MiB; send the study in several requests",
                    "Content-Length");
  };
  if (rq.content_length && *rq.content_length > max) throw too_large();
  if (!rq.read_body) throw Error(ErrorCategory::internal, "STOW-RS route without a body reader");

  std::vector<io::MultipartPart> parts;
  {
    io::MultipartSplitter splitter(param("boundary"), [&] { return io::new_incoming_path(w.root()); });
    std::uint64_t received = 0;
    bool over = false;
    std::optional<std::string> refused;
    ErrorCategory refused_category = ErrorCategory::bad_input;
    const bool complete = rq.read_body([&](const char* data, std::size_t n) {
      received += n;
      if (received > max) {
        over = true;
        return false;
      }
      try {
        splitter.feed(data, n);
      } catch (const Error& e) {
        refused = e.what();
        refused_category = e.category();
        return false;
      }
      return true;
    });
    if (over) throw too_large();
    if (refused && refused_category == ErrorCategory::io) throw ApiError(507, "storage", "the server cannot store the upload: " + *refused);
    if (refused) throw ApiError(400, "bad_multipart", *refused, "body");
    if (!complete) throw ApiError(400, "bad_multipart", "the upload ended before the end of its body", "body");
    try {
      parts = splitter.finish();
    } catch (const Error& e) {
      throw ApiError(400, "bad_multipart", e.what(), "body");
    }
  }
  if (parts.empty()) throw ApiError(400, "bad_multipart", "the body holds no part", "body");
  const io::StowOutcome o = pipelines::store_stow_parts(*rq.store, w.root(), parts, study, rq.session->user.username, rq.address, site);
  ApiResponse out;
  // PS3.18 10.5.3: 200 all stored, 202 some stored, 409 none stored.
  out.status = o.failed() == 0 ? 200 : (o.stored() > 0 ? 202 : 409);
  out.raw_body = report::stow_response_json(o).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // never throws on bytes that are not UTF-8
  out.content_type = "application/dicom+json";
  return out;
#else
  (void)w;
  throw ApiError(501, "not_built", "this statistics-only build has no DICOM");
#endif
}

}  // namespace sirtkit::server
