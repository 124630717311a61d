#!/usr/bin/env bash
# Installs the Debian packages the tests need, only those missing, so a rerun costs a second:
#   python3-torch, python3-numpy, python3-pytest  training/ (Debian's /usr/bin/python3, PyTorch 1.13)
#   python3-onnx                                   reads shipped ONNX weights back (train --from a model)
#   python3-mypy                                   type-checks training/ in `npm run lint`
#   dicom3tools (dciodvfy), dcmtk (dcmdump, dsrdump, dcmj2pnm)  check the DICOM outputs
#   redis-server                                   the Redis queue test (serve --redis, worker)
#   chromium                                       the web viewer's browser tests (playwright-core)
#   openssl                                        the TLS tests' throw-away CA and certificates
# Run by `npm test` (and so by .ci/run). Without root or sudo it prints the one apt-get line to run.
set -euo pipefail

missing=()
py_has() { /usr/bin/python3 -c "import $1" 2>/dev/null; }
[ -x /usr/bin/python3 ] && py_has torch || missing+=(python3-torch)
[ -x /usr/bin/python3 ] && py_has numpy || missing+=(python3-numpy)
[ -x /usr/bin/python3 ] && py_has pytest || missing+=(python3-pytest)
[ -x /usr/bin/python3 ] && py_has onnx || missing+=(python3-onnx)
[ -x /usr/bin/python3 ] && py_has mypy || missing+=(python3-mypy)
command -v dciodvfy >/dev/null || missing+=(dicom3tools)
command -v redis-server >/dev/null || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v openssl >/dev/null || missing+=(openssl)
for tool in dcmdump dsrdump dcmj2pnm; do
  if ! command -v "$tool" >/dev/null; then missing+=(dcmtk); break; fi
done

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root=(sudo -n)
else
  echo "system-deps: missing Debian packages ${missing[*]}: run 'sudo apt-get install -y ${missing[*]}'" >&2
  exit 1
fi

echo "system-deps: installing Debian packages ${missing[*]} (apt-get)"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system-deps: installed ${missing[*]}"
