#include "cli/publish_progress.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace ko::cli {
namespace {

using Clock = PublishProgress::Clock;
using std::chrono::milliseconds;

Descriptor blob(const std::string& content, int64_t size) {
  return Descriptor{.media_type = "application/vnd.oci.image.layer.v1.tar+gzip",
                    .digest = Digest::of_bytes(content),
                    .size = size};
}

// A clock the test moves by hand.
struct FakeClock {
  Clock::time_point now{};
  std::function<Clock::time_point()> function() {
    return [this] { return now; };
  }
};

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(HumanBytes, KiBAndMiB) {
  EXPECT_EQ(human_bytes(512), "0.5 KiB");
  EXPECT_EQ(human_bytes(5 << 20), "5.0 MiB");
}

TEST(PublishProgress, LogModePrintsALinePerUploadedBlobWithSizeAndTime) {
  FakeClock clock;
  std::ostringstream out;
  PublishProgress progress(PublishProgress::Mode::kLog, milliseconds(30'000), out,
                           clock.function());
  const Descriptor layer = blob("layer", 3 << 20), config = blob("config", 700);
  progress.blobs_planned(3);
  progress.blob_done(blob("present", 10), /*uploaded=*/false);  // HEAD said present: no line
  progress.blob_progress(layer, 0);
  clock.now += milliseconds(1500);
  progress.blob_progress(layer, 3 << 20);
  progress.blob_done(layer, true);
  progress.blob_progress(config, 700);
  progress.blob_done(config, true);
  progress.finish();
  const std::string text = out.str();
  EXPECT_EQ(count(text, "\n"), 2) << text;
  EXPECT_NE(text.find("uploaded " + layer.digest.str().substr(0, 19) +
                      " (3.0 MiB) in 1.5 s, 2 of 3 blobs done\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("(0.7 KiB) in 0.0 s, 3 of 3 blobs done\n"), std::string::npos) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos) << "no terminal control in a log";
}

TEST(PublishProgress, LogModeHeartbeatOnlyWhileATransferRunsLongerThanTheInterval) {
  FakeClock clock;
  std::ostringstream out;
  PublishProgress progress(PublishProgress::Mode::kLog, milliseconds(30'000), out,
                           clock.function());
  const Descriptor big = blob("big", 100 << 20);
  progress.blobs_planned(1);
  progress.blob_progress(big, 0);
  for (int second = 1; second <= 29; ++second) {  // under 30 s: silence
    clock.now += milliseconds(1000);
    progress.blob_progress(big, second << 20);
  }
  EXPECT_EQ(out.str(), "");
  for (int second = 30; second <= 95; ++second) {  // 30 s, 60 s, 90 s: three heartbeats
    clock.now += milliseconds(1000);
    progress.blob_progress(big, second << 20);
  }
  const std::string text = out.str();
  EXPECT_EQ(count(text, "still uploading 1 blob(s)"), 3) << text;
  EXPECT_NE(text.find("30.0 MiB of 100.0 MiB sent (1.0 MiB/s), 0 of 1 blobs done"),
            std::string::npos)
      << text;
}

TEST(PublishProgress, TerminalModeRewritesOneLine) {
  FakeClock clock;
  std::ostringstream out;
  PublishProgress progress(PublishProgress::Mode::kTerminal, milliseconds(30'000), out,
                           clock.function());
  const Descriptor layer = blob("layer", 4 << 20);
  progress.blobs_planned(2);
  progress.blob_progress(layer, 0);
  for (int i = 1; i <= 4; ++i) {
    clock.now += milliseconds(500);
    progress.blob_progress(layer, static_cast<int64_t>(i) << 20);
    progress.blob_progress(layer, static_cast<int64_t>(i) << 20);  // within 100 ms: not redrawn
  }
  progress.blob_done(layer, true);
  progress.finish();
  const std::string text = out.str();
  EXPECT_EQ(count(text, "\r\033[K"), 6) << text;  // first, four moves, done
  EXPECT_EQ(count(text, "\n"), 1) << "one line, ended once";
  EXPECT_NE(text.find("4.0 MiB of 4.0 MiB sent (2.0 MiB/s), 1 of 2 blobs done\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace ko::cli
