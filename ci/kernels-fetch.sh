#!/usr/bin/env bash
# Debian kernels for ci/kernels, by short version, through a PRIVATE apt
# configuration: its own sources list, package lists and cache under
# WORK/apt (-o Dir::Etc::SourceList, Dir::Etc::SourceParts, Dir::State::Lists,
# Dir::Cache), so the system's sources and lists are never touched.
#
# The suites read: bullseye and bullseye-security (5.10), bookworm (6.1),
# bookworm-security and bookworm-backports, trixie (6.12), trixie-backports
# (6.16 to 7.x), sid. From 6.19 on, linux-image-<ver> is a small meta package
# and the kernel is in linux-binary-<ver>, at usr/lib/modules/<ver>/vmlinuz;
# before, it is linux-image-<ver> at boot/vmlinuz-<ver>.
#
# Usage: ci/kernels-fetch.sh [--work DIR] [--refresh] resolve SPEC...
#        ci/kernels-fetch.sh [--work DIR] [--refresh] fetch SPEC...
#   SPEC: a line (5.10, 6.1, 6.12, 6.16, 7): the newest amd64 kernel of it in
#         any suite; "newest": the newest of all; or a package name
#         (linux-image-..., linux-binary-...).
#   resolve prints "SPEC PACKAGE" per SPEC; fetch downloads (cached in
#   WORK/debs), unpacks (WORK/kernels/PACKAGE) and prints "SPEC PACKAGE VMLINUZ".
#   --refresh   update the private package lists even when they are recent
#               (otherwise they are updated when missing or older than a day)
# Exit: 0; 1 when a download or unpack failed; 2 for bad usage, or a SPEC
# that no suite has (the message lists the lines that exist).
set -euo pipefail

work=$(cd "$(dirname "$0")/.." && pwd)/build-kernels
refresh=0
die() {
  echo "kernels-fetch: $*" >&2
  exit 2
}
while [[ $# -gt 0 ]]; do
  case $1 in
  --work) [[ $# -ge 2 && -n $2 ]] || die "--work needs a directory"; work=$2; shift 2 ;;
  --refresh) refresh=1; shift ;;
  --help | -h) sed -n '/^# Usage:/,/^# that no suite/s/^# \{0,1\}//p' "$0"; exit 0 ;;
  *) break ;;
  esac
done
[[ $# -ge 2 && ($1 == resolve || $1 == fetch) ]] || die "usage: ci/kernels-fetch.sh [--work DIR] [--refresh] resolve|fetch SPEC..."
action=$1
shift

apt_dir=$work/apt
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/sources.list.d" \
  "$work/debs" "$work/kernels"
# Debian's archive keys that sign these suites; bookworm's keyring has the
# trixie keys too.
[[ -r $keyring ]] || die "no $keyring (apt-get install debian-archive-keyring)"
cat >"$apt_dir/sources.list.tmp" <<EOF
deb [arch=amd64 signed-by=$keyring] http://deb.debian.org/debian bullseye main
deb [arch=amd64 signed-by=$keyring] http://deb.debian.org/debian-security bullseye-security main
deb [arch=amd64 signed-by=$keyring] http://deb.debian.org/debian bookworm main
deb [arch=amd64 signed-by=$keyring] http://deb.debian.org/debian-security bookworm-security main
deb [arch=amd64 signed-by=$keyring] http://deb.debian.org/debian bookworm-backports main
deb [arch=amd64 signed-by=$keyring] http://deb.debian.org/debian trixie main
deb [arch=amd64 signed-by=$keyring] http://deb.debian.org/debian trixie-backports main
deb [arch=amd64 signed-by=$keyring] http://deb.debian.org/debian sid main
EOF
mv -f "$apt_dir/sources.list.tmp" "$apt_dir/sources.list"

apt_opts=(
  -o "Dir::Etc::SourceList=$apt_dir/sources.list"
  -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache"
  -o "Dir::Etc::Preferences=/dev/null"
  -o "Dir::Etc::PreferencesParts=$apt_dir/sources.list.d"
  -o "APT::Architectures=amd64"
  -o "Acquire::Languages=none"
  -o "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false"
  -o "Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false"
  -o "Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled=false"
)
# As root, apt downloads as the _apt user, who cannot write here.
[[ $(id -u) -ne 0 ]] || apt_opts+=(-o "APT::Sandbox::User=root")

stale=$(find "$apt_dir/lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -n 1)
if ((refresh)) || [[ -z $stale ]]; then
  echo "kernels-fetch: updating the private package lists in $apt_dir (system sources untouched)" >&2
  if ! apt-get "${apt_opts[@]}" -q update >"$apt_dir/update.log" 2>&1; then
    tail -n 20 "$apt_dir/update.log" >&2
    echo "kernels-fetch: apt-get update failed (log: $apt_dir/update.log)" >&2
    exit 1
  fi
fi

# Every amd64 kernel package of the suites: "VERSION NAME", VERSION the
# kernel release in the name (6.1.0-44, 6.12.57+deb13, 7.2.1+deb14).
# Not -rt, -cloud, debug or unsigned flavours; linux-binary-* when the
# linux-image-* of the same release is its meta package.
all_kernels() {
  apt-cache "${apt_opts[@]}" search --names-only '^linux-(image|binary)-[0-9]+\.[0-9]+' 2>/dev/null |
    awk '{print $1}' | grep -E -- '-amd64$' | grep -vE -- '-(rt|cloud)-amd64$|-dbg|-unsigned' |
    sed -E 's/^linux-(image|binary)-(.*)-amd64$/\2 &/' | sort -V -k1,1 -u
}

# linux-binary-REL when it exists (the real kernel from 6.19 on), else linux-image-REL.
package_of_release() {
  local rel=$1
  if apt-cache "${apt_opts[@]}" show "linux-binary-$rel-amd64" >/dev/null 2>&1; then
    echo "linux-binary-$rel-amd64"
  else
    echo "linux-image-$rel-amd64"
  fi
}

resolve() {
  local spec=$1 rel=""
  case $spec in
  linux-image-* | linux-binary-*)
    apt-cache "${apt_opts[@]}" show "$spec" >/dev/null 2>&1 || die "no package $spec in the suites read"
    echo "$spec"
    return ;;
  newest) rel=$(all_kernels | awk '{print $1}' | sort -V | tail -n 1) ;;
  [0-9] | [0-9][0-9] | [0-9].[0-9]* | [0-9][0-9].[0-9]*)
    [[ $spec =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "'$spec' is not a kernel line (e.g. 6.1, 6.12, 7)"
    local re="^${spec//./\\.}[.-]"
    rel=$(all_kernels | awk '{print $1}' | grep -E -- "$re" | sort -V | tail -n 1 || true) ;;
  *) die "'$spec' is not a kernel line (e.g. 6.1), newest or a linux-image/linux-binary package" ;;
  esac
  if [[ -z $rel ]]; then
    local lines
    lines=$(all_kernels | awk '{print $1}' | sed -E 's/^([0-9]+\.[0-9]+).*/\1/' | sort -uV | tr '\n' ' ')
    die "no Debian kernel of line $spec in the suites read (lines there: ${lines% })"
  fi
  package_of_release "$rel"
}

# The vmlinuz of an unpacked package.
vmlinuz_in() {
  local d=$1 f
  for f in "$d"/boot/vmlinuz-* "$d"/usr/lib/modules/*/vmlinuz "$d"/lib/modules/*/vmlinuz; do
    [[ -f $f ]] && { echo "$f"; return 0; }
  done
  return 1
}

fetch() {
  local pkg=$1 deb dir
  deb=$(ls "$work/debs/${pkg}"_*.deb 2>/dev/null | head -n 1 || true)
  if [[ -z $deb ]]; then
    echo "kernels-fetch: downloading $pkg" >&2
    if ! (cd "$work/debs" && apt-get "${apt_opts[@]}" -q download "$pkg" >"$work/debs/$pkg.log" 2>&1); then
      tail -n 5 "$work/debs/$pkg.log" >&2
      echo "kernels-fetch: apt-get download $pkg failed" >&2
      return 1
    fi
    rm -f "$work/debs/$pkg.log"
    deb=$(ls "$work/debs/${pkg}"_*.deb | head -n 1)
  fi
  dir=$work/kernels/$pkg
  if ! vmlinuz_in "$dir" >/dev/null; then
    rm -rf "$dir.tmp"
    dpkg -x "$deb" "$dir.tmp" || { echo "kernels-fetch: cannot unpack $deb" >&2; rm -rf "$dir.tmp"; return 1; }
    rm -rf "$dir"
    mv "$dir.tmp" "$dir"
  fi
  vmlinuz_in "$dir" || { echo "kernels-fetch: $pkg holds no vmlinuz (boot/ or usr/lib/modules/*/)" >&2; return 1; }
}

rc=0
for spec in "$@"; do
  pkg=$(resolve "$spec")
  if [[ $action == resolve ]]; then
    echo "$spec $pkg"
  elif v=$(fetch "$pkg"); then
    echo "$spec $pkg $v"
  else
    rc=1
  fi
done
exit "$rc"
