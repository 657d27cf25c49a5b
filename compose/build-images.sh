#!/usr/bin/env bash
# Builds KernelGate's images on a machine with no container registry: a Debian root file
# system made by debootstrap (packages installed in a chroot), turned into a base image with
# `docker import`, then `docker build` FROM it with the normal Dockerfiles under
# src/main/docker/. Images that already exist are skipped; tags: the project version and dev.
#
# Usage: compose/build-images.sh [kernel-py] [kernel-r] [java-base] [gateway]   (default: all)
# The gateway image packs target/kernelgate.jar (run `mvn -B package -DskipTests` first); it is
# rebuilt whenever the jar is newer than the image.
# Needs root, debootstrap and a running Docker engine (DOCKER overrides the client path).
set -euo pipefail
cd "$(dirname "$0")/.."

DOCKER=${DOCKER:-/usr/bin/docker}
WORK=${KG_IMAGE_WORK:-/var/tmp/kernelgate-images}
VERSION=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)
SUITE=bookworm
MIRROR=${KG_DEBIAN_MIRROR:-http://deb.debian.org/debian}

log() { echo "build-images: $*"; }
have_image() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

# A minimal Debian tree, made once and reused for every base image.
debian_tree() {
  if [ ! -f "$WORK/debian/.complete" ]; then
    log "debootstrap $SUITE into $WORK/debian"
    rm -rf "$WORK/debian"
    mkdir -p "$WORK"
    debootstrap --variant=minbase "$SUITE" "$WORK/debian" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
      || { tail -20 "$WORK/debootstrap.log"; exit 1; }
    touch "$WORK/debian/.complete"
  fi
}

# base_image NAME PACKAGE...: the Debian tree plus packages, imported as NAME.
base_image() {
  local image=$1; shift
  if have_image "$image"; then log "$image exists"; return; fi
  debian_tree
  local tree="$WORK/tree-${image//[\/:]/_}"
  rm -rf "$tree"
  cp -a "$WORK/debian" "$tree"
  rm -f "$tree/.complete"
  # Use the host's apt sources: they are what this machine can reach.
  if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
    cp /etc/apt/sources.list.d/*.sources "$tree/etc/apt/sources.list.d/"
    rm -f "$tree/etc/apt/sources.list"
  elif [ -f /etc/apt/sources.list ]; then
    cp /etc/apt/sources.list "$tree/etc/apt/sources.list"
  fi
  cp /etc/resolv.conf "$tree/etc/resolv.conf"
  log "installing $* into $image"
  # Some maintainer scripts (Java's) need /proc.
  mount -t proc proc "$tree/proc"
  trap 'umount "$tree/proc" 2>/dev/null || true' EXIT
  chroot "$tree" apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive chroot "$tree" apt-get install -y -qq --no-install-recommends "$@" >"$WORK/apt-$$.log" 2>&1 \
    || { tail -20 "$WORK/apt-$$.log"; exit 1; }
  chroot "$tree" apt-get clean
  umount "$tree/proc"
  trap - EXIT
  rm -rf "$tree/var/lib/apt/lists/"* "$tree/etc/resolv.conf"
  log "importing $image"
  tar -C "$tree" -c . | "$DOCKER" import - "$image" >/dev/null
  rm -rf "$tree"
}

# kernel_image NAME BASE: docker build of src/main/docker/NAME FROM BASE, tagged VERSION and dev.
kernel_image() {
  local name=$1 base=$2
  if have_image "kernelgate/$name:$VERSION" && have_image "kernelgate/$name:dev"; then log "kernelgate/$name exists"; return; fi
  log "building kernelgate/$name:$VERSION"
  DOCKER_BUILDKIT=0 "$DOCKER" build -q --build-arg "BASE_IMAGE=$base" -f "src/main/docker/$name/Dockerfile" \
    -t "kernelgate/$name:$VERSION" -t "kernelgate/$name:dev" src/main/python >/dev/null
}

# gateway_image BASE: the jar, kernelspecs and conf in a context of their own, built FROM BASE.
gateway_image() {
  local base=$1 jar=target/kernelgate.jar
  if [ ! -f "$jar" ]; then echo "build-images: $jar is missing: run mvn -B package -DskipTests first" >&2; exit 2; fi
  if have_image "kernelgate/gateway:dev"; then
    local built jar_time
    built=$(date -d "$("$DOCKER" image inspect -f '{{.Created}}' kernelgate/gateway:dev)" +%s)
    jar_time=$(stat -c %Y "$jar")
    if [ "$jar_time" -le "$built" ]; then log "kernelgate/gateway:dev is up to date"; return; fi
  fi
  local context
  context=$(mktemp -d)
  cp "$jar" "$context/kernelgate.jar"
  cp -r kernelspecs conf "$context/"
  log "building kernelgate/gateway:$VERSION"
  DOCKER_BUILDKIT=0 "$DOCKER" build -q --build-arg "BASE_IMAGE=$base" -f src/main/docker/gateway/Dockerfile \
    -t "kernelgate/gateway:$VERSION" -t "kernelgate/gateway:dev" "$context" >/dev/null
  rm -rf "$context"
}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(kernel-py kernel-r gateway); fi
for target in "${targets[@]}"; do
  case "$target" in
    kernel-py)
      base_image kernelgate/kernel-py-base:$SUITE python3-ipykernel python3-jupyter-client python3-cryptography
      kernel_image kernel-py kernelgate/kernel-py-base:$SUITE ;;
    kernel-r)
      base_image kernelgate/kernel-r-base:$SUITE r-cran-irkernel python3 python3-cryptography
      kernel_image kernel-r kernelgate/kernel-r-base:$SUITE ;;
    java-base)
      base_image kernelgate/java-base:$SUITE openjdk-17-jre-headless ;;
    gateway)
      base_image kernelgate/java-base:$SUITE openjdk-17-jre-headless
      gateway_image kernelgate/java-base:$SUITE ;;
    *) echo "build-images: unknown image $target" >&2; exit 2 ;;
  esac
done
log "done"
