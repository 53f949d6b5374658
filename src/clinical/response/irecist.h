#pragma once
// iRECIST (Seymour L et al., Lancet Oncol 2017;18:e143-e152; clinical-rules.md §1.4):
// RECIST 1.1 progression becomes "unconfirmed" (iUPD) and is confirmed (iCPD) at the
// next assessment by a further increase; if the tumour burden falls back to iSD/iPR/iCR
// the bar is reset.

#include <optional>
#include <string>
#include <vector>

#include "clinical/response/recist.h"

namespace sirtkit::clinical {

enum class IResponse { icr, ipr, isd, non_icr_non_iupd, iupd, icpd, ne };
const char* iresponse_name(IResponse r);  // "iCR", "iPR", "iSD", "NON-iCR/NON-iUPD", "iUPD", "iCPD", "NE"
int iresponse_rank(IResponse r);          // iCR 1 … iCPD 6, NE 7 (admiralonco's iBOR order)

struct ITimepoint {
  Date date;
  int day = 0;
  Response recist;                    // the RECIST 1.1 overall response of the same assessment
  IResponse response = IResponse::ne;
  std::optional<double> target_sum;   // mm (empty if a target was not evaluated)
  double new_target_sum = 0;          // sum of measured new lesions (NLT), mm, kept apart
  std::vector<std::string> reasons;
};

struct IRecistEvaluation {
  RecistEvaluation recist;            // the underlying RECIST 1.1 evaluation
  std::vector<ITimepoint> timepoints;
};

// Lesion data as for evaluate_recist. New lesions with a diameter are new-lesion targets
// (NLT: measurable, <= 5 in total and <= 2 per organ); without one, new-lesion non-targets
// (NLNT). After iUPD, status "increase" marks a further increase of a non-target lesion or
// an NLNT; "progression" alone (unchanged progressed non-target) keeps iUPD.
IRecistEvaluation evaluate_irecist(const std::vector<LesionAssessment>& assessments);

struct IBestResponse {
  IResponse response = IResponse::ne;
  std::optional<Date> date;
  std::string reason;
};
// iBOR: best time-point response up to and including iCPD (assessments after an
// unconfirmed iUPD still count); iSD and NON-iCR/NON-iUPD only >= sd_min_days after
// `reference`, else NE. No assessment → NE with reason "no assessment".
IBestResponse irecist_best_response(const std::vector<ITimepoint>& tps, Date reference, int sd_min_days);

}  // namespace sirtkit::clinical
