#include "json/json.hpp"

#include <simdjson.h>

#include <charconv>
#include <cstdio>

#include "util/error.hpp"

namespace ko::json {

namespace {

[[noreturn]] void type_error(std::string_view what, std::string_view expected) {
  throw Error(std::string(what) + " is not a JSON " + std::string(expected));
}

Value from_simdjson(simdjson::dom::element element) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::NULL_VALUE:
      return Value();
    case element_type::BOOL:
      return Value(bool(element.get_bool()));
    case element_type::INT64:
      return Value(int64_t(element.get_int64()));
    case element_type::UINT64:
      return Value(uint64_t(element.get_uint64()));
    case element_type::DOUBLE:
      return Value(double(element.get_double()));
    case element_type::STRING:
      return Value(std::string_view(element.get_string()));
    case element_type::ARRAY: {
      Array array;
      for (simdjson::dom::element item : element.get_array()) array.push_back(from_simdjson(item));
      return Value(std::move(array));
    }
    case element_type::OBJECT: {
      Object object;
      for (simdjson::dom::key_value_pair field : element.get_object())
        object.insert_or_assign(std::string(field.key), from_simdjson(field.value));
      return Value(std::move(object));
    }
  }
  throw Error("internal: unknown simdjson element type");
}

}  // namespace

const std::string& Value::as_string(std::string_view what) const {
  if (auto* s = std::get_if<std::string>(&data_)) return *s;
  type_error(what, "string");
}

int64_t Value::as_int(std::string_view what) const {
  if (auto* i = std::get_if<int64_t>(&data_)) return *i;
  if (auto* u = std::get_if<uint64_t>(&data_); u && *u <= uint64_t(INT64_MAX)) return int64_t(*u);
  type_error(what, "integer");
}

const Array& Value::as_array(std::string_view what) const {
  if (auto* a = std::get_if<Array>(&data_)) return *a;
  type_error(what, "array");
}

Array& Value::as_array(std::string_view what) {
  if (auto* a = std::get_if<Array>(&data_)) return *a;
  type_error(what, "array");
}

const Object& Value::as_object(std::string_view what) const {
  if (auto* o = std::get_if<Object>(&data_)) return *o;
  type_error(what, "object");
}

Object& Value::as_object(std::string_view what) {
  if (auto* o = std::get_if<Object>(&data_)) return *o;
  type_error(what, "object");
}

const Value* Value::get(std::string_view key) const {
  auto* o = std::get_if<Object>(&data_);
  if (!o) return nullptr;
  auto it = o->find(std::string(key));
  return it == o->end() ? nullptr : &it->second;
}

Value* Value::get(std::string_view key) {
  return const_cast<Value*>(static_cast<const Value*>(this)->get(key));
}

Value& Value::operator[](std::string_view key) {
  if (is_null()) data_ = Object();
  return as_object()[std::string(key)];
}

std::string Value::get_string(std::string_view key, std::string_view fallback) const {
  const Value* v = get(key);
  return v && v->is_string() ? v->as_string() : std::string(fallback);
}

Value parse(std::string_view text, std::string_view what) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element root;
  auto error = parser.parse(padded).get(root);
  if (error)
    throw Error("invalid JSON in " + std::string(what) + ": " + simdjson::error_message(error));
  return from_simdjson(root);
}

void write_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", c);
          out += escape;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

void write(std::string& out, const Value& value) {
  std::visit(
      [&out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) {
          out += "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, uint64_t>) {
          out += std::to_string(v);
        } else if constexpr (std::is_same_v<T, double>) {
          // -0.0 is written 0: "-0" would read back as the integer 0 and write as "0", so
          // the canonical form of what we wrote would not be stable (found by fuzz.json).
          char buffer[32];
          auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer,
                                         v == 0 ? 0.0 : v);  // shortest round-trip
          out.append(buffer, end);
        } else if constexpr (std::is_same_v<T, std::string>) {
          write_string(out, v);
        } else if constexpr (std::is_same_v<T, Array>) {
          out.push_back('[');
          for (size_t i = 0; i < v.size(); ++i) {
            if (i) out.push_back(',');
            write(out, v[i]);
          }
          out.push_back(']');
        } else {
          out.push_back('{');
          bool first = true;
          for (const auto& [key, item] : v) {
            if (!first) out.push_back(',');
            first = false;
            write_string(out, key);
            out.push_back(':');
            write(out, item);
          }
          out.push_back('}');
        }
      },
      value.data_);
}

std::string dump(const Value& value) {
  std::string out;
  write(out, value);
  return out;
}

}  // namespace ko::json
