#include "cli/publish_progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "util/error.hpp"

namespace ko::cli {

namespace {

constexpr std::chrono::milliseconds kRedraw{100};
constexpr std::chrono::milliseconds kDefaultHeartbeat{30'000};

double seconds(PublishProgress::Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

std::string fixed1(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

}  // namespace

std::string human_bytes(int64_t bytes) {
  if (bytes >= (1 << 20)) return fixed1(static_cast<double>(bytes) / (1 << 20)) + " MiB";
  return fixed1(static_cast<double>(bytes) / 1024) + " KiB";
}

PublishProgress::PublishProgress(Mode mode, std::chrono::milliseconds heartbeat, std::ostream& out,
                                 std::function<Clock::time_point()> now)
    : mode_(mode), heartbeat_(heartbeat), out_(out), now_(std::move(now)) {
  last_heartbeat_ = now_();
}

std::unique_ptr<PublishProgress> PublishProgress::for_stderr() {
  const char* term = std::getenv("TERM");
  const bool terminal = isatty(STDERR_FILENO) && !(term && std::strcmp(term, "dumb") == 0);
  std::chrono::milliseconds heartbeat = kDefaultHeartbeat;
  if (const char* text = std::getenv("KO_PROGRESS_INTERVAL"); text && *text) {
    char* end = nullptr;
    const double value = std::strtod(text, &end);
    if (*end != '\0' || !(value > 0))
      throw Error("KO_PROGRESS_INTERVAL must be a positive number of seconds, not '" +
                  std::string(text) + "'");
    heartbeat = std::chrono::milliseconds(static_cast<int64_t>(value * 1000 + 0.5));
  }
  return std::make_unique<PublishProgress>(terminal ? Mode::kTerminal : Mode::kLog, heartbeat,
                                           std::cerr);
}

void PublishProgress::blobs_planned(int count) {
  total_ += count;
}

void PublishProgress::blob_progress(const Descriptor& blob, int64_t sent) {
  const Clock::time_point now = now_();
  auto [it, started] = uploading_.try_emplace(blob.digest.str());
  Upload& upload = it->second;
  if (started) {
    upload.size = blob.size;
    upload.started = now;
  }
  upload.sent = std::min(sent, blob.size);  // a retried chunk counts from where it restarts
  if (!any_started_) {                      // the rate counts from the first upload's start
    any_started_ = true;
    first_start_ = now;
  }
  if (mode_ == Mode::kTerminal) {
    draw(now, /*force=*/false);
  } else {
    maybe_heartbeat(now);
  }
}

void PublishProgress::blob_done(const Descriptor& blob, bool uploaded) {
  const Clock::time_point now = now_();
  ++done_;
  auto it = uploading_.find(blob.digest.str());
  const Clock::time_point started = it == uploading_.end() ? now : it->second.started;
  if (it != uploading_.end()) uploading_.erase(it);
  if (uploaded) finished_bytes_ += blob.size;
  if (mode_ == Mode::kTerminal) {
    draw(now, /*force=*/true);
  } else if (uploaded) {
    out_ << "ko-image: uploaded " << blob.digest.str().substr(0, 19) << " ("
         << human_bytes(blob.size) << ") in " << fixed1(seconds(now - started)) << " s, " << done_
         << " of " << total_ << " blobs done\n"
         << std::flush;
  }
}

void PublishProgress::finish() {
  if (mode_ == Mode::kTerminal && drawn_) out_ << "\n" << std::flush;
  drawn_ = false;
}

std::string PublishProgress::summary() const {
  int64_t sent = finished_bytes_, size = finished_bytes_;
  for (const auto& [digest, upload] : uploading_) {
    sent += upload.sent;
    size += upload.size;
  }
  std::string text = human_bytes(sent) + " of " + human_bytes(size) + " sent";
  if (any_started_) {
    const double elapsed = seconds(now_() - first_start_);
    if (elapsed > 0) text += " (" + human_bytes(static_cast<int64_t>(sent / elapsed)) + "/s)";
  }
  return text + ", " + std::to_string(done_) + " of " + std::to_string(total_) + " blobs done";
}

void PublishProgress::draw(Clock::time_point now, bool force) {
  if (!force && drawn_ && now - last_draw_ < kRedraw) return;
  last_draw_ = now;
  drawn_ = true;
  // \r + erase to end of line: one line, rewritten in place.
  out_ << "\r\033[Kko-image: uploading " << summary() << std::flush;
}

void PublishProgress::maybe_heartbeat(Clock::time_point now) {
  if (now - last_heartbeat_ < heartbeat_) return;
  const bool long_running = std::any_of(uploading_.begin(), uploading_.end(), [&](const auto& u) {
    return now - u.second.started >= heartbeat_;
  });
  if (!long_running) return;
  last_heartbeat_ = now;
  out_ << "ko-image: still uploading " << uploading_.size() << " blob(s): " << summary() << "\n"
       << std::flush;
}

}  // namespace ko::cli
