#include "report/dicom/plan_template.h"

#include <algorithm>
#include <fmt/format.h>
#include <initializer_list>
#include <utility>

namespace sirtkit::report {

std::string plan_template(const io::ReceivedStudyInfo& study) {
  const auto first_of = [&](std::initializer_list<const char*> kinds) -> const io::ReceivedSeriesInfo* {
    for (const char* k : kinds)
      for (const auto& s : study.series)
        if (s.kind == k) return &s;
    return nullptr;
  };
  const auto count_of = [&](const char* kind) {
    return std::count_if(study.series.begin(), study.series.end(), [&](const auto& s) { return s.kind == kind; });
  };
  std::string t = "# Plan file for the received study " + study.folder + " (written by sirtkit serve; docs/plan-file.md).\n"
                  "# Save it in the study folder as plan.toml: the workspace then lists it.\n"
                  "# Lines starting with '#!' are required values sirtkit does not guess: fill them in and remove the '#!'.\n\n"
                  "[patient]\n#! id = \"\"  # the registry pseudonym, never a hospital ID\n\n[images]\n";
  const io::ReceivedSeriesInfo* ct = first_of({"ct"});
  const io::ReceivedSeriesInfo* spect = first_of({"nm"});
  t += ct ? "ct = \"" + ct->folder + "\"\n" : "#! ct = \"\"  # no CT series was received\n";
  t += spect ? "spect = \"" + spect->folder + "\"\n" : "#! spect = \"\"  # no NM series was received (the MAA SPECT)\n";
  if (count_of("ct") > 1 || count_of("nm") > 1)
    t += "# This study holds several CT or NM series (listed below): check that the ones named above are the planning pair.\n";
  for (const auto& s : study.series) t += "#   " + s.folder + "  (" + std::to_string(s.objects) + " objects)\n";
  t += "\n";
  if (const io::ReceivedSeriesInfo* rs = first_of({"rtstruct"})) {
    for (const auto& [name, role] : {std::pair{"liver", "liver"}, std::pair{"index tumour", "tumour"}, std::pair{"lungs", "lungs"}})
      t += fmt::format("[[voi]]\nname = \"{}\"\nrole = \"{}\"\nrtstruct = \"{}/{}\"\n#! roi = \"\"  # the ROI's name in the structure set\n\n", name, role,
                       rs->folder, rs->first_file);
  } else {
    t += "# No RTSTRUCT was received: give each VOI a mask or labels (docs/plan-file.md).\n"
         "[[voi]]\nname = \"liver\"\nrole = \"liver\"\n#! mask = \"\"\n\n";
  }
  t += "[density]\nmethod = \"ct\"\n\n[lung_shunt]\nmethod = \"spect\"\n\n[lung]\nmass = \"ct\"\n\n[dosimetry]\napproach = \"partition\"\n\n"
       "[device]\n#! type = \"glass\"\n#! vial_sizes_gbq = []\n#! calibration_time = 2026-01-01T12:00:00+00:00\n#! residual_fraction = 0.0\n\n"
       "# [[injection]], [[goal]] and [[constraint]] as in docs/plan-file.md.\n";
  if (const io::ReceivedSeriesInfo* post = first_of({"pt"}))
    t += "\n# " + post->folder + " (PET) is listed by the workspace as a post-treatment image for verification.\n";
  return t;
}

}  // namespace sirtkit::report
