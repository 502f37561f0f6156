// What the commands take from the process environment (cli/ is the one place that reads it).
#include "cli/environment.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "util/error.hpp"

namespace ko::cli {
namespace {

Args args_of(const std::vector<std::string>& argv) {
  return Args("image", argv, {"source-date-epoch"});
}

TEST(SourceDateEpochOfACommand, TheFlagWinsOverTheEnvironment) {
  testing::ScopedEnv env("SOURCE_DATE_EPOCH", "999");
  EXPECT_EQ(source_date_epoch(args_of({"--source-date-epoch=1700000000"})), 1700000000);
  EXPECT_EQ(source_date_epoch(args_of({"--source-date-epoch="})), 0);  // CMake saw none
}

TEST(SourceDateEpochOfACommand, TheEnvironmentWithoutTheFlag) {
  testing::ScopedEnv env("SOURCE_DATE_EPOCH", "1234");
  EXPECT_EQ(source_date_epoch(args_of({})), 1234);
}

TEST(SourceDateEpochOfACommand, ZeroWhenNeitherSaysAndAnErrorWhenMalformed) {
  {
    testing::ScopedEnv env("SOURCE_DATE_EPOCH", std::nullopt);
    EXPECT_EQ(source_date_epoch(args_of({})), 0);
  }
  testing::ScopedEnv env("SOURCE_DATE_EPOCH", "yesterday");
  EXPECT_THROW(source_date_epoch(args_of({})), Error);
}

TEST(RegistryOptionsFromTheEnvironment, ReadsTheProcessEnvironment) {
  testing::ScopedEnv insecure("KO_INSECURE_REGISTRIES", "a.io,b.io");
  testing::ScopedEnv cache("KO_CACHE_DIR", "/somewhere");
  RegistryOptions options = registry_options_from_environment();
  EXPECT_EQ(options.insecure_registries, (std::vector<std::string>{"a.io", "b.io"}));
  EXPECT_EQ(options.cache_dir, std::filesystem::path("/somewhere"));
}

}  // namespace
}  // namespace ko::cli
