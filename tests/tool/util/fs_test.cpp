// Temporary files: removed by a signal that stops the process, and swept when stale.
#include "util/fs.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>

#include "test_support.hpp"
#include "util/removed_on_signal.hpp"

namespace ko {
namespace {

using testing::TempDir;

std::vector<std::string> names_in(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Runs `body` in a child process that then stops itself with `signal_number`; returns the
// signal it died of (0 when it did not die of one).
template <class Body>
int die_after(Body body, int signal_number) {
  const pid_t child = ::fork();
  if (child == 0) {
    install_signal_cleanup();
    body();
    ::raise(signal_number);
    ::_exit(0);  // not reached when the signal kills it
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

TEST(TempFileTest, ASignalThatStopsTheProcessRemovesItsTemporaryFiles) {
  for (int signal_number : {SIGTERM, SIGINT, SIGHUP}) {
    TempDir dir;
    const int died_of = die_after(
        [&] {
          TempFile partial(dir / "blobs" / "abc");
          std::ofstream(partial.path()) << "half a blob";
          TempFile done(dir / "blobs" / "def");
          std::ofstream(done.path()) << "a whole blob";
          done.commit();
          // The signal comes while `partial` is being written: no destructor runs.
          ::raise(signal_number);
        },
        signal_number);
    EXPECT_EQ(died_of, signal_number);  // it still dies of the signal, as it would have
    EXPECT_EQ(names_in(dir / "blobs"), (std::vector<std::string>{"def"})) << signal_number;
  }
}

pid_t a_finished_process() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return child;
}

TEST(TempFileTest, StaleTemporaryFilesOfFinishedProcessesAreSwept) {
  TempDir dir;
  const std::string dead = std::to_string(a_finished_process());
  const std::string alive = std::to_string(::getpid());
  const auto long_ago = fs::file_time_type::clock::now() - std::chrono::hours(1);
  auto file = [&](const std::string& name, bool old) {
    testing::write_file(dir / name, "x");
    if (old) fs::last_write_time(dir / name, long_ago);
  };
  file(".abc.tmp-" + dead + "-0", true);   // left by a killed process: swept
  file(".abc.tmp-" + dead + "-1", false);  // written a moment ago (another PID namespace?)
  file(".abc.tmp-" + alive + "-2", true);  // its writer runs
  file(".abc.tmp-x-3", true);              // not a name TempFile makes
  file("abc.tmp-" + dead + "-4", true);    // not hidden: not ours
  file("0123abcd", true);                  // a blob
  remove_stale_temp_files(dir.path());
  EXPECT_EQ(names_in(dir.path()),
            (std::vector<std::string>{".abc.tmp-" + alive + "-2", ".abc.tmp-" + dead + "-1",
                                      ".abc.tmp-x-3", "0123abcd", "abc.tmp-" + dead + "-4"}));
  remove_stale_temp_files(dir / "missing");  // nothing to sweep is no error
}

}  // namespace
}  // namespace ko
