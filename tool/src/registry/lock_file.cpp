#include "registry/lock_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "json/json.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko {

namespace fs = std::filesystem;

namespace {

json::Value read_document(const fs::path& lock_file) {
  std::error_code ec;
  if (!fs::is_regular_file(lock_file, ec)) return json::Value();
  json::Value doc = json::parse(read_file(lock_file), lock_file.string());
  if (const json::Value* version = doc.get("version"); !version || version->as_int("version") != 1)
    throw Error(lock_file.string() + " has an unknown version; expected \"version\": 1");
  return doc;
}

std::optional<LockEntry> entry_from(const json::Value& doc, const std::string& base,
                                    const fs::path& lock_file) {
  const json::Value* bases = doc.get("bases");
  const json::Value* entry = bases ? bases->get(base) : nullptr;
  if (!entry) return std::nullopt;
  const std::string what = lock_file.string() + " entry " + base;
  LockEntry result;
  result.reference = entry->get_string("reference", base);
  result.digest = Digest::parse(entry->get_string("digest"));
  result.media_type = entry->get_string("mediaType");
  if (const json::Value* platforms = entry->get("platforms")) {
    for (const auto& [platform, digest] : platforms->as_object(what + " platforms"))
      result.platforms[platform] = digest.as_string(what);
  }
  return result;
}

// Two-space indented, keys sorted: meant for people, diffs and Renovate.
void write_pretty(std::string& out, const json::Value& value, int indent) {
  if (value.is_object() && !value.as_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& [key, item] : value.as_object()) {
      if (!first) out += ",\n";
      first = false;
      out += std::string(indent + 2, ' ');
      json::write_string(out, key);
      out += ": ";
      write_pretty(out, item, indent + 2);
    }
    out += "\n" + std::string(indent, ' ') + "}";
  } else {
    json::write(out, value);
  }
}

// Holds an exclusive flock on a directory for the lifetime of the object.
class DirectoryLock {
 public:
  explicit DirectoryLock(const fs::path& dir)
      : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0)
      throw Error(system_error_text("cannot lock " + dir.string(), errno));
  }
  ~DirectoryLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_;
};

}  // namespace

std::optional<LockEntry> read_lock_entry(const fs::path& lock_file, const std::string& base) {
  return entry_from(read_document(lock_file), base, lock_file);
}

LockEntry write_lock_entry(const fs::path& lock_file, const std::string& base,
                           const LockEntry& entry, bool keep_existing) {
  fs::path dir = lock_file.parent_path().empty() ? fs::path(".") : lock_file.parent_path();
  DirectoryLock lock(dir);
  json::Value doc = read_document(lock_file);
  if (keep_existing) {
    if (auto existing = entry_from(doc, base, lock_file)) return *existing;
  }
  if (doc.is_null()) doc["version"] = 1;
  json::Value value;
  value["reference"] = entry.reference;
  value["digest"] = entry.digest.str();
  value["mediaType"] = entry.media_type;
  if (!entry.platforms.empty()) {
    json::Object platforms;
    for (const auto& [platform, digest] : entry.platforms) platforms[platform] = digest;
    value["platforms"] = std::move(platforms);
  }
  doc["bases"][base] = std::move(value);
  std::string text;
  write_pretty(text, doc, 0);
  write_file_if_changed(lock_file, text + "\n");
  return entry;
}

}  // namespace ko
