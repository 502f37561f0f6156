// Command-line flags of the form `--name value` or `--name=value`. The value is always
// the next argument, even when it starts with "--" (container ARGS often do).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ko::cli {

class Args {
 public:
  // `single` flags may appear once, `repeated` ones any number of times. Anything else
  // starting with "--" is a usage error naming the flag and the command.
  Args(std::string command, const std::vector<std::string>& argv, std::set<std::string> single,
       std::set<std::string> repeated = {});

  std::string required(const std::string& name) const;
  std::optional<std::string> optional(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  std::string command_;
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positionals_;
};

// Splits "KEY=VALUE"; `what` names the flag for the error when there is no '=' or no key.
std::pair<std::string, std::string> split_key_value(const std::string& text,
                                                    const std::string& what);

}  // namespace ko::cli
