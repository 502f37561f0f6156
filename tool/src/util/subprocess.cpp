#include "util/subprocess.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.hpp"

extern char** environ;

namespace ko {

namespace {

// Owns a file descriptor.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd& operator=(Fd&&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Owns posix_spawn_file_actions_t.
class SpawnActions {
 public:
  SpawnActions() { posix_spawn_file_actions_init(&actions_); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

std::string find_on_path(const std::string& name, const Environment& environment) {
  if (name.find('/') != std::string::npos) return name;
  auto path = environment.find("PATH");
  if (path == environment.end()) return name;
  size_t start = 0;
  while (start <= path->second.size()) {
    size_t end = path->second.find(':', start);
    if (end == std::string::npos) end = path->second.size();
    std::string dir = path->second.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  throw Error("cannot find '" + name + "' on PATH; install it or give its full path");
}

}  // namespace

Environment current_environment() {
  Environment environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    size_t eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    environment.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return environment;
}

ProcessResult run_process(const std::vector<std::string>& argv, const Environment& environment,
                          const ProcessOptions& options) {
  if (argv.empty()) throw Error("internal: empty command line");
  std::string program = find_on_path(argv[0], environment);

  std::vector<std::string> env_strings;
  for (const auto& [key, value] : environment) env_strings.push_back(key + "=" + value);
  std::vector<char*> envp, args;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& s : argv_copy) args.push_back(s.data());
  args.push_back(nullptr);

  SpawnActions actions;
  int pipe_fds[2] = {-1, -1};
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw Error(system_error_text("pipe", errno));
  Fd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  if (options.capture_stdout) {
    posix_spawn_file_actions_adddup2(actions.get(), write_end.get(), STDOUT_FILENO);
  } else {
    posix_spawn_file_actions_adddup2(actions.get(), STDERR_FILENO, STDOUT_FILENO);
  }
  int stdin_fds[2] = {-1, -1};
  if (::pipe2(stdin_fds, O_CLOEXEC) != 0) throw Error(system_error_text("pipe", errno));
  Fd stdin_read(stdin_fds[0]), stdin_write(stdin_fds[1]);
  posix_spawn_file_actions_adddup2(actions.get(), stdin_read.get(), STDIN_FILENO);
  std::string cwd = options.working_directory.string();
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(actions.get(), cwd.c_str());

  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, program.c_str(), actions.get(), nullptr, args.data(), envp.data());
  if (rc != 0) throw Error(system_error_text("cannot run " + program, rc));
  write_end.reset();
  stdin_read.reset();
  // Small inputs (a server name for a credential helper) fit the pipe buffer.
  for (size_t written = 0; written < options.stdin_data.size();) {
    ssize_t n = ::write(stdin_write.get(), options.stdin_data.data() + written,
                        options.stdin_data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    written += static_cast<size_t>(n);
  }
  stdin_write.reset();

  ProcessResult result;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(read_end.get(), buffer, sizeof buffer);
    if (n > 0) {
      result.output.append(buffer, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw Error(system_error_text("waitpid", errno));
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace ko
