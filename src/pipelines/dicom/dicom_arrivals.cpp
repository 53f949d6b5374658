#include "pipelines/dicom/dicom_arrivals.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <regex>

#include "core/date_time.h"
#include "core/error.h"
#include "core/text.h"
#include "io/dicom_network/dicom_instance_store.h"
#include "registry/store/dicom_receipt_store.h"

namespace sirtkit::pipelines {
namespace fs = std::filesystem;
namespace {

std::string iso_of(fs::file_time_type t) {
  const auto sys = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::file_clock::to_sys(t));
  const std::time_t tt = std::chrono::system_clock::to_time_t(sys);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}


// The receipts of one association or request, in one transaction.
void record_receipts(registry::Store& store, const io::AssociationReport& r, const std::string& channel, const std::string& actor) {
  registry::Transaction tx(store, actor);
  registry::DicomReceipt base;
  base.received_at = format_iso(now_utc());
  base.channel = channel;
  base.sender = r.calling_ae;
  base.address = r.address;
  base.site = r.site;
  if (r.refused) {
    registry::DicomReceipt x = base;
    x.outcome = "association_refused";
    x.detail = r.refusal;
    registry::insert_dicom_receipt(store, x);
  }
  for (const auto& s : r.series) {
    registry::DicomReceipt x = base;
    x.outcome = "stored";
    x.study_folder = s.study_folder;
    x.series_folder = s.series_folder;
    x.modality = s.modality;
    x.objects = s.objects;
    x.replaced = s.replaced;
    registry::insert_dicom_receipt(store, x);
  }
  if (r.objects_refused > 0) {
    registry::DicomReceipt x = base;
    x.outcome = "objects_refused";
    x.objects = r.objects_refused;
    x.detail = join(r.refusal_reasons, "; ");
    registry::insert_dicom_receipt(store, x);
  }
  tx.commit();
}

// A client-sent text (a part's media type) fit for a message.
std::string shown_text(const std::string& s) { return printable_ascii(s, 64); }

}  // namespace

void record_dicom_association(registry::Store& store, const io::AssociationReport& r) {
  record_receipts(store, r, "c-store", "dicom:" + r.calling_ae);
}

io::StowOutcome store_stow_parts(registry::Store& store, const fs::path& data_root, const std::vector<io::MultipartPart>& parts,
                             const std::string& study_uid, const std::string& user, const std::string& address, const std::string& site) {
  io::StowOutcome out;
  io::AssociationReport report;
  report.calling_ae = user;
  report.address = address;
  report.site = site;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const io::MultipartPart& part = parts[k];
    io::StowInstanceResult r;
    try {
      const auto type = part.headers.find("content-type");
      std::string media = type == part.headers.end() ? "" : type->second;
      try {
        media = io::parse_media_type(media).type;
      } catch (const Error&) {
      }
      if (media != "application/dicom")
        throw io::InstanceRefused(io::store_status::cannot_understand,
                                  "part " + std::to_string(k + 1) + " is '" + shown_text(media) + "', expected application/dicom (PS3.18 8.6.1.2)");
      const io::StoredInstance s = io::store_received_instance(data_root, part.file, "", study_uid, site);
      r.stored = true;
      r.sop_class_uid = s.sop_class_uid;
      r.sop_instance_uid = s.sop_instance_uid;
      r.study_folder = s.study_folder;
      r.series_folder = s.series_folder;
      auto it = std::find_if(report.series.begin(), report.series.end(),
                             [&](const io::ReceivedSeries& x) { return x.study_folder == s.study_folder && x.series_folder == s.series_folder; });
      if (it == report.series.end()) it = report.series.insert(report.series.end(), {s.study_folder, s.series_folder, s.modality, 0, 0});
      ++it->objects;
      if (s.replaced) ++it->replaced;
    } catch (const io::InstanceRefused& e) {
      r.failure = e.status();
      r.reason = e.what();
      r.sop_class_uid = e.sop_class_uid();
      r.sop_instance_uid = e.sop_instance_uid();
    }
    if (!r.stored) {
      std::error_code ec;
      fs::remove(part.file, ec);
      ++report.objects_refused;
      if (report.refusal_reasons.size() < 20) report.refusal_reasons.push_back(r.reason);
    }
    out.instances.push_back(std::move(r));
  }
  record_receipts(store, report, "stow-rs", user);
  return out;
}

std::vector<io::ReceivedStudyInfo> list_received_studies(const fs::path& data_root) {
  static const std::regex study_rx("study-[0-9a-f]{16}");
  static const std::regex series_rx("(ct|nm|pt|seg|rtstruct|rtdose)-[0-9a-f]{16}");
  std::vector<io::ReceivedStudyInfo> out;
  std::error_code ec;
  for (const auto& d : fs::directory_iterator(data_root, fs::directory_options::skip_permission_denied, ec)) {
    const std::string name = d.path().filename().string();
    if (!std::regex_match(name, study_rx) || !d.is_directory(ec) || d.is_symlink(ec)) continue;
    io::ReceivedStudyInfo study;
    study.folder = name;
    try {
      study.site = io::study_site(d.path());
    } catch (const Error& e) {
      // A study whose site cannot be told is shown to no one rather than to everyone.
      std::fprintf(stderr, "sirtkit serve: %s: left out of the workspace\n", e.what());
      continue;
    }
    // file_time_type{} is the file clock's epoch (2174 in libstdc++): start below any file's time.
    fs::file_time_type newest = fs::file_time_type::min();
    for (const auto& e : fs::directory_iterator(d.path(), fs::directory_options::skip_permission_denied, ec)) {
      const std::string en = e.path().filename().string();
      if (e.is_regular_file(ec) && e.path().extension() == ".toml") {
        study.plan_files.push_back(en);
        continue;
      }
      if (!std::regex_match(en, series_rx) || !e.is_directory(ec) || e.is_symlink(ec)) continue;
      io::ReceivedSeriesInfo s;
      s.folder = en;
      s.kind = en.substr(0, en.find('-'));
      fs::file_time_type series_newest = fs::file_time_type::min();
      std::vector<std::string> files;
      for (const auto& f : fs::directory_iterator(e.path(), fs::directory_options::skip_permission_denied, ec)) {
        if (!f.is_regular_file(ec) || f.is_symlink(ec) || f.path().extension() != ".dcm") continue;
        ++s.objects;
        s.bytes += f.file_size(ec);
        series_newest = std::max(series_newest, f.last_write_time(ec));
        files.push_back(f.path().filename().string());
      }
      if (s.objects == 0) continue;
      std::sort(files.begin(), files.end());
      s.first_file = files.front();
      s.last_received = iso_of(series_newest);
      newest = std::max(newest, series_newest);
      study.series.push_back(std::move(s));
    }
    if (study.series.empty()) continue;
    std::sort(study.series.begin(), study.series.end(), [](const auto& a, const auto& b) { return a.folder < b.folder; });
    std::sort(study.plan_files.begin(), study.plan_files.end());
    study.last_received = iso_of(newest);
    out.push_back(std::move(study));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return std::tie(b.last_received, a.folder) < std::tie(a.last_received, b.folder); });
  return out;
}

}  // namespace sirtkit::pipelines
