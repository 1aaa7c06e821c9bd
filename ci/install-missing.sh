# Sourced by the set-up scripts: install_missing NAME PKG... installs, as
# root, those of the Debian packages that are not installed yet (so a second
# run is quick), and says which; NAME prefixes its messages.
install_missing() {
  local name=$1
  shift
  local missing=() p status
  for p in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "$name: missing packages (${missing[*]}); run as root to install them" >&2
    exit 2
  fi
  echo "$name: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
