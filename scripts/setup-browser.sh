#!/usr/bin/env bash
# Debian's Chromium and a CJK font for the widget's end-to-end tests (playwright-core drives
# /usr/bin/chromium; it never downloads a browser). Idempotent: does nothing when both are there.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei" || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -eq 0 ]; then
  echo "setup-browser: chromium and fonts-wqy-microhei present"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup-browser: installing ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
