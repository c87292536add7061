// The install script GET /v1/agent/install.sh answers: plain POSIX sh, meant to be read before it is
// run. Values are single-quoted for sh; every path can be overridden by the environment.

/** 'value' for sh: single quotes, with any ' written as '\'' . */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface InstallScriptInput {
  /** An origin (scheme, host, port): nothing sh would expand. */
  apiUrl: string;
  /** Letters, digits, _ and - only. */
  enrollKey: string;
  sha256: string;
}

export function installScript({ apiUrl, enrollKey, sha256 }: InstallScriptInput): string {
  return `#!/bin/sh
# Installs the Flotilla agent as a systemd service and enrolls this machine.
#   sh install.sh [--dry-run]      --dry-run prints what it would do and changes nothing.
# Every setting below can be overridden from the environment.
set -eu

API_URL="\${FLOTILLA_API_URL:-${apiUrl}}"
ENROLL_KEY="\${FLOTILLA_ENROLL_KEY:-${enrollKey}}"
AGENT_SHA256=${shQuote(sha256)}
PREFIX="\${FLOTILLA_PREFIX:-/opt/flotilla-agent}"
DATA_DIR="\${FLOTILLA_AGENT_DATA_DIR:-/var/lib/flotilla-agent}"
UNIT_DIR="\${FLOTILLA_UNIT_DIR:-/etc/systemd/system}"
AGENT_USER="\${FLOTILLA_AGENT_USER:-flotilla-agent}"
AGENT_NAME="\${FLOTILLA_AGENT_NAME:-}"
SYSTEMCTL="\${FLOTILLA_SYSTEMCTL:-systemctl}"
NODE="\${FLOTILLA_NODE:-\$(command -v node || true)}"
UNIT="\$UNIT_DIR/flotilla-agent.service"

DRY_RUN=0
for arg in "\$@"; do
  case "\$arg" in
    --dry-run) DRY_RUN=1 ;;
    *) echo "unknown option: \$arg (the only one is --dry-run)" >&2; exit 2 ;;
  esac
done

say() { echo "flotilla-agent install: \$*"; }
run() {
  if [ "\$DRY_RUN" = 1 ]; then say "would run: \$*"; else "\$@"; fi
}
fail() { echo "flotilla-agent install: \$*" >&2; exit 1; }

# 1. Node 20 or newer runs the agent.
[ -n "\$NODE" ] || fail "node 20 or newer is needed (set FLOTILLA_NODE to its path)"
NODE_MAJOR=\$("\$NODE" -p 'process.versions.node.split(".")[0]')
[ "\$NODE_MAJOR" -ge 20 ] || fail "node \$NODE_MAJOR is too old: 20 or newer is needed"

# 2. Download the agent and check its sha256.
TMP=\$(mktemp -d)
trap 'rm -rf "\$TMP"' EXIT
say "downloading \$API_URL/v1/agent/download"
if command -v curl >/dev/null 2>&1; then
  curl -fsSL -o "\$TMP/flotilla-agent.cjs" "\$API_URL/v1/agent/download"
else
  wget -q -O "\$TMP/flotilla-agent.cjs" "\$API_URL/v1/agent/download"
fi
GOT=\$(sha256sum "\$TMP/flotilla-agent.cjs" | cut -d' ' -f1)
[ "\$GOT" = "\$AGENT_SHA256" ] || fail "sha256 mismatch: got \$GOT, expected \$AGENT_SHA256"
run mkdir -p "\$PREFIX"
run install -m 0755 "\$TMP/flotilla-agent.cjs" "\$PREFIX/flotilla-agent.cjs"

# 3. The user the agent (and every command it runs) runs as.
if id "\$AGENT_USER" >/dev/null 2>&1; then
  say "user \$AGENT_USER exists"
else
  run useradd --system --home-dir "\$DATA_DIR" --no-create-home --shell /usr/sbin/nologin "\$AGENT_USER"
fi

# 4. Its data folder: token, enrollment, journal. Only the agent's user may enter it.
run mkdir -p "\$DATA_DIR"
run chmod 0700 "\$DATA_DIR"

# 5. Enroll: the key goes through the environment, never on a command line.
if [ "\$DRY_RUN" = 1 ]; then
  say "would run: \$NODE \$PREFIX/flotilla-agent.cjs enroll --url \$API_URL --data-dir \$DATA_DIR (key from FLOTILLA_ENROLL_KEY)"
else
  set -- enroll --url "\$API_URL" --data-dir "\$DATA_DIR"
  [ -z "\$AGENT_NAME" ] || set -- "\$@" --name "\$AGENT_NAME"
  FLOTILLA_ENROLL_KEY="\$ENROLL_KEY" "\$NODE" "\$PREFIX/flotilla-agent.cjs" "\$@"
fi
run chown -R "\$AGENT_USER" "\$DATA_DIR"

# 6. The systemd unit.
if [ "\$DRY_RUN" = 1 ]; then
  say "would write \$UNIT"
else
  mkdir -p "\$UNIT_DIR"
  cat > "\$UNIT" <<UNIT_EOF
[Unit]
Description=Flotilla agent
After=network-online.target
Wants=network-online.target

[Service]
User=\$AGENT_USER
ExecStart=\$NODE \$PREFIX/flotilla-agent.cjs --data-dir \$DATA_DIR
Restart=always
RestartSec=5
TimeoutStopSec=20

[Install]
WantedBy=multi-user.target
UNIT_EOF
  chmod 0644 "\$UNIT"
fi

# 7. Start it.
run "\$SYSTEMCTL" daemon-reload
run "\$SYSTEMCTL" enable --now flotilla-agent.service
say "done"
`;
}
