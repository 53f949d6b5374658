#include "report/dicom/received_studies_json.h"

namespace sirtkit::report {
namespace {

nlohmann::json ui(const std::string& uid) { return {{"vr", "UI"}, {"Value", {uid}}}; }

nlohmann::json site_or_null(const std::string& site) { return site.empty() ? nlohmann::json() : nlohmann::json(site); }

}  // namespace

nlohmann::json stow_response_json(const io::StowOutcome& o) {
  nlohmann::json referenced = nlohmann::json::array(), failed = nlohmann::json::array();
  for (const auto& i : o.instances) {
    nlohmann::json item = nlohmann::json::object();
    if (!i.sop_class_uid.empty()) item["00081150"] = ui(i.sop_class_uid);        // ReferencedSOPClassUID
    if (!i.sop_instance_uid.empty()) item["00081155"] = ui(i.sop_instance_uid);  // ReferencedSOPInstanceUID
    if (i.stored) {
      referenced.push_back(item);
    } else {
      item["00081197"] = {{"vr", "US"}, {"Value", {i.failure}}};  // FailureReason
      // The reason in words, in a private attribute (PS3.5 7.8.1: creator
      // "SIRTKIT" reserves (0009,10xx); UT holds any length).
      item["00090010"] = {{"vr", "LO"}, {"Value", {"SIRTKIT"}}};
      item["00091001"] = {{"vr", "UT"}, {"Value", {i.reason}}};
      failed.push_back(item);
    }
  }
  nlohmann::json ds = nlohmann::json::object();
  if (!referenced.empty()) ds["00081199"] = {{"vr", "SQ"}, {"Value", referenced}};  // ReferencedSOPSequence
  if (!failed.empty()) ds["00081198"] = {{"vr", "SQ"}, {"Value", failed}};          // FailedSOPSequence
  return ds;
}

nlohmann::json received_study_json(const io::ReceivedStudyInfo& s, const std::vector<PlanLink>& plans) {
  nlohmann::json series = nlohmann::json::array();
  for (const auto& x : s.series)
    series.push_back({{"folder", x.folder}, {"kind", x.kind}, {"objects", x.objects}, {"bytes", x.bytes}, {"last_received", x.last_received}});
  nlohmann::json plan_ids = nlohmann::json::array();
  for (const auto& p : plans) plan_ids.push_back({{"id", p.id}, {"plan_file", p.plan_file}});
  return {{"folder", s.folder}, {"site", site_or_null(s.site)}, {"last_received", s.last_received}, {"series", series}, {"plans", plan_ids}};
}

}  // namespace sirtkit::report
