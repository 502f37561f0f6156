// Where `<name>_publish` pushes: the REPOSITORY given to ko_image(), else KO_DOCKER_REPO
// plus a name derived from the import path, with ko's naming strategies.
#pragma once

#include <string>

namespace ko {

enum class Naming {
  kDefault,   // <KO_DOCKER_REPO>/<last element>-<md5 of import path>   (ko's default)
  kBare,      // <KO_DOCKER_REPO>                                        (ko --bare)
  kBase,      // <KO_DOCKER_REPO>/<last element>                         (ko -B)
  kPreserve,  // <KO_DOCKER_REPO>/<import path, lower case>              (ko -P)
};

Naming parse_naming(const std::string& text);
std::string repository_for(const std::string& docker_repo, const std::string& import_path,
                           Naming naming);

}  // namespace ko
