#include "resolve/yaml_resolver.hpp"

#include <yaml.h>

#include <algorithm>
#include <vector>

#include "util/error.hpp"

namespace ko {

namespace {

constexpr std::string_view kScheme = "ko://";

// libyaml's parser and event, owned.
class YamlParser {
 public:
  explicit YamlParser(std::string_view text) {
    if (!yaml_parser_initialize(&parser_)) throw Error("cannot start the YAML parser (no memory)");
    yaml_parser_set_encoding(&parser_, YAML_UTF8_ENCODING);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~YamlParser() { yaml_parser_delete(&parser_); }
  YamlParser(const YamlParser&) = delete;
  YamlParser& operator=(const YamlParser&) = delete;
  yaml_parser_t* get() { return &parser_; }

 private:
  yaml_parser_t parser_{};
};

struct YamlEvent {
  yaml_event_t event{};
  YamlEvent() = default;
  YamlEvent(const YamlEvent&) = delete;
  YamlEvent& operator=(const YamlEvent&) = delete;
  ~YamlEvent() { yaml_event_delete(&event); }
};

// libyaml's marks count characters (a CRLF as two); we need byte offsets into the UTF-8
// text. Offsets grow monotonically with the events, so one forward walk serves them all.
class ByteOffsets {
 public:
  explicit ByteOffsets(std::string_view text) : text_(text) {}

  size_t of(size_t character_index) {
    while (characters_ < character_index && byte_ < text_.size()) {
      ++byte_;
      while (byte_ < text_.size() && (static_cast<unsigned char>(text_[byte_]) & 0xC0) == 0x80)
        ++byte_;  // a UTF-8 continuation byte belongs to the same character
      ++characters_;
    }
    return byte_;
  }

 private:
  std::string_view text_;
  size_t characters_ = 0;
  size_t byte_ = 0;
};

// Whether the next node in each open collection is a mapping key: a ko:// key is not an
// image value.
class NodePosition {
 public:
  bool next_is_key() const { return !open_.empty() && open_.back() == Open::MappingKey; }

  // Called for every node (scalar, alias, collection start) before it is entered.
  void node() {
    if (open_.empty()) return;
    if (open_.back() == Open::MappingKey) {
      open_.back() = Open::MappingValue;
    } else if (open_.back() == Open::MappingValue) {
      open_.back() = Open::MappingKey;
    }
  }
  void start_mapping() { open_.push_back(Open::MappingKey); }
  void start_sequence() { open_.push_back(Open::Sequence); }
  void end_collection() {
    if (!open_.empty()) open_.pop_back();
  }

 private:
  enum class Open { MappingKey, MappingValue, Sequence };
  std::vector<Open> open_;
};

struct Replacement {
  size_t begin = 0, end = 0;  // bytes of the scalar's text, inside its quotes
  size_t line = 0;            // 1-based
  std::string path;
};

// Where the problem is: the construct being read when it started (an unterminated quote is
// reported at its opening quote, not at the end of the file), else where libyaml stopped.
[[noreturn]] void not_yaml(const yaml_parser_t& parser, const std::string& source) {
  auto at = [&](const yaml_mark_t& mark) {
    return std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  };
  std::string problem = parser.problem ? parser.problem : "unknown problem";
  std::string message =
      parser.context
          ? source + ":" + at(parser.context_mark) + ": not valid YAML: " + parser.context + ": " +
                problem + " at " + at(parser.problem_mark)
          : source + ":" + at(parser.problem_mark) + ": not valid YAML: " + problem;
  throw Error(message + "; fix the file (ko:// references are resolved in valid YAML only)");
}

bool is_path(std::string_view path) {
  return !path.empty() && path.find_first_of(" \t\r\n") == std::string_view::npos;
}

// Every ko:// value in the stream: plain, 'single-' or "double-quoted" scalars (not keys,
// not block scalars) whose whole value is ko://<path>.
std::vector<Replacement> find_references(std::string_view text, const std::string& source) {
  YamlParser parser(text);
  ByteOffsets offsets(text);
  NodePosition position;
  std::vector<Replacement> found;
  for (;;) {
    YamlEvent e;
    if (!yaml_parser_parse(parser.get(), &e.event)) not_yaml(*parser.get(), source);
    const yaml_event_t& event = e.event;
    switch (event.type) {
      case YAML_STREAM_END_EVENT:
        return found;
      case YAML_SCALAR_EVENT: {
        bool key = position.next_is_key();
        position.node();
        std::string_view value(reinterpret_cast<const char*>(event.data.scalar.value),
                               event.data.scalar.length);
        yaml_scalar_style_t style = event.data.scalar.style;
        if (key || !value.starts_with(kScheme)) break;
        if (style != YAML_PLAIN_SCALAR_STYLE && style != YAML_SINGLE_QUOTED_SCALAR_STYLE &&
            style != YAML_DOUBLE_QUOTED_SCALAR_STYLE)
          break;
        std::string_view path = value.substr(kScheme.size());
        if (!is_path(path)) break;  // prose that starts with ko://, not a reference
        // The event's start is that of its anchor or tag, if any; its end is the scalar's.
        Replacement r;
        r.line = event.start_mark.line + 1;
        r.path = std::string(path);
        size_t from = offsets.of(event.start_mark.index);
        r.end = offsets.of(event.end_mark.index);
        if (style == YAML_PLAIN_SCALAR_STYLE) {
          r.begin = r.end - value.size();
          if (r.begin < from || text.substr(r.begin, value.size()) != value)
            throw Error(source + ":" + std::to_string(r.line) +
                        ": a ko:// value must be written on one line");
        } else {
          r.begin = text.find(style == YAML_SINGLE_QUOTED_SCALAR_STYLE ? '\'' : '"', from) + 1;
          r.end -= 1;  // the closing quote
        }
        found.push_back(std::move(r));
        break;
      }
      case YAML_ALIAS_EVENT:
        position.node();
        break;
      case YAML_MAPPING_START_EVENT:
        position.node();
        position.start_mapping();
        break;
      case YAML_SEQUENCE_START_EVENT:
        position.node();
        position.start_sequence();
        break;
      case YAML_MAPPING_END_EVENT:
      case YAML_SEQUENCE_END_EVENT:
        position.end_collection();
        break;
      default:
        break;
    }
  }
}

void check_references(const std::vector<Replacement>& found, const ImageReferences& images,
                      const std::string& source) {
  for (const Replacement& r : found) {
    if (images.contains(r.path)) continue;
    std::string known;
    for (const auto& [path, ref] : images) known += (known.empty() ? "" : ", ") + path;
    throw Error(source + ":" + std::to_string(r.line) + ": ko://" + r.path +
                " has no ko_image() (known import paths: " + (known.empty() ? "none" : known) +
                ")");
  }
}

}  // namespace

void check_yaml(std::string_view text, const ImageReferences& images, const std::string& source) {
  check_references(find_references(text, source), images, source);
}

std::string resolve_yaml(std::string_view text, const ImageReferences& images,
                         const std::string& source) {
  std::vector<Replacement> found = find_references(text, source);
  check_references(found, images, source);
  std::string out(text);
  // Back to front, so the offsets of earlier references stay valid.
  for (auto r = found.rbegin(); r != found.rend(); ++r)
    out.replace(r->begin, r->end - r->begin, images.at(r->path));
  return out;
}

}  // namespace ko
