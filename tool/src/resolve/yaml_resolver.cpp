#include "resolve/yaml_resolver.hpp"

#include <vector>

#include "util/error.hpp"

namespace ko {

namespace {

constexpr std::string_view kScheme = "ko://";

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

size_t indentation(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

// Where a comment starts in a line (npos when none): a '#' at the start or after
// whitespace, outside quotes.
size_t comment_start(std::string_view line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote) {
        if (quote == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
          ++i;  // '' is an escaped quote
        } else {
          quote = 0;
        }
      } else if (c == '\\' && quote == '"') {
        ++i;
      }
    } else if (c == '#' && (i == 0 || is_space(line[i - 1]))) {
      return i;
    } else if ((c == '"' || c == '\'') &&
               (i == 0 || !std::isalnum(static_cast<unsigned char>(line[i - 1])))) {
      quote = c;
    }
  }
  return std::string_view::npos;
}

// Whether a scalar may start at `pos`: after "key:", "- ", "? ", '[', '{', ',', or after
// an anchor (&a) or tag (!t) that itself stands in such a place.
bool starts_value(std::string_view line, size_t pos) {
  size_t i = pos;
  while (i > 0 && is_space(line[i - 1])) --i;
  if (i == 0) return false;  // a bare top-level scalar or a key: not an image value
  // Skip one anchor or tag token.
  size_t token = i;
  while (token > 0 && !is_space(line[token - 1])) --token;
  if (token < i && (line[token] == '&' || line[token] == '!') && token < pos) {
    if (token == 0) return false;
    return starts_value(line, token);
  }
  char before = line[i - 1];
  if (before == '[' || before == '{' || before == ',') return true;
  if (i < pos && (before == ':' || before == '-' || before == '?')) {
    // "- " must be a list dash (at indentation or after another dash), ":" a mapping value.
    if (before == '-') return i - 1 == indentation(line) || starts_value(line, i - 1);
    return true;
  }
  return false;
}

// Whether the rest of the line after a scalar ends it: nothing, a comment, or (in a flow
// collection) the next item or the collection's end.
bool ends_value(std::string_view line, size_t end, bool in_flow) {
  size_t i = end;
  while (i < line.size() && is_space(line[i])) ++i;
  if (i == line.size() || line[i] == '#') return i == line.size() || i > end;
  return in_flow && (line[i] == ',' || line[i] == ']' || line[i] == '}');
}

bool valid_path_char(char c) {
  return !is_space(c) && c != ',' && c != ']' && c != '}' && c != '"' && c != '\'';
}

// A block scalar header ("key: |", "- >-", "key: |2") ends the line.
bool opens_block_scalar(std::string_view code) {
  size_t end = code.size();
  while (end > 0 && is_space(code[end - 1])) --end;
  size_t start = end;
  while (start > 0 && !is_space(code[start - 1])) --start;
  std::string_view last = code.substr(start, end - start);
  if (last.empty() || (last[0] != '|' && last[0] != '>')) return false;
  for (char c : last.substr(1)) {
    if (c != '-' && c != '+' && !std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return start > 0;
}

}  // namespace

std::string resolve_yaml(std::string_view text, const ImageReferences& images,
                         const std::string& source) {
  std::string out;
  out.reserve(text.size());
  size_t line_number = 0;
  long block_indent = -1;  // inside a block scalar: lines more indented than this are content
  size_t start = 0;
  while (start < text.size()) {
    size_t newline = text.find('\n', start);
    size_t end = newline == std::string_view::npos ? text.size() : newline;
    std::string line(text.substr(start, end - start));
    ++line_number;

    size_t indent = indentation(line);
    bool blank = line.find_first_not_of(" \t\r") == std::string::npos;
    if (block_indent >= 0 && (blank || static_cast<long>(indent) > block_indent)) {
      // Block scalar content: left exactly as it is.
    } else {
      block_indent = -1;
      size_t comment = comment_start(line);
      std::string_view code =
          std::string_view(line).substr(0, comment == std::string::npos ? line.size() : comment);
      int flow_depth = 0;
      for (size_t i = 0; i < code.size(); ++i) {
        if (code[i] == '[' || code[i] == '{') ++flow_depth;
        if (code.compare(i, kScheme.size(), kScheme) != 0) continue;
        size_t path_end = i + kScheme.size();
        while (path_end < code.size() && valid_path_char(code[path_end])) ++path_end;
        std::string path(code.substr(i + kScheme.size(), path_end - i - kScheme.size()));
        char quote = i > 0 && (code[i - 1] == '"' || code[i - 1] == '\'') ? code[i - 1] : 0;
        bool whole = false;
        if (quote) {
          whole = path_end < code.size() && code[path_end] == quote && starts_value(code, i - 1) &&
                  ends_value(code, path_end + 1, flow_depth > 0);
        } else {
          whole = starts_value(code, i) && ends_value(code, path_end, flow_depth > 0);
        }
        if (!whole || path.empty()) continue;
        auto image = images.find(path);
        if (image == images.end()) {
          std::string known;
          for (const auto& [p, ref] : images) known += (known.empty() ? "" : ", ") + p;
          throw Error(
              source + ":" + std::to_string(line_number) + ": ko://" + path +
              " has no ko_image() (known import paths: " + (known.empty() ? "none" : known) + ")");
        }
        line.replace(i, path_end - i, image->second);
        comment = comment_start(line);  // the reference holds no '#' or quotes, so this just moves
        code =
            std::string_view(line).substr(0, comment == std::string::npos ? line.size() : comment);
        i += image->second.size() - 1;
      }
      if (opens_block_scalar(code)) block_indent = static_cast<long>(indent);
    }
    out += line;
    if (newline != std::string_view::npos) out += '\n';
    start = end + 1;
  }
  return out;
}

}  // namespace ko
