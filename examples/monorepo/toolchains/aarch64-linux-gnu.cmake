# Cross toolchain for linux/arm64 images from an amd64 machine (Debian:
# apt-get install g++-aarch64-linux-gnu). Configure a second build tree with it:
#   cmake -G Ninja -S examples/monorepo -B build-arm64 \
#     -DCMAKE_TOOLCHAIN_FILE=examples/monorepo/toolchains/aarch64-linux-gnu.cmake \
#     -DKO_DEFAULT_PLATFORMS=linux/arm64 -DKoImage_DIR=<cmake-ko build dir>
# TARGET and CGO images take their platform from this toolchain (linux/arm64); the C++
# library is compiled for arm64 and linked into the arm64 Go binary through cgo.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
