// A small JSON value tree: parsed with simdjson, edited in place, written canonically.
//
// Canonical form (what every JSON blob we write uses, so equal content gives equal
// digests): object keys sorted by their UTF-8 bytes, no insignificant whitespace,
// integers as integers, strings with only the escapes JSON requires.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ko::json {

class Value;
using Array = std::vector<Value>;
using Object = std::map<std::string, Value>;

class Value {
 public:
  Value() = default;  // null
  Value(std::nullptr_t) {}
  Value(bool b) : data_(b) {}
  Value(int v) : data_(static_cast<int64_t>(v)) {}
  Value(int64_t v) : data_(v) {}
  Value(uint64_t v) : data_(v) {}
  Value(double v) : data_(v) {}
  Value(const char* s) : data_(std::string(s)) {}
  Value(std::string s) : data_(std::move(s)) {}
  Value(std::string_view s) : data_(std::string(s)) {}
  Value(Array a) : data_(std::move(a)) {}
  Value(Object o) : data_(std::move(o)) {}

  bool is_null() const { return std::holds_alternative<std::nullptr_t>(data_); }
  bool is_string() const { return std::holds_alternative<std::string>(data_); }
  bool is_array() const { return std::holds_alternative<Array>(data_); }
  bool is_object() const { return std::holds_alternative<Object>(data_); }
  bool is_integer() const {
    return std::holds_alternative<int64_t>(data_) || std::holds_alternative<uint64_t>(data_);
  }

  // Typed access; throw ko::Error naming `what` when the type is wrong.
  const std::string& as_string(std::string_view what = "value") const;
  int64_t as_int(std::string_view what = "value") const;
  const Array& as_array(std::string_view what = "value") const;
  Array& as_array(std::string_view what = "value");
  const Object& as_object(std::string_view what = "value") const;
  Object& as_object(std::string_view what = "value");

  // Object member access. `get` returns nullptr when absent (or not an object).
  const Value* get(std::string_view key) const;
  Value* get(std::string_view key);
  // Inserts null when absent; turns a null value into an empty object first.
  Value& operator[](std::string_view key);
  // The string member `key`, or `fallback` when absent.
  std::string get_string(std::string_view key, std::string_view fallback = "") const;

  bool operator==(const Value&) const = default;

 private:
  std::variant<std::nullptr_t, bool, int64_t, uint64_t, double, std::string, Array, Object> data_;
  friend void write(std::string& out, const Value& value);
};

// Parses a JSON document; throws ko::Error with simdjson's message and `what` (e.g. a path).
Value parse(std::string_view text, std::string_view what = "JSON");

// The canonical serialisation of `value`.
std::string dump(const Value& value);
void write(std::string& out, const Value& value);
void write_string(std::string& out, std::string_view s);

}  // namespace ko::json
