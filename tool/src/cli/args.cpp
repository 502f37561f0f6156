#include "cli/args.hpp"

#include "util/error.hpp"

namespace ko::cli {

Args::Args(std::string command, const std::vector<std::string>& argv, std::set<std::string> single,
           std::set<std::string> repeated)
    : command_(std::move(command)) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (!arg.starts_with("--")) {
      positionals_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2), value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else if (i + 1 < argv.size()) {
      value = argv[++i];
    } else {
      throw UsageError(command_ + ": --" + name + " needs a value");
    }
    bool is_single = single.contains(name);
    if (!is_single && !repeated.contains(name))
      throw UsageError(command_ + ": unknown flag --" + name + " (see ko-image " + command_ +
                       " --help)");
    auto& slot = values_[name];
    if (is_single && !slot.empty()) throw UsageError(command_ + ": --" + name + " given twice");
    slot.push_back(std::move(value));
  }
}

std::string Args::required(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw UsageError(command_ + ": --" + name + " is required");
  return it->second.front();
}

std::optional<std::string> Args::optional(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second.front();
}

std::vector<std::string> Args::all(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::pair<std::string, std::string> split_key_value(const std::string& text,
                                                    const std::string& what) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UsageError(what + " '" + text + "' is not KEY=VALUE");
  return {text.substr(0, eq), text.substr(eq + 1)};
}

}  // namespace ko::cli
