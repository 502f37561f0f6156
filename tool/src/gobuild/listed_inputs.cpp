#include "gobuild/listed_inputs.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "digest/sha256.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kCacheHeader = "ko-go-list-inputs 1 ";

bool is_identifier_byte(unsigned char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c >= 0x80;  // UTF-8: Go identifiers may be any letter
}

// Where the first top-level func/type/var/const keyword starts, skipping comments and
// string and rune literals; npos when there is none or the text ends inside a comment or
// literal (a truncated prefix, or a file go build will reject anyway).
size_t first_declaration(std::string_view source) {
  int depth = 0;  // parentheses: `import ( … )`
  size_t i = 0;
  const size_t n = source.size();
  while (i < n) {
    const char c = source[i];
    if (c == '/' && i + 1 < n && source[i + 1] == '/') {
      i = source.find('\n', i);
      if (i == std::string_view::npos) return i;
    } else if (c == '/' && i + 1 < n && source[i + 1] == '*') {
      i = source.find("*/", i + 2);
      if (i == std::string_view::npos) return i;
      i += 2;
    } else if (c == '"' || c == '\'') {
      for (++i; i < n && source[i] != c && source[i] != '\n'; ++i)
        if (source[i] == '\\') ++i;
      if (i >= n) return std::string_view::npos;
      ++i;
    } else if (c == '`') {
      i = source.find('`', i + 1);
      if (i == std::string_view::npos) return i;
      ++i;
    } else if (is_identifier_byte(static_cast<unsigned char>(c))) {
      const size_t start = i;
      while (i < n && is_identifier_byte(static_cast<unsigned char>(source[i]))) ++i;
      const std::string_view word = source.substr(start, i - start);
      if (depth == 0 && i < n &&
          (word == "func" || word == "type" || word == "var" || word == "const"))
        return start;
    } else {
      if (c == '(') ++depth;
      if (c == ')') --depth;
      ++i;
    }
  }
  return std::string_view::npos;
}

bool imports_embed(std::string_view header) {
  return header.find("\"embed\"") != std::string_view::npos ||
         header.find("`embed`") != std::string_view::npos;
}

// Reads a Go file's relevant part, most often from its first 64 KiB only.
std::string read_go_file_part(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "\x01missing";
  std::string prefix(64 * 1024, '\0');
  in.read(prefix.data(), static_cast<std::streamsize>(prefix.size()));
  prefix.resize(static_cast<size_t>(in.gcount()));
  if (!in.eof()) {
    const size_t end = first_declaration(prefix);
    if (end != std::string_view::npos && !imports_embed(std::string_view(prefix).substr(0, end)))
      return prefix.substr(0, end);
    std::ostringstream rest;
    rest << in.rdbuf();
    prefix += std::move(rest).str();
  }
  return std::string(go_list_relevant_part(prefix));
}

std::string directory_entries(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    names.push_back(it->path().filename().string() + (it->is_directory(ec) ? "/" : ""));
  if (ec) return "\x01unreadable";
  std::sort(names.begin(), names.end());
  std::string joined;
  for (const std::string& name : names) joined += name + '\n';
  return joined;
}

// What of one input `go list` depends on.
std::string relevant_content(const fs::path& input) {
  std::error_code ec;
  const fs::file_status status = fs::status(input, ec);
  if (ec || !fs::exists(status)) return "\x01missing";
  if (fs::is_directory(status)) return directory_entries(input);
  const std::string name = input.filename().string();
  if (name == "go.mod" || name == "go.sum" || name == "modules.txt") {
    try {
      return read_file(input);
    } catch (const Error&) {
      return "\x01unreadable";
    }
  }
  if (input.extension() == ".go") return read_go_file_part(input);
  // Other sources (.s, .c, .h, embedded files) name no imports: only being there counts,
  // and a new or removed one changes its directory's entries.
  return "";
}

void update_framed(Sha256& hash, std::string_view bytes) {
  hash.update(std::to_string(bytes.size()) + ":");
  hash.update(bytes);
}

}  // namespace

std::string_view go_list_relevant_part(std::string_view source) {
  const size_t end = first_declaration(source);
  if (end == std::string_view::npos) return source;
  const std::string_view header = source.substr(0, end);
  return imports_embed(header) ? source : header;
}

std::string listed_inputs_fingerprint(const std::vector<fs::path>& inputs,
                                      const std::vector<std::string>& list_command,
                                      const Environment& environment) {
  Sha256 hash;
  for (const std::string& arg : list_command) update_framed(hash, arg);
  for (const auto& [name, value] : environment) {
    update_framed(hash, name);
    update_framed(hash, value);
  }
  // The toolchain: a new go binary may list differently. Its size and mtime name it.
  std::error_code ec;
  if (!list_command.empty()) {
    const fs::path go(list_command.front());
    const auto size = fs::file_size(go, ec);
    const auto mtime = fs::last_write_time(go, ec).time_since_epoch().count();
    update_framed(hash, ec ? "?" : std::to_string(size) + "@" + std::to_string(mtime));
  }
  for (const fs::path& input : inputs) {
    update_framed(hash, input.string());
    update_framed(hash, relevant_content(input));
  }
  return hash.finish_hex();
}

std::optional<ListedInputs> read_listed_inputs(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line) || !line.starts_with(kCacheHeader)) return std::nullopt;
  ListedInputs listed{line.substr(kCacheHeader.size()), {}};
  while (std::getline(in, line)) listed.inputs.emplace_back(line);
  if (in.bad()) return std::nullopt;
  return listed;
}

void write_listed_inputs(const fs::path& file, const ListedInputs& listed) {
  std::string text = std::string(kCacheHeader) + listed.fingerprint + "\n";
  for (const fs::path& input : listed.inputs) {
    if (input.string().find('\n') != std::string::npos) {
      std::error_code ignored;
      fs::remove(file, ignored);
      return;
    }
    text += input.string() + "\n";
  }
  write_file_atomic(file, text);
}

}  // namespace ko
