#!/bin/sh
# Installs the Debian/Ubuntu packages cardorder needs to build and test,
# when some are missing. Uses sudo when not run as root.
set -eu
PACKAGES="build-essential autoconf automake libtool pkg-config
  libncurses-dev libcurl4-openssl-dev libjson-c-dev check libmicrohttpd-dev
  libcsv-dev libutf8proc-dev uuid-dev libssl-dev tmux valgrind clang
  libclang-rt-dev curl ca-certificates man-db groff-base cppcheck clang-tidy
  gettext autopoint locales"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
    || missing="$missing $p"
done

# The French tests need a French locale (issue 16).
need_locale=""
locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\?8$' || need_locale=yes
[ -z "$missing" ] && [ -z "$need_locale" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
if [ -n "$missing" ]; then
  echo "installing:$missing" >&2
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if [ -n "$need_locale" ] || ! locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\?8$'; then
  echo "generating the fr_FR.UTF-8 locale" >&2
  $SUDO localedef -i fr_FR -f UTF-8 fr_FR.UTF-8
fi
