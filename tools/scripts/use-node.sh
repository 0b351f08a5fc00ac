# Sourced by .ci/run (bash): puts the Node.js major version named in .nvmrc first on PATH.
# When the `node` on PATH is older, the official binary comes from the npm registry (the
# node-linux-<arch> package) into a cache directory outside the repository, once.
use_node() {
  local want have arch dir
  want=$(tr -dc '0-9' < "$1/.nvmrc")
  have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  ((have >= want)) && return 0
  arch=$(node -p 'process.arch' 2>/dev/null || uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')
  dir="${GALLERY_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gallery/node-$want-$arch}"
  if [ ! -x "$dir/node_modules/node-linux-$arch/bin/node" ]; then
    mkdir -p "$dir"
    (cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error "node-linux-$arch@$want")
  fi
  export PATH="$dir/node_modules/node-linux-$arch/bin:$PATH"
}
