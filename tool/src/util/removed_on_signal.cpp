#include "util/removed_on_signal.hpp"

#include <unistd.h>

#include <array>
#include <atomic>
#include <csignal>

namespace ko {

namespace {

// A fixed table of lock-free pointers: the handler may only use async-signal-safe
// operations, so no container that a thread could be resizing when the signal arrives.
constexpr int kSlots = 256;
std::array<std::atomic<const char*>, kSlots> g_paths{};
static_assert(std::atomic<const char*>::is_always_lock_free);

extern "C" void remove_paths_and_die(int signal_number) {
  for (auto& slot : g_paths) {
    if (const char* path = slot.load()) ::unlink(path);
  }
  // SA_RESETHAND restored the default action: dying of the signal keeps the exit status
  // (128 + n) that Ninja and shells expect of an interrupted step.
  ::raise(signal_number);
}

}  // namespace

void install_signal_cleanup() {
  struct sigaction action {};
  action.sa_handler = remove_paths_and_die;
  action.sa_flags = SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
    ::sigaction(signal_number, &action, nullptr);
}

RemovedOnSignal::RemovedOnSignal(std::string path) : path_(std::move(path)) {
  for (int i = 0; i < kSlots; ++i) {
    const char* empty = nullptr;
    if (g_paths[i].compare_exchange_strong(empty, path_.c_str())) {
      slot_ = i;
      return;
    }
  }
}

RemovedOnSignal::~RemovedOnSignal() {
  if (slot_ >= 0) g_paths[slot_].store(nullptr);
}

}  // namespace ko
