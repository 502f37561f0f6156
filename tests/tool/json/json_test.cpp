#include "json/json.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "util/error.hpp"

namespace ko::json {
namespace {

TEST(Json, DumpIsCanonical) {
  EXPECT_EQ(dump(parse(R"({ "b":1, "a":[true,null,"x\n"] })")), R"({"a":[true,null,"x\n"],"b":1})");
}

TEST(Json, KeysAreSortedByBytesAtEveryLevel) {
  EXPECT_EQ(dump(parse(R"({"z":{"b":0,"B":1,"a":2},"Z":[{"y":1,"x":2}]})")),
            R"({"Z":[{"x":2,"y":1}],"z":{"B":1,"a":2,"b":0}})");
}

// Found by fuzz.json: -0.0 was written "-0", which reads back as the integer 0.
TEST(Json, NegativeZeroHasAStableCanonicalForm) {
  std::string once = json::dump(json::parse("[-0e06,-0.0,0.0]"));
  EXPECT_EQ(once, "[0,0,0]");
  EXPECT_EQ(json::dump(json::parse(once)), once);
}

TEST(Json, RoundTripIsStable) {
  const std::string text =
      R"({"annotations":{"k":"v"},"n":-42,"f":1.5,"list":[],"obj":{},"s":"caf\u00e9 \"q\" \\"})";
  const std::string once = dump(parse(text));
  EXPECT_EQ(dump(parse(once)), once);
  EXPECT_EQ(parse(once), parse(text));
  EXPECT_EQ(once,
            "{\"annotations\":{\"k\":\"v\"},\"f\":1.5,\"list\":[],\"n\":-42,\"obj\":{},"
            "\"s\":\"caf\xc3\xa9 \\\"q\\\" \\\\\"}");
}

TEST(Json, ControlCharactersAreEscaped) {
  Value v(
      std::string("a\x01"
                  "b\x1f"
                  "c\t\r\b\f"));
  EXPECT_EQ(dump(v), R"("a\u0001b\u001fc\t\r\b\f")");
  EXPECT_EQ(parse(dump(v)), v);
}

TEST(Json, NonAsciiAndSlashAreNotEscaped) {
  EXPECT_EQ(dump(Value("/ko-app/h\xc3\xa9llo")), "\"/ko-app/h\xc3\xa9llo\"");
}

TEST(Json, LargeIntegersArePreserved) {
  EXPECT_EQ(dump(parse("[18446744073709551615,9223372036854775807,-9223372036854775808]")),
            "[18446744073709551615,9223372036854775807,-9223372036854775808]");
  Value size = parse("123456789012");
  EXPECT_TRUE(size.is_integer());
  EXPECT_EQ(size.as_int(), 123456789012);
  EXPECT_THROW(parse("18446744073709551615").as_int(), Error);
}

TEST(Json, InvalidJsonThrows) {
  for (const char* text : {"{", "{\"a\":}", "[1,]", "{'a':1}", "nul", ""}) {
    SCOPED_TRACE(text);
    EXPECT_THROW(parse(text), Error);
  }
}

TEST(Json, ParseErrorNamesWhatWasRead) {
  try {
    parse("{", "config.json");
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("config.json"), std::string::npos) << e.what();
  }
}

TEST(Json, TypedAccessChecksType) {
  Value v = parse(R"({"s":"x","n":3,"a":[1]})");
  EXPECT_EQ(v["s"].as_string(), "x");
  EXPECT_EQ(v["n"].as_int(), 3);
  EXPECT_EQ(v["a"].as_array().size(), 1u);
  EXPECT_THROW(v["s"].as_int(), Error);
  EXPECT_THROW(v["n"].as_string(), Error);
  EXPECT_THROW(v["a"].as_object(), Error);
  EXPECT_THROW(v["s"].as_array("config.Env"), Error);
}

TEST(Json, GetAndIndexing) {
  Value v;
  EXPECT_TRUE(v.is_null());
  EXPECT_EQ(v.get("missing"), nullptr);
  v["config"]["User"] = "65532";
  EXPECT_TRUE(v.is_object());
  ASSERT_NE(v.get("config"), nullptr);
  EXPECT_EQ(v["config"].get_string("User"), "65532");
  EXPECT_EQ(v["config"].get_string("WorkingDir", "/"), "/");
  EXPECT_EQ(dump(v), R"({"config":{"User":"65532"}})");
}

}  // namespace
}  // namespace ko::json
