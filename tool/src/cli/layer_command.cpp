#include <charconv>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/environment.hpp"
#include "gobuild/depfile.hpp"
#include "gobuild/elf.hpp"
#include "json/json.hpp"
#include "layer/layer_writer.hpp"
#include "oci/blob_store.hpp"
#include "oci/media_types.hpp"
#include "oci/mutate.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko::cli {

namespace {
// A whole number in [min, max], else a usage error naming the flag and the range.
int parse_int(const std::string& text, const std::string& flag, int min, int max) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min ||
      value > max)
    throw UsageError("layer: " + flag + " must be " + std::to_string(min) + ".." +
                     std::to_string(max) + ", got '" + text + "'");
  return value;
}

Compression parse_compression(const std::string& text) {
  if (text == "gzip") return Compression::kGzip;
  if (text == "zstd") return Compression::kZstd;
  throw UsageError("layer: --compression must be gzip or zstd, got '" + text + "'");
}
}  // namespace

int run_layer(const Argv& argv) {
  Args args("layer", argv,
            {"binary", "name", "kodata", "blobs", "output", "depfile", "ninja-dir", "compression",
             "compression-level", "threads", "source-date-epoch", "platform"});
  const std::filesystem::path binary = args.required("binary");
  const std::string name = args.required("name");
  if (name.empty() || name.find('/') != std::string::npos)
    throw UsageError("layer: --name must be a file name, got '" + name + "'");
  const std::filesystem::path output = args.required("output");

  // Binaries not built by go-build (CMake TARGETs) get their architecture checked here.
  if (auto platform = args.optional("platform"))
    check_elf_platform(binary, Platform::parse(*platform));
  const std::optional<std::string> interpreter = elf_interpreter(binary);

  std::vector<LayerEntry> entries{LayerEntry::file_from("ko-app/" + name, binary, 0555)};
  std::vector<std::filesystem::path> read;
  if (auto kodata = args.optional("kodata")) {
    // Directories are inputs too: adding a file changes their mtime.
    for (LayerEntry& entry : kodata_entries(*kodata, "var/run/ko", &read))
      entries.push_back(std::move(entry));
  }

  LayerOptions options{.mtime = source_date_epoch(args)};
  if (auto compression = args.optional("compression"))
    options.compression = parse_compression(*compression);
  const bool zstd = options.compression == Compression::kZstd;
  if (auto level = args.optional("compression-level"))
    options.compression_level = zstd ? parse_int(*level, "--compression-level (zstd)", 1, 22)
                                     : parse_int(*level, "--compression-level (gzip)", 0, 12);
  if (auto threads = args.optional("threads"))
    options.threads = parse_int(*threads, "--threads", 1, 1024);
  BlobStore store(args.required("blobs"));
  WrittenLayer layer = write_layer(std::move(entries), options, store.directory());

  json::Value descriptor;
  // OCI types; the image step switches gzip layers to Docker's type on a Docker base.
  descriptor["mediaType"] =
      std::string(zstd ? media_type::kOciLayerZstd : media_type::kOciLayerGzip);
  descriptor["digest"] = layer.digest.str();
  descriptor["size"] = layer.size;
  descriptor["diffID"] = layer.diff_id.str();
  descriptor["compression"] = layer.compression;
  // A dynamically linked binary: the image step checks its base has this interpreter.
  if (interpreter) descriptor["interpreter"] = *interpreter;
  if (auto depfile = args.optional("depfile"))
    write_file_atomic(*depfile,
                      format_depfile(output, read, args.optional("ninja-dir").value_or("")));
  write_file_if_changed(output, json::dump(descriptor) + "\n");
  return 0;
}

}  // namespace ko::cli
