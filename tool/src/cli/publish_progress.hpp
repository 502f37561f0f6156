// Progress of a publish on stderr, the way a person watching it (or reading a CI log) wants:
//   - on a terminal (stderr a TTY, TERM not dumb): one line rewritten in place, at most ten
//     times a second — bytes sent of the blobs going up, the rate, blobs done of total —
//     as curl and docker show it;
//   - elsewhere (CI logs): a line per uploaded blob when it is done (digest, size, time), and
//     while an upload runs longer than the heartbeat interval, a line every interval saying
//     what is still going (KO_PROGRESS_INTERVAL seconds, default 30; tests make it short).
// stdout is untouched: it carries only the published references.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>

#include "registry/push.hpp"

namespace ko::cli {

// "2.4 MiB", "12.0 KiB".
std::string human_bytes(int64_t bytes);

class PublishProgress : public UploadObserver {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Mode { kTerminal, kLog };

  PublishProgress(Mode mode, std::chrono::milliseconds heartbeat, std::ostream& out,
                  std::function<Clock::time_point()> now = Clock::now);
  // For this process's stderr: the mode from isatty/TERM, the interval from KO_PROGRESS_INTERVAL.
  static std::unique_ptr<PublishProgress> for_stderr();

  void blobs_planned(int count) override;
  void blob_progress(const Descriptor& blob, int64_t sent) override;
  void blob_done(const Descriptor& blob, bool uploaded) override;
  // Ends the terminal line, so what follows starts on a fresh one.
  void finish();

 private:
  struct Upload {
    int64_t size = 0;
    int64_t sent = 0;
    Clock::time_point started;
  };
  std::string summary() const;  // "3.1 MiB of 9.0 MiB sent (1.2 MiB/s), 2 of 5 blobs done"
  void draw(Clock::time_point now, bool force);
  void maybe_heartbeat(Clock::time_point now);

  Mode mode_;
  std::chrono::milliseconds heartbeat_;
  std::ostream& out_;
  std::function<Clock::time_point()> now_;
  std::map<std::string, Upload> uploading_;  // by digest
  int total_ = 0;
  int done_ = 0;
  int64_t finished_bytes_ = 0;  // of the blobs uploaded so far
  bool any_started_ = false;
  Clock::time_point first_start_;
  Clock::time_point last_draw_;
  Clock::time_point last_heartbeat_;
  bool drawn_ = false;
};

}  // namespace ko::cli
