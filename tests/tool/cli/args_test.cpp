#include "cli/args.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/error.hpp"

namespace ko::cli {
namespace {

using Argv = std::vector<std::string>;

TEST(Args, SeparateAndJoinedValues) {
  Args args("layer", {"--output", "out/layer.json", "--mtime=1700000000"}, {"output", "mtime"});
  EXPECT_EQ(args.required("output"), "out/layer.json");
  EXPECT_EQ(args.required("mtime"), "1700000000");
}

TEST(Args, JoinedValueMayContainEqualsOrBeEmpty) {
  Args args("image", {"--env=A=b=c", "--user="}, {"user"}, {"env"});
  EXPECT_EQ(args.all("env"), (Argv{"A=b=c"}));
  EXPECT_EQ(args.optional("user"), std::optional<std::string>(""));
}

TEST(Args, RepeatedFlagsKeepOrder) {
  Args args("image", {"--env", "A=1", "--label=x=y", "--env=B=2", "--env", "C=3"}, {},
            {"env", "label"});
  EXPECT_EQ(args.all("env"), (Argv{"A=1", "B=2", "C=3"}));
  EXPECT_EQ(args.all("label"), (Argv{"x=y"}));
  EXPECT_EQ(args.all("missing"), Argv{});
}

TEST(Args, ValueStartingWithDashesIsAValue) {
  Args args("image", {"--arg", "--verbose", "--arg", "--port=8080"}, {}, {"arg"});
  EXPECT_EQ(args.all("arg"), (Argv{"--verbose", "--port=8080"}));
}

TEST(Args, Positionals) {
  Args args("inspect", {"first", "--format", "json", "second", "-x"}, {"format"});
  EXPECT_EQ(args.positionals(), (Argv{"first", "second", "-x"}));
  EXPECT_EQ(args.required("format"), "json");
}

TEST(Args, OptionalAndRequired) {
  Args args("layer", {"--output", "o"}, {"output", "mtime"});
  EXPECT_EQ(args.optional("mtime"), std::nullopt);
  EXPECT_EQ(args.optional("output"), std::optional<std::string>("o"));
  EXPECT_THROW(args.required("mtime"), UsageError);
}

TEST(Args, UnknownFlagIsAUsageError) {
  EXPECT_THROW(Args("layer", {"--outptu", "x"}, {"output"}), UsageError);
  EXPECT_THROW(Args("layer", {"--outptu=x"}, {"output"}), UsageError);
  try {
    Args("layer", {"--bogus", "x"}, {"output"});
    FAIL() << "no exception";
  } catch (const UsageError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("--bogus"), std::string::npos) << message;
    EXPECT_NE(message.find("layer"), std::string::npos) << message;
  }
}

TEST(Args, DuplicateSingleFlagIsAUsageError) {
  EXPECT_THROW(Args("layer", {"--output", "a", "--output", "b"}, {"output"}), UsageError);
  EXPECT_THROW(Args("layer", {"--output=a", "--output="}, {"output"}), UsageError);
}

TEST(Args, MissingValueIsAUsageError) {
  EXPECT_THROW(Args("layer", {"--output"}, {"output"}), UsageError);
}

TEST(Args, UsageErrorIsAKoError) {
  try {
    Args("layer", {"--x", "1"}, {});
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_NE(dynamic_cast<const UsageError*>(&e), nullptr);
  }
}

TEST(SplitKeyValue, SplitsAtTheFirstEquals) {
  EXPECT_EQ(split_key_value("A=b=c", "--env"), (std::pair<std::string, std::string>{"A", "b=c"}));
  EXPECT_EQ(split_key_value("A=", "--env"), (std::pair<std::string, std::string>{"A", ""}));
  EXPECT_THROW(split_key_value("A", "--env"), UsageError);
  EXPECT_THROW(split_key_value("=b", "--env"), UsageError);
}

}  // namespace
}  // namespace ko::cli
