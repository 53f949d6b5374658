#pragma once
// Progress for long work: shown on stderr when it is a terminal, silent otherwise.

#include <string>

namespace sirtkit {

class Progress {
 public:
  explicit Progress(bool enabled);
  static Progress for_terminal();  // enabled when stderr is a terminal
  void step(const std::string& what) const;
  void done() const;

 private:
  bool enabled_;
};

}  // namespace sirtkit
