// One error type for the whole helper: every failure is thrown as ko::Error with a
// message that fits on one line, names the problem, and where possible says what to do.
// main() prints it as "ko-image: error: <message>" and exits nonzero.
#pragma once

#include <stdexcept>
#include <string>

namespace ko {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// A command-line mistake: printed the same way, but exits with status 2 like other tools.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message) {}
};

// The errno text for a failed system call, as "<what>: <strerror>".
std::string system_error_text(const std::string& what, int error_number);

}  // namespace ko
