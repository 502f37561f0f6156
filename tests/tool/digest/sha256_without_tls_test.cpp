// Sha256::skip_tls_setup(), which main() calls for the commands marked Network::kNever. A
// binary of its own: the skip is one-way for the process, so it must not reach the tests in
// ko-image-unit-tests that load libcurl.
#include <gtest/gtest.h>

#include <string>

#include "digest/sha256.hpp"
#include "registry/curl_library.hpp"
#include "util/error.hpp"

namespace ko {
namespace {

TEST(Sha256WithoutTls, HashesTheSameAfterTheSkip) {
  Sha256::skip_tls_setup();
  EXPECT_TRUE(Sha256::tls_setup_skipped());
  Sha256 sha;
  sha.update("abc");
  EXPECT_EQ(sha.finish_hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 million;
  const std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) million.update(chunk);
  EXPECT_EQ(million.finish_hex(),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256WithoutTls, LibcurlRefusesToLoadAfterTheSkip) {
  EXPECT_FALSE(Sha256::tls_setup_skipped());
  Sha256::skip_tls_setup();
  try {
    curl_library();
    FAIL() << "libcurl loaded in a process without TLS set-up";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("never use the network"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ko
