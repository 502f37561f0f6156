#include <charconv>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "gobuild/depfile.hpp"
#include "gobuild/elf.hpp"
#include "json/json.hpp"
#include "layer/layer_writer.hpp"
#include "oci/media_types.hpp"
#include "oci/mutate.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko::cli {

namespace {
int parse_level(const std::string& text) {
  int level = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), level);
  if (ec != std::errc() || end != text.data() + text.size() || level < 0 || level > 9)
    throw UsageError("layer: --compression-level must be 0..9, got '" + text + "'");
  return level;
}
}  // namespace

int run_layer(const Argv& argv) {
  Args args("layer", argv,
            {"binary", "name", "kodata", "blobs", "output", "depfile", "compression-level",
             "source-date-epoch", "platform"});
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

  LayerOptions options{.mtime = source_date_epoch(args.optional("source-date-epoch"))};
  if (auto level = args.optional("compression-level"))
    options.compression_level = parse_level(*level);
  BlobStore store(args.required("blobs"));
  WrittenLayer layer = write_layer(std::move(entries), options, store);

  json::Value descriptor;
  descriptor["mediaType"] = std::string(media_type::kOciLayerGzip);
  descriptor["digest"] = layer.digest.str();
  descriptor["size"] = layer.size;
  descriptor["diffID"] = layer.diff_id.str();
  descriptor["compression"] = layer.compression;
  // A dynamically linked binary: the image step checks its base has this interpreter.
  if (interpreter) descriptor["interpreter"] = *interpreter;
  if (auto depfile = args.optional("depfile"))
    write_file_atomic(*depfile, format_depfile(output, read));
  write_file_if_changed(output, json::dump(descriptor) + "\n");
  return 0;
}

}  // namespace ko::cli
