#include <gtest/gtest.h>

#include <string>

#include "cli/commands.hpp"
#include "test_support.hpp"
#include "tiny_images.hpp"
#include "util/error.hpp"

namespace ko::cli {
namespace {

using testing::message_of;

// Mistakes on the command line stop the run before any image is looked at or pushed.
TEST(PublishCommand, ArgumentErrors) {
  struct Case {
    Argv args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{"extra"}, "publish: unexpected argument 'extra'"},
           {{"--to=cloud"}, "publish: --to is registry or daemon, not 'cloud'"},
           {{"--chunk-size=0"}, "publish: --chunk-size must be a positive number, not '0'"},
           {{"--jobs=many"}, "publish: --jobs must be a positive number, not 'many'"},
           {{"--image-args=a.args", "--layout=x.oci"},
            "publish: --layout belongs in the --image-args files"},
           {{"--image-args=a.args", "--tag=v1"},
            "publish: --tag belongs in the --image-args files"},
       }) {
    SCOPED_TRACE(c.message);
    EXPECT_EQ(message_of<UsageError>([&] { run_publish(c.args); }), c.message);
  }
}

TEST(PublishCommand, ImageArgsFileErrors) {
  testing::TempDir dir;
  const std::string missing = (dir / "missing.args").string();
  EXPECT_EQ(message_of<UsageError>([&] {
              run_publish({"--image-args=" + missing});
            }).find("publish: cannot read --image-args file " + missing),
            0u);
  testing::write_file(dir / "bad.args", "--layout=x.oci\nnot-a-flag\n");
  EXPECT_EQ(
      message_of<UsageError>([&] { run_publish({"--image-args=" + (dir / "bad.args").string()}); }),
      "publish: " + (dir / "bad.args").string() +
          ": unexpected line 'not-a-flag' (each line is one --flag=value)");
}

}  // namespace
}  // namespace ko::cli
