#include <algorithm>
#include <iostream>
#include <iterator>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "resolve/yaml_resolver.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko::cli {

namespace {

// The YAML inputs named by -f: files, directories (their *.yaml/*.yml, sorted), or "-".
std::vector<std::pair<std::string, std::string>> read_inputs(
    const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, std::string>> inputs;
  for (const std::string& name : names) {
    if (name == "-") {
      inputs.emplace_back("<stdin>", std::string(std::istreambuf_iterator<char>(std::cin), {}));
    } else if (std::filesystem::is_directory(name)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(name)) {
        auto ext = entry.path().extension();
        if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml"))
          files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& file : files) inputs.emplace_back(file.string(), read_file(file));
    } else {
      inputs.emplace_back(name, read_file(name));
    }
  }
  return inputs;
}

}  // namespace

int run_resolve(const Argv& argv) {
  Argv expanded;
  for (const std::string& arg : argv) expanded.push_back(arg == "-f" ? "--filename" : arg);
  // --check: the YAML and its ko:// paths only; reference files need not exist yet.
  const bool check_only = std::erase(expanded, std::string("--check")) > 0;
  Args args("resolve", expanded, {"output"}, {"filename", "image", "image-ref-file"});
  if (args.all("filename").empty()) throw UsageError("resolve: give -f <file|dir|->");

  ImageReferences images;
  auto add = [&](const std::string& item, const std::string& flag, bool from_file) {
    auto [key, value] = split_key_value(item, flag);
    if (!key.starts_with("ko://"))
      throw UsageError("resolve: " + flag + " '" + item + "' must start with ko://");
    if (from_file && !check_only) {
      std::error_code ec;
      if (!std::filesystem::exists(value, ec))
        throw Error("no published reference for " + key + " (" + value +
                    " is missing): publish the image first");
      value = read_file(value);
      while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    }
    images[key.substr(5)] = value;
  };
  for (const std::string& item : args.all("image")) add(item, "--image", false);
  for (const std::string& item : args.all("image-ref-file")) add(item, "--image-ref-file", true);

  if (check_only) {
    for (const auto& [source, text] : read_inputs(args.all("filename")))
      check_yaml(text, images, source);
    return 0;
  }
  std::string out;
  for (const auto& [source, text] : read_inputs(args.all("filename"))) {
    if (!out.empty()) {
      if (out.back() != '\n') out += '\n';
      out += "---\n";
    }
    out += resolve_yaml(text, images, source);
  }
  if (auto output = args.optional("output")) {
    write_file_if_changed(*output, out);
  } else {
    std::cout << out << std::flush;
  }
  return 0;
}

}  // namespace ko::cli
