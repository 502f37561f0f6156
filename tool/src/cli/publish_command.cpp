#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/environment.hpp"
#include "cli/publish_progress.hpp"
#include "docker/engine.hpp"
#include "oci/annotations.hpp"
#include "oci/docker_archive.hpp"
#include "oci/documents.hpp"
#include "oci/layout.hpp"
#include "oci/media_types.hpp"
#include "registry/naming.hpp"
#include "registry/push.hpp"
#include "registry/referrers.hpp"
#include "registry/signatures.hpp"
#include "signing/ec_key.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ko::cli {

namespace {

// The "registry" that stands for the local Docker daemon, as in ko: KO_DOCKER_REPO=ko.local
// loads images into it (through the Engine API) instead of pushing them.
constexpr std::string_view kLocalDaemon = "ko.local";

// Where to push: --repository, else --docker-repo or $KO_DOCKER_REPO plus a derived name.
// With `to_daemon` (the <name>_load target), ko.local plus the name either would give.
Reference target_repository(const Args& args, const std::string& image_name, bool to_daemon) {
  const Naming naming = parse_naming(args.optional("naming").value_or("default"));
  if (to_daemon) {
    if (auto repository = args.optional("repository")) {
      const std::string path = Reference::parse_repository(*repository).repository;
      return Reference::parse_repository(std::string(kLocalDaemon) + "/" +
                                         path.substr(path.rfind('/') + 1));
    }
    return Reference::parse_repository(
        repository_for(std::string(kLocalDaemon), args.required("importpath"), naming));
  }
  if (auto repository = args.optional("repository"))
    return Reference::parse_repository(*repository);
  std::string docker_repo = args.optional("docker-repo").value_or("");
  if (docker_repo.empty()) {
    const char* env = std::getenv("KO_DOCKER_REPO");
    docker_repo = env ? env : "";
  }
  if (docker_repo.empty())
    throw Error("no repository to publish " + image_name +
                " to: set KO_DOCKER_REPO (environment or -DKO_DOCKER_REPO=…), or give ko_image() a "
                "REPOSITORY");
  return Reference::parse_repository(
      repository_for(docker_repo, args.required("importpath"), naming));
}

// The repository of the image's base when it lives on `registry` (for cross-repo mounts).
std::optional<std::string> base_repository_on(const BlobStore& store, const Descriptor& top,
                                              const std::string& registry) {
  const std::optional<std::string> base = annotation::base_name_of(store, top);
  if (!base) return std::nullopt;
  Reference reference = Reference::parse(*base);
  if (reference.registry != registry) return std::nullopt;
  return reference.repository;
}

// One SBOM of an image: its platform as given, and its attachment or why there is none.
struct Sbom {
  std::string platform;
  std::string file;
  std::optional<size_t> attachment;  // index into the attachments of the run
  std::string error;
};

// Plans the attachment of each platform's SBOM to that platform's manifest.
void plan_sboms(RegistrySession& client, const Layout& layout, const Descriptor& top,
                std::vector<Sbom>& sboms, std::vector<Attachment>& attachments) {
  for (Sbom& sbom : sboms) {
    try {
      Platform platform = Platform::parse(sbom.platform);
      Descriptor subject = top;
      if (media_type::is_index(top.media_type)) {
        const Index index = read_index(layout.blobs(), top, "index");
        const Descriptor* child = index.manifest_for(platform);
        if (!child) throw Error("the image has no " + platform.str() + " manifest");
        subject = *child;
      }
      attachments.push_back(Attachment{.client = &client,
                                       .subject = subject,
                                       .artifact_type = "application/spdx+json",
                                       .content = read_file(sbom.file),
                                       .tag_suffix = "sbom"});
      sbom.attachment = attachments.size() - 1;
    } catch (const Error& e) {
      sbom.error = e.what();
    }
  }
}

// An SBOM the registry refuses never fails the publish: the image is what matters.
void report_sboms(const std::vector<Sbom>& sboms, const std::vector<Attachment>& attachments) {
  for (const Sbom& sbom : sboms) {
    const Attachment* a = sbom.attachment ? &attachments[*sbom.attachment] : nullptr;
    const std::string error = a ? a->error : sbom.error;
    if (!error.empty()) {
      std::cerr
          << "ko-image: warning: could not attach the " << sbom.platform << " SBOM (" << error
          << "); the image itself was published. Pass SBOM none to ko_image() to skip SBOMs.\n";
      continue;
    }
    // A second publish finds the same SBOM there: saying "attached" would claim an upload.
    std::cerr << "ko-image: " << (a->result.already_present ? "found the " : "attached the ")
              << Platform::parse(sbom.platform).str() << " SBOM " << a->result.manifest.str()
              << (a->result.already_present ? " already present" : "")
              << (a->result.via_referrers_api ? " (referrers API)"
                                              : " as tag " + a->result.fallback_tag)
              << "\n";
  }
}

// The flags that describe one image, from the command line or an --image-args file.
const std::set<std::string> kImageFlags{"layout",     "repository", "docker-repo", "naming",
                                        "importpath", "ref-file",   "name",        "signing-key"};
const std::set<std::string> kImageRepeatedFlags{"tag", "sbom"};

// An --image-args file: one command-line argument per line (`--layout=DIR`, …).
Args read_image_args(const std::string& file) {
  std::vector<std::string> lines;
  std::string text;
  try {
    text = read_file(file);
  } catch (const Error& e) {
    throw UsageError("publish: cannot read --image-args file " + file + " (" + e.what() +
                     "); re-run CMake to write it again");
  }
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
    start = end + 1;
  }
  Args args("publish (" + file + ")", lines, kImageFlags, kImageRepeatedFlags);
  if (!args.positionals().empty())
    throw UsageError("publish: " + file + ": unexpected line '" + args.positionals().front() +
                     "' (each line is one --flag=value)");
  return args;
}

// One image to publish, and what became of it.
struct Publication {
  std::string name;
  std::optional<Layout> layout;
  Descriptor top;
  std::optional<Reference> target;
  std::vector<std::string> tags;
  std::vector<Sbom> sboms;
  std::optional<std::string> ref_file;
  std::unique_ptr<RegistrySession> client;
  PushOptions options;
  std::optional<size_t> push;  // its index in the run's pushes; none when loaded into the daemon
  std::string loaded;          // the daemon's reference of it, once loaded
  const SigningKey* key = nullptr;             // sign what is pushed, when set
  std::pair<size_t, size_t> signatures{0, 0};  // its range in the run's signature jobs
  std::string error;

  bool to_daemon() const { return target->registry == kLocalDaemon; }
};

// Everything about an image that needs no network: its layout, top manifest, repository.
void prepare(Publication& p, const Args& args, HttpClient& http, const RegistryOptions& options,
             int64_t chunk_size, bool to_daemon) {
  p.layout.emplace(args.required("layout"));
  p.name = args.optional("name").value_or(p.layout->dir().filename().string());
  p.tags = args.all("tag");
  if (p.tags.empty()) p.tags.push_back("latest");
  for (const std::string& item : args.all("sbom")) {
    auto [platform, file] = split_key_value(item, "--sbom");
    p.sboms.push_back(Sbom{.platform = platform, .file = file});
  }
  p.ref_file = args.optional("ref-file");
  std::vector<Descriptor> entries = p.layout->manifests();
  if (entries.empty()) throw Error(p.layout->dir().string() + " holds no image; build it first");
  p.top = entries.front();
  p.top.annotations.clear();
  p.target = target_repository(args, p.name, to_daemon);
  p.options = PushOptions{.tags = p.tags, .chunk_size = chunk_size};
  p.options.mount_from = base_repository_on(p.layout->blobs(), p.top, p.target->registry);
  p.client = std::make_unique<RegistrySession>(http, *p.target, options);
}

void report_push(const Publication& p, const PushReport& report) {
  if (report.already_present) {
    std::cerr << "ko-image: " << p.target->name() << " already has " << p.top.digest.str()
              << "; nothing to push\n";
    return;
  }
  std::cerr << "ko-image: " << p.target->name() << ": pushed " << report.blobs_uploaded
            << " blob(s) (" << human_bytes(report.bytes_uploaded) << "), mounted "
            << report.blobs_mounted << ", " << report.blobs_present << " already present, "
            << report.manifests_pushed << " manifest(s); tags: ";
  for (size_t i = 0; i < p.tags.size(); ++i) std::cerr << (i ? ", " : "") << p.tags[i];
  std::cerr << "\n";
}

// Loads the image (its manifest for the daemon's platform) into the Docker daemon as ko does:
// tagged <repository>:<manifest hex> (the reference printed) and <repository>:<tag> per tag.
void load_into_daemon(Publication& p, const DockerEngine& engine, const Platform& platform) {
  Descriptor image;
  try {
    image = image_for_platform(*p.layout, p.top, platform);
  } catch (const Error& e) {
    throw Error(std::string(e.what()) + ", the platform of the Docker daemon at " +
                engine.host().shown);
  }
  const std::string repository = p.target->name();
  std::vector<std::string> repo_tags{repository + ":" + image.digest.hex()};
  for (const std::string& tag : p.tags) repo_tags.push_back(repository + ":" + tag);
  TempFile archive(fs::temp_directory_path() / ("ko-image-load-" + image.digest.hex() + ".tar"));
  write_docker_archive(*p.layout, image, repo_tags, 0, archive.path());
  engine.load(archive.path());
  p.loaded = repo_tags.front();
  std::cerr << "ko-image: loaded " << p.loaded << " (" << platform.str()
            << ") into the Docker daemon at " << engine.host().shown << "; tags: ";
  for (size_t i = 0; i < p.tags.size(); ++i) std::cerr << (i ? ", " : "") << p.tags[i];
  std::cerr << "\n";
}

// registry/repo@sha256:…, or registry/repo:tag@sha256:… for one tag other than latest, as
// ko prints it; ko.local/repo:<hex> for an image loaded into the daemon.
std::string reference_of(const Publication& p) {
  if (!p.loaded.empty()) return p.loaded;
  std::string ref = p.target->name();
  if (p.tags.size() == 1 && p.tags.front() != "latest") ref += ":" + p.tags.front();
  return ref + "@" + p.top.digest.str();
}

// The signing key file of an image: --signing-key, else $KO_SIGNING_KEY (read here, when
// the publish runs, so a CI secret's path needs no reconfigure); empty for none.
std::string signing_key_file(const Args& args) {
  if (auto file = args.optional("signing-key")) return *file;
  const char* env = std::getenv("KO_SIGNING_KEY");
  return env ? env : "";
}

// Every manifest of a pushed image to sign: the top one, an index's images, the SBOMs.
std::vector<Descriptor> manifests_to_sign(const Publication& p,
                                          const std::vector<Attachment>& attachments) {
  std::vector<Descriptor> out{p.top};
  if (media_type::is_index(p.top.media_type)) {
    for (const Descriptor& child : read_index(p.layout->blobs(), p.top, "index").manifests) {
      out.push_back(
          Descriptor{.media_type = child.media_type, .digest = child.digest, .size = child.size});
    }
  }
  for (const Sbom& sbom : p.sboms) {
    if (!sbom.attachment || !attachments[*sbom.attachment].error.empty()) continue;
    const AttachResult& r = attachments[*sbom.attachment].result;
    out.push_back(Descriptor{.media_type = std::string(media_type::kOciManifest),
                             .digest = r.manifest,
                             .size = r.manifest_size});
  }
  return out;
}

// One line per signed image; a signature the registry refused fails the image, since a
// deployment that admits only signed images would refuse it.
void report_signatures(Publication& p, const std::vector<SignatureJob>& jobs) {
  int made = 0, present = 0, referrers = 0;
  for (const SignatureJob& job : jobs) {
    if (!job.error.empty()) {
      if (p.error.empty()) p.error = "signing " + job.subject.digest.str() + ": " + job.error;
      continue;
    }
    (job.already_signed ? present : made)++;
    if (job.as_referrer) ++referrers;
  }
  if (!p.error.empty()) return;
  std::cerr << "ko-image: " << p.target->name() << ": signed " << jobs.size() << " manifest(s) ("
            << made << " new, " << present << " already signed) as sha256-<digest>.sig tags"
            << (referrers ? " and referrers" : "") << "\n";
}

int64_t positive_flag(const Args& args, const std::string& name, int64_t fallback) {
  auto text = args.optional(name);
  if (!text) return fallback;
  char* end = nullptr;
  long long value = std::strtoll(text->c_str(), &end, 10);
  if (value <= 0 || *end != '\0')
    throw UsageError("publish: --" + name + " must be a positive number, not '" + *text + "'");
  return value;
}

}  // namespace

int run_publish(const Argv& argv) {
  // Either one image described by flags, or --image-args files of several images.
  std::set<std::string> single = kImageFlags;
  single.insert({"chunk-size", "jobs", "to"});
  std::set<std::string> repeated = kImageRepeatedFlags;
  repeated.insert("image-args");
  Args args("publish", argv, single, repeated);
  if (!args.positionals().empty())
    throw UsageError("publish: unexpected argument '" + args.positionals().front() + "'");
  std::vector<Args> images;
  const std::vector<std::string> files = args.all("image-args");
  if (files.empty()) {
    images.push_back(args);
  } else {
    for (const std::string& flag : kImageFlags)
      if (args.optional(flag))
        throw UsageError("publish: --" + flag + " belongs in the --image-args files");
    for (const std::string& flag : kImageRepeatedFlags)
      if (!args.all(flag).empty())
        throw UsageError("publish: --" + flag + " belongs in the --image-args files");
    for (const std::string& file : files) images.push_back(read_image_args(file));
  }
  const int64_t chunk_size = positive_flag(args, "chunk-size", PushOptions{}.chunk_size);
  const int jobs = static_cast<int>(std::min<int64_t>(positive_flag(args, "jobs", 8), 64));
  // --to daemon (the <name>_load target): every image into the local Docker daemon.
  const std::string to = args.optional("to").value_or("registry");
  if (to != "registry" && to != "daemon")
    throw UsageError("publish: --to is registry or daemon, not '" + to + "'");

  // Signing keys first: a key that cannot be used stops the run before anything is pushed.
  std::map<std::string, SigningKey> keys;
  std::vector<const SigningKey*> image_keys;
  for (const Args& image : images) {
    const std::string file = signing_key_file(image);
    if (file.empty()) {
      image_keys.push_back(nullptr);
      continue;
    }
    if (!keys.contains(file)) keys.emplace(file, SigningKey::load(file));
    image_keys.push_back(&keys.at(file));
  }

  // One HTTP client for all images: one connection cache, one parallel run of all blobs.
  const RegistryOptions options = registry_options_from_environment();
  HttpClient http(http_client_options(options));
  std::vector<Publication> publications(images.size());
  std::vector<ImagePush> pushes;
  std::vector<Publication*> pushed;
  for (size_t i = 0; i < images.size(); ++i) {
    Publication& p = publications[i];
    try {
      prepare(p, images[i], http, options, chunk_size, to == "daemon");
      if (to == "daemon") p.ref_file.reset();  // the .ref file is what a publish published
      p.key = image_keys[i];
    } catch (const UsageError&) {
      throw;
    } catch (const Error& e) {
      p.error = e.what();
      if (p.name.empty()) p.name = images[i].optional("layout").value_or("?");
      continue;
    }
    if (p.to_daemon()) continue;
    p.push = pushes.size();
    pushes.push_back(ImagePush{
        .client = p.client.get(), .store = &p.layout->blobs(), .top = p.top, .options = p.options});
    pushed.push_back(&p);
  }
  std::unique_ptr<PublishProgress> progress = PublishProgress::for_stderr();
  push_images(pushes, jobs, progress.get());
  progress->finish();

  // Then the SBOMs of all pushed images, together too.
  std::vector<Attachment> attachments;
  for (size_t i = 0; i < pushed.size(); ++i) {
    Publication& p = *pushed[i];
    p.error = pushes[i].error;
    if (p.error.empty()) plan_sboms(*p.client, *p.layout, p.top, p.sboms, attachments);
  }
  attach_artifacts(attachments, jobs);

  // Then the signatures of everything pushed with a key: images, indexes, SBOMs.
  std::vector<SignatureJob> signatures;
  for (Publication* pushed_one : pushed) {
    Publication& p = *pushed_one;
    p.signatures = {signatures.size(), signatures.size()};
    if (!p.error.empty() || !p.key) continue;
    std::vector<Descriptor> subjects;
    try {
      subjects = manifests_to_sign(p, attachments);
    } catch (const Error& e) {
      p.error = e.what();
      continue;
    }
    for (const Descriptor& subject : subjects)
      signatures.push_back(
          SignatureJob{.client = p.client.get(), .subject = subject, .key = p.key});
    p.signatures.second = signatures.size();
  }
  push_signatures(signatures, jobs);

  // Images for ko.local go into the Docker daemon (SBOMs and signatures have no place there).
  std::optional<DockerEngine> engine;
  std::optional<Platform> daemon_platform;
  for (Publication& p : publications) {
    if (!p.error.empty() || !p.target || !p.to_daemon()) continue;
    try {
      if (!engine) {
        const char* host = std::getenv("DOCKER_HOST");
        const char* tls = std::getenv("DOCKER_TLS_VERIFY");
        engine.emplace(parse_docker_host(host ? host : "", tls && *tls));
        daemon_platform = engine->platform();
      }
      load_into_daemon(p, *engine, *daemon_platform);
    } catch (const Error& e) {
      p.error = e.what();
    }
  }

  int published = 0;
  for (Publication& p : publications) {
    if (!p.error.empty() || !p.target) continue;
    if (p.push) {
      report_push(p, pushes[*p.push].report);
      report_sboms(p.sboms, attachments);
      if (p.key) {
        auto [begin, end] = p.signatures;
        report_signatures(
            p, std::vector<SignatureJob>(signatures.begin() + begin, signatures.begin() + end));
        if (!p.error.empty()) continue;
      }
    }
    const std::string ref = reference_of(p);
    if (p.ref_file) write_file_if_changed(*p.ref_file, ref + "\n");
    std::cout << ref << std::endl;
    ++published;
  }
  if (const TransportCounters& counters = http.counters(); counters.requests > 0)
    std::cerr << "ko-image: published " << published << " of " << publications.size()
              << " image(s): " << counters.requests << " request(s) over "
              << counters.connections_opened << " connection(s), "
              << human_bytes(counters.bytes_sent) << " sent\n";

  if (publications.size() == 1 && !publications.front().error.empty())
    throw Error(publications.front().error);
  int failed = 0;
  for (const Publication& p : publications) {
    if (p.error.empty()) continue;
    std::cerr << "ko-image: error: " << p.name << ": " << p.error << "\n";
    ++failed;
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace ko::cli
